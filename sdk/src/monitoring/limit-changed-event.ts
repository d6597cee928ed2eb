/**
 * Payload of the `limit-changed` event: a limit that governs the flow through one node changed.
 * A rate-limited sink reports its limiter's initial limit when the pipeline starts (`reason:
 * 'start'`, no `previous`), then every change of it; adaptive limiters report each step they take.
 *
 * @example
 * ```ts
 * pipeline.events.on('limit-changed', (e) => console.log(`${e.kind} ${e.node}: ${e.previous ?? '-'} -> ${e.limit} (${e.reason})`))
 * ```
 * @see docs/flow-control.md#reading-the-flow-metrics
 * @beta
 */
export interface LimitChangedEvent {
  /** The name of the stage or sink whose limit changed. */
  readonly node: string;
  /** `stage`: a stage's limit (an enrich stage's concurrency, say); `sink`: a sink's rate limit. */
  readonly kind: 'stage' | 'sink';
  /** The limit before the change; undefined for the first report of this node's limit. */
  readonly previous: number | undefined;
  /**
   * The limit now: for a sink's rate limiter, records per second (as `SinkStats.limit`); for a
   * stage, in the unit of that stage's limit (calls in flight for an enrich stage's concurrency).
   */
  readonly limit: number;
  /**
   * Why it changed: `start` for the limit a pipeline starts with, `limiter` for a change the sink
   * saw in its limiter's `limit`; adaptive limiters give their own reason (e.g. `latency`, `errors`).
   */
  readonly reason: string;
  /** When it changed, in ms of the pipeline clock (ms since the epoch on the default clock). */
  readonly at: number;
}
