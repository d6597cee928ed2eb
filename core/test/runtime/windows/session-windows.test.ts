import test from 'ava';
import fc from 'fast-check';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { StageHarness, VirtualClock } from '@sluice/core/testing';
import { Stage, Window, type WindowResult } from '@sluice/sdk';
import { sessionOracle, type SessionSpec } from './kinds-oracle.js';
import type { Out, Rec } from './window-oracle.js';
import { idsStage } from './ids-stage.js';

async function runSessions(records: Rec[], spec: SessionSpec) {
  const out: WindowResult<number[]>[] = [];
  const p = createPipeline({
    components: [
      fromArray(records, { name: 'recs', eventTime: (r: Rec) => r.t, watermark: { maxDelay: spec.delay } }),
      idsStage({ session: { gap: spec.gap }, lateness: spec.lateness, late: spec.late }),
      toArray(out, { name: 'out', from: 'w' }),
    ],
    batchSize: spec.batchSize,
  });
  const stats = await p.run();
  const results: Out[] = out.map((r) => ({ key: r.key as number, start: r.start, end: r.end, ids: r.value, update: r.update }));
  return { results, windows: stats.stages.w!.windows! };
}

const canon = (xs: Out[]) => xs.map((x) => `${x.key}|${x.start}|${x.end}|${x.update}|${x.ids.join(',')}`).sort();

test('session windows › by hand: a gap closes a session, a bridging record merges two, keys are separate', async (t) => {
  // gap 10, watermark = max t (delay 0), one record per batch
  const recs: Rec[] = [
    { key: 1, t: 0, id: 1 }, // [0,10)
    { key: 1, t: 5, id: 2 }, // [0,15)
    { key: 2, t: 6, id: 3 }, // key 2: [6,16)
    { key: 1, t: 30, id: 4 }, // wm 30: key 1 [0,15) and key 2 [6,16) fire; key 1 [30,40)
    { key: 1, t: 52, id: 5 }, // wm 52: [30,40) fires; [52,62)
    { key: 1, t: 55, id: 6 }, // [52,65)
  ];
  const { results } = await runSessions(recs, { gap: 10, delay: 0, lateness: 0, late: 'drop', batchSize: 1 });
  t.deepEqual(
    results.map((r) => `${r.key} [${r.start},${r.end}) ${r.ids.join(',')}`),
    ['1 [0,15) 1,2', '2 [6,16) 3', '1 [30,40) 4', '1 [52,65) 5,6'],
  );

  // Out of order within the delay: a record between two sessions bridges them into one.
  const bridge: Rec[] = [
    { key: 1, t: 100, id: 1 }, // [100,110)
    { key: 1, t: 125, id: 2 }, // [125,135); wm 105 (delay 20)
    { key: 1, t: 112, id: 3 }, // [112,122) touches neither... 112 > 110, 122 < 125: a third session
    { key: 1, t: 118, id: 4 }, // [118,128): overlaps [112,122) and [125,135): merged [112,135)
    { key: 1, t: 109, id: 5 }, // [109,119): overlaps [100,110) and [112,135): all one session [100,135)
    { key: 1, t: 200, id: 6 },
  ];
  const merged = await runSessions(bridge, { gap: 10, delay: 20, lateness: 0, late: 'drop', batchSize: 1 });
  t.deepEqual(
    merged.results.map((r) => `[${r.start},${r.end}) ${r.ids.join(',')}`),
    ['[100,135) 1,2,3,4,5', '[200,210) 6'],
  );
});

test('session windows › lateness: a late record re-fires its session as an update, or extends it; later ones follow the policy', async (t) => {
  const recs: Rec[] = [
    { key: 1, t: 0, id: 1 }, // [0,10)
    { key: 1, t: 20, id: 2 }, // wm 20: [0,10) fires
    { key: 1, t: 3, id: 3 }, // late: merges with fired [0,10) (kept while 10 + 20 > wm) -> [0,13), complete: update now
    { key: 1, t: 8, id: 4 }, // late, merged [0,18): update now
    { key: 1, t: 45, id: 5 }, // wm 45: [20,30) fires; [0,18) purged (18 + 20 <= 45)
    { key: 1, t: 2, id: 6 }, // [2,12) with 12 + 20 <= 45: too late, to the side output
    { key: 1, t: 28, id: 7 }, // late: merges with [20,30) (fired, 30 + 20 > 45) -> [20,38): update
  ];
  const { results, windows } = await runSessions(recs, { gap: 10, delay: 0, lateness: 20, late: 'side-output', batchSize: 1 });
  t.deepEqual(
    results.map((r) => `[${r.start},${r.end}) ${r.ids.join(',')}${r.update ? ' U' : ''}`),
    ['[0,10) 1', '[0,13) 1,3 U', '[0,18) 1,3,4 U', '[20,30) 2', '[20,38) 2,7 U', '[45,55) 5'],
  );
  t.like(windows, { lateUpdates: 3, lateSideOutput: 1, lateDropped: 0, openWindows: 0 });
});

test('session windows › a whole-window function sees every record of the merged session', (t) => {
  @Stage({ name: 'spans', from: 'x', key: (r: Rec) => r.key })
  @Window({ session: { gap: 10 } })
  class Span {
    apply(recs: readonly Rec[], w: { key: unknown; start: number; end: number }) {
      return `${String(w.key)}:${w.start}-${w.end}:${recs.map((r) => r.id).join(',')}`;
    }
  }
  const h = StageHarness.create<Rec, WindowResult<string>>(Span);
  h.pushAll(
    [
      { key: 1, t: 0, id: 1 },
      { key: 1, t: 30, id: 2 },
      { key: 1, t: 15, id: 3 }, // [15,25): touches neither [0,10) nor [30,40)
      { key: 1, t: 8, id: 4 }, // [8,18) bridges [0,10) and [15,25)
    ],
    (r) => r.t,
  );
  h.end();
  t.deepEqual(h.output.map((r) => r.value).sort(), ['1:0-25:1,3,4', '1:30-40:2']);
});

test('session windows › processing time: a session closes when the virtual clock passes its end', (t) => {
  const clock = new VirtualClock(1_000);
  const h = StageHarness.create<Rec, WindowResult<number[]>>(idsStage({ session: { gap: '100ms' }, time: 'processing' }), { clock });
  h.push({ key: 1, t: 0, id: 1 });
  h.advanceProcessingTime(60).push({ key: 1, t: 0, id: 2 }); // session [1000, 1160)
  h.advanceProcessingTime(99);
  t.deepEqual(h.take(), []);
  h.advanceProcessingTime(1);
  t.like(h.take(), [{ key: 1, start: 1_000, end: 1_160, value: [1, 2], update: false }]);
});

test('session windows › property: matches the reference over random out-of-order streams, lateness and policies', async (t) => {
  const seen = { lateUpdates: 0, tooLate: 0, merges: 0 };
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ key: fc.integer({ min: 0, max: 2 }), t: fc.integer({ min: 0, max: 300 }) }), { maxLength: 100 }),
      fc.record({
        gap: fc.constantFrom(1, 5, 10, 30),
        delay: fc.integer({ min: 0, max: 50 }),
        lateness: fc.constantFrom(0, 0, 15, 60),
        late: fc.constantFrom('side-output' as const, 'update' as const, 'drop' as const),
        batchSize: fc.integer({ min: 1, max: 30 }),
      }),
      async (raw, spec) => {
        const records: Rec[] = raw.map((r, i) => ({ ...r, id: i }));
        const expected = sessionOracle(records, spec);
        const got = await runSessions(records, spec);
        t.deepEqual(canon(got.results), canon(expected.results), JSON.stringify(spec));
        t.is(got.windows.lateUpdates, expected.lateUpdates);
        t.is(got.windows.lateDropped + got.windows.lateSideOutput, expected.tooLate);
        seen.lateUpdates += expected.lateUpdates;
        seen.tooLate += expected.tooLate;
        seen.merges += expected.results.filter((r) => r.ids.length > 1).length;
      },
    ),
    { numRuns: 150, seed: 20261128 },
  );
  t.true(seen.lateUpdates > 0 && seen.tooLate > 0 && seen.merges > 0, JSON.stringify(seen));
});

test('session windows › many keys: 100k keys each get their own session', async (t) => {
  const recs: Rec[] = [];
  for (let k = 0; k < 100_000; k++) recs.push({ key: k, t: k % 100, id: k }, { key: k, t: (k % 100) + 5, id: 100_000 + k });
  // Times go round 0..99 per key: a delay of 200 keeps every record on time.
  const { results, windows } = await runSessions(recs, { gap: 10, delay: 200, lateness: 0, late: 'drop', batchSize: 1024 });
  t.is(results.length, 100_000);
  t.true(results.every((r) => r.ids.length === 2 && r.ids[0] === r.key && r.end === (r.key % 100) + 15));
  t.is(windows.openWindows, 0);
});
