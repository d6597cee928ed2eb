import test from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import { Stage, type Enricher, type WindowResult } from '@sluice/sdk';
import { idsStage } from '../runtime/windows/ids-stage.js';
import type { Rec as WinRec } from '../runtime/windows/window-oracle.js';

interface Rec {
  key: string;
  seq: number;
}

// A small seeded generator (mulberry32), so every run sees the same "random" latencies.
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

async function runKeyed(seed: number, keys: number, records: number, concurrency: number) {
  const clock = new VirtualClock(0);
  const random = seeded(seed);
  const input: Rec[] = Array.from({ length: records }, (_, i) => ({ key: `k${Math.floor(random() * keys)}`, seq: i }));
  let running = 0;
  let maxRunning = 0;
  const runningKeys = new Set<string>();
  let sameKeyOverlap = false;
  @Stage({ name: 'called', from: 'records', concurrency, ordered: 'keyed', key: (r: Rec) => r.key })
  class Called implements Enricher<Rec, Rec> {
    async enrich(r: Rec) {
      if (runningKeys.has(r.key)) sameKeyOverlap = true;
      runningKeys.add(r.key);
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((resolve) => clock.schedule(clock.now() + 1 + Math.floor(random() * 50), resolve));
      running--;
      runningKeys.delete(r.key);
      return r;
    }
  }
  const out: Rec[] = [];
  const pipeline = createPipeline({
    components: [fromArray(input, { name: 'records', batchSize: 16 }), Called, toArray(out, { name: 'out', from: 'called' })],
    clock,
  });
  const stats = await clock.run(pipeline.run(), 100_000);
  return { input, out, stats, maxRunning, sameKeyOverlap };
}

test('adaptive › keyed-ordered never reorders a key, overlaps different keys, and holds at most concurrency', async (t) => {
  for (const seed of [1, 2, 3, 42, 1234]) {
    for (const keys of [1, 3, 20]) {
      const { input, out, stats, maxRunning, sameKeyOverlap } = await runKeyed(seed, keys, 300, 8);
      t.is(out.length, input.length, `seed ${seed}, ${keys} keys: records lost or duplicated`);
      t.deepEqual(
        [...out].map((r) => r.seq).sort((a, b) => a - b),
        input.map((r) => r.seq),
      );
      const byKey = new Map<string, number[]>();
      for (const r of out) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.seq]);
      for (const [key, seqs] of byKey)
        t.deepEqual(
          seqs,
          [...seqs].sort((a, b) => a - b),
          `seed ${seed}: key ${key} reordered`,
        );
      t.false(sameKeyOverlap, 'two calls of one key ran at once');
      t.true(maxRunning <= 8, `${maxRunning} calls at once`);
      t.true(stats.stages.called!.maxInFlight <= 8);
      if (keys === 1) t.is(maxRunning, 1);
      else t.true(maxRunning > 1, `seed ${seed}, ${keys} keys: different keys never overlapped`);
      if (keys === 20)
        t.notDeepEqual(
          out.map((r) => r.seq),
          input.map((r) => r.seq),
          'different keys overtook each other',
        );
    }
  }
});

test('adaptive › keyed-ordered takes no more input than concurrency while a hot key is busy (backpressure)', async (t) => {
  const clock = new VirtualClock(0);
  let maxHeld = 0;
  // Every record has the same key: one call at a time, and the stage may hold 4 records.
  @Stage({ name: 'called', from: 'records', concurrency: 4, ordered: 'keyed', key: () => 'hot' })
  class Called implements Enricher<number, number> {
    async enrich(n: number) {
      await new Promise<void>((resolve) => clock.schedule(clock.now() + 10, resolve));
      return n;
    }
  }
  const out: number[] = [];
  const pipeline = createPipeline({
    components: [
      fromArray(
        Array.from({ length: 200 }, (_, i) => i),
        { name: 'records', batchSize: 8 },
      ),
      Called,
      toArray(out, { name: 'out', from: 'called' }),
    ],
    clock,
    channelCapacity: 16,
  });
  clock.schedule(500, () => {
    const s = pipeline.stats();
    // Read by the source, out of the channel, not yet out of the stage.
    maxHeld = s.sources.records!.records - s.channels.called!.fill - s.stages.called!.recordsOut;
  });
  const stats = await clock.run(pipeline.run(), 100_000);
  t.deepEqual(
    out,
    Array.from({ length: 200 }, (_, i) => i),
  );
  t.true(stats.sources.records!.pausedCount > 0, 'the source was paused');
  // 4, plus the records of the batch being taken in (it leaves the channel once all are taken).
  t.true(maxHeld > 0 && maxHeld <= 4 + 8, `the stage held ${maxHeld} records`);
  t.is(clock.now(), 2_000);
});

test('adaptive › keyed-ordered: the watermark never overtakes a record, so an event-time window downstream sees none late', async (t) => {
  const clock = new VirtualClock(0);
  const random = seeded(7);
  // Event time = position; 10 keys; key 0 is slow, so other keys' later records overtake it.
  const raw: WinRec[] = Array.from({ length: 400 }, (_, i) => ({ key: Math.floor(random() * 10), t: i, id: i }));
  @Stage({ name: 'recs', from: 'raw', concurrency: 16, ordered: 'keyed', key: (r: WinRec) => r.key })
  class Called implements Enricher<WinRec, WinRec> {
    async enrich(r: WinRec) {
      const latency = r.key === 0 ? 200 : 1 + Math.floor(random() * 20);
      await new Promise<void>((resolve) => clock.schedule(clock.now() + latency, resolve));
      return r;
    }
  }
  const results: WindowResult<number[]>[] = [];
  const stats = await clock.run(
    createPipeline({
      components: [
        fromArray(raw, { name: 'raw', batchSize: 4, eventTime: (r: WinRec) => r.t, watermark: 'monotonous' }),
        Called,
        idsStage({ tumbling: 10 }),
        toArray(results, { name: 'out', from: 'w' }),
      ],
      clock,
    }).run(),
    100_000,
  );
  const w = stats.stages.w!.windows!;
  t.is(w.lateSideOutput + w.lateUpdates + w.lateDropped, 0, 'a record arrived behind the watermark');
  t.deepEqual(
    results.flatMap((r) => r.value).sort((a, b) => a - b),
    raw.map((r) => r.id),
  );
  t.true(stats.stages.recs!.maxInFlight > 1);
});
