import test from 'ava';
import type { PipelineGraph, PipelineStats, SinkStats, SourceStats, StageStats } from '@sluice/sdk';
import { findBottleneck } from '../../dist/monitoring/bottleneck.js';

// source -> parse (fused into the source loop) -> enrich (own segment, queue in front) -> sink
const graph: PipelineGraph = {
  nodes: [
    { name: 'ticks', role: 'source', kind: 'source', label: 'Ticks', segment: 'ticks' },
    { name: 'parse', role: 'stage', kind: 'map', label: 'Parse', segment: 'ticks' },
    { name: 'enrich', role: 'stage', kind: 'enrich', label: 'Enrich', segment: 'enrich' },
    { name: 'tag', role: 'stage', kind: 'map', label: 'Tag', segment: 'enrich' },
    { name: 'out', role: 'sink', kind: 'sink', label: 'Out', segment: 'out' },
  ],
  edges: [
    { from: 'ticks', to: 'parse' },
    { from: 'parse', to: 'enrich' },
    { from: 'enrich', to: 'tag' },
    { from: 'tag', to: 'out' },
  ],
};

const source = (bp: number): SourceStats =>
  ({ records: 0, batches: 0, pausedCount: 0, pausedMs: 0, backPressuredTimeMsPerSecond: bp, deadLettered: 0, skipped: 0 }) as SourceStats;
const stage = (f: Partial<StageStats>): StageStats =>
  ({
    kind: 'map',
    recordsIn: 0,
    recordsOut: 0,
    errors: 0,
    retries: 0,
    skipped: 0,
    deadLettered: 0,
    backpressuredMs: 0,
    backPressuredTimeMsPerSecond: 0,
    inFlight: 0,
    maxInFlight: 0,
    ...f,
  }) as StageStats;
const sink = (f: Partial<SinkStats>): SinkStats => ({ records: 0, batches: 0, ...f }) as SinkStats;

function snapshot(parts: {
  ticks: number;
  parse?: Partial<StageStats>;
  enrich: Partial<StageStats>;
  out: Partial<SinkStats>;
}): PipelineStats {
  return {
    state: 'running',
    uptimeMs: 1,
    sources: { ticks: source(parts.ticks) },
    stages: {
      parse: stage({ backPressuredTimeMsPerSecond: parts.ticks, ...parts.parse }),
      enrich: stage(parts.enrich),
      tag: stage(parts.enrich),
    },
    sinks: { out: sink(parts.out) },
    channels: {},
  };
}

test('bottleneck › a busy stage whose feeder waits for room and whose output flows is named, with its fused stages', (t) => {
  const b = findBottleneck(
    snapshot({
      ticks: 900,
      enrich: { busyTimeMsPerSecond: 970, queueFill: 1, backPressuredTimeMsPerSecond: 0 },
      out: { busyTimeMsPerSecond: 100, queueFill: 0 },
    }),
    graph,
  );
  t.deepEqual(b, {
    node: 'enrich',
    role: 'stage',
    busyPercent: 97,
    evidence: 'upstream-backpressured',
    message: 'bottleneck: enrich (with tag fused), busy 97%',
  });
});

test('bottleneck › a stage that itself waits for room is not the bottleneck: the slow sink behind it is', (t) => {
  const b = findBottleneck(
    snapshot({
      ticks: 900,
      enrich: { busyTimeMsPerSecond: 600, queueFill: 1, backPressuredTimeMsPerSecond: 800 },
      out: { busyTimeMsPerSecond: 990, queueFill: 1 },
    }),
    graph,
  );
  t.is(b?.node, 'out');
  t.is(b?.role, 'sink');
  t.is(b?.message, 'bottleneck: out, busy 99%');
});

test('bottleneck › none when nothing waits for room and no queue fills, however busy', (t) => {
  t.is(
    findBottleneck(
      snapshot({ ticks: 0, enrich: { busyTimeMsPerSecond: 990, queueFill: 0.1 }, out: { busyTimeMsPerSecond: 990, queueFill: 0 } }),
      graph,
    ),
    undefined,
  );
});

test('bottleneck › a filling queue is evidence enough; an idle node is never named', (t) => {
  const b = findBottleneck(
    snapshot({ ticks: 0, enrich: { busyTimeMsPerSecond: 800, queueFill: 0.9 }, out: { busyTimeMsPerSecond: 10, queueFill: 0 } }),
    graph,
  );
  t.is(b?.evidence, 'queue-full');
  t.is(
    findBottleneck(
      snapshot({ ticks: 900, enrich: { busyTimeMsPerSecond: 100, queueFill: 1 }, out: { busyTimeMsPerSecond: 10, queueFill: 0 } }),
      graph,
    ),
    undefined,
  );
});

test('bottleneck › without busy figures (metrics off) there is no verdict', (t) => {
  t.is(findBottleneck(snapshot({ ticks: 900, enrich: { queueFill: 1 }, out: { queueFill: 1 } }), graph), undefined);
});
