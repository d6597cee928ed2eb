// file: docs/examples/first-pipeline.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { Stage, type Aggregator, type Enricher, type Filter, type Mapper } from '@sluice/sdk';

/** One trade, as an exchange reports it. */
export interface Tick {
  symbol: string;
  price: number;
  size: number;
}

/** A tick with its notional value: price × size. */
interface PricedTick extends Tick {
  notional: number;
}

/** A priced tick with the sector of its symbol. */
interface SectorTick extends PricedTick {
  sector: string;
}

/** What the pipeline produces: one summary per symbol. */
export interface SymbolSummary {
  symbol: string;
  sector: string;
  trades: number;
  volume: number;
  vwap: number;
}

export const ticks: Tick[] = [
  { symbol: 'AAPL', price: 189.5, size: 100 },
  { symbol: 'MSFT', price: 411.2, size: 50 },
  { symbol: 'AAPL', price: 189.7, size: 0 }, // empty trade: the filter drops it
  { symbol: 'XOM', price: 118.4, size: 200 },
  { symbol: 'MSFT', price: 411.0, size: 150 },
  { symbol: 'AAPL', price: 190.1, size: 300 },
  { symbol: 'XOM', price: -1, size: 10 }, // bad price: the filter drops it
  { symbol: 'XOM', price: 118.9, size: 100 },
];

const SECTORS: Record<string, string> = { AAPL: 'Technology', MSFT: 'Technology', XOM: 'Energy' };

/** Stands in for a call to a reference-data service: it takes a few milliseconds. */
async function lookUpSector(symbol: string): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return SECTORS[symbol] ?? 'Unknown';
}

// 1. filter: keep real trades only.
@Stage({ name: 'valid', from: 'ticks' })
class ValidTicks implements Filter<Tick> {
  filter(t: Tick): boolean {
    return t.size > 0 && t.price > 0;
  }
}

// 2. map: one record in, one record out.
@Stage({ name: 'priced', from: 'valid' })
class Notional implements Mapper<Tick, PricedTick> {
  map(t: Tick): PricedTick {
    return { ...t, notional: t.price * t.size };
  }
}

// 3. enrich: async, up to 4 look-ups at once; results keep the input order.
@Stage({ name: 'enriched', from: 'priced', concurrency: 4 })
class Sector implements Enricher<PricedTick, SectorTick> {
  async enrich(t: PricedTick): Promise<SectorTick> {
    return { ...t, sector: await lookUpSector(t.symbol) };
  }
}

interface Totals {
  sector: string;
  trades: number;
  volume: number;
  notional: number;
}

// 4. keyed aggregate: one accumulator per symbol; emit: 'final' gives one result per symbol at the end.
@Stage({ name: 'summary', from: 'enriched', key: (t: SectorTick) => t.symbol, emit: 'final' })
class Summary implements Aggregator<SectorTick, Totals, SymbolSummary> {
  create(): Totals {
    return { sector: '', trades: 0, volume: 0, notional: 0 };
  }
  add(acc: Totals, t: SectorTick): Totals {
    acc.sector = t.sector;
    acc.trades += 1;
    acc.volume += t.size;
    acc.notional += t.notional;
    return acc;
  }
  result(acc: Totals, symbol: unknown): SymbolSummary {
    const vwap = Math.round((acc.notional / acc.volume) * 100) / 100;
    return { symbol: symbol as string, sector: acc.sector, trades: acc.trades, volume: acc.volume, vwap };
  }
}

export async function main(): Promise<SymbolSummary[]> {
  const out: SymbolSummary[] = [];
  const pipeline = createPipeline({
    components: [
      fromArray(ticks, { name: 'ticks' }),
      ValidTicks,
      Notional,
      Sector,
      Summary,
      toArray(out, { name: 'out', from: 'summary' }),
    ],
  });
  await pipeline.run();
  return out;
}

// When run directly (node test/dist-docs/first-pipeline.js), print the result.
if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await main());
