import type { Bottleneck } from './bottleneck.js';
import type { PipelineStats } from './pipeline-stats.js';

/**
 * Payload of `stage:error`: a call of a stage threw. Sent for every failed call (each attempt of
 * a retried record), after the stage's `@OnError` policy decided what to do with it.
 * @see docs/monitoring.md#events
 * @public
 */
export interface StageErrorEvent {
  readonly stage: string;
  readonly error: { readonly name: string; readonly message: string; readonly code?: string };
  /** 1 for a record's first call, 2 for its first retry, ... */
  readonly attempt: number;
  /** What the policy does with the record: `retry`, `skip`, `dead-letter`, `fail` (the pipeline fails), or `open` (a circuit breaker rejected it). */
  readonly decision: string;
  /** Pipeline-clock ms. */
  readonly at: number;
}

/**
 * Payload of `backpressure`: a node started or stopped being held back by backpressure. `on` when
 * it waited for room downstream more than half of the last second, `off` when it fell under a
 * tenth of it again (the gap keeps a node near the line from flapping). Checked at each stats
 * interval, so at most one event per node per interval.
 * @public
 */
export interface BackpressureEvent {
  /** The source or the stage (heading its segment) whose writes wait. */
  readonly node: string;
  readonly on: boolean;
  /** Ms of the last second it waited for room downstream (0–1000). */
  readonly backPressuredTimeMsPerSecond: number;
  readonly at: number;
}

/** Payload of `checkpoint:started`. @public */
export interface CheckpointStartedEvent {
  readonly id: number;
  readonly at: number;
}

/** Payload of `checkpoint:completed`: the checkpoint is stored and the sinks committed. @public */
export interface CheckpointCompletedEvent {
  readonly id: number;
  /** From trigger to stored, in ms. */
  readonly durationMs: number;
  readonly sizeBytes: number;
  readonly at: number;
}

/** Payload of `checkpoint:failed`: the checkpoint could not be stored; the next one retries. @public */
export interface CheckpointFailedEvent {
  readonly id: number;
  readonly error: string;
  readonly at: number;
}

/** Payload of `checkpoint:restored`: the run starts from this checkpoint. @public */
export interface CheckpointRestoredEvent {
  readonly id: number;
  readonly at: number;
}

/**
 * Payload of `watermark`: a source's watermark advanced. Sent at most once per source per stats
 * interval (the newest value), only for sources with an `eventTime`.
 * @public
 */
export interface WatermarkEvent {
  readonly node: string;
  /** Event-time ms: no record older than this is expected any more. */
  readonly watermark: number;
  /** How far the watermark is behind the pipeline clock, in ms. */
  readonly lagMs: number;
  readonly at: number;
}

/** Payload of `lifecycle`: the pipeline's state changed. @public */
export interface LifecycleEvent {
  readonly pipeline: string;
  readonly state: 'starting' | 'running' | 'draining' | 'stopped' | 'failed';
  /** Set with `failed`: what failed it. */
  readonly error?: { readonly name: string; readonly message: string; readonly code?: string };
  readonly at: number;
}

/** Payload of `bottleneck`: the bottleneck changed (`current` undefined: there is none now). @public */
export interface BottleneckEvent {
  readonly current: Bottleneck | undefined;
  readonly previous: Bottleneck | undefined;
  readonly at: number;
}

/** Payload of `stats`: the same snapshot as `pipeline.stats()`. @public */
export type StatsEvent = PipelineStats;
