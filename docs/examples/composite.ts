// file: docs/examples/composite.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, toArray, type SluiceModule } from '@sluice/core';
import { Composite, COMPOSITE_INPUT, Stage, type Filter, type Mapper } from '@sluice/sdk';

export interface Tick {
  symbol: string;
  price: number;
  size: number;
}

export interface PricedTick extends Tick {
  notional: number;
}

// Inner stages read the composite's input through COMPOSITE_INPUT...
@Stage({ name: 'valid', from: COMPOSITE_INPUT })
class ValidTicks implements Filter<Tick> {
  filter(t: Tick): boolean {
    return t.size > 0 && t.price > 0;
  }
}

// ...and each other by their short names.
@Stage({ name: 'priced', from: 'valid' })
class Notional implements Mapper<Tick, PricedTick> {
  map(t: Tick): PricedTick {
    return { ...t, notional: t.price * t.size };
  }
}

// One input (from), one output (the inner stage named by `output`).
@Composite({ name: 'clean', from: 'ticks', stages: [ValidTicks, Notional], output: 'priced' })
export class CleanTicks {}

// A module bundles components (and the services they need) for reuse.
export const CleaningModule: SluiceModule = { name: 'cleaning', components: [CleanTicks] };

// Downstream, the composite is read like any stage: by its name.
@Stage({ name: 'large', from: 'clean' })
class LargeTrades implements Filter<PricedTick> {
  filter(t: PricedTick): boolean {
    return t.notional >= 10_000;
  }
}

export const ticks: Tick[] = [
  { symbol: 'AAPL', price: 190, size: 100 },
  { symbol: 'AAPL', price: 190, size: 0 },
  { symbol: 'MSFT', price: 411, size: 10 },
  { symbol: 'XOM', price: -1, size: 500 },
  { symbol: 'XOM', price: 118, size: 200 },
];

export async function main() {
  const out: PricedTick[] = [];
  const pipeline = createPipeline({
    modules: [CleaningModule],
    components: [fromArray(ticks, { name: 'ticks' }), LargeTrades, toArray(out, { name: 'out', from: 'large' })],
  });
  const stats = await pipeline.run();
  return { out, stages: Object.keys(stats.stages), segments: pipeline.segments() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.dir(await main(), { depth: null });
