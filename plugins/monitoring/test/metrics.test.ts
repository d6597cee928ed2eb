import { spawnSync } from 'node:child_process';
import test from 'ava';
import { MonitoringServer, formatPrometheus } from '@sluice/monitoring';
import type { PipelineStats } from '@sluice/sdk';
import { get, smallPipeline } from './helpers.js';

/** `name{labels}` -> value, for every sample of an exposition. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

function promtool(text: string): { status: number | null; output: string } {
  const r = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test('/metrics › passes promtool check metrics and equals pipeline.stats() after a bounded run', async (t) => {
  const { pipeline } = smallPipeline([]);
  await pipeline.run();
  const server = new MonitoringServer({ port: 0, log: () => {} });
  await server.attach(pipeline);
  try {
    const res = await get(server.url + 'metrics');
    t.is(res.status, 200);
    const check = promtool(res.body);
    t.is(check.status, 0, check.output);
    t.is(check.output.trim(), '', 'no lint warnings');
    const s = pipeline.stats();
    const m = parse(res.body);
    t.is(m.get('sluice_source_records_total{pipeline="demo",source="numbers"}'), s.sources.numbers!.records);
    t.is(s.sources.numbers!.records, 1000);
    t.is(m.get('sluice_source_batches_total{pipeline="demo",source="numbers"}'), s.sources.numbers!.batches);
    for (const stage of ['positive', 'doubled']) {
      t.is(m.get(`sluice_stage_records_in_total{pipeline="demo",stage="${stage}"}`), s.stages[stage]!.recordsIn, stage);
      t.is(m.get(`sluice_stage_records_out_total{pipeline="demo",stage="${stage}"}`), s.stages[stage]!.recordsOut, stage);
      t.is(m.get(`sluice_stage_errors_total{pipeline="demo",stage="${stage}"}`), 0);
    }
    t.is(m.get('sluice_stage_records_out_total{pipeline="demo",stage="positive"}'), 750);
    t.is(m.get('sluice_sink_records_total{pipeline="demo",sink="out"}'), s.sinks.out!.records);
    t.is(m.get('sluice_pipeline_up{pipeline="demo"}'), 0, 'stopped');
    t.true(res.body.includes('# TYPE sluice_bottleneck gauge'));
    t.true(res.body.includes('# TYPE sluice_stage_processing_latency_seconds summary'));
  } finally {
    await server.detach();
  }
});

const full: PipelineStats = {
  state: 'running',
  uptimeMs: 12_500,
  bottleneck: { node: 'enrich', role: 'stage', busyPercent: 97, evidence: 'queue-full', message: 'bottleneck: enrich, busy 97%' },
  sources: {
    'ticks "a"\\b\n': {
      records: 10,
      batches: 2,
      pausedCount: 1,
      pausedMs: 250,
      backPressuredTimeMsPerSecond: 0,
      deadLettered: 0,
      skipped: 0,
      watermarkLagMs: 1500,
      dropped: { 'drop-oldest': 3, 'drop-newest': 1 },
      connector: { redelivered: 4, pendingAcks: 120 },
    },
  },
  stages: {
    enrich: {
      kind: 'enrich',
      recordsIn: 10,
      recordsOut: 9,
      errors: 1,
      retries: 1,
      skipped: 0,
      deadLettered: 1,
      batches: 2,
      busyMs: 1200,
      backpressuredMs: 30,
      backPressuredTimeMsPerSecond: 0,
      queueFill: 0.5,
      inFlight: 3,
      maxInFlight: 4,
      latency: { count: 9, sumMs: 45, windowCount: 9, windowMs: 60_000, p50: 4, p90: 6, p99: 8, p999: 9, max: 9 },
    },
  },
  sinks: {
    out: {
      records: 9,
      batches: 2,
      errors: 0,
      busyMs: 10,
      latency: { count: 9, sumMs: 9, windowCount: 9, windowMs: 60_000, p50: 1, p90: 1, p99: 1, p999: 1, max: 1 },
      endToEnd: { count: 9, sumMs: 90, windowCount: 9, windowMs: 60_000, p50: 10, p90: 10, p99: 10, p999: 10, max: 10 },
      connector: { duplicates: 2 },
    },
  },
  channels: { enrich: { capacity: 64, fill: 32, maxFill: 64, blockedWrites: 2, blockedMs: 5 } },
  checkpoints: { completed: 3, failed: 1, lastId: 3, lastDurationMs: 42, lastSizeBytes: 100 } as never,
};

test('formatPrometheus › every optional field filled: valid for promtool, seconds, escaped labels, summaries', (t) => {
  const text = formatPrometheus(full, 'p"1');
  const check = promtool(text);
  t.is(check.status, 0, check.output);
  t.is(check.output.trim(), '', 'no lint warnings');
  const m = parse(text);
  const src = 'pipeline="p\\"1",source="ticks \\"a\\"\\\\b\\n"';
  t.is(m.get(`sluice_source_backpressured_seconds_total{${src}}`), 0.25);
  t.is(m.get(`sluice_source_watermark_lag_seconds{${src}}`), 1.5);
  t.is(m.get(`sluice_source_dropped_total{${src},reason="drop-oldest"}`), 3);
  t.is(m.get(`sluice_source_connector_value{${src},metric="redelivered"}`), 4);
  t.is(m.get(`sluice_source_connector_value{${src},metric="pendingAcks"}`), 120);
  t.is(m.get('sluice_sink_connector_value{pipeline="p\\"1",sink="out",metric="duplicates"}'), 2);
  const st = 'pipeline="p\\"1",stage="enrich"';
  t.is(m.get(`sluice_stage_busy_seconds_total{${st}}`), 1.2);
  t.is(m.get(`sluice_stage_queue_fill_ratio{${st}}`), 0.5);
  t.is(m.get(`sluice_stage_in_flight{${st}}`), 3);
  t.is(m.get(`sluice_stage_processing_latency_seconds{${st},quantile="0.99"}`), 0.008);
  t.is(m.get(`sluice_stage_processing_latency_seconds_sum{${st}}`), 0.045);
  t.is(m.get(`sluice_stage_processing_latency_seconds_count{${st}}`), 9);
  t.is(m.get('sluice_sink_end_to_end_latency_seconds{pipeline="p\\"1",sink="out",quantile="0.5"}'), 0.01);
  t.is(m.get('sluice_channel_fill_records{pipeline="p\\"1",channel="enrich"}'), 32);
  t.is(m.get('sluice_channel_capacity_records{pipeline="p\\"1",channel="enrich"}'), 64);
  t.is(m.get('sluice_checkpoints_completed_total{pipeline="p\\"1"}'), 3);
  t.is(m.get('sluice_checkpoint_last_duration_seconds{pipeline="p\\"1"}'), 0.042);
  t.is(m.get('sluice_bottleneck{pipeline="p\\"1",node="enrich"}'), 1);
  t.is(m.get('sluice_pipeline_up{pipeline="p\\"1"}'), 1);
  t.is(m.get('sluice_pipeline_uptime_seconds{pipeline="p\\"1"}'), 12.5);
});

test('formatPrometheus › optional fields absent: the families are there without samples, still valid', (t) => {
  const text = formatPrometheus({ state: 'created', uptimeMs: 0, sources: {}, stages: {}, sinks: {}, channels: {} }, 'empty');
  const check = promtool(text);
  t.is(check.status, 0, check.output);
  t.true(text.includes('# TYPE sluice_sink_write_latency_seconds summary'));
  t.false(/^sluice_bottleneck/m.test(text));
});
