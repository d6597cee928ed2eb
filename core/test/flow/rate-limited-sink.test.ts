import test from 'ava';
import { Container, createPipeline, defineSink, defineSource, fromArray, toArray, type SluiceModule } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import {
  RATE_LIMITER,
  Sink,
  SluiceError,
  Stage,
  type Mapper,
  type RateLimiter,
  type SinkConnector,
  type SourceConnector,
} from '@sluice/sdk';
import { runOnClock } from '../strategies/run-on-clock.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test('rate-limited sink › writes at the configured rate on a virtual clock; the source is paused, not buffered', async (t) => {
  const clock = new VirtualClock(0);
  const capacity = 200;
  const batchSize = 64;
  const writes: [time: number, count: number, ahead: number][] = [];
  let written = 0;
  const sink: SinkConnector<number> = {
    write(values) {
      written += values.length;
      // How far the source has read ahead of what the sink wrote.
      writes.push([clock.now(), values.length, pipeline.stats().sources.ticks!.records - written]);
    },
  };
  const pipeline = createPipeline({
    components: [
      fromArray(range(10_000), { name: 'ticks', batchSize }),
      defineSink(
        {
          name: 'out',
          from: 'ticks',
          channelCapacity: capacity,
          rateLimit: { strategy: 'token-bucket', options: { rate: '1000/s', burst: 100 } },
        },
        sink,
      ),
    ],
    clock,
  });
  const stats = await runOnClock(pipeline, clock);
  t.is(written, 10_000);
  // 100 at once (the burst), then 1000/s: the last record is written at 9.9 s.
  t.is(writes.at(-1)![0], 9_900);
  let sum = 0;
  for (const [time, count, ahead] of writes) {
    sum += count;
    t.true(count <= 100, `a write of ${count} records is larger than the burst`);
    t.true(sum <= 100 + time, `${sum} records written by ${time} ms`);
    t.true(ahead <= capacity + batchSize, `the source read ${ahead} records ahead of the sink`);
  }
  t.true(stats.channels.out!.maxFill <= capacity);
  t.true(stats.sources.ticks!.pausedCount > 0, 'backpressure paused the source');
  t.is(stats.sinks.out!.limit, 1000);
  t.is(stats.sinks.out!.records, 10_000);
  t.true(stats.sinks.out!.throttledMs! >= 9_800 && stats.sinks.out!.throttledMs! <= 9_900, String(stats.sinks.out!.throttledMs));
});

test('rate-limited sink › a sliding window splits a batch larger than its count and never writes more than the count per interval', async (t) => {
  const clock = new VirtualClock(0);
  const writes: [time: number, count: number][] = [];
  const sink: SinkConnector<number> = { write: (values) => void writes.push([clock.now(), values.length]) };
  const pipeline = createPipeline({
    components: [
      fromArray(range(1_000), { name: 'ticks', batchSize: 256 }),
      defineSink(
        { name: 'out', from: 'ticks', rateLimit: { strategy: 'sliding-window', options: { limit: 30, interval: '250ms' } } },
        sink,
      ),
    ],
    clock,
  });
  const stats = await runOnClock(pipeline, clock);
  t.is(
    writes.reduce((s, [, c]) => s + c, 0),
    1_000,
  );
  for (let i = 0; i < writes.length; i++) {
    let sum = 0;
    for (let j = i; j < writes.length && writes[j]![0] < writes[i]![0] + 250; j++) sum += writes[j]![1];
    t.true(sum <= 30, `${sum} records in the window from ${writes[i]![0]} ms`);
  }
  t.is(stats.sinks.out!.limit, 120);
  t.is(stats.sinks.out!.batches, writes.length);
});

test('rate-limited sink › a sink without rateLimit reports no limiter counters', async (t) => {
  const out: number[] = [];
  const stats = await createPipeline({ components: [fromArray([1, 2, 3], { name: 'n' }), toArray(out, { name: 'out', from: 'n' })] }).run();
  const sink = stats.sinks.out!;
  t.like(sink, { records: 3, batches: 1 });
  for (const field of ['limit', 'throttledMs', 'keys', 'heldRecords']) t.false(field in sink, field);
});

test('rate-limited sink › a failure elsewhere interrupts the wait for the limiter', async (t) => {
  const clock = new VirtualClock(0);
  const out: number[] = [];
  let release!: (values: readonly number[]) => void;
  let reads = 0;
  // Reads 0, 1, 2 at once; the second read waits until the test releases a bad record.
  const source: SourceConnector<number> = {
    read: () => (reads++ === 0 ? [0, 1, 2] : new Promise<readonly number[]>((resolve) => (release = resolve))),
  };
  @Stage({ name: 'checked', from: 'ticks' })
  class Checked implements Mapper<number, number> {
    map(v: number) {
      if (v === 99) throw new Error('bad record');
      return v;
    }
  }
  const pipeline = createPipeline({
    components: [
      defineSource({ name: 'ticks' }, source),
      Checked,
      toArray(out, { name: 'out', from: 'checked', rateLimit: { strategy: 'token-bucket', options: { rate: '1/h', burst: 1 } } }),
    ],
    clock,
  });
  const run = pipeline.run().then(
    () => 'finished',
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
  // The sink wrote 0 and now waits an hour on the clock for 1; the clock never moves.
  for (let i = 0; i < 1000 && !(out.length === 1 && clock.pending === 1 && release !== undefined); i++)
    await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(out, [0]);
  t.is(clock.pending, 1);
  release([99]);
  const outcome = await Promise.race([run, new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), 5_000).unref())]);
  t.regex(outcome, /bad record/);
  t.deepEqual(out, [0]);
  t.is(clock.pending, 0, 'the wait on the clock was cancelled');
});

/** A plugin's limiter: one write per `gap` ms, at most `size` records each. */
class FixedGap implements RateLimiter {
  private next = 0;
  constructor(
    private readonly gap: number,
    readonly maxPermits: number,
  ) {}
  get limit() {
    return (this.maxPermits * 1000) / this.gap;
  }
  acquire(_permits: number, now: number): number {
    if (now < this.next) return this.next - now;
    this.next = now + this.gap;
    return 0;
  }
}

const FixedGapPlugin: SluiceModule = {
  name: 'fixed-gap',
  providers: [
    {
      provide: RATE_LIMITER,
      useValue: {
        name: 'fixed-gap',
        create: (options: Readonly<Record<string, unknown>>) => {
          if (typeof options.gap !== 'number') throw new Error('option "gap" must be a number of ms');
          return new FixedGap(options.gap, Number(options.size ?? 1));
        },
      },
    },
  ],
};

test('rate-limited sink › a module binds its own limiter by name and rateLimit.strategy picks it', async (t) => {
  const clock = new VirtualClock(0);
  const writes: [number, number][] = [];
  @Sink({ name: 'out', from: 'ticks', rateLimit: { strategy: 'fixed-gap', options: { gap: 40, size: 3 } } })
  class Out implements SinkConnector<number> {
    write(values: readonly number[]) {
      writes.push([clock.now(), values.length]);
    }
  }
  const stats = await runOnClock(
    createPipeline({ components: [fromArray(range(10), { name: 'ticks' }), Out], modules: [FixedGapPlugin], clock }),
    clock,
  );
  t.deepEqual(writes, [
    [0, 3],
    [40, 3],
    [80, 3],
    [120, 1],
  ]);
  t.is(stats.sinks.out!.limit, 75);
  t.is(stats.sinks.out!.throttledMs, 120);
});

test('rate-limited sink › bad rateLimit options are refused with the sink, the option and the rule', (t) => {
  const refused = (rateLimit: unknown, modules: SluiceModule[] = []) => {
    const err = t.throws(() =>
      createPipeline({
        components: [fromArray([1], { name: 'n' }), toArray([], { name: 'out', from: 'n', rateLimit: rateLimit as never })],
        modules,
      }),
    );
    t.true(SluiceError.is(err));
    return err.message;
  };
  t.is(
    refused({ strategy: 'leaky-bucket' }, [FixedGapPlugin]),
    "rateLimit of sink 'out' (sink definition 'out'): strategy 'leaky-bucket' is not bound in the container (bound: token-bucket, sliding-window, fixed-gap); a module or plugin binds one with { provide: RATE_LIMITER, useValue: { name, create } }",
  );
  t.regex(
    refused({ strategy: 'token-bucket', options: { rate: 'fast' } }),
    /^rateLimit of sink 'out' \(sink definition 'out'\): strategy 'token-bucket' refused its options: option "rate" must be a positive number/,
  );
  t.regex(
    refused({ strategy: 'fixed-gap', options: {} }, [FixedGapPlugin]),
    /strategy 'fixed-gap' refused its options: option "gap" must be a number of ms/,
  );
  t.regex(
    refused({ strategy: 7 }),
    /defineSink on sink definition 'out': .*option "rateLimit.strategy" must be a string \(rule: isString\)/,
  );
  t.regex(refused({ strategy: 'token-bucket', rate: 5 }), /option "rateLimit.rate" is not a known option \(rule: whitelistValidation\)/);
  t.regex(refused({ strategy: 'token-bucket', options: 'fast' }), /option "rateLimit.options" must be an object \(rule: isObject\)/);
});

test('rate-limited sink › a binding under a built-in name replaces it, and a limiter bound in a parent container is found', async (t) => {
  const clock = new VirtualClock(0);
  const writes: number[] = [];
  const sink = (name: string, strategy: string) =>
    defineSink<number>(
      { name, from: 'ticks', rateLimit: { strategy, options: { gap: 10 } } },
      { write: () => void writes.push(clock.now()) },
    );
  const replacing: SluiceModule = {
    providers: [{ provide: RATE_LIMITER, useValue: { name: 'token-bucket', create: () => new FixedGap(10, 1) } }],
  };
  const stats = await runOnClock(
    createPipeline({ components: [fromArray(range(3), { name: 'ticks' }), sink('out', 'token-bucket')], modules: [replacing], clock }),
    clock,
  );
  t.deepEqual(writes, [0, 10, 20]);
  t.is(stats.sinks.out!.limit, 100);

  const parent = new Container();
  parent.bind(RATE_LIMITER).toConstantValue({ name: 'from-parent', create: () => new FixedGap(5, 2) });
  writes.length = 0;
  const clock2 = new VirtualClock(0);
  const stats2 = await runOnClock(
    createPipeline({
      components: [
        fromArray(range(4), { name: 'ticks' }),
        defineSink<number>(
          { name: 'out', from: 'ticks', rateLimit: { strategy: 'from-parent' } },
          { write: () => void writes.push(clock2.now()) },
        ),
      ],
      container: parent,
      clock: clock2,
    }),
    clock2,
  );
  t.deepEqual(writes, [0, 5]);
  t.is(stats2.sinks.out!.records, 4);
});

test('rate-limited sink › bad rateLimit options on a @Sink class name the decorator, the class and the rule', (t) => {
  @Sink({ name: 'out', from: 'n', rateLimit: { strategy: 'token-bucket', options: { rate: 10 }, burst: 3 } as never })
  class Out implements SinkConnector<number> {
    write() {}
  }
  const err = t.throws(() => createPipeline({ components: [fromArray([1], { name: 'n' }), Out] }));
  t.is(err.message, '@Sink on Out: option "rateLimit.burst" is not a known option (rule: whitelistValidation)');
});
