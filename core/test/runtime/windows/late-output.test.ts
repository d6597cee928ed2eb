import test from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { StageHarness } from '@sluice/core/testing';
import { Stage, type Mapper, type WindowResult } from '@sluice/sdk';
import { idsStage } from './ids-stage.js';
import type { Rec } from './window-oracle.js';

// size 10, watermark = max t; id 3 is late within lateness 5 (update), id 5 beyond it.
const recs: Rec[] = [
  { key: 1, t: 2, id: 1 },
  { key: 1, t: 12, id: 2 }, // wm 12: [0,10) fires {1}
  { key: 1, t: 4, id: 3 }, // 10 + 5 > 12: update {1,3}
  { key: 1, t: 21, id: 4 }, // wm 21: [10,20) fires {2}, [0,10) purged
  { key: 1, t: 7, id: 5 }, // beyond lateness: to the late output
];

test("late output › from: '<stage>:late' receives the records later than the lateness, with their event times", async (t) => {
  @Stage({ name: 'repair', from: 'w:late' })
  class Repair implements Mapper<Rec, string> {
    map(r: Rec) {
      return `late #${r.id} at ${r.t}`;
    }
  }
  const results: WindowResult<number[]>[] = [];
  const late: string[] = [];
  const rawLate: Rec[] = [];
  const p = createPipeline({
    components: [
      fromArray(recs, { name: 'recs', eventTime: (r: Rec) => r.t, watermark: 'monotonous' }),
      idsStage({ tumbling: 10, lateness: 5 }),
      Repair,
      toArray(results, { name: 'out', from: 'w' }),
      toArray(late, { name: 'late', from: 'repair' }),
      toArray(rawLate, { name: 'raw', from: 'w:late' }),
    ],
    batchSize: 1,
  });
  const stats = await p.run();
  t.deepEqual(late, ['late #5 at 7']);
  t.deepEqual(rawLate, [recs[4]]);
  t.deepEqual(
    results.map((r) => `${r.start}:${r.value.join(',')}${r.update ? ' (update)' : ''}`),
    ['0:1', '0:1,3 (update)', '10:2', '20:4'],
  );
  t.is(stats.stages.w!.windows!.lateSideOutput, 1);
  t.is(stats.stages['w:late']!.recordsOut, 1);
  t.is(stats.stages['w:late']!.recordsIn, 1);
  t.is(stats.stages.repair!.recordsIn, 1);
  // Late records: id 3 (12 − 4 = 8 ms behind the watermark) and id 5 (21 − 7 = 14 ms behind).
  t.deepEqual(stats.stages.w!.windows!.lateness, {
    count: 2,
    maxMs: 14,
    buckets: [
      { le: 10, count: 1 },
      { le: 20, count: 1 },
    ],
  });
});

test('late output › reading the late output of a stage without @Window, or with another late policy, is refused by name', (t) => {
  @Stage({ name: 'plain', from: 'recs' })
  class Plain implements Mapper<Rec, Rec> {
    map(r: Rec) {
      return r;
    }
  }
  const e1 = t.throws(() =>
    createPipeline({ components: [fromArray(recs, { name: 'recs' }), Plain, toArray([], { name: 'out', from: 'plain:late' })] }),
  );
  t.is(
    e1.message,
    "Sink 'out' (sink definition 'out') reads from 'plain:late', the late-data output of 'plain', which has no @Window (only window stages have late data)",
  );
  const e2 = t.throws(() =>
    createPipeline({
      components: [
        fromArray(recs, { name: 'recs', eventTime: (r: Rec) => r.t }),
        idsStage({ tumbling: 10, late: 'drop' }),
        toArray([], { name: 'out', from: 'w' }),
        toArray([], { name: 'late', from: 'w:late' }),
      ],
    }),
  );
  t.is(
    e2.message,
    "Sink 'late' (sink definition 'late') reads from 'w:late', the late-data output of 'w', whose late policy is 'drop'; set late: 'side-output' in its @Window to route late records",
  );
});

test('late output › the harness collects late records and updates step by step', (t) => {
  const h = StageHarness.create<Rec, WindowResult<number[]>>(idsStage({ tumbling: 10, lateness: 5 }));
  h.push(recs[0]!, 2).watermark(12);
  t.deepEqual(
    h.take().map((r) => [r.start, r.value, r.update]),
    [[0, [1], false]],
  );
  h.push(recs[2]!, 4);
  t.deepEqual(
    h.records.map((r) => [r.value.value, r.value.update, r.eventTime]),
    [[[1, 3], true, 9]],
  );
  h.take();
  h.watermark(21).push(recs[4]!, 7);
  t.deepEqual(h.late, [recs[4]]);
  t.is(h.stats().windows!.lateSideOutput, 1);
});
