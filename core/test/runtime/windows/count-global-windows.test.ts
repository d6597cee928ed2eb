import test from 'ava';
import fc from 'fast-check';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { StageHarness, VirtualClock } from '@sluice/core/testing';
import { Triggers, type Trigger, type WindowOptions, type WindowResult } from '@sluice/sdk';
import { countOracle, type CountOut } from './kinds-oracle.js';
import { idsStage } from './ids-stage.js';
import type { Rec } from './window-oracle.js';

async function run(records: Rec[], window: WindowOptions, batchSize = 7) {
  const out: WindowResult<number[]>[] = [];
  const stats = await createPipeline({
    components: [
      fromArray(records, { name: 'recs', eventTime: (r: Rec) => r.t }),
      idsStage(window),
      toArray(out, { name: 'out', from: 'w' }),
    ],
    batchSize,
  }).run();
  return { out, windows: stats.stages.w!.windows! };
}

const canonCount = (xs: CountOut[]) => xs.map((x) => `${x.key}|${x.start}|${x.end}|${x.ids.join(',')}`).sort();
const asCount = (xs: WindowResult<number[]>[]): CountOut[] =>
  xs.map((r) => ({ key: r.key as number, ids: r.value, start: r.start, end: r.end }));

test('count windows › by hand: tumbling every 3 records of a key, sliding 4 every 2; the rest fires at end of input', async (t) => {
  const recs: Rec[] = [1, 2, 3, 4, 5, 6, 7].map((id) => ({ key: 0, t: 100 - id * 10, id })); // times go backwards: irrelevant
  const tumbling = await run(recs, { count: { size: 3 } });
  t.deepEqual(
    tumbling.out.map((r) => `${r.value.join(',')} [${r.start},${r.end})`),
    ['1,2,3 [70,91)', '4,5,6 [40,61)', '7 [30,31)'],
  );
  const sliding = await run(recs, { count: { size: 4, slide: 2 } });
  t.deepEqual(
    sliding.out.map((r) => r.value.join(',')),
    ['1,2', '1,2,3,4', '3,4,5,6', '5,6,7'],
  );
  t.is(sliding.windows.openWindows, 0);
});

test('count windows › property: tumbling and sliding match the reference for any keys, sizes and batch sizes', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ key: fc.integer({ min: 0, max: 3 }), t: fc.integer({ min: 0, max: 500 }) }), { maxLength: 120 }),
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 1, max: 10 }),
      fc.integer({ min: 1, max: 30 }),
      async (raw, size, slide, batchSize) => {
        const records: Rec[] = raw.map((r, i) => ({ ...r, id: i }));
        const { out } = await run(records, { count: { size, slide } }, batchSize);
        t.deepEqual(canonCount(asCount(out)), canonCount(countOracle(records, size, slide)), JSON.stringify({ size, slide, batchSize }));
      },
    ),
    { numRuns: 150, seed: 20261128 },
  );
});

test('count windows › options for time windows are refused, naming the option', (t) => {
  const e = t.throws(() =>
    createPipeline({
      components: [
        fromArray([] as Rec[], { name: 'recs' }),
        idsStage({ count: { size: 3 }, lateness: '1s' }),
        toArray([], { name: 'out', from: 'w' }),
      ],
    }),
  );
  t.is(e.message, '@Window on Ids: option "lateness" applies to time windows (tumbling, sliding, session), and this is a count window');
});

const recs = (...ts: [key: number, t: number][]): Rec[] => ts.map(([key, t], id) => ({ key, t, id }));

test('global windows › a count trigger fires every n records; accumulate keeps the accumulator and marks updates, discard starts afresh', async (t) => {
  const input = recs([0, 1], [0, 2], [1, 3], [0, 4], [0, 5], [1, 6]);
  const acc = await run(input, { global: { trigger: Triggers.count(2) } });
  t.deepEqual(
    acc.out.map((r) => `${String(r.key)}:${r.value.join(',')}${r.update ? ' U' : ''}`),
    ['0:0,1', '0:0,1,3,4 U', '1:2,5'],
  );
  const discard = await run(input, { global: { trigger: Triggers.count(2), mode: 'discard' } });
  t.deepEqual(
    discard.out.map((r) => `${String(r.key)}:${r.value.join(',')}${r.update ? ' U' : ''}`),
    ['0:0,1', '0:3,4', '1:2,5'],
  );
  // Key 0's tail after its last firing fires at end of input; nothing is lost.
  const tail = await run(recs([0, 1], [0, 2], [0, 3]), { global: { trigger: Triggers.count(2), mode: 'discard' } });
  t.deepEqual(
    tail.out.map((r) => r.value.join(',')),
    ['0,1', '2'],
  );
});

// The reference for a global window with a count trigger: per key, every n-th record fires the
// pane; accumulate keeps it (later results are updates), discard starts afresh; at end of input
// each pane with records not yet in a result fires once.
function globalCountOracle(records: readonly Rec[], n: number, mode: 'accumulate' | 'discard'): string[] {
  interface P {
    ids: number[];
    first: number;
    last: number;
    fired: boolean;
    count: number;
    dirty: boolean;
  }
  const panes = new Map<number, P>();
  const out: string[] = [];
  const fire = (key: number, p: P) => {
    out.push(`${key}|${p.first}|${p.last + 1}|${[...p.ids].sort((a, b) => a - b).join(',')}|${mode === 'accumulate' && p.fired}`);
    p.fired = true;
    p.dirty = false;
    if (mode === 'discard') panes.delete(key);
  };
  for (const r of records) {
    let p = panes.get(r.key as number);
    if (p === undefined) panes.set(r.key as number, (p = { ids: [], first: r.t, last: r.t, fired: false, count: 0, dirty: false }));
    p.ids.push(r.id);
    p.first = Math.min(p.first, r.t);
    p.last = Math.max(p.last, r.t);
    p.dirty = true;
    if (++p.count === n) {
      p.count = 0;
      fire(r.key as number, p);
    }
  }
  for (const [key, p] of [...panes]) if (p.dirty) fire(key, p);
  return out.sort();
}

test('global windows › property: a count trigger in either mode matches the reference for any keys, n and batch sizes', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ key: fc.integer({ min: 0, max: 3 }), t: fc.integer({ min: 0, max: 500 }) }), { maxLength: 120 }),
      fc.integer({ min: 1, max: 8 }),
      fc.constantFrom('accumulate' as const, 'discard' as const),
      fc.integer({ min: 1, max: 30 }),
      async (raw, n, mode, batchSize) => {
        const records: Rec[] = raw.map((r, i) => ({ ...r, id: i }));
        const { out } = await run(records, { global: { trigger: Triggers.count(n), mode } }, batchSize);
        const got = out
          .map((r) => `${String(r.key)}|${r.start}|${r.end}|${[...r.value].sort((a, b) => a - b).join(',')}|${r.update}`)
          .sort();
        t.deepEqual(got, globalCountOracle(records, n, mode), JSON.stringify({ n, mode, batchSize }));
      },
    ),
    { numRuns: 150, seed: 20261128 },
  );
});

test('global windows › predicate, event-time and any(...) triggers', (t) => {
  const h = StageHarness.create<Rec, WindowResult<number[]>>(
    idsStage({
      global: {
        trigger: Triggers.any(
          Triggers.predicate<Rec>((r) => r.t < 0),
          Triggers.eventTime('100ms'),
        ),
        mode: 'discard',
      },
    }),
  );
  h.push({ key: 1, t: 10, id: 1 }, 10).push({ key: 1, t: 50, id: 2 }, 50);
  h.watermark(99);
  t.deepEqual(h.take(), []);
  h.watermark(100); // the event-time boundary after the key's first record
  t.deepEqual(
    h.take().map((r) => r.value),
    [[1, 2]],
  );
  h.push({ key: 1, t: 150, id: 3 }, 150).push({ key: 1, t: -1, id: 4 }, -1); // the predicate fires at once
  t.deepEqual(
    h.take().map((r) => r.value),
    [[3, 4]],
  );
  h.watermark(500); // a timer for a pane already fired and discarded: nothing to emit
  t.deepEqual(h.take(), []);
});

test('global windows › a processing-time trigger gives early, periodic results on the virtual clock', (t) => {
  const clock = new VirtualClock(0);
  const h = StageHarness.create<Rec, WindowResult<number[]>>(idsStage({ global: { trigger: Triggers.processingTime('1s') } }), { clock });
  h.push({ key: 1, t: 0, id: 1 }).advanceProcessingTime(500).push({ key: 1, t: 0, id: 2 });
  h.advanceProcessingTime(499);
  t.deepEqual(h.take(), []);
  h.advanceProcessingTime(1);
  t.like(h.take(), [{ key: 1, value: [1, 2], update: false }]);
  h.advanceProcessingTime(5_000); // no new record: no timer, no result
  t.deepEqual(h.take(), []);
  h.push({ key: 1, t: 0, id: 3 }).advanceProcessingTime(1_000);
  t.like(h.take(), [{ value: [1, 2, 3], update: true }]);
});

test('global windows › a custom trigger with its own per-key state, and a purge', (t) => {
  // Fires when a key's sum of ids reaches 10, then purges the key.
  const sumTo10: Trigger<Rec> = {
    onRecord(r, _time, ctx) {
      const sum = ctx.state<number>('sum');
      sum.set((sum.get() ?? 0) + r.id);
      if (sum.get()! < 10) return 'continue';
      sum.clear();
      return 'fire-and-purge';
    },
  };
  const h = StageHarness.create<Rec, WindowResult<number[]>>(idsStage({ global: { trigger: sumTo10 } }));
  for (const id of [3, 4, 5, 1, 9, 2]) h.push({ key: id % 2, t: 0, id });
  t.deepEqual(
    h.take().map((r) => `${String(r.key)}:${r.value.join(',')}`),
    ['1:1,3,5,9'],
  );
  h.end();
  t.deepEqual(
    h.take().map((r) => `${String(r.key)}:${r.value.join(',')}`),
    ['0:2,4'],
  );
});

test('global windows › a trigger that is not a Trigger is refused at build time', (t) => {
  const e = t.throws(() =>
    createPipeline({
      components: [
        fromArray([] as Rec[], { name: 'recs' }),
        idsStage({ global: { trigger: { fire: true } as never } }),
        toArray([], { name: 'out', from: 'w' }),
      ],
    }),
  );
  t.is(
    e.message,
    '@Window on Ids: option "global.trigger" must be a Trigger: an object with an onRecord(value, time, ctx) method (see Triggers) (rule: isTrigger)',
  );
});
