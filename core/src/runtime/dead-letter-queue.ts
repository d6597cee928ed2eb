import { ErrorCodes, SluiceError, type DeadLetter, type DeadLetterSink } from '@sluice/sdk';
import type { MetricsBus } from '../monitoring/metrics-bus.js';

// With a sink, memory keeps only this many of the newest dead letters: the sink has them all.
const KEPT_WITH_SINK = 10_000;

/**
 * Holds the records that stages rejected with an `@OnError({ then: 'dead-letter' })` policy (or
 * a circuit breaker with `whileOpen: 'dead-letter'`), and the payloads sources could not decode,
 * in memory, in arrival order. `pipeline.deadLetters` is one.
 *
 * With a {@link DeadLetterSink} (the pipeline's `deadLetters` option) every dead letter is also
 * written there, in batches, off the records' path; memory then keeps the newest 10,000.
 *
 * @example
 * ```ts
 * await pipeline.run()
 * for (const dl of pipeline.deadLetters.records()) console.error(dl.stage, dl.error.message, dl.value)
 * ```
 * @see docs/fault-tolerance.md
 * @public
 */
export class DeadLetterQueue {
  private readonly items: DeadLetter[] = [];
  private outgoing: DeadLetter[] = [];
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private failure: SluiceError | undefined;
  private written = 0;

  /** @internal The engine makes one per pipeline; `onFailure` is told when the sink fails. */
  constructor(
    private readonly sink?: DeadLetterSink,
    private readonly onFailure: (error: SluiceError) => void = () => undefined,
    private readonly events?: MetricsBus,
  ) {}

  /** Appends one dead letter (the engine calls this). */
  add(deadLetter: DeadLetter): void {
    this.items.push(deadLetter);
    this.events?.emit('dead-letter', deadLetter);
    if (this.sink === undefined) return;
    if (this.items.length > KEPT_WITH_SINK * 2) this.items.splice(0, this.items.length - KEPT_WITH_SINK);
    this.outgoing.push(deadLetter);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.drainAll();
      });
    }
  }

  /** How many dead letters are held in memory. */
  get size(): number {
    return this.items.length;
  }

  /** How many went to the dead-letter sink so far. */
  get writtenToSink(): number {
    return this.written;
  }

  /** A copy of the dead letters held in memory. */
  records(): DeadLetter[] {
    return [...this.items];
  }

  /** Removes and returns every dead letter held in memory. */
  drain(): DeadLetter[] {
    return this.items.splice(0, this.items.length);
  }

  /** @internal Before the first record: opens the sink. */
  async open(pipeline: string): Promise<void> {
    await this.sink?.open?.({ pipeline });
  }

  /** @internal At the end of the run: writes what is left, then flushes and closes the sink. */
  async close(): Promise<void> {
    if (this.sink === undefined) return;
    await this.drainAll();
    if (this.failure === undefined) await this.guard(() => this.sink!.flush?.(), 'flush');
    await this.guard(() => this.sink!.close?.(), 'close');
  }

  // Sends what has accumulated as one batch; writes never overlap, so the file stays in order.
  private drainAll(): Promise<void> {
    this.writing = this.writing.then(async () => {
      while (this.outgoing.length > 0 && this.failure === undefined) {
        const batch = this.outgoing;
        this.outgoing = [];
        await this.guard(() => this.sink!.write(batch), 'write');
        if (this.failure === undefined) this.written += batch.length;
      }
    });
    return this.writing;
  }

  private async guard(fn: () => void | Promise<void> | undefined, what: string): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.failure ??= new SluiceError(
        ErrorCodes.SINK_FAILED,
        `The dead-letter sink failed to ${what}: ${err instanceof Error ? err.message : String(err)}; the dead letters since its last write are still in pipeline.deadLetters`,
        { cause: err, details: { sink: 'dead-letters' } },
      );
      this.onFailure(this.failure);
    }
  }
}
