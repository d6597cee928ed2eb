/**
 * A latency histogram (HdrHistogram, 3 significant digits) of one stage, sink or path, in ms.
 * `count` and `sumMs` are cumulative since the pipeline started (a Prometheus summary's `_count`
 * and `_sum`); the quantiles and `max` cover the last `windowMs` only (60 s), so that they show
 * what the pipeline does now rather than averaged over its whole life.
 *
 * Latency is recorded once per batch, not per record: every record of a batch is counted with
 * the batch's time divided by its size (processing latency) or with the age of the batch's oldest
 * record (end-to-end latency). That keeps recording off the per-record path.
 *
 * @example
 * ```ts
 * const l = pipeline.stats().stages.enriched.latency
 * if (l !== undefined) console.log(`enriched p99 ${l.p99.toFixed(2)} ms over ${l.windowCount} records`)
 * ```
 * @see docs/monitoring.md
 * @public
 */
export interface LatencyStats {
  /** Records measured since the start. */
  readonly count: number;
  /** Sum of their latencies since the start, in ms. */
  readonly sumMs: number;
  /** Records measured in the last `windowMs`. */
  readonly windowCount: number;
  /** The span the quantiles cover, in ms. */
  readonly windowMs: number;
  /** Median over the window, in ms (0 when the window is empty). */
  readonly p50: number;
  /** 90th percentile over the window, in ms. */
  readonly p90: number;
  /** 99th percentile over the window, in ms. */
  readonly p99: number;
  /** 99.9th percentile over the window, in ms. */
  readonly p999: number;
  /** The largest latency in the window, in ms. */
  readonly max: number;
}
