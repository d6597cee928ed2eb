import test from 'ava';
import fc from 'fast-check';
import { createPipeline, fromArray, fromIterable, MemoryCheckpointStore, toArray } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import {
  ErrorCodes,
  SluiceError,
  Stage,
  Window,
  type Aggregator,
  type CheckpointStore,
  type Enricher,
  type Mapper,
  type Processor,
  type StageContext,
  type WindowResult,
} from '@sluice/sdk';
import { asyncArraySource, Disk, txnSink, upsertSink } from './memory-txn-sink.js';

interface Rec {
  key: number;
  t: number;
  v: number;
  id: number;
}

const SINKS = ['wins', 'totals', 'procs', 'slows', 'lates'] as const;
type Outputs = Record<(typeof SINKS)[number], unknown[]>;

interface RunPlan {
  /** Checkpoint every this many records (the test's clock moves one interval then). */
  every?: number;
  /** Kill the run (cancel it) at this record of the run. */
  crashAt?: number;
}

/**
 * A pipeline with every kind of state: event-time windows with lateness and a late output, a
 * running aggregate, a keyed process stage with value state and event-time timers, and an async
 * enrich stage. Records flow in batches of 7 so checkpoints fall between many batches.
 */
function pipeline(recs: readonly Rec[], plan: RunPlan, sinks: (name: string, from: string) => unknown, store?: CheckpointStore) {
  const clock = new VirtualClock();
  const abort = new AbortController();
  let seen = 0;
  @Stage({ name: 'tick', from: 'recs' })
  class Tick implements Mapper<Rec, Rec> {
    map(r: Rec) {
      seen++;
      if (plan.every !== undefined && seen % plan.every === 0) clock.advance(1000);
      if (seen === plan.crashAt) abort.abort();
      return r;
    }
  }
  @Stage({ name: 'win', from: 'tick', key: (r: Rec) => r.key })
  @Window({ tumbling: 100, lateness: 30 })
  class Win implements Aggregator<Rec, { n: number; sum: number; ids: number[] }, string> {
    create() {
      return { n: 0, sum: 0, ids: [] };
    }
    add(a: { n: number; sum: number; ids: number[] }, r: Rec) {
      a.n++;
      a.sum += r.v;
      a.ids.push(r.id);
      return a;
    }
    result(a: { n: number; sum: number; ids: number[] }) {
      return `${a.n}:${a.sum}:${a.ids.join(',')}`;
    }
  }
  @Stage({ name: 'total', from: 'tick', key: (r: Rec) => r.key })
  class Total implements Aggregator<Rec, number, string> {
    create() {
      return 0;
    }
    add(a: number, r: Rec) {
      return a + r.v;
    }
    result(a: number, key: number) {
      return `${key}=${a}`;
    }
  }
  @Stage({ name: 'proc', from: 'tick', key: (r: Rec) => r.key })
  class Proc implements Processor<Rec, string> {
    process(r: Rec, ctx: StageContext<string>) {
      const n = ctx.state.value<number>('n');
      n.set((n.get() ?? 0) + 1);
      ctx.timers.registerEventTime(r.t + 50);
    }
    onTimer(time: number, ctx: StageContext<string>) {
      ctx.emit(`${String(ctx.key)}@${time}:${ctx.state.value<number>('n').get()}`);
    }
  }
  @Stage({ name: 'slow', from: 'tick', concurrency: 4 })
  class Slow implements Enricher<Rec, number> {
    async enrich(r: Rec) {
      await Promise.resolve();
      return r.id * 2;
    }
  }
  return createPipeline({
    components: [
      asyncArraySource(recs, { name: 'recs', eventTime: (r: Rec) => r.t, watermark: { maxDelay: 20 } }),
      Tick,
      Win,
      Total,
      Proc,
      Slow,
      sinks('wins', 'win') as never,
      sinks('totals', 'total') as never,
      sinks('procs', 'proc') as never,
      sinks('slows', 'slow') as never,
      sinks('lates', 'win:late') as never,
    ],
    batchSize: 7,
    clock,
    signal: abort.signal,
    ...(store === undefined ? {} : { checkpoints: { store, interval: 1000, retain: 2, log: () => undefined } }),
  });
}

async function uninterrupted(recs: readonly Rec[]): Promise<Outputs> {
  const out = Object.fromEntries(SINKS.map((s) => [s, [] as unknown[]])) as Outputs;
  await pipeline(recs, {}, (name, from) => toArray(out[name as keyof Outputs], { name, from })).run();
  return out;
}

/** Runs with checkpoints, crashing at each of `crashes` (records into that run), then to the end. */
async function withCrashes(recs: readonly Rec[], every: number, crashes: readonly number[]) {
  const store = new MemoryCheckpointStore();
  const disks = Object.fromEntries(SINKS.map((s) => [s, new Disk<unknown>()])) as Record<keyof Outputs, Disk<unknown>>;
  const sinks = (name: string, from: string) => txnSink(name, from, disks[name as keyof Outputs]);
  const restoredFrom: (number | undefined)[] = [];
  for (const crashAt of crashes) {
    const p = pipeline(recs, { every, crashAt }, sinks, store);
    const err = await p.run().then(
      () => undefined,
      (e: unknown) => e,
    );
    // A crash point past the end of this run's input: the run completed.
    if (err !== undefined && !SluiceError.is(err, ErrorCodes.ABORTED)) throw err;
    restoredFrom.push(p.stats().checkpoints!.restoredFrom);
  }
  const last = pipeline(recs, { every }, sinks, store);
  const stats = await last.run();
  const out = Object.fromEntries(SINKS.map((s) => [s, disks[s].committed])) as Outputs;
  return { out, stats, restoredFrom, store };
}

// Kill points as fractions of the input, so that kills land inside the stream whatever its length.
const crashesArb = fc.array(
  fc.integer({ min: 0, max: 1000 }).map((m) => m / 1000),
  { minLength: 1, maxLength: 4 },
);
const crashPoints = (fractions: readonly number[], n: number) => fractions.map((f) => 1 + Math.floor(f * (n - 1)));

const recsArb = fc
  .array(fc.record({ key: fc.integer({ min: 0, max: 4 }), jitter: fc.integer({ min: 0, max: 60 }), v: fc.integer({ min: 1, max: 9 }) }), {
    minLength: 100,
    maxLength: 400,
  })
  .map((xs) => xs.map((x, i) => ({ key: x.key, t: Math.max(0, i * 3 - x.jitter), v: x.v, id: i })));

test('exactly-once › a run with checkpoints and no crash commits exactly what a run without them emits', async (t) => {
  const recs: Rec[] = Array.from({ length: 300 }, (_, i) => ({ key: i % 4, t: Math.max(0, i * 3 - ((i * 37) % 50)), v: i % 7, id: i }));
  const expected = await uninterrupted(recs);
  const { out, stats } = await withCrashes(recs, 20, []);
  t.deepEqual(out, expected);
  const cp = stats.checkpoints!;
  t.true(cp.completed >= 2, JSON.stringify(cp)); // periodic ones, then the final one
  t.is(cp.restoredFrom, undefined);
  t.true(cp.lastSizeBytes > 0);
  t.true(cp.maxSizeBytes >= cp.lastSizeBytes && cp.maxDurationMs >= cp.lastDurationMs);
});

test('exactly-once › property: killed at random records, restarted each time, every output equals the uninterrupted run', async (t) => {
  let resumed = 0;
  await fc.assert(
    fc.asyncProperty(recsArb, fc.integer({ min: 3, max: 25 }), crashesArb, async (recs, every, fractions) => {
      const crashes = crashPoints(fractions, recs.length);
      const expected = await uninterrupted(recs);
      const { out, stats } = await withCrashes(recs, every, crashes);
      t.deepEqual(out, expected, JSON.stringify({ every, crashes, n: recs.length }));
      if (stats.checkpoints!.restoredFrom !== undefined && stats.sources.recs!.records < recs.length) resumed++;
    }),
    { numRuns: 60, seed: 20261128 },
  );
  // The property means something only if the last runs really went on mid-stream from a checkpoint.
  t.true(resumed > 20, `${resumed} of 60 cases resumed mid-stream from a checkpoint`);
});

test('exactly-once › a restart resumes from the newest checkpoint and reads only what follows it', async (t) => {
  const recs: Rec[] = Array.from({ length: 200 }, (_, i) => ({ key: i % 3, t: i * 10, v: 1, id: i }));
  const { out, restoredFrom, stats } = await withCrashes(recs, 50, [120]);
  t.deepEqual(out, await uninterrupted(recs));
  // Checkpoints came at records 50 and 100 of the first run: it restarts from the second.
  t.deepEqual(restoredFrom, [undefined]);
  t.is(stats.checkpoints!.restoredFrom, 2);
  // Its barrier left the source after the batch holding record 100 (batches of 7: at 105), so
  // the restart read only the 95 records after that.
  t.is(stats.sources.recs!.records, 95);
});

test('exactly-once › a source that cannot rewind is refused at build time, naming it', (t) => {
  const err = t.throws(() =>
    createPipeline({
      components: [fromIterable([1, 2, 3], { name: 'numbers' }), toArray([], { name: 'out', from: 'numbers' })],
      checkpoints: { store: new MemoryCheckpointStore() },
    }),
  );
  t.true(SluiceError.is(err, ErrorCodes.INVALID_OPTION));
  t.regex(err.message, /source 'numbers' .* cannot: it has no position\(\) and seek\(\)/);
});

test('exactly-once › at-least-once accepts a source that cannot rewind', async (t) => {
  const out: number[] = [];
  await createPipeline({
    components: [fromIterable([1, 2, 3], { name: 'numbers' }), toArray(out, { name: 'out', from: 'numbers' })],
    checkpoints: { store: new MemoryCheckpointStore(), mode: 'at-least-once' },
  }).run();
  t.deepEqual(out, [1, 2, 3]);
});

test('exactly-once › bad checkpoint options are refused, naming the option and the rule', (t) => {
  const make = (checkpoints: object) => () =>
    createPipeline({
      components: [fromArray([1], { name: 'n' }), toArray([], { name: 'out', from: 'n' })],
      checkpoints: checkpoints as never,
    });
  t.is(
    t.throws(make({ store: {} })).message,
    'createPipeline: option "checkpoints.store" must be a CheckpointStore (with write, read, list and remove); it has no write(), got Object',
  );
  t.is(
    t.throws(make({ store: new MemoryCheckpointStore(), retain: 0 })).message,
    'createPipeline: option "checkpoints.retain" must be an integer of at least 1, got 0',
  );
  t.is(
    t.throws(make({ store: new MemoryCheckpointStore(), restore: 'newest' })).message,
    `createPipeline: option "checkpoints.restore" must be 'latest', 'none' or a checkpoint id (a positive integer), got 'newest'`,
  );
});

export type { WindowResult };

test("exactly-once › property: an idempotent sink (upsert by the engine's record ids) ends with exactly the uninterrupted output after random kills", async (t) => {
  let resumed = 0;
  await fc.assert(
    fc.asyncProperty(recsArb, fc.integer({ min: 3, max: 25 }), crashesArb, async (recs, every, fractions) => {
      const crashes = crashPoints(fractions, recs.length);
      const expected = await uninterrupted(recs);
      const store = new MemoryCheckpointStore();
      const tables = Object.fromEntries(SINKS.map((s) => [s, new Map<number, unknown>()])) as Record<keyof Outputs, Map<number, unknown>>;
      const sinks = (name: string, from: string) => upsertSink(name, from, tables[name as keyof Outputs]);
      for (const crashAt of crashes)
        await pipeline(recs, { every, crashAt }, sinks, store)
          .run()
          .catch(() => undefined);
      const last = await pipeline(recs, { every }, sinks, store).run();
      if (last.checkpoints!.restoredFrom !== undefined && last.sources.recs!.records < recs.length) resumed++;
      const out = Object.fromEntries(SINKS.map((s) => [s, [...tables[s]].sort((a, b) => a[0] - b[0]).map(([, v]) => v)])) as Outputs;
      t.deepEqual(out, expected, JSON.stringify({ every, crashes, n: recs.length }));
    }),
    { numRuns: 40, seed: 20261128 },
  );
  t.true(resumed > 12, `${resumed} of 40 cases resumed mid-stream from a checkpoint`);
});
