// file: docs/examples/keyed-limits.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, SystemClock, toArray } from '@sluice/core';
import { Stage, type Clock, type Mapper } from '@sluice/sdk';

/** A price update for one symbol. */
export interface Tick {
  symbol: string;
  seq: number;
}

// AAPL is hot (30 updates at once), MSFT and XOM are quiet (3 each).
export const ticks: Tick[] = [
  ...Array.from({ length: 30 }, (_, seq) => ({ symbol: 'AAPL', seq })),
  ...Array.from({ length: 3 }, (_, seq) => ({ symbol: 'MSFT', seq })),
  ...Array.from({ length: 3 }, (_, seq) => ({ symbol: 'XOM', seq })),
];

/** Runs the pipeline; `clock` is the clock the stage waits on (the wall clock unless a test passes a virtual one). */
export async function main(clock: Clock = new SystemClock()) {
  const start = clock.now();
  const published: { atMs: number; symbol: string; seq: number }[] = [];

  // Each symbol may be quoted 100 times a second, 2 at once: one token bucket per symbol (the
  // stage's key), created when the symbol first comes; at most 1000 symbols' buckets are kept.
  @Stage({
    name: 'quotes',
    from: 'ticks',
    key: (t: Tick) => t.symbol,
    rateLimit: { strategy: 'token-bucket', options: { rate: '100/s', burst: 2 }, perKey: { maxKeys: 1_000 } },
  })
  class Quotes implements Mapper<Tick, Tick> {
    map(t: Tick) {
      published.push({ atMs: clock.now() - start, symbol: t.symbol, seq: t.seq }); // here: publish the quote
      return t;
    }
  }

  const pipeline = createPipeline({ components: [fromArray(ticks, { name: 'ticks' }), Quotes, toArray([], { name: 'out', from: 'quotes' })], clock });
  const stats = await pipeline.run();
  return { published, stage: stats.stages.quotes! };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { published, stage } = await main();
  for (const symbol of ['AAPL', 'MSFT', 'XOM']) {
    const seqs = published.filter((p) => p.symbol === symbol).map((p) => p.seq);
    console.log(`${symbol}: ${seqs.length} quotes, in order: ${seqs.every((s, i) => s === i)}`);
  }
  console.log(`limit: ${stage.limit} quotes/s per symbol; symbols held: ${stage.keys}; quotes waiting now: ${stage.heldRecords}`);
}
