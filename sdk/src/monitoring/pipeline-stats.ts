/**
 * A snapshot of a pipeline's counters, from `pipeline.stats()`. Every counter is cumulative
 * since the pipeline started.
 *
 * @example
 * ```ts
 * const s = pipeline.stats()
 * console.log(s.sources.ticks.records, s.channels.out.maxFill   // channels are named after the node they feed)
 * ```
 * @see docs/concepts.md
 * @public
 */
export interface PipelineStats {
  readonly state: 'created' | 'starting' | 'running' | 'draining' | 'stopped' | 'failed';
  /** Milliseconds since `run()`/`start()`, or 0 before. */
  readonly uptimeMs: number;
  readonly sources: Readonly<Record<string, SourceStats>>;
  readonly stages: Readonly<Record<string, StageStats>>;
  readonly sinks: Readonly<Record<string, SinkStats>>;
  /** The bounded channels between fused segments, named after the node they feed. */
  readonly channels: Readonly<Record<string, ChannelStats>>;
  /** Present when the pipeline takes checkpoints. */
  readonly checkpoints?: CheckpointStats;
}

/** What the checkpoints of a run did. @public */
export interface CheckpointStats {
  /** Checkpoints stored (and their sinks committed) in this run. */
  readonly completed: number;
  /** Checkpoints that could not be stored (the store threw); the run goes on, the next one retries. */
  readonly failed: number;
  /** Id of the newest stored checkpoint, or undefined. */
  readonly lastId: number | undefined;
  /** From trigger to stored, in ms, of the newest stored checkpoint. */
  readonly lastDurationMs: number;
  /** Size in bytes of the newest stored checkpoint. */
  readonly lastSizeBytes: number;
  /** The longest time from trigger to stored of this run's checkpoints, in ms. */
  readonly maxDurationMs: number;
  /** The largest checkpoint of this run, in bytes. */
  readonly maxSizeBytes: number;
  /** The checkpoint this run started from, or undefined for a fresh start. */
  readonly restoredFrom: number | undefined;
  /** Checkpoints found unusable at start (corrupt, partial) and skipped, with why. */
  readonly skipped: readonly { readonly id: number; readonly reason: string }[];
}

/** Counters of one source. @public */
export interface SourceStats {
  readonly records: number;
  readonly batches: number;
  /** How many times the source was paused because downstream was full (backpressure). */
  readonly pausedCount: number;
  /** Total time it spent paused, in ms. */
  readonly pausedMs: number;
  /** Payloads the source could not decode, sent to the dead letters. */
  readonly deadLettered: number;
  /** Records skipped by a replay's `startAt: { eventTime }` (event time before it). */
  readonly skipped: number;
}

/** Counters of one stage. @public */
export interface StageStats {
  readonly kind: string;
  /** Records the stage received (what its inputs emitted). */
  readonly recordsIn: number;
  /** Records the stage emitted. */
  readonly recordsOut: number;
  /** Calls of the stage that threw (each failed attempt of a retried record counts). */
  readonly errors: number;
  /** Retry attempts made (calls after a record's first failure). */
  readonly retries: number;
  /** Records dropped by an `@OnError({ then: 'skip' })` policy. */
  readonly skipped: number;
  /** Records sent to the dead letters. */
  readonly deadLettered: number;
  /** Enrich stages: calls in progress now. */
  readonly inFlight: number;
  /** Enrich stages: the most calls ever in progress at once. */
  readonly maxInFlight: number;
  /** Stages with a circuit breaker (`@OnError({ breaker })`): its state and counters. */
  readonly breaker?: BreakerStats;
  /** Window stages: windows fired and what happened to late records. */
  readonly windows?: WindowStats;
  /** Enrich stages with `concurrencyLimit`: how many calls the limiter lets run at once now. */
  readonly limit?: number;
  /** Enrich stages with `concurrencyLimit`: how many times the limiter changed the limit. */
  readonly limitChanges?: number;
  /** Enrich stages with `concurrencyLimit` or that threw `BackoffError`: the back-offs asked for. */
  readonly backoffs?: number;
  /** Enrich stages with `concurrencyLimit` or that threw `BackoffError`: time paused for them, in ms of the pipeline clock. */
  readonly backoffMs?: number;
}

/** The circuit breaker of a stage. @public */
export interface BreakerStats {
  /** `closed`: records flow; `open`: the stage is not called; `half-open`: one record probes it. */
  readonly state: 'closed' | 'open' | 'half-open';
  /** How many times it opened (a failed probe opening it again counts). */
  readonly opens: number;
  /** Records sent to the dead letters without calling the stage because it was open. */
  readonly rejected: number;
  /** Time spent waiting for the breaker with `whileOpen: 'pause'`, in ms of the pipeline clock. */
  readonly pausedMs: number;
}

/** Counters of a window stage. @public */
export interface WindowStats {
  /** Results emitted (updates included). */
  readonly fired: number;
  /** Late records that still updated their window (within the allowed lateness). */
  readonly lateUpdates: number;
  /** Records later than the lateness sent to the late output (or counted when nothing reads it). */
  readonly lateSideOutput: number;
  /** Records later than the lateness dropped by a `late: 'drop'` policy. */
  readonly lateDropped: number;
  /** Window and key pairs open now. */
  readonly openWindows: number;
  /** How late the late records were (behind the watermark), for every late record whatever became of it. */
  readonly lateness?: LatenessStats;
}

/**
 * A histogram of how far behind the watermark late records arrived, in ms.
 * @public
 */
export interface LatenessStats {
  /** Late records seen. */
  readonly count: number;
  /** The latest one, in ms behind the watermark. */
  readonly maxMs: number;
  /** Non-empty buckets: `count` records were at most `le` ms late (and more than the previous bucket's `le`). */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
}

/** Counters of one sink. @public */
export interface SinkStats {
  readonly records: number;
  readonly batches: number;
  /** Rate-limited sinks: total time the sink waited for its limiter, in ms of the pipeline clock. */
  readonly throttledMs?: number;
  /** Rate-limited sinks: the rate the limiter allows now, in records per second. */
  readonly limit?: number;
}

/** Counters of one bounded channel. @public */
export interface ChannelStats {
  /** Capacity in records. */
  readonly capacity: number;
  /** Records held now (queued, or taken by the reader and not yet released). */
  readonly fill: number;
  /** The most records it ever held. */
  readonly maxFill: number;
  /** Writes that had to wait for room. */
  readonly blockedWrites: number;
  /** Total time writers waited for room, in ms. */
  readonly blockedMs: number;
}
