import test from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import { BackoffError, OnError, Stage, type Enricher } from '@sluice/sdk';

function backoffPipeline(ordered: boolean, withLimiter = true) {
  const clock = new VirtualClock(0);
  const calls: [value: number, at: number][] = [];
  let refused = false;
  // The service answers 429 "retry after 500 ms" to the first call of record 5, else takes 10 ms.
  @Stage({
    name: 'called',
    from: 'records',
    concurrency: 8,
    ordered,
    ...(withLimiter ? { concurrencyLimit: { strategy: 'aimd', options: { initial: 8 } } } : {}),
  })
  @OnError({ retry: { attempts: 1, delay: '1ms' }, then: 'fail' })
  class Called implements Enricher<number, number> {
    async enrich(n: number) {
      calls.push([n, clock.now()]);
      await new Promise<void>((resolve) => clock.schedule(clock.now() + 10, resolve));
      if (n === 5 && !refused) {
        refused = true;
        throw new BackoffError(500);
      }
      return n;
    }
  }
  const out: number[] = [];
  const pipeline = createPipeline({
    components: [
      fromArray(
        Array.from({ length: 40 }, (_, i) => i),
        { name: 'records', batchSize: 40 },
      ),
      Called,
      toArray(out, { name: 'out', from: 'called' }),
    ],
    clock,
  });
  // The limit during the pause.
  let limitDuring: number | undefined;
  clock.schedule(300, () => (limitDuring = pipeline.stats().stages.called!.limit));
  return { clock, calls, out, pipeline, limitDuring: () => limitDuring };
}

test('adaptive › BackoffError lowers the limit, starts no call for waitMs, calls the record again in its place', async (t) => {
  const { clock, calls, out, pipeline, limitDuring } = backoffPipeline(true);
  const stats = await clock.run(pipeline.run());
  t.deepEqual(
    out,
    Array.from({ length: 40 }, (_, i) => i),
    'nothing lost, duplicated or reordered',
  );
  const s = stats.stages.called!;
  t.like(s, { errors: 0, retries: 0, backoffs: 1, backoffMs: 500 });
  t.is(limitDuring(), 7, 'the back-off took the limit from 8 to 7');
  t.true(s.limitChanges! >= 1);
  // Record 5 failed at 10 ms: nothing starts in (10, 510), then 5 is called again first.
  t.deepEqual(
    calls.filter(([, at]) => at > 10 && at < 510),
    [],
  );
  const again = calls.filter(([v]) => v === 5);
  t.deepEqual(
    again.map(([, at]) => at),
    [0, 510],
  );
  t.is(calls.find(([, at]) => at >= 510)![0], 5);
  t.is(calls.length, 41);
});

test('adaptive › unordered: a back-off pauses the stage and loses nothing', async (t) => {
  const { clock, out, pipeline } = backoffPipeline(false);
  const stats = await clock.run(pipeline.run());
  t.deepEqual(
    [...out].sort((a, b) => a - b),
    Array.from({ length: 40 }, (_, i) => i),
  );
  t.like(stats.stages.called!, { errors: 0, retries: 0, backoffs: 1, backoffMs: 500 });
});

test('adaptive › a stage without concurrencyLimit also waits on BackoffError and reports it', async (t) => {
  const { clock, out, pipeline } = backoffPipeline(true, false);
  const stats = await clock.run(pipeline.run());
  t.is(out.length, 40);
  t.like(stats.stages.called!, { errors: 0, backoffs: 1, backoffMs: 500 });
  t.is(stats.stages.called!.limit, undefined);
});
