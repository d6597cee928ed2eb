// file: docs/examples/adaptive-concurrency.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, SystemClock, toArray } from '@sluice/core';
import { BackoffError, Stage, type Clock, type Enricher } from '@sluice/sdk';

/** A trade to price, and the same trade with its reference price. */
export interface Trade {
  symbol: string;
  seq: number;
}
export interface PricedTrade extends Trade {
  ref: number;
}

export const trades: Trade[] = Array.from({ length: 200 }, (_, seq) => ({ symbol: ['AAPL', 'MSFT', 'XOM', 'NVDA', 'JPM'][seq % 5]!, seq }));

/**
 * A stand-in for a reference-price HTTP API: it serves 4 requests at once in 50 ms each (80 a
 * second); more wait in its queue. Its 100th request gets a 429 with `Retry-After: 0.2`.
 */
export class PriceApi {
  private busy = 0;
  private requests = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly clock: Clock) {}

  price(symbol: string): Promise<number> {
    if (++this.requests === 100) return Promise.reject(Object.assign(new Error('429 Too Many Requests'), { retryAfterS: 0.2 }));
    return new Promise((resolve) => {
      const serve = () => {
        this.busy++;
        this.clock.schedule(this.clock.now() + 50, () => {
          this.busy--;
          resolve(100 + symbol.length);
          if (this.queue.length > 0) this.queue.shift()!();
        });
      };
      if (this.busy < 4) serve();
      else this.queue.push(serve);
    });
  }
}

/** Runs the pipeline; `clock` is the pipeline's clock (the wall clock unless a test passes a virtual one). */
export async function main(clock: Clock = new SystemClock()) {
  const api = new PriceApi(clock);

  // Up to 16 calls at once, but AIMD finds how many the API takes before its latency passes
  // 75 ms. Each symbol's trades stay in order; different symbols may overtake each other.
  @Stage({
    name: 'priced',
    from: 'trades',
    concurrency: 16,
    ordered: 'keyed',
    key: (t: Trade) => t.symbol,
    concurrencyLimit: { strategy: 'aimd', options: { initial: 2, latencyTarget: '75ms' } },
  })
  class Priced implements Enricher<Trade, PricedTrade> {
    async enrich(t: Trade): Promise<PricedTrade> {
      try {
        return { ...t, ref: await api.price(t.symbol) };
      } catch (err) {
        // A 429: wait as asked and call again (not a failure, no retry used up).
        const retryAfterS = (err as { retryAfterS?: number }).retryAfterS;
        if (retryAfterS !== undefined) throw new BackoffError(retryAfterS * 1000);
        throw err;
      }
    }
  }

  const out: PricedTrade[] = [];
  const pipeline = createPipeline({ components: [fromArray(trades, { name: 'trades' }), Priced, toArray(out, { name: 'out', from: 'priced' })], clock });
  const stats = await pipeline.run();
  return { out, stage: stats.stages.priced! };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { out, stage } = await main();
  console.log(`${out.length} trades priced; at most ${stage.maxInFlight} calls at once; limit now ${stage.limit}`);
  console.log(`${stage.backoffs} back-off of ${stage.backoffMs} ms; ${stage.errors} errors`);
}
