import {
  EndOfStreamError,
  ErrorCodes,
  SluiceError,
  type PushEmitter,
  type PushSourceConnector,
  type SourceConnector,
  type SourceContext,
} from '@sluice/sdk';
import type { OverflowBuffer } from './overflow-buffer.js';
import { isThenable } from './timing.js';

/**
 * @internal Makes a push source look like a pull source to its source task, so that the task,
 * its checkpoints, watermarks and backpressure stay exactly as for any other source: `open`
 * subscribes with an emitter that feeds the bounded {@link OverflowBuffer}, and `read` takes from
 * that buffer (synchronously when it holds records, else a promise of the next push). After a
 * stop the buffer is drained, then the source ends.
 */
export class PushSourceAdapter implements SourceConnector<unknown> {
  // The live subscription's emitter: one that was replaced (after a disconnection) refuses.
  private live: { closed: boolean } | undefined;
  private subscribed = false;
  private failure: Error | undefined;
  private watched: AbortSignal | undefined;
  private unsubscribeError: unknown;

  constructor(
    readonly inner: PushSourceConnector<unknown>,
    readonly buffer: OverflowBuffer,
  ) {}

  async open(ctx: SourceContext): Promise<void> {
    // Opened again after a DisconnectedError: end the old subscription first.
    await this.unsubscribe();
    this.failure = undefined;
    if (this.watched !== ctx.signal) {
      this.watched = ctx.signal;
      // A stop or a cancel: take no more records (a stop still drains what is buffered).
      const stop = () => {
        this.buffer.close();
        // Reported by close(), which runs once the source has drained.
        this.unsubscribe().catch((err: unknown) => (this.unsubscribeError ??= err));
      };
      if (ctx.signal.aborted) stop();
      else ctx.signal.addEventListener('abort', stop, { once: true });
    }
    if (this.buffer.closed) return;
    const live = { closed: false };
    this.live = live;
    this.subscribed = true;
    const started = this.inner.subscribe(this.emitter(live), ctx);
    // Not awaited: an async subscribe may run the feed itself (a loop that waits for room), and
    // the pipeline must start reading meanwhile or it would never make room. Its rejection is
    // the feed failing, as with emitter.fail (a DisconnectedError subscribes again).
    if (isThenable(started)) {
      Promise.resolve(started).catch((err: unknown) => {
        if (this.live !== live) return;
        live.closed = true;
        this.failure ??= err instanceof Error ? err : new Error(String(err));
        this.buffer.wakeReader();
      });
    }
  }

  read(max: number): readonly unknown[] | Promise<readonly unknown[]> {
    const failure = this.buffer.failure ?? this.failure;
    // A failure ends the pipeline at once; a disconnection first delivers what was taken.
    if (failure !== undefined && !SluiceError.is(failure, ErrorCodes.DISCONNECTED)) throw failure;
    if (this.buffer.size > 0) return this.buffer.take(max);
    if (failure !== undefined) {
      this.failure = undefined;
      throw failure;
    }
    if (this.buffer.closed) throw new EndOfStreamError();
    return this.buffer.readable().then(() => this.read(max));
  }

  async close(): Promise<void> {
    this.buffer.close();
    await this.unsubscribe();
    if (this.unsubscribeError !== undefined) throw this.unsubscribeError;
  }

  // Lifecycle hooks of the push source's class run as they would on any component.
  onStart(): unknown {
    return (this.inner as { onStart?: () => unknown }).onStart?.();
  }

  onStop(): unknown {
    return (this.inner as { onStop?: () => unknown }).onStop?.();
  }

  private async unsubscribe(): Promise<void> {
    if (this.live !== undefined) this.live.closed = true;
    if (!this.subscribed) return;
    this.subscribed = false;
    await this.inner.unsubscribe?.();
  }

  private emitter(live: { closed: boolean }): PushEmitter<unknown> {
    const buffer = this.buffer;
    const refuse = (n: number) => {
      buffer.refused += n;
      return false;
    };
    return {
      emit: (record) => (live.closed ? refuse(1) : buffer.offer(record)),
      emitAll: (records) => {
        if (live.closed) return (refuse(records.length), 0);
        for (let i = 0; i < records.length; i++) {
          if (!buffer.offer(records[i])) {
            // Refused: the rest stays the producer's too (only the first was offered).
            buffer.refused += records.length - i - 1;
            return i;
          }
        }
        return records.length;
      },
      ready: () => (live.closed ? Promise.resolve() : buffer.ready()),
      end: () => {
        if (live.closed) return;
        live.closed = true;
        buffer.close();
      },
      fail: (error) => {
        if (live.closed) return;
        live.closed = true;
        this.failure = error instanceof Error ? error : new Error(String(error));
        buffer.wakeReader();
      },
    };
  }
}
