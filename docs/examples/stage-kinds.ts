// file: docs/examples/stage-kinds.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import {
  Stage,
  type Aggregator,
  type Enricher,
  type Filter,
  type FlatMapper,
  type Mapper,
  type Processor,
  type Reducer,
  type StageContext,
} from '@sluice/sdk';

/** An order, filled in one or more parts. */
export interface Order {
  id: string;
  symbol: string;
  fills: { price: number; size: number }[];
}

/** One part of an order. */
export interface Fill {
  order: string;
  symbol: string;
  price: number;
  size: number;
}

interface PricedFill extends Fill {
  notional: number;
}

export interface VenueFill extends PricedFill {
  venue: string;
}

export interface Volume {
  symbol: string;
  fills: number;
  size: number;
}

export const orders: Order[] = [
  { id: 'o1', symbol: 'AAPL', fills: [{ price: 190, size: 5 }, { price: 191, size: 10 }] },
  { id: 'o2', symbol: 'XOM', fills: [{ price: 118, size: 0 }] },
  { id: 'o3', symbol: 'AAPL', fills: [{ price: 189, size: 2 }] },
  { id: 'o4', symbol: 'XOM', fills: [{ price: 119, size: 20 }, { price: 118.5, size: 4 }] },
];

const VENUES: Record<string, string> = { AAPL: 'XNAS', XOM: 'XNYS' };

// flatMap: one order in, one record per fill out.
@Stage({ name: 'fills', from: 'orders' })
class Fills implements FlatMapper<Order, Fill> {
  flatMap(o: Order): Fill[] {
    return o.fills.map((f) => ({ order: o.id, symbol: o.symbol, price: f.price, size: f.size }));
  }
}

// filter: keep the fills that traded something.
@Stage({ name: 'valid', from: 'fills' })
class ValidFills implements Filter<Fill> {
  filter(f: Fill): boolean {
    return f.size > 0;
  }
}

// map: exactly one record out per record in.
@Stage({ name: 'priced', from: 'valid' })
class Priced implements Mapper<Fill, PricedFill> {
  map(f: Fill): PricedFill {
    return { ...f, notional: f.price * f.size };
  }
}

// enrich: an async look-up per record, two at a time.
@Stage({ name: 'venue', from: 'priced', concurrency: 2 })
class Venue implements Enricher<PricedFill, VenueFill> {
  async enrich(f: PricedFill): Promise<VenueFill> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { ...f, venue: VENUES[f.symbol] ?? 'unknown' };
  }
}

// process: emits through ctx.emit, any number of times; flush runs once at end of input.
@Stage({ name: 'large', from: 'venue' })
class LargeFills implements Processor<VenueFill, string> {
  private seen = 0;
  private large = 0;
  process(f: VenueFill, ctx: StageContext<string>): void {
    this.seen += 1;
    if (f.notional >= 1000) {
      this.large += 1;
      ctx.emit(`${f.order} ${f.symbol} ${f.notional} on ${f.venue} (order #${ctx.position})`);
    }
  }
  flush(ctx: StageContext<string>): void {
    ctx.emit(`${this.large} large of ${this.seen} fills`);
  }
}

// reduce: a rolling result per key; emit: 'final' sends each key's last result at the end.
@Stage({ name: 'best', from: 'venue', key: (f: VenueFill) => f.symbol, emit: 'final' })
class BestPrice implements Reducer<VenueFill> {
  reduce(best: VenueFill, f: VenueFill): VenueFill {
    return f.price > best.price ? f : best;
  }
}

// aggregate: create/add/result per key; without emit: 'final' it emits after every record.
@Stage({ name: 'volume', from: 'venue', key: (f: VenueFill) => f.symbol })
class VolumeBySymbol implements Aggregator<VenueFill, { fills: number; size: number }, Volume> {
  create() {
    return { fills: 0, size: 0 };
  }
  add(acc: { fills: number; size: number }, f: VenueFill) {
    return { fills: acc.fills + 1, size: acc.size + f.size };
  }
  result(acc: { fills: number; size: number }, symbol: unknown): Volume {
    return { symbol: symbol as string, ...acc };
  }
}

export async function main() {
  const large: string[] = [];
  const best: VenueFill[] = [];
  const volume: Volume[] = [];
  const pipeline = createPipeline({
    components: [
      fromArray(orders, { name: 'orders' }),
      Fills,
      ValidFills,
      Priced,
      Venue,
      LargeFills,
      BestPrice,
      VolumeBySymbol,
      toArray(large, { name: 'large-out', from: 'large' }),
      toArray(best, { name: 'best-out', from: 'best' }),
      toArray(volume, { name: 'volume-out', from: 'volume' }),
    ],
  });
  await pipeline.run();
  return { large, best: best.map((f) => `${f.symbol} ${f.price} (${f.order})`), volume, segments: pipeline.segments() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.dir(await main(), { depth: null });
