import type { LimitChangedEvent } from './limit-changed-event.js';

/**
 * The events a pipeline publishes on its bus (`pipeline.events`), by name, with the signature of
 * their listeners. The bus is an eventemitter3 emitter typed by this map; monitoring plugins
 * subscribe to it. Events are rare (changes of state, never one per record), so a listener may
 * do some work, but it runs synchronously on the pipeline's thread: keep it short.
 *
 * @example
 * ```ts
 * const onLimit: MonitoringEvents['limit-changed'] = (e) => metrics.gauge('limit', e.limit, { node: e.node })
 * pipeline.events.on('limit-changed', onLimit)
 * ```
 * @see docs/flow-control.md#reading-the-flow-metrics
 * @beta
 */
export interface MonitoringEvents {
  /** A stage's or sink's limit changed (and once at start for each rate-limited sink). */
  'limit-changed': (event: LimitChangedEvent) => void;
}
