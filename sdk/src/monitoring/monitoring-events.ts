import type {
  BackpressureEvent,
  BottleneckEvent,
  CheckpointCompletedEvent,
  CheckpointFailedEvent,
  CheckpointRestoredEvent,
  CheckpointStartedEvent,
  LifecycleEvent,
  StageErrorEvent,
  WatermarkEvent,
} from './event-payloads.js';
import type { LimitChangedEvent } from './limit-changed-event.js';
import type { PipelineStats } from './pipeline-stats.js';
import type { DeadLetter } from '../errors/dead-letter.js';

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
 * @see docs/monitoring.md#events
 * @beta
 */
export interface MonitoringEvents {
  /** Every stats interval (`statsInterval`, default 1 s) while it runs, and once when it ends: the same snapshot as `pipeline.stats()`. */
  stats: (stats: PipelineStats) => void;
  /** A call of a stage threw (every attempt), with what its `@OnError` policy decided. */
  'stage:error': (event: StageErrorEvent) => void;
  /** A record went to the dead letters (with its error and the stage). */
  'dead-letter': (letter: DeadLetter) => void;
  /** A node started (`on`) or stopped being held back by backpressure. */
  backpressure: (event: BackpressureEvent) => void;
  /** The bottleneck changed (a node became it, or there is none any more). */
  bottleneck: (event: BottleneckEvent) => void;
  /** A checkpoint was triggered (barriers injected). */
  'checkpoint:started': (event: CheckpointStartedEvent) => void;
  /** A checkpoint was stored and the sinks committed. */
  'checkpoint:completed': (event: CheckpointCompletedEvent) => void;
  /** A checkpoint could not be stored. */
  'checkpoint:failed': (event: CheckpointFailedEvent) => void;
  /** The run starts from a stored checkpoint. */
  'checkpoint:restored': (event: CheckpointRestoredEvent) => void;
  /** A source's watermark advanced (at most once per source per stats interval). */
  watermark: (event: WatermarkEvent) => void;
  /** The pipeline's state changed: starting, running, draining, stopped, failed. */
  lifecycle: (event: LifecycleEvent) => void;
  /** A stage's or sink's limit changed (and once at start for each rate-limited sink). */
  'limit-changed': (event: LimitChangedEvent) => void;
}
