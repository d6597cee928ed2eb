import test from 'ava';
import fc from 'fast-check';
import { createRateLimiter } from '@sluice/core';
import { SluiceError } from '@sluice/sdk';

test('token bucket › allows exactly the burst at the start, then one permit per 1/rate', (t) => {
  const bucket = createRateLimiter({ strategy: 'token-bucket', options: { rate: '100/s', burst: 25 } });
  let granted = 0;
  while (bucket.acquire(1, 0) === 0) granted++;
  t.is(granted, 25);
  t.is(bucket.acquire(1, 0), 10); // 100/s: one token every 10 ms
  t.is(bucket.acquire(1, 9), 1);
  t.is(bucket.acquire(1, 10), 0);
  t.is(bucket.limit, 100);
  t.is(bucket.maxPermits, 25);
});

test('token bucket › keeps the rate within 1% over a long simulated run, and never grants more than burst + rate·t in any span', (t) => {
  for (const [rate, perSecond, burst, sizes] of [
    ['1000/s', 1000, 50, [1]],
    ['333/s', 333, 40, [1, 7, 40, 3]],
    [12.5, 12.5, 1, [1]],
    ['3/100ms', 30, 10, [2, 5]],
  ] as const) {
    const bucket = createRateLimiter({ strategy: 'token-bucket', options: { rate, burst } });
    const grants: [time: number, permits: number][] = [];
    let now = 0;
    let total = 0;
    for (let i = 0; now < 200_000; i++) {
      const permits = sizes[i % sizes.length]!;
      for (;;) {
        const wait = bucket.acquire(permits, now);
        if (wait === 0) break;
        t.true(wait > 0);
        now += wait;
      }
      grants.push([now, permits]);
      total += permits;
    }
    const expected = burst + (perSecond * now) / 1000;
    t.true(total <= expected + 1e-6, `${String(rate)}: ${total} granted in ${now} ms, at most ${expected}`);
    t.true(Math.abs(total / expected - 1) < 0.01, `${String(rate)}: ${total} granted in ${now} ms, expected about ${expected}`);
    // Every span [a, b] of grants holds at most burst + rate·(b - a).
    const step = Math.max(1, Math.floor(grants.length / 300));
    for (let i = 0; i < grants.length; i += step) {
      let sum = 0;
      for (let j = i; j < grants.length; j++) {
        sum += grants[j]![1];
        const allowed = burst + (perSecond * (grants[j]![0] - grants[i]![0])) / 1000;
        if (sum > allowed + 1e-6) return t.fail(`${String(rate)}: ${sum} permits in [${grants[i]![0]}, ${grants[j]![0]}] > ${allowed}`);
      }
    }
  }
});

test('sliding window › never grants more than its count in any window of its interval (property)', (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 1, max: 1000 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 20 }), fc.boolean()), { maxLength: 200 }),
      (limit, interval, requests) => {
        const window = createRateLimiter({ strategy: 'sliding-window', options: { limit, interval } });
        const grants: [time: number, permits: number][] = [];
        let now = 0;
        for (const [gap, size, patient] of requests) {
          now += gap;
          const permits = Math.min(size, limit);
          const wait = window.acquire(permits, now);
          if (wait === 0) {
            grants.push([now, permits]);
            continue;
          }
          if (!(wait > 0)) return false;
          if (!patient) continue;
          // Asking again after the wait it named is granted.
          now += wait;
          if (window.acquire(permits, now) !== 0) return false;
          grants.push([now, permits]);
        }
        // Every window [g, g + interval) starting at a grant (the fullest windows start at one).
        for (let i = 0; i < grants.length; i++) {
          let sum = 0;
          for (let j = i; j < grants.length && grants[j]![0] < grants[i]![0] + interval; j++) sum += grants[j]![1];
          if (sum > limit) return false;
        }
        return true;
      },
    ),
    { numRuns: 300 },
  );
  t.pass();
});

test('sliding window › grants the count at once, then waits for the oldest grant to leave the window', (t) => {
  const window = createRateLimiter({ strategy: 'sliding-window', options: { limit: 3, interval: '1s' } });
  t.is(window.acquire(1, 0), 0);
  t.is(window.acquire(2, 400), 0);
  t.is(window.acquire(1, 500), 500); // the grant at 0 leaves at 1000
  t.is(window.acquire(2, 1000), 400); // needs the grant at 400 gone too
  t.is(window.acquire(1, 1000), 0);
  t.is(window.limit, 3);
  t.is(window.maxPermits, 3);
});

test('createRateLimiter › refuses bad options with a message naming the option and the rule', (t) => {
  const refused = (options: Record<string, unknown>, strategy = 'token-bucket') => {
    const err = t.throws(() => createRateLimiter({ strategy, options }));
    t.true(SluiceError.is(err));
    return err.message;
  };
  t.regex(refused({ burst: 3 }), /option "rate" is required/);
  t.regex(refused({ rate: '10 per second' }), /option "rate" must be a positive number of records per second or a string like '1000\/s'/);
  t.regex(refused({ rate: 0 }), /option "rate" must be a positive number/);
  t.regex(refused({ rate: 10, burst: 0.5 }), /option "burst" must be an integer >= 1, got 0.5/);
  t.regex(refused({ rate: 10, brust: 2 }), /option "brust" is not known to 'token-bucket' \(it takes rate, burst\)/);
  t.regex(refused({ limit: 5 }, 'sliding-window'), /option "interval" must be a duration above 0/);
  t.regex(refused({ limit: 0, interval: '1s' }, 'sliding-window'), /option "limit" must be an integer >= 1/);
  t.regex(refused({}, 'leaky'), /strategy 'leaky' is not built in \(built in: token-bucket, sliding-window\)/);
});
