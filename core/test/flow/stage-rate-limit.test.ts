import test from 'ava';
import { createPipeline, defineSink, fromArray, MemoryCheckpointStore, toArray } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import { SluiceError, Stage, Window, type Aggregator, type Enricher, type Filter, type Mapper, type RateLimitOptions } from '@sluice/sdk';
import { runOnClock } from '../strategies/run-on-clock.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test('stage rate limit › a map stage keeps its rate within 1% over a long run; the stage runs in a segment of its own and backpressure pauses the source', async (t) => {
  const clock = new VirtualClock(0);
  const capacity = 300;
  const batchSize = 64;
  const entered: number[] = []; // the clock time at which each record entered the stage
  @Stage({
    name: 'limited',
    from: 'ticks',
    channelCapacity: capacity,
    rateLimit: { strategy: 'token-bucket', options: { rate: '1000/s', burst: 100 } },
  })
  class Limited implements Mapper<number, number> {
    map(v: number) {
      entered.push(clock.now());
      return v * 2;
    }
  }
  @Stage({ name: 'plus', from: 'limited' })
  class Plus implements Mapper<number, number> {
    map(v: number) {
      return v + 1;
    }
  }
  const out: number[] = [];
  let maxAhead = 0;
  const pipeline = createPipeline({
    components: [
      fromArray(range(20_000), { name: 'ticks', batchSize }),
      Limited,
      Plus,
      defineSink<number>(
        { name: 'out', from: 'plus' },
        {
          write(values) {
            out.push(...values);
            // How far the source has read ahead of what went through the stage.
            maxAhead = Math.max(maxAhead, pipeline.stats().sources.ticks!.records - entered.length);
          },
        },
      ),
    ],
    clock,
  });
  t.deepEqual(pipeline.segments().limited, ['limited', 'plus'], 'the limited stage starts a segment; the stage after it is fused');
  const stats = await runOnClock(pipeline, clock, 100_000);
  t.deepEqual(
    out,
    range(20_000).map((v) => v * 2 + 1),
  );
  // 100 at once (the burst), then 1000/s: the last record enters at 19.9 s.
  t.is(entered.at(-1), 19_900);
  const rate = (entered.length - 100) / (entered.at(-1)! / 1000);
  t.true(Math.abs(rate - 1000) / 1000 < 0.01, `rate ${rate}/s`);
  for (let i = 0; i < entered.length; i += 97) t.true(i + 1 <= 100 + entered[i]!, `${i + 1} records entered by ${entered[i]} ms`);
  t.true(stats.channels.limited!.maxFill <= capacity, `channel fill ${stats.channels.limited!.maxFill}`);
  t.true(maxAhead <= capacity + batchSize, `the source read ${maxAhead} records ahead of the stage`);
  t.true(stats.sources.ticks!.pausedCount > 0, 'backpressure paused the source');
  t.like(stats.stages.limited, { limit: 1000, recordsOut: 20_000 });
  t.true(
    stats.stages.limited!.throttledMs! >= 19_800 && stats.stages.limited!.throttledMs! <= 19_900,
    String(stats.stages.limited!.throttledMs),
  );
  t.is(stats.stages.plus!.limit, undefined, 'a stage without rateLimit reports no limiter counters');
});

test('stage rate limit › a filter limited by a sliding window never lets more than its count in per interval, and splits larger batches', async (t) => {
  const clock = new VirtualClock(0);
  const entered: number[] = [];
  @Stage({ name: 'even', from: 'n', rateLimit: { strategy: 'sliding-window', options: { limit: 25, interval: '100ms' } } })
  class Even implements Filter<number> {
    filter(v: number) {
      entered.push(clock.now());
      return v % 2 === 0;
    }
  }
  const out: number[] = [];
  const stats = await runOnClock(
    createPipeline({
      components: [fromArray(range(1_000), { name: 'n', batchSize: 250 }), Even, toArray(out, { name: 'out', from: 'even' })],
      clock,
    }),
    clock,
  );
  t.deepEqual(
    out,
    range(500).map((v) => v * 2),
  );
  t.is(entered.length, 1_000);
  for (let i = 0; i < entered.length; i++) {
    let j = i;
    while (j < entered.length && entered[j]! < entered[i]! + 100) j++;
    t.true(j - i <= 25, `${j - i} records in the window from ${entered[i]} ms`);
  }
  t.is(entered.at(-1), 3_900);
  t.is(stats.stages.even!.limit, 250);
});

test("stage rate limit › an enrich stage starts its calls at the limiter's rate, with calls still overlapping up to its concurrency", async (t) => {
  const clock = new VirtualClock(0);
  const started: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  @Stage({ name: 'priced', from: 'n', concurrency: 4, rateLimit: { strategy: 'token-bucket', options: { rate: '100/s', burst: 10 } } })
  class Priced implements Enricher<number, number> {
    async enrich(v: number) {
      started.push(clock.now());
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      // Each call takes 25 ms of the pipeline clock.
      await new Promise<void>((resolve) => clock.schedule(clock.now() + 25, resolve));
      inFlight--;
      return v + 0.5;
    }
  }
  const out: number[] = [];
  const stats = await runOnClock(
    createPipeline({ components: [fromArray(range(500), { name: 'n' }), Priced, toArray(out, { name: 'out', from: 'priced' })], clock }),
    clock,
    100_000,
  );
  t.deepEqual(
    out,
    range(500).map((v) => v + 0.5),
  );
  // 4 at once (the concurrency, within the burst of 10), then one call every 10 ms.
  for (let i = 0; i < started.length; i++) t.true(i + 1 <= 10 + started[i]! / 10, `${i + 1} calls started by ${started[i]} ms`);
  t.is(started.at(-1), 4_900);
  t.true(maxInFlight >= 2 && maxInFlight <= 4, String(maxInFlight));
  t.like(stats.stages.priced, { limit: 100, recordsOut: 500 });
  t.true(stats.stages.priced!.throttledMs! > 4_000, String(stats.stages.priced!.throttledMs));
});

interface Tick {
  readonly sym: string;
  readonly t: number;
}

@Stage({ name: 'perSecond', from: 'limited', key: (e: Tick) => e.sym })
@Window({ tumbling: 300 })
class PerSecond implements Aggregator<Tick, { sym: string; n: number; last: number }, string> {
  create() {
    return { sym: '', n: 0, last: -1 };
  }
  add(acc: { sym: string; n: number; last: number }, e: Tick) {
    acc.sym = e.sym;
    acc.n++;
    acc.last = e.t;
    return acc;
  }
  result(acc: { sym: string; n: number; last: number }) {
    return `${acc.sym}:${acc.n}:${acc.last}`;
  }
}

// Ticks 10 ms apart in event time, over three symbols; a window counts each symbol per 300 ms
// (windows do not line up with the source's batches of 50, nor with the limiter's parts of 20).
const ticks: Tick[] = range(3_000).map((i) => ({ sym: ['A', 'B', 'C'][i % 3]!, t: i * 10 }));

async function windowsAfterLimit(rateLimit: RateLimitOptions | undefined, checkpoints: boolean) {
  const clock = new VirtualClock(0);
  // A small channel: a barrier waits behind at most 100 throttled records (100 ms).
  @Stage({ name: 'limited', from: 'ticks', channelCapacity: 100, ...(rateLimit === undefined ? {} : { rateLimit }) })
  class Limited implements Mapper<Tick, Tick> {
    map(v: Tick) {
      return v;
    }
  }
  const out: string[] = [];
  const store = new MemoryCheckpointStore();
  const stats = await runOnClock(
    createPipeline({
      components: [
        fromArray(ticks, { name: 'ticks', batchSize: 50, eventTime: (e: Tick) => e.t, watermark: 'monotonous' }),
        Limited,
        PerSecond,
        toArray(out, { name: 'out', from: 'perSecond' }),
      ],
      clock,
      ...(checkpoints ? { checkpoints: { store, interval: 200, log: () => undefined } } : {}),
    }),
    clock,
    100_000,
  );
  return { out, stats };
}

test('stage rate limit › with checkpoints every 200 ms, a throttled stage lets every checkpoint complete and a window after it gives what an unthrottled run gives', async (t) => {
  const plain = await windowsAfterLimit(undefined, false);
  t.is(plain.out.length, 300);
  const limited = await windowsAfterLimit({ strategy: 'token-bucket', options: { rate: '1000/s', burst: 20 } }, true);
  t.deepEqual(limited.out, plain.out);
  t.is(limited.stats.stages.perSecond!.windows!.lateSideOutput, 0, 'no record was overtaken by the watermark');
  // 3 s of throttling, a checkpoint every 200 ms.
  t.true(limited.stats.checkpoints!.completed >= 14, `${limited.stats.checkpoints!.completed} checkpoints`);
  t.is(limited.stats.checkpoints!.failed, 0);
  t.true(limited.stats.stages.limited!.throttledMs! >= 2_900, String(limited.stats.stages.limited!.throttledMs));
});

test('stage rate limit › bad rateLimit options on a stage are refused with the stage, the option and the rule', (t) => {
  const refused = (rateLimit: unknown, extra: object = {}) => {
    @Stage({ name: 'limited', from: 'n', rateLimit: rateLimit as never, ...extra })
    class Limited implements Mapper<number, number> {
      map(v: number) {
        return v;
      }
    }
    const err = t.throws(() =>
      createPipeline({ components: [fromArray([1], { name: 'n' }), Limited, toArray([], { name: 'out', from: 'limited' })] }),
    );
    t.true(SluiceError.is(err));
    return err.message;
  };
  t.is(
    refused({ strategy: 'leaky-bucket' }),
    "rateLimit of stage 'limited' (class Limited): strategy 'leaky-bucket' is not bound in the container (bound: token-bucket, sliding-window); a module or plugin binds one with { provide: RATE_LIMITER, useValue: { name, create } }",
  );
  t.regex(
    refused({ strategy: 'sliding-window', options: { limit: 0, interval: '1s' } }),
    /^rateLimit of stage 'limited' \(class Limited\): strategy 'sliding-window' refused its options: option "limit" must be an integer >= 1, got 0$/,
  );
  t.is(
    refused({ strategy: 'token-bucket', options: { rate: 5 }, burst: 3 }),
    '@Stage on Limited: option "rateLimit.burst" is not a known option (rule: whitelistValidation)',
  );

  @Stage({ name: 'slow', from: 'n', rateLimit: { strategy: 'token-bucket', options: { rate: 5 }, perKey: { key: (v: number) => v } } })
  class Slow implements Enricher<number, number> {
    async enrich(v: number) {
      return v;
    }
  }
  const err = t.throws(() =>
    createPipeline({ components: [fromArray([1], { name: 'n' }), Slow, toArray([], { name: 'out', from: 'slow' })] }),
  );
  t.regex(err.message, /^@Stage on Slow: option "rateLimit.perKey" is not supported on enrich stages yet/);
});
