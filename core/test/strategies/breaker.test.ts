import test from 'ava';
import { createPipeline, toArray } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import { ErrorCodes, OnError, Stage, type Enricher, type Mapper } from '@sluice/sdk';
import { runOnClock } from './run-on-clock.js';
import { timedSource } from './timed-source.js';

// Records whose name starts with 'bad' make the stage throw. Each record arrives at its time.
const fails = (v: string) => v.startsWith('bad');

function run(stage: new (...args: never[]) => unknown, clock: VirtualClock, items: [number, string][]) {
  const out: string[] = [];
  const reads: number[] = [];
  const p = createPipeline({
    components: [timedSource('lines', clock, items, reads), stage, toArray(out, { name: 'out', from: 'checked' })],
    clock,
  });
  return { p, out, reads };
}

for (const kind of ['sync', 'enrich'] as const) {
  const calls: [string, number][] = [];
  let clock = new VirtualClock(0);
  const check = (v: string) => {
    calls.push([v, clock.now()]);
    if (fails(v)) throw new Error(`${v} failed`);
    return `${v}@${clock.now()}`;
  };

  @Stage({ name: 'checked', from: 'lines' })
  @OnError({ breaker: { failures: 2, window: '1s', cooldown: '500ms', whileOpen: 'dead-letter' }, then: 'dead-letter' })
  class SyncShed implements Mapper<string, string> {
    map(v: string) {
      return check(v);
    }
  }
  @Stage({ name: 'checked', from: 'lines', concurrency: 2 })
  @OnError({ breaker: { failures: 2, window: '1s', cooldown: '500ms', whileOpen: 'dead-letter' }, then: 'dead-letter' })
  class AsyncShed implements Enricher<string, string> {
    async enrich(v: string) {
      await Promise.resolve();
      return check(v);
    }
  }
  @Stage({ name: 'checked', from: 'lines' })
  @OnError({ breaker: { failures: 2, window: '1s', cooldown: '500ms', whileOpen: 'pause' }, then: 'skip' })
  class SyncPause implements Mapper<string, string> {
    map(v: string) {
      return check(v);
    }
  }
  @Stage({ name: 'checked', from: 'lines', concurrency: 2 })
  @OnError({ breaker: { failures: 2, window: '1s', cooldown: '500ms', whileOpen: 'pause' }, then: 'skip' })
  class AsyncPause implements Enricher<string, string> {
    async enrich(v: string) {
      await Promise.resolve();
      return check(v);
    }
  }

  test.serial(
    `breaker (${kind}) › opens after N failures in the window, sheds to the dead letters while open, probes when half-open, closes`,
    async (t) => {
      clock = new VirtualClock(0);
      calls.length = 0;
      const { p, out } = run(kind === 'sync' ? SyncShed : AsyncShed, clock, [
        [0, 'bad1'],
        [10, 'bad2'], // 2 failures within 1 s: open until 510
        [20, 'ok1'], // open: dead-lettered without calling the stage
        [600, 'bad3'], // half-open: the probe fails, open again until 1100
        [700, 'ok2'], // open: dead-lettered
        [1_200, 'ok3'], // half-open: the probe succeeds, closed
        [1_300, 'bad4'], // closed: one failure does not open it
        [1_400, 'ok4'],
      ]);
      const stats = await runOnClock(p, clock);
      t.deepEqual(out, ['ok3@1200', 'ok4@1400']);
      t.deepEqual(
        calls.map(([v]) => v),
        ['bad1', 'bad2', 'bad3', 'ok3', 'bad4', 'ok4'],
      );
      t.deepEqual(
        p.deadLetters.records().map((d) => [d.value, d.error.code ?? d.error.message, d.attempts, d.time]),
        [
          ['bad1', 'bad1 failed', 1, 0],
          ['bad2', 'bad2 failed', 1, 10],
          ['ok1', ErrorCodes.CIRCUIT_OPEN, 0, 20],
          ['bad3', 'bad3 failed', 1, 600],
          ['ok2', ErrorCodes.CIRCUIT_OPEN, 0, 700],
          ['bad4', 'bad4 failed', 1, 1_300],
        ],
      );
      t.regex(p.deadLetters.records()[2]!.error.message, /circuit breaker is open after 2 failure\(s\) within 1000 ms/);
      t.deepEqual(stats.stages.checked!.breaker, { state: 'closed', opens: 2, rejected: 2, pausedMs: 0 });
    },
  );

  test.serial(
    `breaker (${kind}) › whileOpen 'pause' stops taking records until the probe time, so the source waits; nothing is lost`,
    async (t) => {
      clock = new VirtualClock(0);
      calls.length = 0;
      const { p, out, reads } = run(kind === 'sync' ? SyncPause : AsyncPause, clock, [
        [0, 'bad1'],
        [10, 'bad2'], // open until 510
        [20, 'ok1'], // waits; at 510 it is the probe, which closes the breaker
        [30, 'ok2'],
        [600, 'ok3'],
      ]);
      const stats = await runOnClock(p, clock);
      t.deepEqual(out, ['ok1@510', 'ok2@510', 'ok3@600']);
      t.is(stats.stages.checked!.skipped, 2);
      t.is(p.deadLetters.size, 0);
      t.deepEqual(stats.stages.checked!.breaker, { state: 'closed', opens: 1, rejected: 0, pausedMs: 490 });
      // A sync stage runs in the source's task: the source was not read while the stage waited (ok2,
      // due at 30, was read at 510). An enrich stage stops taking from its channel; the source is
      // paused once that channel is full (its capacity is far larger than this test).
      if (kind === 'sync') t.deepEqual(reads, [0, 10, 20, 510, 600]);
      else t.deepEqual(reads, [0, 10, 20, 30, 600]);
    },
  );
}

test.serial('breaker (sync) › with retries: a waiting retry also waits for the breaker, and a failed probe opens it again', async (t) => {
  const clock = new VirtualClock(0);
  const calls: string[] = [];
  @Stage({ name: 'checked', from: 'lines' })
  @OnError({
    retry: { attempts: 3, delay: 10 },
    breaker: { failures: 2, window: '1s', cooldown: 100, whileOpen: 'pause' },
    then: 'dead-letter',
  })
  class Down implements Mapper<string, string> {
    map(v: string) {
      calls.push(`${v}@${clock.now()}`);
      if (clock.now() < 250) throw new Error('down');
      return `${v}@${clock.now()}`;
    }
  }
  const { p, out } = run(Down, clock, [
    [0, 'a'],
    [5, 'b'],
  ]);
  const stats = await runOnClock(p, clock);
  // a: fails at 0 and 10 (the breaker opens until 110), probes at 110 and fails (open until 210):
  // its 3 attempts are spent. b, read when a was done, waits until 210, probes and fails (open
  // until 310), and its retry waits for the next probe at 310, which succeeds.
  t.deepEqual(calls, ['a@0', 'a@10', 'a@110', 'b@210', 'b@310']);
  t.deepEqual(out, ['b@310']);
  t.deepEqual(
    p.deadLetters.records().map((d) => [d.value, d.attempts, d.time]),
    [['a', 3, 110]],
  );
  t.like(stats.stages.checked!.breaker, { state: 'closed', opens: 3 });
  t.is(stats.stages.checked!.retries, 3);
});
