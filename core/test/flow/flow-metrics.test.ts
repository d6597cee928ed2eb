import test from 'ava';
import { createPipeline, defineSink, defineSource, fromArray, toCallback, type Pipeline, type SluiceModule } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import {
  EndOfStreamError,
  RATE_LIMITER,
  Stage,
  type Enricher,
  type LimitChangedEvent,
  type Mapper,
  type PipelineStats,
  type RateLimiter,
  type SourceConnector,
} from '@sluice/sdk';
import { runOnClock } from '../strategies/run-on-clock.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

@Stage({ name: 'doubled', from: 'numbers' })
class Doubled implements Mapper<number, number> {
  map(n: number) {
    return n * 2;
  }
}

// An enrich stage starts a segment: it has a channel in front of it, so it reports queueFill.
@Stage({ name: 'enriched', from: 'doubled', channelCapacity: 400 })
class Enriched implements Enricher<number, number> {
  enrich(n: number) {
    return n + 1;
  }
}

/** Resolves when `clock` reaches now + `ms`. */
const after = (clock: VirtualClock, ms: number) => new Promise<void>((resolve) => clock.schedule(clock.now() + ms, resolve));

/** A source of `n` numbers in batches of 100 that takes `readMs` of the clock per batch (0: at once). */
function pacedSource(clock: VirtualClock, n: number, readMs: number): SourceConnector<number> {
  let next = 0;
  return {
    async read() {
      if (next >= n) throw new EndOfStreamError();
      if (readMs > 0) await after(clock, readMs);
      const batch = range(Math.min(100, n - next)).map((i) => next + i);
      next += batch.length;
      return batch;
    },
  };
}

/**
 * numbers → doubled (fused into the source's loop) → enriched (its own task) → db. The sink takes
 * `writeMs` of the clock per batch; the source `readMs` per batch. Stats are sampled inside the
 * sink's writes, while the pipeline runs.
 */
async function flow(readMs: number, writeMs: number, n = 60_000) {
  const clock = new VirtualClock(0);
  const samples: { at: number; stats: PipelineStats }[] = [];
  const pipeline: Pipeline = createPipeline({
    components: [
      defineSource({ name: 'numbers', batchSize: 100 }, pacedSource(clock, n, readMs)),
      Doubled,
      Enriched,
      toCallback<number>(
        async () => {
          samples.push({ at: clock.now(), stats: pipeline.stats() });
          if (writeMs > 0) await after(clock, writeMs);
        },
        { name: 'db', from: 'enriched', channelCapacity: 300 },
      ),
    ],
    // The enrich stage passes on batches of at most 100 too: one write per source batch.
    batchSize: 100,
    clock,
  });
  const stats = await runOnClock(pipeline, clock, 100_000);
  // The steady state: samples after the first second and before the last one.
  const end = clock.now();
  return { stats, end, steady: samples.filter((s) => s.at >= 1_000 && s.at < end - 1_000) };
}

test('flow metrics › behind a slow sink, the source and every stage before it report backpressure close to 100% of the time', async (t) => {
  // The sink writes 100 records per 10 ms; the source could read them at once.
  const { stats, end, steady } = await flow(0, 10);
  t.is(stats.sinks.db!.records, 60_000);
  t.true(end >= 5_990, `the run took ${end} ms of the clock`);
  t.true(steady.length > 100);
  for (const { at, stats: s } of steady) {
    const what = `at ${at} ms`;
    t.true(s.sources.numbers!.backPressuredTimeMsPerSecond >= 990, `${what}: source ${s.sources.numbers!.backPressuredTimeMsPerSecond}`);
    // 'doubled' runs in the source's loop: it shares its figure.
    t.is(s.stages.doubled!.backPressuredTimeMsPerSecond, s.sources.numbers!.backPressuredTimeMsPerSecond, what);
    t.true(s.stages.enriched!.backPressuredTimeMsPerSecond >= 990, `${what}: enriched ${s.stages.enriched!.backPressuredTimeMsPerSecond}`);
    // The queue in front of the enrich stage is full: it cannot pass records on.
    t.is(s.stages.enriched!.queueFill, s.channels.enriched!.fill / s.channels.enriched!.capacity, what);
    t.true(s.stages.enriched!.queueFill! >= 0.75, `${what}: queueFill ${s.stages.enriched!.queueFill}`);
    t.false('queueFill' in s.stages.doubled!, 'a fused stage has no queue');
  }
  // Totals: the source waited nearly the whole run, on the pipeline clock (all but the last
  // ~70 ms, when the 700 records in the channels drain after its last read).
  t.true(stats.sources.numbers!.pausedMs >= end - 100 && stats.sources.numbers!.pausedMs <= end, String(stats.sources.numbers!.pausedMs));
  t.is(stats.stages.doubled!.backpressuredMs, stats.sources.numbers!.pausedMs);
  t.true(stats.stages.enriched!.backpressuredMs >= end - 100, String(stats.stages.enriched!.backpressuredMs));
});

test('flow metrics › behind a sink without a limit, nothing reports backpressure and the queues stay empty', async (t) => {
  // The source is the slow part now (100 records per 10 ms); the sink writes at once.
  const { stats, end, steady } = await flow(10, 0);
  t.is(stats.sinks.db!.records, 60_000);
  t.true(end >= 5_990, `the run took ${end} ms of the clock`);
  t.true(steady.length > 100);
  for (const { at, stats: s } of steady) {
    t.is(s.sources.numbers!.backPressuredTimeMsPerSecond, 0, `at ${at} ms`);
    t.is(s.stages.doubled!.backPressuredTimeMsPerSecond, 0, `at ${at} ms`);
    t.is(s.stages.enriched!.backPressuredTimeMsPerSecond, 0, `at ${at} ms`);
    t.true(s.stages.enriched!.queueFill! <= 0.25, `at ${at} ms: queueFill ${s.stages.enriched!.queueFill}`);
  }
  t.is(stats.sources.numbers!.pausedMs, 0);
  t.is(stats.stages.enriched!.backpressuredMs, 0);
});

test('flow metrics › a source twice as fast as its sink waits about half of every second', async (t) => {
  // Reads take 5 ms a batch, writes 10 ms: once the channels are full, the source reads for 5 ms
  // and then waits 5 ms for room, every 10 ms.
  const { steady } = await flow(5, 10);
  t.true(steady.length > 100);
  for (const { at, stats: s } of steady) {
    const ms = s.sources.numbers!.backPressuredTimeMsPerSecond;
    t.true(ms >= 450 && ms <= 550, `at ${at} ms: ${ms}`);
  }
});

test('flow metrics › a wait still going on counts up to now, split at whole seconds', async (t) => {
  const clock = new VirtualClock(0);
  let release!: () => void;
  const pipeline = createPipeline({
    components: [
      fromArray(range(1_000), { name: 'numbers', batchSize: 100 }),
      // The first write hangs until the test releases it: the channel (200) fills at t = 0 and
      // the source waits from then on.
      toCallback<number>(() => new Promise<void>((resolve) => (release = resolve)), { name: 'db', from: 'numbers', channelCapacity: 200 }),
    ],
    clock,
  });
  const turns = async () => {
    for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  };
  const done = pipeline.run();
  await turns();
  const source = () => pipeline.stats().sources.numbers!;
  t.like(source(), { pausedMs: 0, backPressuredTimeMsPerSecond: 0, pausedCount: 1 });
  clock.set(400);
  // Still in the first second: no whole second has passed yet.
  t.like(source(), { pausedMs: 400, backPressuredTimeMsPerSecond: 0 });
  clock.set(1_500);
  t.like(source(), { pausedMs: 1_500, backPressuredTimeMsPerSecond: 1_000 });
  // The sink takes 200 records and hangs again at once; the source refills the channel and waits
  // again at 1.5 s: the first wait ended there, its part of the second [1, 2) s counts.
  release();
  await turns();
  clock.set(2_250);
  t.like(source(), { pausedMs: 2_250, backPressuredTimeMsPerSecond: 1_000 });
  t.is(pipeline.stats().channels.db!.fill, 200);
  // Let everything through at 2.25 s: no wait from then on, so the second [2, 3) s holds 250 ms.
  const drain = setInterval(() => release(), 1);
  await done;
  clearInterval(drain);
  clock.set(3_000);
  t.like(source(), { pausedMs: 2_250, backPressuredTimeMsPerSecond: 250 });
  clock.set(4_000);
  t.like(source(), { pausedMs: 2_250, backPressuredTimeMsPerSecond: 0 });
});

test('flow metrics › pausedMs and backpressuredMs follow the wall clock on the default clock', async (t) => {
  const pipeline = createPipeline({
    components: [
      fromArray(range(20_000), { name: 'numbers', batchSize: 100 }),
      Doubled,
      toCallback<number>(() => new Promise((resolve) => setTimeout(resolve, 2)), { name: 'db', from: 'doubled', channelCapacity: 300 }),
    ],
  });
  const stats = await pipeline.run();
  const paused = stats.sources.numbers!.pausedMs;
  // 200 writes of ≥ 2 ms each: the source waited for most of the run, measured at sub-ms resolution.
  t.true(paused >= 0.7 * stats.uptimeMs && paused <= stats.uptimeMs, `${paused} of ${stats.uptimeMs} ms`);
  t.not(paused, Math.round(paused), 'measured at sub-ms resolution');
  t.is(stats.stages.doubled!.backpressuredMs, paused);
});

/** A limiter that allows everything and halves its advertised limit every `every` grants, as an adaptive one might. */
class Halving implements RateLimiter {
  readonly maxPermits = 50;
  limit = 800;
  private grants = 0;
  constructor(private readonly every: number) {}
  acquire(): number {
    if (++this.grants % this.every === 0) this.limit /= 2;
    return 0;
  }
}

test('flow metrics › a rate-limited sink reports its limit on the bus once at start, and each change of it', async (t) => {
  const clock = new VirtualClock(5_000);
  const module: SluiceModule = { providers: [{ provide: RATE_LIMITER, useValue: { name: 'halving', create: () => new Halving(4) } }] };
  const pipeline = createPipeline({
    modules: [module],
    components: [
      fromArray(range(500), { name: 'numbers', batchSize: 100 }),
      defineSink(
        { name: 'fixed', from: 'numbers', rateLimit: { strategy: 'token-bucket', options: { rate: '1000/s', burst: 100 } } },
        { write() {} },
      ),
      defineSink({ name: 'adaptive', from: 'numbers', rateLimit: { strategy: 'halving' } }, { write() {} }),
      toCallback(() => undefined, { name: 'plain', from: 'numbers' }),
    ],
    clock,
  });
  const events: LimitChangedEvent[] = [];
  pipeline.events.on('limit-changed', (e) => events.push(e));
  await runOnClock(pipeline, clock);
  const of = (node: string) =>
    events.filter((e) => e.node === node).map(({ kind, previous, limit, reason, at }) => ({ kind, previous, limit, reason, at }));
  t.deepEqual(of('fixed'), [{ kind: 'sink', previous: undefined, limit: 1000, reason: 'start', at: 5_000 }]);
  // 500 records in parts of 50: 10 grants, the limit halves after the 4th and the 8th.
  t.deepEqual(
    of('adaptive').map((e) => [e.previous, e.limit, e.reason]),
    [
      [undefined, 800, 'start'],
      [800, 400, 'limiter'],
      [400, 200, 'limiter'],
    ],
  );
  t.deepEqual(of('plain'), [], 'a sink without a limiter reports nothing');
  t.is(pipeline.stats().sinks.adaptive!.limit, 200);
});

test.serial(
  'flow metrics › a listener that throws (or rejects) is counted and logged once; the others still run and the pipeline completes',
  async (t) => {
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    try {
      const clock = new VirtualClock(0);
      const out: number[] = [];
      const pipeline = createPipeline({
        components: [
          fromArray(range(300), { name: 'numbers', batchSize: 100 }),
          toCallback<number>((b) => void out.push(...b), {
            name: 'out',
            from: 'numbers',
            rateLimit: { strategy: 'token-bucket', options: { rate: '100/s', burst: 100 } },
          }),
        ],
        clock,
      });
      const seen: string[] = [];
      pipeline.events.on('limit-changed', () => {
        throw new Error('listener bug');
      });
      pipeline.events.on('limit-changed', () => Promise.reject(new Error('async listener bug')));
      pipeline.events.on('limit-changed', (e) => void seen.push(e.node));
      const stats = await runOnClock(pipeline, clock);
      await new Promise<void>((resolve) => setImmediate(resolve));
      t.is(stats.state, 'stopped');
      t.is(out.length, 300);
      t.deepEqual(seen, ['out']);
      t.is(pipeline.events.listenerErrors, 2);
      t.is(warnings.length, 1);
      t.regex(String(warnings[0]), /listener of 'limit-changed'.*listener bug/);
    } finally {
      console.warn = warn;
    }
  },
);

test('flow metrics › once, off and listenerCount behave as on an event emitter', async (t) => {
  const clock = new VirtualClock(0);
  const build = () =>
    createPipeline({
      components: [
        fromArray(range(10), { name: 'numbers' }),
        toCallback(() => undefined, { name: 'out', from: 'numbers', rateLimit: { strategy: 'token-bucket', options: { rate: '10/s' } } }),
      ],
      clock,
    });
  const p = build();
  let once = 0;
  let removed = 0;
  const listener = () => void removed++;
  p.events.once('limit-changed', () => void once++);
  p.events.on('limit-changed', listener);
  t.is(p.events.listenerCount('limit-changed'), 2);
  p.events.off('limit-changed', listener);
  t.is(p.events.listenerCount('limit-changed'), 1);
  await runOnClock(p, clock);
  t.is(once, 1);
  t.is(removed, 0);
  t.is(p.events.listenerCount('limit-changed'), 0);
  const q = build();
  q.events.on('limit-changed', listener).on('limit-changed', () => void removed++);
  q.events.off('limit-changed');
  await runOnClock(q, clock);
  t.is(removed, 0);
});

test('flow metrics › a rate-limited stage reports its limit on the bus at the start, as a sink does', async (t) => {
  const clock = new VirtualClock(0);
  @Stage({ name: 'slowed', from: 'numbers', rateLimit: { strategy: 'token-bucket', options: { rate: '100/s', burst: 10 } } })
  class Slowed implements Mapper<number, number> {
    map(n: number): number {
      return n;
    }
  }
  const pipeline = createPipeline({
    components: [fromArray(range(50), { name: 'numbers' }), Slowed, toCallback(() => undefined, { name: 'out', from: 'slowed' })],
    clock,
  });
  const events: LimitChangedEvent[] = [];
  pipeline.events.on('limit-changed', (e) => events.push(e));
  const stats = await runOnClock(pipeline, clock);
  t.deepEqual(
    events.map(({ node, kind, limit, reason }) => ({ node, kind, limit, reason })),
    [{ node: 'slowed', kind: 'stage', limit: 100, reason: 'start' }],
  );
  t.is(stats.stages.slowed!.limit, 100);
});
