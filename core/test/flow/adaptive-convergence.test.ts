import test, { type ExecutionContext } from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import { Stage, type ConcurrencyLimitOptions, type Enricher } from '@sluice/sdk';
import { QueueingService } from './queueing-service.js';

// The service: 100 ms per call, 10 workers (100 calls/s) until 30 s, then 20 workers (200 calls/s).
const LATENCY = 100;
const SCALE_OUT_AT = 30_000;
const RECORDS = 8_000;

async function runAgainst(concurrencyLimit: ConcurrencyLimitOptions | undefined) {
  const clock = new VirtualClock(0);
  const service = new QueueingService(clock, LATENCY, 10);
  clock.schedule(SCALE_OUT_AT, () => service.setWorkers(20));
  @Stage({ name: 'called', from: 'records', concurrency: 64, ...(concurrencyLimit === undefined ? {} : { concurrencyLimit }) })
  class Called implements Enricher<number, number> {
    async enrich(n: number) {
      await service.call();
      return n;
    }
  }
  const out: number[] = [];
  const limits: [at: number, limit: number][] = [];
  const pipeline = createPipeline({
    components: [
      fromArray(
        Array.from({ length: RECORDS }, (_, i) => i),
        { name: 'records' },
      ),
      Called,
      toArray(out, { name: 'out', from: 'called' }),
    ],
    clock,
  });
  // Samples the limit every second of virtual time.
  for (let at = 1_000; at < 200_000; at += 1_000) clock.schedule(at, () => limits.push([at, pipeline.stats().stages.called!.limit ?? 0]));
  const stats = await clock.run(pipeline.run(), 100_000);
  return { service, stats, out, end: clock.now(), limits };
}

function checkConverged(t: ExecutionContext, r: Awaited<ReturnType<typeof runAgainst>>) {
  t.is(r.out.length, RECORDS, 'every record went through');
  t.true(r.end > 50_000, `the run ended at ${r.end} ms, before the late window`);
  const windows = [
    { name: 'before the scale-out', from: 15_000, to: SCALE_OUT_AT, capacity: 100 },
    // Recovery: within 10 s of the scale-out the throughput follows the new capacity.
    { name: 'after the scale-out', from: SCALE_OUT_AT + 10_000, to: 50_000, capacity: 200 },
  ];
  for (const w of windows) {
    const { perSecond, meanLatency } = r.service.window(w.from, w.to);
    // At most the capacity (plus the calls of one latency's worth that a window's edge can catch).
    const ceiling = w.capacity * (1 + LATENCY / (w.to - w.from));
    t.true(perSecond >= 0.8 * w.capacity, `${w.name}: ${perSecond} calls/s, below 80% of ${w.capacity}`);
    t.true(perSecond <= ceiling, `${w.name}: ${perSecond} calls/s, above the capacity ${w.capacity}`);
    // Without a limiter the stage runs 64 calls, so they queue 6.4x the latency: the limit must find the knee.
    t.true(meanLatency <= 2 * LATENCY, `${w.name}: mean latency ${meanLatency} ms, calls queue`);
  }
  t.true(r.stats.stages.called!.maxInFlight <= 64);
  t.true(r.stats.stages.called!.limitChanges! > 0);
  t.log(
    `limit each 5 s: ${r.limits
      .filter(([at]) => at % 5_000 === 0 && at <= r.end)
      .map(([, l]) => l)
      .join(' ')}`,
  );
  for (const w of windows) t.log(`${w.from}-${w.to} ms: ${JSON.stringify(r.service.window(w.from, w.to))}`);
}

test('adaptive › aimd converges to the service capacity, then follows it when the capacity doubles', async (t) => {
  const r = await runAgainst({ strategy: 'aimd', options: { initial: 2, latencyTarget: '150ms' } });
  checkConverged(t, r);
});

test('adaptive › gradient converges to the service capacity, then follows it when the capacity doubles', async (t) => {
  const r = await runAgainst({ strategy: 'gradient', options: { initial: 2 } });
  checkConverged(t, r);
});

test("adaptive › without a limiter the same service queues the stage's whole concurrency (the checks above can fail)", async (t) => {
  const r = await runAgainst(undefined);
  const { meanLatency } = r.service.window(15_000, SCALE_OUT_AT);
  t.true(meanLatency > 3 * LATENCY, String(meanLatency));
  t.is(r.service.maxInFlight, 64);
});
