import type { MonitoringEvents } from './monitoring-events.js';

/**
 * A pipeline's event bus (`pipeline.events`): subscribe to {@link MonitoringEvents} by name.
 * A listener that throws is isolated: the others still run, the pipeline goes on, and the error
 * is counted in `listenerErrors` (the first one is also logged with `console.warn`).
 *
 * @example
 * ```ts
 * pipeline.events.on('limit-changed', (e) => console.log(e.node, e.limit))
 * await pipeline.run()
 * ```
 * @see docs/flow-control.md#reading-the-flow-metrics
 * @beta
 */
export interface MonitoringEventBus {
  /** Calls `listener` on every `event` from now on. */
  on<E extends keyof MonitoringEvents>(event: E, listener: MonitoringEvents[E]): this;
  /** Calls `listener` on the next `event` only. */
  once<E extends keyof MonitoringEvents>(event: E, listener: MonitoringEvents[E]): this;
  /** Removes `listener` from `event` (every registration of it), or every listener of `event` when none is given. */
  off<E extends keyof MonitoringEvents>(event: E, listener?: MonitoringEvents[E]): this;
  /** How many listeners `event` has. */
  listenerCount(event: keyof MonitoringEvents): number;
  /** Listener calls that threw, since the pipeline was built. */
  readonly listenerErrors: number;
}
