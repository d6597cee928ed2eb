import test from 'ava';
import { createConcurrencyLimiter, createPipeline, fromArray, toArray } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import {
  CONCURRENCY_LIMITER,
  ErrorCodes,
  SluiceError,
  Stage,
  type ConcurrencyLimiter,
  type ConcurrencySample,
  type Enricher,
  type Mapper,
} from '@sluice/sdk';

const ok = (rttMs: number, inFlight: number, now: number): ConcurrencySample => ({ rttMs, inFlight, outcome: 'success', now });

test('aimd › adds increase/limit per success at the limit, so about one per round trip', (t) => {
  const aimd = createConcurrencyLimiter({ strategy: 'aimd', options: { initial: 4 } }, 16);
  t.is(aimd.limit, 4);
  for (let i = 0; i < 4; i++) aimd.onSample(ok(10, 4, 10));
  t.is(aimd.limit, 5);
  for (let i = 0; i < 5; i++) aimd.onSample(ok(10, 5, 20));
  t.is(aimd.limit, 6);
});

test('aimd › does not grow while fewer than half the limit are in flight (app-limited)', (t) => {
  const aimd = createConcurrencyLimiter({ strategy: 'aimd', options: { initial: 8 } }, 16);
  for (let i = 0; i < 100; i++) aimd.onSample(ok(10, 3, 10));
  t.is(aimd.limit, 8);
});

test('aimd › a back-off, a timeout or a success over the latency target multiplies by backoffRatio, once per round trip', (t) => {
  const aimd = createConcurrencyLimiter(
    { strategy: 'aimd', options: { initial: 20, backoffRatio: 0.5, latencyTarget: 100, timeout: '1s' } },
    32,
  );
  aimd.onSample({ rttMs: 10, inFlight: 20, outcome: 'backoff', now: 100 });
  t.is(aimd.limit, 10);
  // Started at 95, before the decrease at 100: already acted on.
  aimd.onSample({ rttMs: 5, inFlight: 20, outcome: 'backoff', now: 100 });
  t.is(aimd.limit, 10);
  aimd.onSample(ok(150, 10, 300)); // started at 150, slower than the target
  t.is(aimd.limit, 5);
  aimd.onSample({ rttMs: 20, inFlight: 5, outcome: 'timeout', now: 400 });
  t.is(aimd.limit, 2, '5 x 0.5, rounded down');
  aimd.onSample({ rttMs: 20, inFlight: 5, outcome: 'error', now: 500 });
  t.is(aimd.limit, 2, 'an error says nothing about load');
  for (let i = 0; i < 10; i++) aimd.onSample({ rttMs: 1, inFlight: 4, outcome: 'backoff', now: 1000 + i * 10 });
  t.is(aimd.limit, 1, 'never below min');
});

test('aimd › never above max (default: the concurrency)', (t) => {
  const aimd = createConcurrencyLimiter({ strategy: 'aimd', options: { initial: 3, increase: 100 } }, 5);
  for (let i = 0; i < 10; i++) aimd.onSample(ok(1, 5, i));
  t.is(aimd.limit, 5);
});

test('gradient › grows by queueSize x smoothing per window while the RTT holds, shrinks when it rises', (t) => {
  const g = createConcurrencyLimiter({ strategy: 'gradient', options: { initial: 10, queueSize: 5, smoothing: 0.5 } }, 100);
  let now = 0;
  // One window: 10 samples over 2 RTTs of 100 ms.
  const window = (rtt: number, inFlight: number) => {
    for (let i = 0; i < 10; i++) g.onSample(ok(rtt, inFlight, (now += (2 * rtt) / 9)));
    now += 1;
  };
  window(100, 10);
  // gradient 1: 10 x 1 + 5 = 15; smoothed 10 x 0.5 + 15 x 0.5 = 12.5
  t.is(g.limit, 12);
  window(100, 12);
  // 12.5 -> (12.5 + 5) x 0.5 + 12.5 x 0.5 = 15
  t.is(g.limit, 15);
  // Four times the RTT: the baseline (a mean over the first windows) is 200, gradient 0.5.
  window(400, 15);
  const baseline = (100 + 100 + 400) / 3;
  const expected = 15 * 0.5 + (15 * (baseline / 400) + 5) * 0.5;
  t.is(g.limit, Math.floor(expected));
  t.true(expected < 15);
});

test('gradient › a back-off lowers the limit; errors are ignored; app-limited windows do not grow it', (t) => {
  const g = createConcurrencyLimiter({ strategy: 'gradient', options: { initial: 20, min: 2 } }, 64);
  g.onSample({ rttMs: 10, inFlight: 20, outcome: 'backoff', now: 10 });
  t.is(g.limit, 18);
  for (let i = 0; i < 50; i++) g.onSample({ rttMs: 1, inFlight: 20, outcome: 'error', now: 20 + i });
  t.is(g.limit, 18);
  for (let i = 0; i < 50; i++) g.onSample(ok(10, 2, 100 + i * 10));
  t.is(g.limit, 18);
});

test('concurrency limiters › every option is checked, with a message naming it', (t) => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['aimd', { initial: 0 }, /option "initial" must be an integer >= 1/],
    ['aimd', { max: 65 }, /option "max" \(65\) must not exceed the stage's concurrency \(64\)/],
    ['aimd', { min: 10, max: 5 }, /option "min" \(10\) must not exceed "max" \(5\)/],
    ['aimd', { initial: 3, min: 4 }, /option "initial" \(3\) must be within "min" \(4\) and "max" \(64\)/],
    ['aimd', { increase: 0 }, /option "increase" must be a number above 0/],
    ['aimd', { backoffRatio: 1 }, /option "backoffRatio" must be a number from 0.5 up to \(not including\) 1/],
    ['aimd', { latencyTarget: 'soon' }, /option "latencyTarget" must be a duration above 0/],
    ['aimd', { timeout: -1 }, /option "timeout" must be a duration above 0/],
    ['aimd', { rate: 3 }, /option "rate" is not known to 'aimd'/],
    ['gradient', { smoothing: 0 }, /option "smoothing" must be above 0/],
    ['gradient', { smoothing: 2 }, /option "smoothing" must be a number from 0 to 1/],
    ['gradient', { queueSize: -1 }, /option "queueSize" must be a number from 0/],
    ['gradient', { longWindow: 1.5 }, /option "longWindow" must be an integer >= 1/],
    ['gradient', { backoffRatio: 0.1 }, /option "backoffRatio"/],
  ];
  for (const [strategy, options, message] of bad) {
    const err = t.throws(() => createConcurrencyLimiter({ strategy, options }, 64), undefined, `${strategy} ${JSON.stringify(options)}`);
    t.true(SluiceError.is(err, ErrorCodes.INVALID_OPTION));
    t.regex(err!.message, message);
  }
});

@Stage({ name: 'called', from: 'n', concurrency: 4, concurrencyLimit: { strategy: 'aimd', options: { max: 8 } } })
class TooHigh implements Enricher<number, number> {
  enrich(n: number) {
    return Promise.resolve(n);
  }
}

@Stage({ name: 'called', from: 'n', concurrency: 4, concurrencyLimit: { strategy: 'vegas' } })
class Unknown implements Enricher<number, number> {
  enrich(n: number) {
    return Promise.resolve(n);
  }
}

@Stage({ name: 'called', from: 'n', concurrencyLimit: { strategy: 'aimd' } })
class NotEnrich implements Mapper<number, number> {
  map(n: number) {
    return n;
  }
}

@Stage({ name: 'called', from: 'n', concurrency: 4, ordered: 'keyed' })
class KeyedWithoutKey implements Enricher<number, number> {
  enrich(n: number) {
    return Promise.resolve(n);
  }
}

test('concurrency limiters › bad options stop the build with INVALID_OPTION naming the stage, the option and the rule', (t) => {
  const build = (stage: new () => unknown) => () =>
    createPipeline({ components: [fromArray([1], { name: 'n' }), stage, toArray([], { name: 'out', from: 'called' })] });
  const high = t.throws(build(TooHigh));
  t.true(SluiceError.is(high, ErrorCodes.INVALID_OPTION));
  t.regex(
    high!.message,
    /concurrencyLimit of stage 'called' \(class TooHigh\): strategy 'aimd' refused its options: option "max" \(8\) must not exceed the stage's concurrency \(4\)/,
  );
  const unknown = t.throws(build(Unknown));
  t.regex(
    unknown!.message,
    /concurrencyLimit of stage 'called' .*strategy 'vegas' is not bound in the container \(bound: aimd, gradient\)/,
  );
  t.deepEqual((unknown as SluiceError).details, { stage: 'called', option: 'concurrencyLimit.strategy' });
  const notEnrich = t.throws(build(NotEnrich));
  t.true(SluiceError.is(notEnrich, ErrorCodes.INVALID_OPTION));
  t.regex(notEnrich!.message, /@Stage on NotEnrich: option "concurrencyLimit" applies only to enrich stages/);
  const keyed = t.throws(build(KeyedWithoutKey));
  t.regex(keyed!.message, /@Stage on KeyedWithoutKey: option "ordered: 'keyed'" .*add the option key/);
});

test('concurrency limiters › a module binding a name replaces the built-in; its limit bounds the calls', async (t) => {
  class Fixed implements ConcurrencyLimiter {
    readonly limit = 2;
    samples = 0;
    onSample(): void {
      this.samples++;
    }
  }
  const fixed = new Fixed();
  let running = 0;
  let maxRunning = 0;
  const clock = new VirtualClock(0);
  @Stage({ name: 'called', from: 'n', concurrency: 8, concurrencyLimit: { strategy: 'aimd' } })
  class Called implements Enricher<number, number> {
    async enrich(n: number) {
      maxRunning = Math.max(maxRunning, ++running);
      await new Promise<void>((resolve) => clock.schedule(clock.now() + 10, resolve));
      running--;
      return n;
    }
  }
  const out: number[] = [];
  const stats = await clock.run(
    createPipeline({
      components: [fromArray([1, 2, 3, 4, 5, 6], { name: 'n' }), Called, toArray(out, { name: 'out', from: 'called' })],
      providers: [{ provide: CONCURRENCY_LIMITER, useValue: { name: 'aimd', create: () => fixed } }],
      clock,
    }).run(),
  );
  t.deepEqual(out, [1, 2, 3, 4, 5, 6]);
  t.is(maxRunning, 2);
  t.is(fixed.samples, 6);
  t.like(stats.stages.called!, { limit: 2, limitChanges: 0, backoffs: 0, backoffMs: 0 });
});

test('concurrency limiters › the option schema refuses a concurrencyLimit without a strategy name, and an unknown ordered', (t) => {
  @Stage({ name: 'called', from: 'n', concurrency: 4, concurrencyLimit: { strategy: 42 as never } })
  class BadName implements Enricher<number, number> {
    enrich(n: number) {
      return Promise.resolve(n);
    }
  }
  @Stage({ name: 'called', from: 'n', concurrency: 4, ordered: 'by-key' as never })
  class BadOrdered implements Enricher<number, number> {
    enrich(n: number) {
      return Promise.resolve(n);
    }
  }
  const build = (stage: new () => unknown) => () =>
    createPipeline({ components: [fromArray([1], { name: 'n' }), stage, toArray([], { name: 'out', from: 'called' })] });
  const name = t.throws(build(BadName));
  t.true(SluiceError.is(name, ErrorCodes.INVALID_OPTION));
  t.regex(name!.message, /@Stage on BadName: option "concurrencyLimit.strategy" must be a name/);
  const ordered = t.throws(build(BadOrdered));
  t.true(SluiceError.is(ordered, ErrorCodes.INVALID_OPTION));
  t.regex(ordered!.message, /@Stage on BadOrdered: option "ordered" must be true, false or 'keyed'/);
});
