import type { Bottleneck } from './bottleneck.js';
import type { LatencyStats } from './latency-stats.js';

/**
 * A snapshot of a pipeline's counters, from `pipeline.stats()`. Every counter is cumulative
 * since the pipeline started; the gauges (`fill`, `queueFill`, `inFlight`, `limit`, `openWindows`)
 * are the value now, and `backPressuredTimeMsPerSecond` is the last whole second.
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
  /** When the snapshot was taken, in ms of the pipeline clock. */
  readonly at?: number;
  /**
   * The node that limits throughput now, if one does: busy most of the last second while what
   * feeds it waits for room (or its queue fills) and what it feeds does not. See {@link Bottleneck}.
   */
  readonly bottleneck?: Bottleneck;
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
  /** Sources with an `eventTime`: the watermark now, in event-time ms (undefined before the first one). */
  readonly watermark?: number;
  /** Sources with an `eventTime`: how far the watermark is behind the pipeline clock now, in ms. */
  readonly watermarkLagMs?: number;
  /** How many times the source was paused because downstream was full (backpressure). */
  readonly pausedCount: number;
  /**
   * Total time it spent paused because downstream was full, in ms of the pipeline clock (on the
   * default clock, at sub-ms resolution): the source's backpressured time, the same measure as
   * `StageStats.backpressuredMs`.
   */
  readonly pausedMs: number;
  /**
   * The part of the last whole second of the pipeline clock that the source spent paused by
   * backpressure, in ms: 0 to 1000 (Flink's `backPressuredTimeMsPerSecond`). See
   * `StageStats.backPressuredTimeMsPerSecond`.
   */
  readonly backPressuredTimeMsPerSecond: number;
  /** Payloads the source could not decode, sent to the dead letters. */
  readonly deadLettered: number;
  /** Records skipped by a replay's `startAt: { eventTime }` (event time before it). */
  readonly skipped: number;
  /**
   * Push sources: records the engine took from the producer (`emit` returned true). At any time,
   * `pushed = records + bufferFill + the sum of dropped`, exactly.
   */
  readonly pushed?: number;
  /**
   * Push sources: records dropped by the overflow policy, by the decision that dropped them:
   * `'drop-newest'` (the pushed record itself), `'drop-oldest'` (the oldest buffered record, to
   * make room). `sample` drops with both. Only decisions that dropped something appear.
   */
  readonly dropped?: Readonly<Record<string, number>>;
  /**
   * Push sources: records the engine refused (`emit` returned false; they stayed the producer's):
   * under `block` while the buffer was full, and any record pushed after the source stopped or ended.
   * Each refusal counts: a record offered again and refused again counts twice.
   */
  readonly refused?: number;
  /** Push sources: records in the buffer now. */
  readonly bufferFill?: number;
  /** The connector's own figures, when it reports some (`metrics()` of the connector): reconnects, redeliveries, acks pending... */
  readonly connector?: Readonly<Record<string, number>>;
  /** Push sources: the most records the buffer ever held (never more than `bufferCapacity`). */
  readonly maxBufferFill?: number;
  /** Push sources: the buffer's size, `overflow.buffer`. */
  readonly bufferCapacity?: number;
  /** Push sources: total time the buffer was full under a policy that waits (`block`), in ms of the pipeline clock. */
  readonly blockedMs?: number;
  /**
   * Push sources whose `'<source>:dropped'` output is read: dropped records that did not fit in
   * that output's own buffer (`overflow.droppedBuffer` records) because its reader was behind, so
   * they were only counted. `dropped = records of '<source>:dropped' + lostDropped` once both ended.
   */
  readonly lostDropped?: number;
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
  /** Batches the stage processed (`recordsIn / batches` is the mean batch size). */
  readonly batches?: number;
  /** The largest batch it processed, in records. */
  readonly maxBatchSize?: number;
  /**
   * Time the task that runs this stage spent working on records (not waiting for input nor for
   * room downstream), in ms of the pipeline clock since the start; stages fused in one loop share
   * it. Enrich stages: time during which every call slot was taken.
   */
  readonly busyMs?: number;
  /** The part of the last whole second that the stage was busy, in ms (0–1000). */
  readonly busyTimeMsPerSecond?: number;
  /**
   * Processing latency per record (the batch's time in the stage's loop over its size; enrich
   * stages: each call's time), over the last minute. Fused stages share their loop's figure.
   */
  readonly latency?: LatencyStats;
  /** Window stages: the watermark they have seen, in event-time ms. */
  readonly watermark?: number;
  /**
   * Time the task that runs this stage waited for room downstream (its writes to a full channel
   * blocked), in ms of the pipeline clock, since the start. Stages fused into one loop run in one
   * task, so they share this figure, and so does the source when they are fused into its loop.
   */
  readonly backpressuredMs: number;
  /**
   * The part of the last whole second of the pipeline clock (the second before the one `stats()`
   * is called in, aligned to whole seconds of the clock) that this stage's task spent waiting for
   * room downstream, in ms: 0 to 1000, as Flink's `backPressuredTimeMsPerSecond`. Near 1000: what
   * follows cannot keep up; near 0: nothing downstream holds it back. A wait still going on
   * counts up to the moment of the call.
   */
  readonly backPressuredTimeMsPerSecond: number;
  /**
   * Stages that start a segment (after a channel: an enrich stage, a union of several inputs):
   * the records in the channel in front of the stage over its capacity, now, from 0 to 1 (a batch
   * larger than the capacity may take it above 1). Near 1: this stage is slower than what feeds it.
   * Absent for stages fused into the loop of what feeds them (they have no queue).
   */
  readonly queueFill?: number;
  /** Enrich stages: calls in progress now. */
  readonly inFlight: number;
  /** Enrich stages: the most calls ever in progress at once. */
  readonly maxInFlight: number;
  /** Stages with a circuit breaker (`@OnError({ breaker })`): its state and counters. */
  readonly breaker?: BreakerStats;
  /** Window stages: windows fired and what happened to late records. */
  readonly windows?: WindowStats;
  /**
   * The limit the stage's limiter allows now. Rate-limited stages: records per second (per key
   * with `perKey`). Enrich stages with `concurrencyLimit`: how many calls may run at once (this
   * one is reported when a stage has both).
   */
  readonly limit?: number;
  /**
   * Rate-limited stages: time the stage stopped reading its input because of its limiter(s), in
   * ms of the pipeline clock (with `perKey`: while its held records or keys were at their bound,
   * or while it let held records go before a checkpoint barrier or the end of input).
   */
  readonly throttledMs?: number;
  /** Stages limited `perKey`: the limiters (keys) held now, at most `maxKeys`. */
  readonly keys?: number;
  /** Stages limited `perKey`: records waiting in the keys' queues now, at most `maxHeld`. */
  readonly heldRecords?: number;
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
  /** The connector's own figures, when it reports some (`metrics()` of the connector): reconnects, redeliveries, acks pending... */
  readonly connector?: Readonly<Record<string, number>>;
  readonly batches: number;
  /** Writes that threw (each failed attempt). */
  readonly errors?: number;
  /** Time spent in the connector's `write` (and waiting for its limiter), in ms of the pipeline clock. */
  readonly busyMs?: number;
  /** The part of the last whole second that the sink was busy, in ms (0–1000). */
  readonly busyTimeMsPerSecond?: number;
  /** Records in the channel in front of the sink over its capacity, now (0 to 1). */
  readonly queueFill?: number;
  /** Write latency per record (a write's time over its batch size), over the last minute. */
  readonly latency?: LatencyStats;
  /**
   * End-to-end latency: from the moment the source read a record to the moment the sink's write
   * of it returned, over the last minute. Measured per batch with the age of its oldest record,
   * so it errs on the high side.
   */
  readonly endToEnd?: LatencyStats;
  /**
   * Rate-limited sinks: total time the sink waited for its limiter, in ms of the pipeline clock
   * (with `perKey`: time it stopped reading its input because of its limiters, as for a stage).
   */
  readonly throttledMs?: number;
  /** Rate-limited sinks: the rate the limiter allows now, in records per second (per key with `perKey`). */
  readonly limit?: number;
  /** Sinks limited `perKey`: the limiters (keys) held now, at most `maxKeys`. */
  readonly keys?: number;
  /** Sinks limited `perKey`: records waiting in the keys' queues now, at most `maxHeld`. */
  readonly heldRecords?: number;
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
