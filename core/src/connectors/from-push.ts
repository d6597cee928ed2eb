import type { PushEmitter, PushSourceConnector, SourceContext, SourceOptions } from '@sluice/sdk';
import { defineSource, type SourceDefinition } from '../discovery/component-definition.js';

/** What `fromPush` calls to start the feed; it may return the function that stops it. */
type Subscribe<T> = (emitter: PushEmitter<T>, ctx: SourceContext) => void | (() => unknown) | Promise<void | (() => unknown)>;

/** @internal A push source from a subscribe function (and the teardown it returns). */
export class FunctionPushSource<T> implements PushSourceConnector<T> {
  private teardown: (() => unknown) | undefined;

  constructor(private readonly start: Subscribe<T>) {}

  async subscribe(emitter: PushEmitter<T>, ctx: SourceContext): Promise<void> {
    const teardown = await this.start(emitter, ctx);
    this.teardown = typeof teardown === 'function' ? teardown : undefined;
  }

  async unsubscribe(): Promise<void> {
    const teardown = this.teardown;
    this.teardown = undefined;
    await teardown?.();
  }
}

/**
 * A push source from a function: `subscribe(emitter, ctx)` starts the feed and hands each record
 * to `emitter.emit`, and may return a function that stops it (called once, when the engine takes
 * no more records). An async function may instead run the feed itself until it ends; it should
 * stop when `ctx.signal` aborts (its teardown, if it returns one, runs only if it has returned). Give `overflow` in the options to choose the buffer and the policy
 * (default: `block` with a buffer of 10 000).
 *
 * @example
 * ```ts
 * const ticks = fromPush<Tick>((emitter) => {
 *   const onTick = (t: Tick) => emitter.emit(t)
 *   feed.on('tick', onTick)
 *   return () => feed.off('tick', onTick)
 * }, { name: 'ticks', overflow: { policy: 'drop-oldest', buffer: 1_000 } })
 * ```
 * @see docs/flow-control.md
 * @public
 */
export function fromPush<T>(subscribe: Subscribe<T>, options: SourceOptions<T>): SourceDefinition<T> {
  return defineSource(options, new FunctionPushSource(subscribe));
}
