import test from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import {
  ErrorCodes,
  OnError,
  SluiceError,
  Stage,
  Window,
  type Aggregator,
  type Enricher,
  type Mapper,
  type Processor,
  type StageContext,
  type WindowResult,
} from '@sluice/sdk';
import { runOnClock } from './run-on-clock.js';

interface Tick {
  sym: string;
  t: number;
}

test('retry (sync) › the watermark waits for a parked record: a retried record is not late in the window after it', async (t) => {
  const clock = new VirtualClock(0);
  let failures = 2;
  @Stage({ name: 'checked', from: 'ticks' })
  @OnError({ retry: { attempts: 3, delay: '1s' } })
  class Check implements Mapper<Tick, Tick> {
    map(x: Tick) {
      if (x.t === 1_500 && failures-- > 0) throw new Error('flaky');
      return x;
    }
  }
  @Stage({ name: 'counts', from: 'checked', key: (x: Tick) => x.sym })
  @Window({ tumbling: '1s' })
  class Count implements Aggregator<Tick, number, number> {
    create() {
      return 0;
    }
    add(n: number) {
      return n + 1;
    }
    result(n: number) {
      return n;
    }
  }
  const ticks: Tick[] = [1_000, 1_200, 1_500, 2_100, 3_500, 5_000].map((time) => ({ sym: 'A', t: time }));
  const out: WindowResult<number>[] = [];
  const late: Tick[] = [];
  const p = createPipeline({
    components: [
      fromArray(ticks, { name: 'ticks', eventTime: (x) => x.t, batchSize: 2 }),
      Check,
      Count,
      toArray(out, { name: 'out', from: 'counts' }),
      toArray(late, { name: 'late', from: 'counts:late' }),
    ],
    clock,
  });
  const stats = await runOnClock(p, clock);
  t.deepEqual(
    out.map((r) => [r.start, r.value]),
    [
      [1_000, 3],
      [2_000, 1],
      [3_000, 1],
      [5_000, 1],
    ],
  );
  t.deepEqual(late, []);
  t.is(stats.stages.checked!.retries, 2);
});

test('retry (sync) › a process stage is retried with its context pointing at the parked record', async (t) => {
  const clock = new VirtualClock(0);
  let failed = false;
  @Stage({ name: 'tagged', from: 'lines' })
  @OnError({ retry: { attempts: 2, delay: 10 } })
  class Tag implements Processor<string, string> {
    process(s: string, ctx: StageContext<string>) {
      if (s === 'b' && !failed) {
        failed = true;
        throw new Error('once');
      }
      ctx.emit(`${s}#${ctx.position}@${clock.now()}`);
    }
  }
  const out: string[] = [];
  const p = createPipeline({
    components: [fromArray(['a', 'b', 'c'], { name: 'lines' }), Tag, toArray(out, { name: 'out', from: 'tagged' })],
    clock,
  });
  await runOnClock(p, clock);
  t.deepEqual(out, ['a#0@0', 'b#1@10', 'c#2@10']);
});

const abortSoon = (controller: AbortController) => setImmediate(() => controller.abort());

for (const kind of ['sync', 'enrich'] as const) {
  test(`retry (${kind}) › cancelling the pipeline during a back-off ends the run at once`, async (t) => {
    const clock = new VirtualClock(0);
    const controller = new AbortController();
    @Stage({ name: 'failing', from: 'lines' })
    @OnError({ retry: { attempts: 1000, delay: '1h' } })
    class SyncFailing implements Mapper<string, string> {
      map(): string {
        abortSoon(controller);
        throw new Error('down');
      }
    }
    @Stage({ name: 'failing', from: 'lines', concurrency: 2 })
    @OnError({ retry: { attempts: 1000, delay: '1h' } })
    class AsyncFailing implements Enricher<string, string> {
      async enrich(): Promise<string> {
        abortSoon(controller);
        throw new Error('down');
      }
    }
    const p = createPipeline({
      components: [
        fromArray(['a', 'b'], { name: 'lines' }),
        kind === 'sync' ? SyncFailing : AsyncFailing,
        toArray([], { name: 'out', from: 'failing' }),
      ],
      clock,
      signal: controller.signal,
    });
    const err = await t.throwsAsync(p.run());
    t.true(SluiceError.is(err, ErrorCodes.ABORTED));
    t.is(clock.now(), 0);
    t.is(clock.pending, 0);
  });
}
