import test from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import { ErrorCodes, OnError, SluiceError, Stage, type Enricher } from '@sluice/sdk';
import { runOnClock } from './run-on-clock.js';

let clock = new VirtualClock(0);
const calls: [string, number][] = [];
// How many times each value fails before it succeeds.
let failures: Record<string, number> = {};
const seen = new Map<string, number>();

async function lookUp(v: string): Promise<string> {
  calls.push([v, clock.now()]);
  await new Promise((resolve) => setImmediate(resolve));
  const n = (seen.get(v) ?? 0) + 1;
  seen.set(v, n);
  if (n <= (failures[v] ?? 0)) throw Object.assign(new Error(`${v}: timeout (call ${n})`), { code: 'ETIMEDOUT' });
  return v.toUpperCase();
}

function reset(f: Record<string, number>) {
  clock = new VirtualClock(0);
  calls.length = 0;
  seen.clear();
  failures = f;
}

const timesOf = (value: string) => calls.filter(([v]) => v === value).map(([, t]) => t);

function pipeline(stage: new () => unknown, input: string[], random?: () => number) {
  const out: string[] = [];
  const p = createPipeline({
    components: [fromArray(input, { name: 'symbols' }), stage, toArray(out, { name: 'out', from: 'looked' })],
    clock,
    random,
  });
  return { p, out };
}

@Stage({ name: 'looked', from: 'symbols', concurrency: 3 })
@OnError({ retry: { attempts: 3, delay: '100ms' }, then: 'dead-letter' })
class Ordered implements Enricher<string, string> {
  enrich(v: string) {
    return lookUp(v);
  }
}

@Stage({ name: 'looked', from: 'symbols', concurrency: 3, ordered: false })
@OnError({ retry: { attempts: 3, delay: '100ms' }, then: 'dead-letter' })
class Unordered implements Enricher<string, string> {
  enrich(v: string) {
    return lookUp(v);
  }
}

test.serial('retry (enrich) › ordered: a retry waits in its slot, so results keep input order', async (t) => {
  reset({ b: 2, d: 1 });
  const { p, out } = pipeline(Ordered, ['a', 'b', 'c', 'd', 'e', 'f']);
  const stats = await runOnClock(p, clock);
  t.deepEqual(out, ['A', 'B', 'C', 'D', 'E', 'F']);
  t.deepEqual(timesOf('b'), [0, 100, 200]);
  t.deepEqual(timesOf('d'), [0, 100]);
  t.is(stats.stages.looked!.retries, 3);
  t.is(stats.stages.looked!.errors, 3);
  t.true(stats.stages.looked!.maxInFlight <= 3);
});

test.serial('retry (enrich) › unordered: other records go on while one waits for its retry', async (t) => {
  reset({ b: 2, d: 1 });
  const { p, out } = pipeline(Unordered, ['a', 'b', 'c', 'd', 'e', 'f']);
  await runOnClock(p, clock);
  t.deepEqual(out, ['A', 'C', 'E', 'F', 'D', 'B']);
  t.deepEqual(timesOf('b'), [0, 100, 200]);
});

test.serial('retry (enrich) › exponential back-off with jitter, then the dead letter counts every attempt', async (t) => {
  reset({ x: 99 });
  @Stage({ name: 'looked', from: 'symbols' })
  @OnError({
    retry: { attempts: 4, backoff: 'exponential', delay: 100, maxDelay: 300, jitter: true, retryOn: ['ETIMEDOUT'] },
    then: 'dead-letter',
  })
  class Jittered implements Enricher<string, string> {
    enrich(v: string) {
      return lookUp(v);
    }
  }
  const { p, out } = pipeline(Jittered, ['x', 'y'], () => 0.5);
  await runOnClock(p, clock);
  t.deepEqual(out, ['Y']);
  // 0.5 · 100, 0.5 · 200, 0.5 · min(400, 300)
  t.deepEqual(timesOf('x'), [0, 50, 150, 300]);
  t.like(p.deadLetters.records()[0], { value: 'x', attempts: 4, time: 300, position: 0 });
  t.is(p.deadLetters.records()[0]!.error.message, 'x: timeout (call 4)');
});

test.serial('retry (enrich) › the deadline ends retries; fail names the stage, position and attempts', async (t) => {
  reset({ b: 99 });
  @Stage({ name: 'looked', from: 'symbols', concurrency: 2 })
  @OnError({ retry: { attempts: 100, delay: 100, deadline: '1s' } })
  class Deadline implements Enricher<string, string> {
    enrich(v: string) {
      return lookUp(v);
    }
  }
  const { p } = pipeline(Deadline, ['a', 'b', 'c']);
  const err = await t.throwsAsync(runOnClock(p, clock));
  t.true(SluiceError.is(err, ErrorCodes.STAGE_FAILED));
  t.deepEqual(timesOf('b'), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000]);
  t.is(
    err!.message,
    "Stage 'looked' (class Deadline) failed on the record at position 1 of its source after 11 attempts: b: timeout (call 11). Add @OnError({ then: 'dead-letter' }) or 'skip' to keep going past such records",
  );
});
