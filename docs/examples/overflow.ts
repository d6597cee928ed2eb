// file: docs/examples/overflow.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, defineSink, fromPush, SystemClock, toArray } from '@sluice/core';
import type { Clock } from '@sluice/sdk';

/** A quote from a multicast market-data feed. */
export interface Quote {
  seq: number;
  symbol: string;
  bid: number;
}

/** Runs the pipeline; `clock` paces the feed and the sink (the wall clock unless a test passes a virtual one). */
export async function main(clock: Clock = new SystemClock()) {
  const shown: Quote[] = [];
  const archived: Quote[] = [];

  // The feed cannot be paused: every 10 ms a packet brings 10 quotes, 1000 quotes a second, for 1 s.
  const quotes = fromPush<Quote>(
    (emitter) => {
      let seq = 0;
      const packet = () => {
        for (let i = 0; i < 10; i++, seq++) emitter.emit({ seq, symbol: ['AAPL', 'MSFT', 'XOM'][seq % 3]!, bid: 100 + (seq % 7) });
        if (seq < 1_000) cancel = clock.schedule(clock.now() + 10, packet);
        else emitter.end();
      };
      let cancel = clock.schedule(clock.now() + 10, packet);
      return () => cancel(); // unsubscribe: stop the feed
    },
    // At most 50 quotes wait; when full, the oldest quote makes room for the newest.
    { name: 'quotes', batchSize: 10, overflow: { policy: 'drop-oldest', buffer: 50 } },
  );

  // The dashboard accepts 100 quotes a second: ten times less than the feed sends.
  const dashboard = defineSink<Quote>(
    { name: 'dashboard', from: 'quotes', channelCapacity: 10, rateLimit: { strategy: 'token-bucket', options: { rate: '100/s', burst: 10 } } },
    { write: (batch) => void shown.push(...batch) }, // here: send the batch to the dashboard
  );

  // Quotes the policy dropped are not lost: they go to an archive.
  const archive = toArray(archived, { name: 'archive', from: 'quotes:dropped' });

  const stats = await createPipeline({ components: [quotes, dashboard, archive], clock }).run();
  return { shown, archived, source: stats.sources.quotes! };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { shown, archived, source } = await main();
  const dropped = source.dropped!['drop-oldest'] ?? 0;
  // How many quotes are shown depends on timing on the wall clock; these lines do not.
  console.log(`${source.pushed} quotes pushed = ${shown.length + archived.length} shown or archived`);
  console.log(`dropped ${dropped === archived.length ? '= archived' : '!= archived'}; at most ${source.maxBufferFill} of ${source.bufferCapacity} buffered`);
  console.log(`the newest quote reached the dashboard: ${shown.at(-1)?.seq === 999}`);
}
