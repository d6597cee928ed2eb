import test from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { StageHarness, VirtualClock } from '@sluice/core/testing';
import { ErrorCodes, OnError, SluiceError, Stage, type FlatMapper, type Mapper, type Reducer } from '@sluice/sdk';
import { runOnClock } from './run-on-clock.js';

/** What a flaky stage saw: each call's value and the clock time it was called at. */
type Calls = [value: string, time: number][];

/** A map stage class that fails on `value` for its first `failures` calls, recording every call's time. */
function flaky(onError: Parameters<typeof OnError>[0], fails: (value: string, call: number) => boolean) {
  const calls: Calls = [];
  let clock: VirtualClock;
  const seen = new Map<string, number>();
  @Stage({ name: 'parsed', from: 'lines' })
  @OnError(onError)
  class Flaky implements Mapper<string, string> {
    map(line: string) {
      const n = (seen.get(line) ?? 0) + 1;
      seen.set(line, n);
      calls.push([line, clock.now()]);
      if (fails(line, n)) {
        const err = new Error(`cannot parse ${line} (call ${n})`);
        (err as Error & { code?: string }).code = line.startsWith('t') ? 'ETIMEDOUT' : 'EBAD';
        throw err;
      }
      return line.toUpperCase();
    }
  }
  return { Flaky, calls, useClock: (c: VirtualClock) => (clock = c) };
}

function pipeline(stage: new () => unknown, input: string[], clock: VirtualClock, random?: () => number) {
  const out: string[] = [];
  const p = createPipeline({
    components: [fromArray(input, { name: 'lines' }), stage, toArray(out, { name: 'out', from: 'parsed' })],
    clock,
    random,
  });
  return { p, out };
}

const timesOf = (calls: Calls, value: string) => calls.filter(([v]) => v === value).map(([, t]) => t);

test("retry (sync) › fixed back-off retries after the same delay each time and keeps the stage's order", async (t) => {
  const clock = new VirtualClock(1_000);
  const { Flaky, calls, useClock } = flaky({ retry: { attempts: 3, delay: '100ms' } }, (v, n) => v === 'b' && n <= 2);
  useClock(clock);
  const { p, out } = pipeline(Flaky, ['a', 'b', 'c', 'd'], clock);
  const stats = await runOnClock(p, clock);
  t.deepEqual(out, ['A', 'B', 'C', 'D']);
  t.deepEqual(timesOf(calls, 'b'), [1_000, 1_100, 1_200]);
  // c and d waited behind b: they were called after its successful retry, never before.
  t.deepEqual(timesOf(calls, 'c'), [1_200]);
  t.deepEqual(
    calls.map(([v]) => v),
    ['a', 'b', 'b', 'b', 'c', 'd'],
  );
  t.is(stats.stages.parsed!.retries, 2);
  t.is(stats.stages.parsed!.errors, 2);
  t.is(p.deadLetters.size, 0);
});

test('retry (sync) › exponential back-off doubles the wait up to maxDelay, then the record is dead-lettered with its attempts', async (t) => {
  const clock = new VirtualClock(0);
  const { Flaky, calls, useClock } = flaky(
    { retry: { attempts: 5, backoff: 'exponential', delay: 100, maxDelay: '300ms' }, then: 'dead-letter' },
    (v) => v === 'x',
  );
  useClock(clock);
  const { p, out } = pipeline(Flaky, ['a', 'x', 'b'], clock);
  await runOnClock(p, clock);
  t.deepEqual(out, ['A', 'B']);
  t.deepEqual(timesOf(calls, 'x'), [0, 100, 300, 600, 900]);
  const [dl] = p.deadLetters.records();
  t.like(dl, { stage: 'parsed', value: 'x', position: 1, attempts: 5, time: 900 });
  t.is(dl!.error.message, 'cannot parse x (call 5)');
  t.true(dl!.error.stack!.includes('cannot parse x'));
});

test("retry (sync) › jitter randomises each wait between 0 and the back-off, from the pipeline's random option", async (t) => {
  const clock = new VirtualClock(0);
  const { Flaky, calls, useClock } = flaky(
    { retry: { attempts: 4, backoff: 'exponential', delay: 100, jitter: true }, then: 'skip' },
    (v) => v === 'x',
  );
  useClock(clock);
  const draws = [0.5, 0.25, 0.99];
  const { p } = pipeline(Flaky, ['x'], clock, () => draws.shift()!);
  const stats = await runOnClock(p, clock);
  // waits: 0.5 · 100, 0.25 · 200, 0.99 · 400 (floored)
  t.deepEqual(timesOf(calls, 'x'), [0, 50, 100, 496]);
  t.is(stats.stages.parsed!.skipped, 1);
  t.is(stats.stages.parsed!.retries, 3);
});

test('retry (sync) › no attempt starts after the deadline, counted from the first failure', async (t) => {
  const clock = new VirtualClock(0);
  const { Flaky, calls, useClock } = flaky(
    { retry: { attempts: 10, delay: 100, deadline: '250ms' }, then: 'dead-letter' },
    (v) => v === 'x',
  );
  useClock(clock);
  const { p } = pipeline(Flaky, ['x'], clock);
  await runOnClock(p, clock);
  t.deepEqual(timesOf(calls, 'x'), [0, 100, 200]);
  t.is(p.deadLetters.records()[0]!.attempts, 3);
});

test('retry (sync) › retryOn retries only the listed error names or codes (or what a predicate accepts)', async (t) => {
  for (const retryOn of [['ETIMEDOUT'], (e: unknown) => (e as { code?: string }).code === 'ETIMEDOUT'] as const) {
    const clock = new VirtualClock(0);
    const { Flaky, calls, useClock } = flaky({ retry: { attempts: 3, delay: 10, retryOn }, then: 'dead-letter' }, (v) => v !== 'ok');
    useClock(clock);
    const { p, out } = pipeline(Flaky, ['timeout', 'bad', 'ok'], clock);
    await runOnClock(p, clock);
    t.deepEqual(out, ['OK']);
    t.deepEqual(timesOf(calls, 'timeout'), [0, 10, 20]);
    t.deepEqual(timesOf(calls, 'bad'), [20]);
    t.deepEqual(
      p.deadLetters.records().map((d) => [d.value, d.attempts]),
      [
        ['timeout', 3],
        ['bad', 1],
      ],
    );
  }
});

test("retry (sync) › 'fail' after the last attempt names the stage, the position and the attempts", async (t) => {
  const clock = new VirtualClock(0);
  const { Flaky, useClock } = flaky({ retry: { attempts: 2, delay: 5 } }, (v) => v === 'x');
  useClock(clock);
  const { p } = pipeline(Flaky, ['a', 'b', 'x'], clock);
  const err = await t.throwsAsync(runOnClock(p, clock));
  t.true(SluiceError.is(err, ErrorCodes.STAGE_FAILED));
  t.is(
    err!.message,
    "Stage 'parsed' (class Flaky) failed on the record at position 2 of its source after 2 attempts: cannot parse x (call 2). Add @OnError({ then: 'dead-letter' }) or 'skip' to keep going past such records",
  );
  t.like((err as SluiceError).details, { stage: 'parsed', position: 2, attempts: 2 });
});

test('retry (sync) › a retried record resumes at its stage: upstream stages run once, siblings and later records keep their order', async (t) => {
  const clock = new VirtualClock(0);
  const upstreamCalls: string[] = [];
  let failed = 0;
  @Stage({ name: 'split', from: 'lines' })
  class Split implements FlatMapper<string, string> {
    flatMap(line: string) {
      upstreamCalls.push(line);
      return line.split('');
    }
  }
  @Stage({ name: 'upper', from: 'split' })
  @OnError({ retry: { attempts: 3, delay: 50 } })
  class Upper implements Mapper<string, string> {
    map(c: string) {
      if (c === 'x' && failed++ < 2) throw new Error('flaky');
      return c.toUpperCase();
    }
  }
  @Stage({ name: 'tagged', from: 'upper' })
  class Tag implements Mapper<string, string> {
    map(c: string) {
      return `${c}@${clock.now()}`;
    }
  }
  const upper: string[] = [];
  const raw: string[] = [];
  const p = createPipeline({
    components: [
      fromArray(['ab', 'cxd', 'ef'], { name: 'lines' }),
      Split,
      Upper,
      Tag,
      toArray(upper, { name: 'out', from: 'tagged' }),
      toArray(raw, { name: 'raw', from: 'split' }),
    ],
    clock,
  });
  await runOnClock(p, clock);
  t.deepEqual(upper, ['A@0', 'B@0', 'C@0', 'X@100', 'D@100', 'E@100', 'F@100']);
  t.deepEqual(raw, ['a', 'b', 'c', 'x', 'd', 'e', 'f']);
  t.deepEqual(upstreamCalls, ['ab', 'cxd', 'ef']);
});

test("skip and dead-letter (sync) › skips are counted; a keyed stage's dead letter carries the key, position, event time and clock time", async (t) => {
  const clock = new VirtualClock(5_000);
  @Stage({ name: 'sums', from: 'ticks', key: (x: { sym: string; n: number }) => x.sym })
  @OnError({ retry: { attempts: 2, delay: 10 }, then: 'dead-letter' })
  class Sums implements Reducer<{ sym: string; n: number }> {
    reduce(a: { sym: string; n: number }, b: { sym: string; n: number }) {
      if (b.n < 0) throw new RangeError(`negative ${b.n}`);
      return { sym: a.sym, n: a.n + b.n };
    }
  }
  const ticks = [
    { sym: 'A', n: 1, t: 10 },
    { sym: 'A', n: -1, t: 11 },
    { sym: 'B', n: 2, t: 12 },
    { sym: 'A', n: 3, t: 13 },
  ];
  const out: { sym: string; n: number }[] = [];
  const p = createPipeline({
    components: [fromArray(ticks, { name: 'ticks', eventTime: (x) => x.t }), Sums, toArray(out, { name: 'out', from: 'sums' })],
    clock,
  });
  const stats = await runOnClock(p, clock);
  t.deepEqual(
    out.map((x) => `${x.sym}${x.n}`),
    ['A1', 'B2', 'A4'],
  );
  const [dl] = p.deadLetters.records();
  t.like(dl, { stage: 'sums', key: 'A', position: 1, eventTime: 11, attempts: 2, time: 5_010 });
  t.like(dl!.error, { name: 'RangeError', message: 'negative -1' });
  t.is(stats.stages.sums!.deadLettered, 1);

  @Stage({ name: 'parsed', from: 'lines' })
  @OnError({ then: 'skip' })
  class Skip implements Mapper<string, number> {
    map(s: string) {
      if (s === 'x') throw new Error('x');
      return 1;
    }
  }
  const skipStats = await createPipeline({
    components: [fromArray(['x', '1', 'x'], { name: 'lines' }), Skip, toArray([], { name: 'out', from: 'parsed' })],
  }).run();
  t.like(skipStats.stages.parsed, { skipped: 2, errors: 2, retries: 0, deadLettered: 0 });
});

test('retry (sync) › the stage harness parks a failing record until processing time reaches its retry', (t) => {
  let calls = 0;
  @Stage({ name: 'parsed', from: 'lines' })
  @OnError({ retry: { attempts: 3, delay: 100 } })
  class Flaky implements Mapper<string, string> {
    map(s: string) {
      if (++calls < 3) throw new Error('flaky');
      return s.toUpperCase();
    }
  }
  const h = StageHarness.create<string, string>(Flaky);
  h.push('a').push('b');
  t.true(h.parked);
  t.deepEqual(h.take(), []);
  h.advanceProcessingTime(99);
  t.deepEqual(h.take(), []);
  h.advanceProcessingTime(1);
  t.true(h.parked);
  h.advanceProcessingTime(100);
  t.false(h.parked);
  t.deepEqual(h.take(), ['A', 'B']);
  t.is(h.stats().retries, 2);
});
