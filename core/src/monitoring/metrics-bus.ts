import type { Clock, MonitoringEventBus, MonitoringEvents } from '@sluice/sdk';
import { EventEmitter } from 'eventemitter3';

type AnyListener = (...args: unknown[]) => unknown;

/**
 * A pipeline's event bus: an eventemitter3 emitter typed by `MonitoringEvents`, seen by users as
 * `pipeline.events` and by the engine's tasks through `TaskControl.events`. Exported for code that
 * shows several pipelines as one `MonitoredPipeline` (the CLI's scaled-out worker) and needs a bus
 * that behaves the same.
 *
 * Every listener is registered wrapped: eventemitter3 stops at the first listener that throws and
 * the throw would reach the task that emitted (and fail the pipeline), so the wrapper catches it,
 * counts it, and lets the others run. A listener's rejected promise is caught the same way, so an
 * async listener cannot crash the process with an unhandled rejection.
 */
export class MetricsBus implements MonitoringEventBus {
  listenerErrors = 0;
  // Untyped inside: the public methods carry the types (eventemitter3's mapped types do not narrow per event).
  private readonly emitter = new EventEmitter();
  // The wrapper of each listener, per event, so that `off(event, listener)` finds it.
  private readonly guards = new Map<keyof MonitoringEvents, WeakMap<AnyListener, AnyListener>>();
  // The last limit reported per node: repeats are dropped, and it is the next event's `previous`.
  private readonly limits = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  on<E extends keyof MonitoringEvents>(event: E, listener: MonitoringEvents[E]): this {
    this.emitter.on(event, this.guard(event, listener as AnyListener));
    return this;
  }

  once<E extends keyof MonitoringEvents>(event: E, listener: MonitoringEvents[E]): this {
    this.emitter.once(event, this.guard(event, listener as AnyListener));
    return this;
  }

  off<E extends keyof MonitoringEvents>(event: E, listener?: MonitoringEvents[E]): this {
    if (listener === undefined) {
      this.emitter.removeAllListeners(event);
      this.guards.delete(event);
      return this;
    }
    const guard = this.guards.get(event)?.get(listener as AnyListener);
    if (guard !== undefined) this.emitter.off(event, guard);
    return this;
  }

  listenerCount(event: keyof MonitoringEvents): number {
    return this.emitter.listenerCount(event);
  }

  /**
   * Publishes `event` to its listeners; nothing is built or called when there are none (callers
   * that build a payload check `listenerCount` first, so an unwatched pipeline pays nothing).
   */
  emit<E extends keyof MonitoringEvents>(event: E, ...args: Parameters<MonitoringEvents[E]>): void {
    if (this.emitter.listenerCount(event) === 0) return;
    this.emitter.emit(event, ...args);
  }

  /**
   * The one call for everything that governs a limit (a rate-limited sink, an adaptive limiter):
   * reports that `node`'s limit is now `limit`. The bus fills in `previous` (the limit last
   * reported for that node) and `at` (the pipeline clock); a report of the limit already reported
   * is dropped, so a limiter and the task that watches it may both report a change. Costs a map
   * lookup when nobody listens: call it on a change, never per record.
   */
  emitLimitChanged(node: string, kind: 'stage' | 'sink', limit: number, reason: string): void {
    const key = `${kind}\u0000${node}`;
    const previous = this.limits.get(key);
    if (previous === limit) return;
    this.limits.set(key, limit);
    if (this.emitter.listenerCount('limit-changed') === 0) return;
    this.emitter.emit('limit-changed', { node, kind, previous, limit, reason, at: this.clock.now() });
  }

  private guard(event: keyof MonitoringEvents, listener: AnyListener): AnyListener {
    let guards = this.guards.get(event);
    if (guards === undefined) this.guards.set(event, (guards = new WeakMap()));
    let guard = guards.get(listener);
    if (guard === undefined) {
      guard = (...args: unknown[]) => {
        try {
          const r = listener(...args);
          if (typeof (r as PromiseLike<unknown> | undefined)?.then === 'function') {
            (r as PromiseLike<unknown>).then(undefined, (err: unknown) => this.failed(event, err));
          }
        } catch (err) {
          this.failed(event, err);
        }
      };
      guards.set(listener, guard);
    }
    return guard;
  }

  private failed(event: string, err: unknown): void {
    // The first one is logged so that a broken listener is seen; later ones are only counted
    // (a listener that throws on every event must not flood the log).
    if (this.listenerErrors++ === 0) {
      console.warn(
        `Sluice: a listener of '${event}' on pipeline.events threw (ignored; later listener errors are only counted in pipeline.events.listenerErrors): ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}
