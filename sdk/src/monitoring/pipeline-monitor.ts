import type { MonitoringEventBus } from './monitoring-event-bus.js';
import type { PipelineGraph } from './pipeline-graph.js';
import type { PipelineStats } from './pipeline-stats.js';

/**
 * What a {@link PipelineMonitor} sees of a pipeline: its events, its stats on demand and its
 * graph. A core `Pipeline` is one.
 * @public
 */
export interface MonitoredPipeline {
  readonly name: string;
  readonly events: MonitoringEventBus;
  stats(): PipelineStats;
  graph(): PipelineGraph;
}

/**
 * Something that watches a pipeline for its whole run: a metrics endpoint, a dashboard, a live
 * table in the terminal. Bound in the container under `PIPELINE_MONITOR` (usually by a plugin),
 * it is attached before the pipeline starts its sources and detached after it has stopped,
 * whether it stopped normally or failed. A monitor that fails to attach fails the start.
 *
 * @example
 * ```ts
 * const logger: PipelineMonitor = {
 *   name: 'logger',
 *   attach: (p) => { p.events.on('stats', (s) => console.log(s.bottleneck?.message ?? 'no bottleneck')) },
 * }
 * createPipeline({ components, providers: [{ provide: PIPELINE_MONITOR, useValue: logger }] })
 * ```
 * @see docs/monitoring.md
 * @public
 */
export interface PipelineMonitor {
  /** Names the monitor in errors. */
  readonly name: string;
  /** Called once, before the pipeline's hooks run and its sources open. */
  attach(pipeline: MonitoredPipeline): void | Promise<void>;
  /** Called once after the pipeline stopped (after its last `stats` and `lifecycle` events). */
  detach?(): void | Promise<void>;
}
