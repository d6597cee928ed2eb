import test from 'ava';
import fc from 'fast-check';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import type { WindowOptions, WindowResult } from '@sluice/sdk';
import { idsStage } from './ids-stage.js';
import { oracle, type Out, type Rec, type Spec } from './window-oracle.js';

async function runEngine(records: Rec[], spec: Spec) {
  const window: WindowOptions =
    spec.size === spec.slide
      ? { tumbling: spec.size, lateness: spec.lateness, late: spec.late }
      : { sliding: { size: spec.size, slide: spec.slide }, lateness: spec.lateness, late: spec.late };
  const out: WindowResult<number[]>[] = [];
  const p = createPipeline({
    components: [
      fromArray(records, { name: 'recs', eventTime: (r: Rec) => r.t, watermark: { maxDelay: spec.delay } }),
      idsStage(window),
      toArray(out, { name: 'out', from: 'w' }),
    ],
    batchSize: spec.batchSize,
  });
  const stats = await p.run();
  const results: Out[] = out.map((r) => ({ key: r.key as number | string, start: r.start, end: r.end, ids: r.value, update: r.update }));
  return { results, windows: stats.stages.w!.windows! };
}

const show = (x: Out) => `${JSON.stringify(x.key)}|${x.start}|${x.end}|${x.update}|${x.ids.join(',')}`;
const canon = (xs: Out[]) => xs.map(show).sort();

test('windows › tumbling, by hand: per-key OHLC-style sums, out of order within the delay, late beyond it', async (t) => {
  // size 10, watermark = max t − 5
  const recs: Rec[] = [
    { key: 1, t: 1, id: 1 },
    { key: 2, t: 3, id: 2 },
    { key: 1, t: 12, id: 3 }, // wm 7
    { key: 1, t: 8, id: 4 }, // out of order, window [0,10) still open
    { key: 2, t: 16, id: 5 }, // wm 11: [0,10) fires: key1 {1,4}, key2 {2}
    { key: 1, t: 9, id: 6 }, // late: [0,10) has fired, no lateness -> too late
    { key: 2, t: 25, id: 7 }, // wm 20: [10,20) fires: key1 {3}, key2 {5}
  ];
  const { results, windows } = await runEngine(recs, { size: 10, slide: 10, delay: 5, lateness: 0, late: 'drop', batchSize: 1 });
  t.deepEqual(
    canon(results),
    canon([
      { key: 1, start: 0, end: 10, ids: [1, 4], update: false },
      { key: 2, start: 0, end: 10, ids: [2], update: false },
      { key: 1, start: 10, end: 20, ids: [3], update: false },
      { key: 2, start: 10, end: 20, ids: [5], update: false },
      { key: 2, start: 20, end: 30, ids: [7], update: false }, // flushed at end of input
    ]),
  );
  t.is(windows.lateDropped, 1);
});

test('windows › sliding, by hand: each record lands in size/slide windows', async (t) => {
  const recs: Rec[] = [
    { key: 0, t: 5, id: 1 },
    { key: 0, t: 12, id: 2 },
    { key: 0, t: 27, id: 3 },
  ];
  const { results } = await runEngine(recs, { size: 20, slide: 10, delay: 0, lateness: 0, late: 'drop', batchSize: 10 });
  t.deepEqual(
    canon(results),
    canon([
      { key: 0, start: -10, end: 10, ids: [1], update: false },
      { key: 0, start: 0, end: 20, ids: [1, 2], update: false },
      { key: 0, start: 10, end: 30, ids: [2, 3], update: false },
      { key: 0, start: 20, end: 40, ids: [3], update: false },
    ]),
  );
});

test('windows › allowed lateness re-fires an updated result; later records follow the late policy', async (t) => {
  const recs: Rec[] = [
    { key: 1, t: 2, id: 1 },
    { key: 1, t: 15, id: 2 }, // wm 15: [0,10) fires {1}
    { key: 1, t: 4, id: 3 }, // late by 11, within lateness 10? end 10 + 10 = 20 > 15: update {1,3}
    { key: 1, t: 31, id: 4 }, // wm 31: [10,20) fires {2}; [0,10) purged (20 <= 31)
    { key: 1, t: 6, id: 5 }, // beyond lateness -> side output (counted: nothing reads it)
  ];
  const { results, windows } = await runEngine(recs, { size: 10, slide: 10, delay: 0, lateness: 10, late: 'side-output', batchSize: 1 });
  t.deepEqual(
    canon(results),
    canon([
      { key: 1, start: 0, end: 10, ids: [1], update: false },
      { key: 1, start: 0, end: 10, ids: [1, 3], update: true },
      { key: 1, start: 10, end: 20, ids: [2], update: false },
      { key: 1, start: 30, end: 40, ids: [4], update: false },
    ]),
  );
  t.is(windows.lateUpdates, 1);
  t.is(windows.lateSideOutput, 1);
});

test('windows › 100k keys each get their own windows; empty windows produce nothing', async (t) => {
  const recs: Rec[] = [];
  for (let k = 0; k < 100_000; k++) recs.push({ key: k, t: k % 1000, id: k });
  for (let k = 0; k < 100_000; k++) recs.push({ key: k, t: 5000 + (k % 1000), id: 100_000 + k });
  const { results, windows } = await runEngine(recs, { size: 1000, slide: 1000, delay: 0, lateness: 0, late: 'drop', batchSize: 1024 });
  t.is(results.length, 200_000);
  t.is(windows.lateDropped, 0);
  t.is(windows.openWindows, 0);
  // [1000, 5000) had no records: no result names those windows.
  t.deepEqual(
    [...new Set(results.map((r) => r.start))].sort((a, b) => a - b),
    [0, 5000],
  );
  const first = results.filter((r) => r.start === 0);
  t.is(first.length, 100_000);
  t.true(first.every((r) => r.ids.length === 1 && r.ids[0] === r.key));
});

test('windows › many string keys: every window groups each key once, before and after windows grow large', async (t) => {
  // Window [0,1000) holds 3,000 keys; [1000,2000) and [2000,3000) follow it (the operator
  // changes how it stores string keys once windows hold many); '1' and 1 stay different keys.
  const recs: Rec[] = [];
  let id = 0;
  for (let w = 0; w < 3; w++) {
    for (let rep = 0; rep < 2; rep++)
      for (let k = 0; k < 3000; k++) recs.push({ key: `k${k}`, t: w * 1000 + ((k + rep) % 1000), id: id++ });
    recs.push({ key: '1', t: w * 1000 + 999, id: id++ }, { key: 1, t: w * 1000 + 999, id: id++ });
  }
  const { results } = await runEngine(recs, { size: 1000, slide: 1000, delay: 0, lateness: 0, late: 'drop', batchSize: 512 });
  const expected = oracle(recs, { size: 1000, slide: 1000, delay: 0, lateness: 0, late: 'drop', batchSize: 512 });
  t.is(results.length, 3 * 3002);
  t.deepEqual(results.map(show), expected.results.map(show));
});

test('windows › property: every window kind and lateness setting matches the reference over random out-of-order streams', async (t) => {
  const seen = { lateUpdates: 0, tooLate: 0, updatesPolicy: 0 };
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ key: fc.integer({ min: 0, max: 3 }), t: fc.integer({ min: 0, max: 400 }) }), { maxLength: 120 }),
      fc.record({
        size: fc.constantFrom(10, 25, 50, 100),
        slideDivisor: fc.constantFrom(1, 1, 2, 5),
        delay: fc.integer({ min: 0, max: 60 }),
        lateness: fc.constantFrom(0, 0, 20, 75),
        late: fc.constantFrom('side-output' as const, 'update' as const, 'drop' as const),
        batchSize: fc.integer({ min: 1, max: 40 }),
      }),
      async (raw, s) => {
        const records: Rec[] = raw.map((r, i) => ({ ...r, id: i }));
        const spec: Spec = {
          size: s.size,
          slide: s.size / s.slideDivisor,
          delay: s.delay,
          lateness: s.lateness,
          late: s.late,
          batchSize: s.batchSize,
        };
        const expected = oracle(records, spec);
        const got = await runEngine(records, spec);
        t.deepEqual(canon(got.results), canon(expected.results), JSON.stringify(spec));
        t.is(got.windows.lateUpdates, expected.lateUpdates);
        t.is(got.windows.lateDropped + got.windows.lateSideOutput, expected.tooLate);
        seen.lateUpdates += expected.lateUpdates;
        seen.tooLate += expected.tooLate;
        if (spec.late === 'update' && expected.lateUpdates > 0) seen.updatesPolicy++;
      },
    ),
    { numRuns: 150, seed: 20261128 },
  );
  // The generated streams really exercise lateness, not only in-order data.
  t.true(seen.lateUpdates > 0 && seen.tooLate > 0 && seen.updatesPolicy > 0, JSON.stringify(seen));
});

test('windows › property: string and number keys, and slides that do not divide the size or leave gaps, match the reference in emission order', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({
          // 1 and '1' are different keys; '__proto__' and '0' are ordinary ones.
          key: fc.constantFrom<number | string>(0, 1, '1', 'a', 'b', '__proto__', '0'),
          t: fc.integer({ min: -30, max: 300 }),
        }),
        { maxLength: 120 },
      ),
      fc.record({
        size: fc.constantFrom(10, 25, 40),
        slide: fc.constantFrom(4, 10, 15, 25, 60),
        delay: fc.integer({ min: 0, max: 60 }),
        lateness: fc.constantFrom(0, 0, 20),
        late: fc.constantFrom('side-output' as const, 'update' as const, 'drop' as const),
        batchSize: fc.integer({ min: 1, max: 40 }),
      }),
      async (raw, s) => {
        const records: Rec[] = raw.map((r, i) => ({ ...r, id: i }));
        const spec: Spec = { ...s };
        const expected = oracle(records, spec);
        const got = await runEngine(records, spec);
        // Results come in the reference's order: windows by start, keys in first-arrival order.
        t.deepEqual(got.results.map(show), expected.results.map(show), JSON.stringify(spec));
        t.is(got.windows.lateUpdates, expected.lateUpdates);
        t.is(got.windows.lateDropped + got.windows.lateSideOutput, expected.tooLate);
      },
    ),
    { numRuns: 150, seed: 20261129 },
  );
});
