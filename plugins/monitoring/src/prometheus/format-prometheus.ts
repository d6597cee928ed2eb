import type { LatencyStats, PipelineStats } from '@sluice/sdk';
import { MetricFamily, type Labels } from './metric-family.js';

/** The content type of {@link formatPrometheus}'s output. @public */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const QUANTILES: readonly [string, keyof LatencyStats][] = [
  ['0.5', 'p50'],
  ['0.9', 'p90'],
  ['0.99', 'p99'],
  ['0.999', 'p999'],
];

/**
 * A pipeline's stats in the Prometheus text exposition format 0.0.4: every family with its
 * `# HELP` and `# TYPE`, labelled by `pipeline` and the node (`source`, `stage`, `sink` or
 * `channel`), times in seconds, counters ending in `_total`. A family whose fields the snapshot
 * lacks (latency before the engine measures it, say) is written without samples.
 *
 * @example
 * ```ts
 * const text = formatPrometheus(pipeline.stats(), pipeline.name)
 * ```
 * @see docs/monitoring.md
 * @public
 */
export function formatPrometheus(stats: PipelineStats, pipeline: string): string {
  const families: MetricFamily[] = [];
  const family = (name: string, type: 'counter' | 'gauge' | 'summary', help: string): MetricFamily => {
    const f = new MetricFamily(name, type, help);
    families.push(f);
    return f;
  };
  const p = { pipeline };
  const sec = (ms: number): number => ms / 1000;

  // Pipeline
  family('sluice_pipeline_up', 'gauge', 'Whether the pipeline is running (1) or not (0).').sample(
    p,
    stats.state === 'running' || stats.state === 'draining' ? 1 : 0,
  );
  family('sluice_pipeline_uptime_seconds', 'gauge', 'Time since the pipeline started, in seconds.').sample(p, sec(stats.uptimeMs));
  const bottleneck = family('sluice_bottleneck', 'gauge', 'The node that limits throughput now (1); no sample when there is none.');
  if (stats.bottleneck !== undefined) bottleneck.sample({ ...p, node: stats.bottleneck.node }, 1);

  // Sources
  const sources = Object.entries(stats.sources);
  const srcRecords = family('sluice_source_records_total', 'counter', 'Records read by the source.');
  const srcBatches = family('sluice_source_batches_total', 'counter', 'Batches read by the source.');
  const srcBp = family('sluice_source_backpressured_seconds_total', 'counter', 'Time the source was paused by backpressure, in seconds.');
  const srcDropped = family(
    'sluice_source_dropped_total',
    'counter',
    'Records dropped by the overflow policy of a push source, by reason.',
  );
  const srcLag = family('sluice_source_watermark_lag_seconds', 'gauge', 'How far the watermark is behind the pipeline clock, in seconds.');
  const srcDead = family('sluice_source_dead_lettered_total', 'counter', 'Payloads the source could not decode, sent to the dead letters.');
  const srcConn = family(
    'sluice_source_connector_value',
    'gauge',
    "A figure the source's connector reports of itself (redeliveries, acks pending, reconnects), by metric name.",
  );
  for (const [name, s] of sources) {
    const l = { ...p, source: name };
    for (const [metric, v] of Object.entries(s.connector ?? {})) srcConn.sample({ ...l, metric }, v);
    srcRecords.sample(l, s.records);
    srcBatches.sample(l, s.batches);
    srcBp.sample(l, sec(s.pausedMs));
    srcDead.sample(l, s.deadLettered);
    for (const [reason, n] of Object.entries(s.dropped ?? {})) srcDropped.sample({ ...l, reason }, n);
    if (s.watermarkLagMs !== undefined) srcLag.sample(l, sec(s.watermarkLagMs));
  }

  // Stages
  const stages = Object.entries(stats.stages);
  const stIn = family('sluice_stage_records_in_total', 'counter', 'Records the stage received.');
  const stOut = family('sluice_stage_records_out_total', 'counter', 'Records the stage emitted.');
  const stErr = family('sluice_stage_errors_total', 'counter', 'Calls of the stage that threw (each attempt).');
  const stRetries = family('sluice_stage_retries_total', 'counter', 'Retry attempts of the stage.');
  const stSkipped = family('sluice_stage_skipped_total', 'counter', 'Records dropped by a skip error policy.');
  const stDead = family('sluice_stage_dead_lettered_total', 'counter', 'Records the stage sent to the dead letters.');
  const stBatches = family('sluice_stage_batches_total', 'counter', 'Batches the stage processed.');
  const stBusy = family('sluice_stage_busy_seconds_total', 'counter', "Time the stage's task spent working on records, in seconds.");
  const stBp = family(
    'sluice_stage_backpressured_seconds_total',
    'counter',
    "Time the stage's task waited for room downstream, in seconds.",
  );
  const stQueue = family('sluice_stage_queue_fill_ratio', 'gauge', 'Records in the queue in front of the stage over its capacity.');
  const stInFlight = family('sluice_stage_in_flight', 'gauge', 'Calls of an enrich stage in progress now.');
  const stLat = family(
    'sluice_stage_processing_latency_seconds',
    'summary',
    'Processing latency per record, in seconds (quantiles over the last minute).',
  );
  for (const [name, s] of stages) {
    const l = { ...p, stage: name };
    stIn.sample(l, s.recordsIn);
    stOut.sample(l, s.recordsOut);
    stErr.sample(l, s.errors);
    stRetries.sample(l, s.retries);
    stSkipped.sample(l, s.skipped);
    stDead.sample(l, s.deadLettered);
    if (s.batches !== undefined) stBatches.sample(l, s.batches);
    if (s.busyMs !== undefined) stBusy.sample(l, sec(s.busyMs));
    stBp.sample(l, sec(s.backpressuredMs));
    if (s.queueFill !== undefined) stQueue.sample(l, s.queueFill);
    stInFlight.sample(l, s.inFlight);
    summary(stLat, l, s.latency);
  }

  // Sinks
  const sinks = Object.entries(stats.sinks);
  const skRecords = family('sluice_sink_records_total', 'counter', 'Records written by the sink.');
  const skBatches = family('sluice_sink_batches_total', 'counter', 'Batches written by the sink.');
  const skErr = family('sluice_sink_errors_total', 'counter', 'Writes of the sink that threw (each attempt).');
  const skBusy = family('sluice_sink_busy_seconds_total', 'counter', "Time spent in the sink's writes, in seconds.");
  const skQueue = family('sluice_sink_queue_fill_ratio', 'gauge', 'Records in the queue in front of the sink over its capacity.');
  const skLat = family(
    'sluice_sink_write_latency_seconds',
    'summary',
    'Write latency per record, in seconds (quantiles over the last minute).',
  );
  const skE2e = family(
    'sluice_sink_end_to_end_latency_seconds',
    'summary',
    'From source read to sink write, in seconds (quantiles over the last minute).',
  );
  const skConn = family(
    'sluice_sink_connector_value',
    'gauge',
    "A figure the sink's connector reports of itself (publishes, duplicates, acks pending, reconnects), by metric name.",
  );
  for (const [name, s] of sinks) {
    const l = { ...p, sink: name };
    for (const [metric, v] of Object.entries(s.connector ?? {})) skConn.sample({ ...l, metric }, v);
    skRecords.sample(l, s.records);
    skBatches.sample(l, s.batches);
    if (s.errors !== undefined) skErr.sample(l, s.errors);
    if (s.busyMs !== undefined) skBusy.sample(l, sec(s.busyMs));
    if (s.queueFill !== undefined) skQueue.sample(l, s.queueFill);
    summary(skLat, l, s.latency);
    summary(skE2e, l, s.endToEnd);
  }

  // Channels
  const chFill = family('sluice_channel_fill_records', 'gauge', 'Records held by the channel now.');
  const chCap = family('sluice_channel_capacity_records', 'gauge', 'Capacity of the channel, in records.');
  const chBlocked = family('sluice_channel_blocked_seconds_total', 'counter', 'Time writers waited for room in the channel, in seconds.');
  for (const [name, c] of Object.entries(stats.channels)) {
    const l = { ...p, channel: name };
    chFill.sample(l, c.fill);
    chCap.sample(l, c.capacity);
    chBlocked.sample(l, sec(c.blockedMs));
  }

  // Checkpoints
  const cpDone = family('sluice_checkpoints_completed_total', 'counter', 'Checkpoints stored in this run.');
  const cpFailed = family('sluice_checkpoints_failed_total', 'counter', 'Checkpoints that could not be stored in this run.');
  const cpLast = family(
    'sluice_checkpoint_last_duration_seconds',
    'gauge',
    'From trigger to stored, of the newest stored checkpoint, in seconds.',
  );
  if (stats.checkpoints !== undefined) {
    cpDone.sample(p, stats.checkpoints.completed);
    cpFailed.sample(p, stats.checkpoints.failed);
    if (stats.checkpoints.lastId !== undefined) cpLast.sample(p, sec(stats.checkpoints.lastDurationMs));
  }

  return families.map((f) => f.toString()).join('');
}

function summary(f: MetricFamily, labels: Labels, latency: LatencyStats | undefined): void {
  if (latency === undefined) return;
  for (const [q, key] of QUANTILES) f.sample({ ...labels, quantile: q }, latency[key] / 1000);
  f.sample(labels, latency.sumMs / 1000, '_sum');
  f.sample(labels, latency.count, '_count');
}
