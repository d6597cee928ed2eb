import test from 'ava';
import fc from 'fast-check';
import { createPipeline, defineSink, fromArray, type SluiceModule } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import { RATE_LIMITER, Stage, type Mapper, type RateLimiter, type RateLimitOptions } from '@sluice/sdk';
import { createRateLimiter } from '@sluice/core';
import { runOnClock } from '../strategies/run-on-clock.js';

test('idleAt › a token bucket is at rest once refilled to full; a sliding window once its newest grant has left it', (t) => {
  const bucket = createRateLimiter({ strategy: 'token-bucket', options: { rate: '10/s', burst: 5 } });
  t.is(bucket.idleAt!(0), 0, 'a new bucket is at rest');
  t.is(bucket.acquire(3, 100), 0);
  t.is(bucket.idleAt!(100), 400, '3 tokens refill in 300 ms');
  t.is(bucket.idleAt!(250), 400);
  t.is(bucket.idleAt!(900), 900);
  const window = createRateLimiter({ strategy: 'sliding-window', options: { limit: 3, interval: 1000 } });
  t.is(window.idleAt!(0), 0);
  window.acquire(1, 100);
  window.acquire(2, 700);
  t.is(window.idleAt!(800), 1700);
  t.is(window.idleAt!(2000), 2000);
});

// Drives two limiters with the same requests and returns their decisions.
function decisions(a: RateLimiter, b: RateLimiter, requests: readonly [number, number][]): [number[], number[]] {
  const ra: number[] = [];
  const rb: number[] = [];
  for (const [dt, permits] of requests) {
    ra.push(a.acquire(Math.min(permits, a.maxPermits), dt));
    rb.push(b.acquire(Math.min(permits, b.maxPermits), dt));
  }
  return [ra, rb];
}

test('idleAt › property: from idleAt on, a used limiter decides exactly as a new one (so dropping it cannot let a key exceed its rate)', (t) => {
  const options: RateLimitOptions[] = [
    { strategy: 'token-bucket', options: { rate: '7/s', burst: 4 } },
    { strategy: 'token-bucket', options: { rate: '1000/s', burst: 1 } },
    { strategy: 'sliding-window', options: { limit: 5, interval: 300 } },
  ];
  // Gaps between requests, in ms: often none or a few, where an early `idleAt` would show.
  const gap = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 400 }));
  fc.assert(
    fc.property(
      fc.constantFrom(...options),
      fc.array(fc.tuple(gap, fc.integer({ min: 1, max: 6 })), { maxLength: 30 }),
      fc.array(fc.tuple(gap, fc.integer({ min: 1, max: 6 })), { minLength: 1, maxLength: 30 }),
      (o, before, after) => {
        const used = createRateLimiter(o);
        let now = 0;
        for (const [dt, permits] of before) used.acquire(Math.min(permits, used.maxPermits), (now += dt));
        const rest = used.idleAt!(now);
        if (rest < now) return false;
        // From `rest` on, the same requests get the same answers from both.
        let t2 = rest;
        const requests = after.map(([dt, p]): [number, number] => [(t2 += dt), p]);
        const [a, b] = decisions(used, createRateLimiter(o), requests);
        return JSON.stringify(a) === JSON.stringify(b);
      },
    ),
    { numRuns: 300 },
  );
  t.pass();
});

test('idleAt › a limiter without idleAt is refused per key, naming the stage', (t) => {
  const NoRest: SluiceModule = {
    providers: [{ provide: RATE_LIMITER, useValue: { name: 'no-rest', create: () => ({ limit: 1, maxPermits: 1, acquire: () => 0 }) } }],
  };
  @Stage({ name: 'limited', from: 'n', key: (v: number) => v, rateLimit: { strategy: 'no-rest', perKey: {} } })
  class Limited implements Mapper<number, number> {
    map(v: number) {
      return v;
    }
  }
  const err = t.throws(() =>
    createPipeline({
      components: [fromArray([1], { name: 'n' }), Limited, defineSink({ name: 'out', from: 'limited' }, { write() {} })],
      modules: [NoRest],
    }),
  );
  t.is(
    err.message,
    "rateLimit of stage 'limited' (class Limited): strategy 'no-rest' cannot be used per key: its limiters have no idleAt(now) method, which tells when a key's limiter may be dropped without letting the key exceed its rate",
  );
});

test('idleAt › a failure elsewhere interrupts a stage waiting for its limiters, with or without perKey', async (t) => {
  for (const perKey of [undefined, { key: (v: number) => v % 2 }]) {
    const clock = new VirtualClock(0);
    @Stage({
      name: 'limited',
      from: 'n',
      rateLimit: { strategy: 'token-bucket', options: { rate: '1/h', burst: 1 }, ...(perKey && { perKey }) },
    })
    class Limited implements Mapper<number, number> {
      map(v: number) {
        return v;
      }
    }
    @Stage({ name: 'checked', from: 'n' })
    class Checked implements Mapper<number, number> {
      map(v: number) {
        // Fails on the 4th record: by then the limited stage waits an hour for its next permit.
        if (v === 3) throw new Error('bad record');
        return v;
      }
    }
    const out: number[] = [];
    const pipeline = createPipeline({
      components: [
        fromArray([0, 1, 2, 3, 4], { name: 'n', batchSize: 1 }),
        Limited,
        Checked,
        defineSink<number>({ name: 'out', from: 'limited' }, { write: (values) => void out.push(...values) }),
        defineSink<number>({ name: 'checkedOut', from: 'checked' }, { write() {} }),
      ],
      clock,
    });
    const outcome = await runOnClock(pipeline, clock, 5).then(
      () => 'finished',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    t.regex(outcome, /bad record/);
    t.true(out.length <= 2, `${out.length} records passed the limit`);
    t.is(clock.pending, 0, 'the wait on the clock was cancelled');
    t.true(clock.now() < 3_600_000, `the clock moved to ${clock.now()}`);
  }
});
