// file: docs/examples/error-strategies.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, toArray, type SluiceModule } from '@sluice/core';
import {
  ERROR_STRATEGY,
  OnError,
  Stage,
  type Clock,
  type Enricher,
  type ErrorDecision,
  type ErrorStrategy,
  type ErrorStrategyProvider,
  type Mapper,
  type StageFailure,
} from '@sluice/sdk';

export interface Order {
  id: string;
  symbol: string;
  qty: number;
}

export const orders: Order[] = [
  { id: 'o1', symbol: 'AAPL', qty: 10 },
  { id: 'o2', symbol: 'MSFT', qty: 5 },
  { id: 'o3', symbol: 'XOM', qty: 20 },
  { id: 'o4', symbol: 'ACME', qty: 1 },
  { id: 'o5', symbol: 'AAPL', qty: 3 },
  { id: 'o6', symbol: 'MSFT', qty: 7 },
];

const PRICES: Record<string, number> = { AAPL: 190, MSFT: 410, XOM: 118 };

/** A quote service that times out now and then (MSFT twice, XOM once) and knows only three symbols. */
export class QuoteService {
  private readonly timeouts = new Map([
    ['MSFT', 2],
    ['XOM', 1],
  ]);
  async quote(symbol: string): Promise<number> {
    await new Promise((resolve) => setImmediate(resolve));
    const left = this.timeouts.get(symbol) ?? 0;
    if (left > 0) {
      this.timeouts.set(symbol, left - 1);
      throw Object.assign(new Error(`quote ${symbol}: timed out`), { code: 'ETIMEDOUT' });
    }
    const price = PRICES[symbol];
    if (price === undefined) throw new Error(`quote ${symbol}: unknown symbol`);
    return price;
  }
}

// 1. Retry: time-outs are retried with exponential back-off and jitter; other errors are not.
//    Whatever still fails goes to the dead letters. Results keep the order of the input.
@Stage({ name: 'priced', from: 'orders', concurrency: 4 })
@OnError({
  retry: { attempts: 4, backoff: 'exponential', delay: '10ms', maxDelay: '200ms', jitter: true, retryOn: ['ETIMEDOUT'] },
  then: 'dead-letter',
})
class Price implements Enricher<Order, string> {
  constructor(private readonly quotes: QuoteService) {}
  async enrich(o: Order) {
    return `${o.id} ${o.symbol} ${o.qty} @ ${await this.quotes.quote(o.symbol)}`;
  }
}

/** A trading venue that is down for its first three calls. */
export class Venue {
  private calls = 0;
  send(o: Order): string {
    if (++this.calls <= 3) throw new Error('venue down');
    return `${o.id} sent`;
  }
}

// 2. Circuit breaker: after 3 failures within 1 s the stage is not called for 50 ms. With
//    whileOpen: 'pause' the records wait (and the source with them); then one record probes the
//    venue, and its success closes the breaker.
@Stage({ name: 'sent', from: 'orders' })
@OnError({ breaker: { failures: 3, window: '1s', cooldown: '50ms', whileOpen: 'pause' }, then: 'dead-letter' })
class Send implements Mapper<Order, string> {
  constructor(private readonly venue: Venue) {}
  map(o: Order) {
    return this.venue.send(o);
  }
}

/** The error of a service that says how long to wait, like an HTTP 429 with Retry-After. */
export class RateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limited for ${retryAfterMs} ms`);
    this.name = 'RateLimited';
  }
}

// 3. A strategy of your own: wait as long as the error says. A module (or a plugin) binds it in
//    the container by name; @OnError({ strategy }) picks it.
class RetryAfter implements ErrorStrategy {
  constructor(
    private readonly attempts: number,
    private readonly then: 'dead-letter' | 'skip' | 'fail',
  ) {}
  decide(f: StageFailure): ErrorDecision {
    if (f.error instanceof RateLimited && f.attempt < this.attempts) return { retryInMs: f.error.retryAfterMs };
    return this.then;
  }
}

const retryAfter: ErrorStrategyProvider = {
  name: 'retry-after',
  create: (options, ctx) => new RetryAfter(Number(options.attempts ?? 3), ctx.then),
};

export const RateLimitModule: SluiceModule = { name: 'rate-limit', providers: [{ provide: ERROR_STRATEGY, useValue: retryAfter }] };

/** A ledger that refuses every third call: wait 20 ms. */
export class Ledger {
  private calls = 0;
  book(o: Order): string {
    if (++this.calls % 3 === 0) throw new RateLimited(20);
    return `${o.id} booked`;
  }
}

@Stage({ name: 'booked', from: 'orders' })
@OnError({ strategy: 'retry-after', options: { attempts: 3 }, then: 'fail' })
class Book implements Mapper<Order, string> {
  constructor(private readonly ledger: Ledger) {}
  map(o: Order) {
    return this.ledger.book(o);
  }
}

/** Runs the three pipelines; `clock` is the processing-time clock retries wait on (tests pass a virtual one). */
export async function main(clock?: Clock) {
  const priced: string[] = [];
  const retrying = createPipeline({
    components: [fromArray(orders, { name: 'orders' }), Price, toArray(priced, { name: 'out', from: 'priced' })],
    providers: [{ provide: QuoteService, useValue: new QuoteService() }],
    clock,
  });
  const retryStats = await retrying.run();

  const sent: string[] = [];
  const breaking = createPipeline({
    components: [fromArray(orders, { name: 'orders' }), Send, toArray(sent, { name: 'out', from: 'sent' })],
    providers: [{ provide: Venue, useValue: new Venue() }],
    clock,
  });
  const breakerStats = await breaking.run();

  const booked: string[] = [];
  const named = createPipeline({
    modules: [RateLimitModule],
    components: [fromArray(orders, { name: 'orders' }), Book, toArray(booked, { name: 'out', from: 'booked' })],
    providers: [{ provide: Ledger, useValue: new Ledger() }],
    clock,
  });
  const namedStats = await named.run();

  const deadLetters = (p: typeof retrying) =>
    p.deadLetters.records().map((d) => ({ value: (d.value as Order).id, error: d.error.message, attempts: d.attempts }));
  const { retries, errors, deadLettered } = retryStats.stages.priced!;
  const { state, opens } = breakerStats.stages.sent!.breaker!;
  return {
    retry: { priced, deadLetters: deadLetters(retrying), stats: { errors, retries, deadLettered } },
    breaker: { sent, deadLetters: deadLetters(breaking), breaker: { state, opens } },
    named: { booked, retries: namedStats.stages.booked!.retries },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.dir(await main(), { depth: null });
