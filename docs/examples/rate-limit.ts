// file: docs/examples/rate-limit.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, defineSink, fromArray, SystemClock } from '@sluice/core';
import type { Clock } from '@sluice/sdk';

/** A price alert, one per record. */
export interface Alert {
  symbol: string;
  price: number;
}

export const alerts: Alert[] = Array.from({ length: 50 }, (_, i) => ({ symbol: ['AAPL', 'MSFT', 'XOM'][i % 3]!, price: 100 + i }));

/** Runs the pipeline; `clock` is the clock the sink waits on (the wall clock unless a test passes a virtual one). */
export async function main(clock: Clock = new SystemClock()) {
  const start = clock.now();
  const calls: { atMs: number; alerts: number }[] = [];

  // A notification service allows 20 alerts a second, 5 at once at most: a token bucket that
  // starts full (5 alerts go at once) and refills at 20 per second.
  const notify = defineSink<Alert>(
    { name: 'notify', from: 'alerts', rateLimit: { strategy: 'token-bucket', options: { rate: '20/s', burst: 5 } } },
    {
      write(batch) {
        calls.push({ atMs: clock.now() - start, alerts: batch.length }); // here: POST the batch to the service
      },
    },
  );

  const pipeline = createPipeline({ components: [fromArray(alerts, { name: 'alerts' }), notify], clock });
  const stats = await pipeline.run();
  return { calls, sink: stats.sinks.notify!, source: stats.sources.alerts! };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { calls, sink } = await main();
  // Timings on the wall clock vary by a few ms, so this prints them rounded.
  console.log(`${sink.records} alerts in ${calls.length} calls of at most ${Math.max(...calls.map((c) => c.alerts))}`);
  console.log(`limit: ${sink.limit} alerts/s; waited for the limiter about ${Math.round(sink.throttledMs! / 250) * 250} ms`);
}
