import test from 'ava';
import { createPipeline, fromArray, toArray, toCallback } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import { BackoffError, ErrorCodes, SluiceError, Stage, Window, type Aggregator, type Enricher, type Mapper } from '@sluice/sdk';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin: the stage is working, not waiting
  }
}

test('metrics › a slow stage after a union is busy for at least the time it spins, and its latency per record shows it', async (t) => {
  @Stage({ name: 'slow', from: ['a', 'b'] })
  class Slow implements Mapper<number, number> {
    map(n: number) {
      busyWait(1);
      return n;
    }
  }
  const out: number[] = [];
  const p = createPipeline({
    components: [
      fromArray(range(60), { name: 'a', batchSize: 10 }),
      fromArray(range(60), { name: 'b', batchSize: 10 }),
      Slow,
      toArray(out, { name: 'out', from: 'slow' }),
    ],
  });
  const started = performance.now();
  const stats = await p.run();
  const elapsed = performance.now() - started;
  const slow = stats.stages.slow!;
  t.is(out.length, 120);
  // 120 records of at least 1 ms of work each: at least 120 ms busy, and never more than the run took.
  t.true(slow.busyMs! >= 120 && slow.busyMs! <= elapsed, `busy ${slow.busyMs} ms of ${elapsed} ms`);
  t.true(slow.busyTimeMsPerSecond! >= 0 && slow.busyTimeMsPerSecond! <= 1000);
  t.true(slow.batches! >= 12, `${slow.batches} batches`);
  t.true(slow.maxBatchSize! >= 10);
  t.is(slow.latency!.count, 120);
  t.true(slow.latency!.p50 >= 0.99, `p50 ${slow.latency!.p50} ms`);
  t.true(slow.latency!.sumMs >= 119 && slow.latency!.sumMs <= slow.busyMs! + 1);
  // The sink: every record's end-to-end latency, at least the time its batch spent in the slow stage.
  const sink = stats.sinks.out!;
  t.is(sink.endToEnd!.count, 120);
  t.true(sink.endToEnd!.max >= 9.9, `end-to-end max ${sink.endToEnd!.max} ms`);
  t.is(sink.latency!.count, 120);
  t.true(sink.busyMs! >= 0);
  t.is(sink.errors, 0);
  t.is(sink.queueFill, 0);
});

test('metrics › on a virtual clock, a stage that takes 20 ms per batch of 10 has 2 ms per record, busy 20 ms per batch', async (t) => {
  const clock = new VirtualClock(0);
  @Stage({ name: 'timed', from: 'numbers' })
  class Timed implements Mapper<number, number> {
    map(n: number) {
      if (n % 10 === 0) clock.advance(20);
      return n;
    }
  }
  @Stage({ name: 'after', from: 'timed' })
  class After implements Mapper<number, number> {
    map(n: number) {
      return n;
    }
  }
  const out: number[] = [];
  const p = createPipeline({
    components: [fromArray(range(100), { name: 'numbers', batchSize: 10 }), Timed, After, toArray(out, { name: 'out', from: 'after' })],
    clock,
  });
  const stats = await clock.run(p.run());
  for (const name of ['timed', 'after']) {
    // Fused in the source's loop: both stages report the loop's figures.
    const s = stats.stages[name]!;
    t.is(s.busyMs, 200, name);
    t.is(s.batches, 10, name);
    t.is(s.maxBatchSize, 10, name);
    t.like(s.latency, { count: 100, windowCount: 100, windowMs: 60_000, p50: 2, p99: 2, max: 2 }, name);
    t.is(s.latency!.sumMs, 200);
  }
  const e2e = stats.sinks.out!.endToEnd!;
  t.is(e2e.count, 100);
  // Each batch reached the sink at least the 20 ms of its own pass through the loop after it was read.
  t.true(e2e.p50 >= 20 && e2e.max <= 200, `p50 ${e2e.p50}, max ${e2e.max}`);
  t.is(stats.sinks.out!.latency!.max, 0);
});

test('metrics › an enrich stage reports each call as its latency, and is busy while every call slot is taken', async (t) => {
  const clock = new VirtualClock(0);
  @Stage({ name: 'looked', from: 'numbers', concurrency: 2 })
  class Lookup implements Enricher<number, number> {
    enrich(n: number) {
      return new Promise<number>((resolve) => clock.schedule(clock.now() + 10, () => resolve(n)));
    }
  }
  const out: number[] = [];
  const p = createPipeline({
    components: [fromArray(range(10), { name: 'numbers' }), Lookup, toArray(out, { name: 'out', from: 'looked' })],
    clock,
  });
  const stats = await clock.run(p.run());
  t.is(out.length, 10);
  const s = stats.stages.looked!;
  // Within HdrHistogram's precision (3 significant digits).
  t.like(s.latency, { count: 10, max: 10 });
  t.true(Math.abs(s.latency!.p50 - 10) <= 0.01, `p50 ${s.latency!.p50}`);
  // Ten calls of 10 ms, two at a time: both slots are taken for 50 ms.
  t.is(s.busyMs, 50);
  t.is(s.batches, 1);
  t.is(stats.sinks.out!.endToEnd!.count, 10);
  t.true(stats.sinks.out!.endToEnd!.max >= 10);
});

interface Reading {
  readonly t: number;
}

@Stage({ name: 'counts', from: 'readings', key: () => 'all' })
@Window({ tumbling: 100 })
class Counts implements Aggregator<Reading, { n: number }, number> {
  create() {
    return { n: 0 };
  }
  add(acc: { n: number }) {
    acc.n++;
    return acc;
  }
  result(acc: { n: number }) {
    return acc.n;
  }
}

test('metrics › a source with eventTime reports its watermark and how far it is behind the pipeline clock; a window stage its watermark', async (t) => {
  const clock = new VirtualClock(10_000);
  const out: number[] = [];
  const p = createPipeline({
    components: [
      fromArray<Reading>(
        range(50).map((i) => ({ t: i * 10 })),
        { name: 'readings', eventTime: (r) => r.t, batchSize: 10 },
      ),
      Counts,
      toArray(out, { name: 'out', from: 'counts' }),
    ],
    clock,
  });
  t.is(p.stats().sources.readings!.watermark, undefined);
  const stats = await clock.run(p.run());
  const source = stats.sources.readings!;
  t.is(source.watermark, 490);
  t.is(source.watermarkLagMs, clock.now() - 490);
  t.is(stats.stages.counts!.watermark, 490);
  // A source without eventTime has neither.
  const plain = await createPipeline({ components: [fromArray([1], { name: 'n' }), toArray([], { name: 'o', from: 'n' })] }).run();
  t.false('watermark' in plain.sources.n!);
  t.false('watermarkLagMs' in plain.sources.n!);
});

test("metrics › 'basic' keeps the counters and measures no busy time nor latency", async (t) => {
  @Stage({ name: 'same', from: ['a', 'b'] })
  class Same implements Mapper<number, number> {
    map(n: number) {
      return n;
    }
  }
  const out: number[] = [];
  const stats = await createPipeline({
    components: [
      fromArray(range(30), { name: 'a', batchSize: 10 }),
      fromArray(range(30), { name: 'b', batchSize: 10 }),
      Same,
      toArray(out, { name: 'out', from: 'same' }),
    ],
    metrics: 'basic',
  }).run();
  const stage = stats.stages.same!;
  t.is(stage.recordsIn, 60);
  t.true(stage.batches! >= 6);
  for (const field of ['busyMs', 'busyTimeMsPerSecond', 'latency'] as const) t.false(field in stage, field);
  const sink = stats.sinks.out!;
  t.is(sink.records, 60);
  t.is(sink.errors, 0);
  for (const field of ['busyMs', 'busyTimeMsPerSecond', 'latency', 'endToEnd'] as const) t.false(field in sink, field);
});

test('metrics › a bad metrics option stops createPipeline with an error naming it', (t) => {
  const err = t.throws(() =>
    createPipeline({
      components: [fromArray([1], { name: 'n' }), toArray([], { name: 'o', from: 'n' })],
      metrics: 'full' as never,
    }),
  );
  t.true(SluiceError.is(err, ErrorCodes.INVALID_OPTION));
  t.is(err.message, `createPipeline: option "metrics" must be 'detailed' or 'basic', got 'full'`);
});

test('metrics › a sink counts its failed writes (each attempt) in errors', async (t) => {
  let calls = 0;
  const written: number[] = [];
  const stats = await createPipeline({
    components: [
      fromArray(range(3), { name: 'numbers' }),
      toCallback<number>(
        (batch) => {
          // The first two attempts ask to back off: the engine waits and writes again.
          if (calls++ < 2) throw new BackoffError(1);
          written.push(...batch);
        },
        { name: 'out', from: 'numbers' },
      ),
    ],
  }).run();
  t.deepEqual(written, [0, 1, 2]);
  t.like(stats.sinks.out, { records: 3, batches: 1, errors: 2 });
  t.is(stats.sinks.out!.latency!.count, 3);
});
