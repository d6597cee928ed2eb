// file: docs/examples/overrides.ts
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, SystemClock, toArray, type ComponentOverride } from '@sluice/core';
import { Stage, type Clock, type Mapper } from '@sluice/sdk';

/** A quote to send on, with its price in cents. */
export interface Quote {
  symbol: string;
  cents: number;
}

// Declared without a rate limit or an error policy: those are settings of the deployment.
@Stage({ name: 'priced', from: 'quotes' })
class ToDollars implements Mapper<Quote, { symbol: string; price: number }> {
  map(q: Quote) {
    if (!Number.isInteger(q.cents)) throw new Error(`cents must be an integer, got ${q.cents}`);
    return { symbol: q.symbol, price: q.cents / 100 };
  }
}

export const quotes: Quote[] = [
  { symbol: 'AAPL', cents: 18_950 },
  { symbol: 'MSFT', cents: 41_020.5 },
  { symbol: 'XOM', cents: 11_075 },
  { symbol: 'IBM', cents: 22_410 },
];

/** Runs the pipeline with the settings in `settingsJson` (the text of a settings file). */
export async function main(settingsJson: string, clock: Clock = new SystemClock()) {
  const overrides = JSON.parse(settingsJson) as Record<string, ComponentOverride>;
  const sent: { symbol: string; price: number }[] = [];
  const pipeline = createPipeline({
    components: [fromArray(quotes, { name: 'quotes' }), ToDollars, toArray(sent, { name: 'out', from: 'priced' })],
    overrides,
    clock,
  });
  const stats = await pipeline.run();
  return { sent, deadLetters: pipeline.deadLetters.records().map((d) => d.error.message), limit: stats.sinks.out!.limit };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Run from the repository's root; another settings file can be given as the first argument.
  const settings = readFileSync(process.argv[2] ?? 'docs/examples/overrides.settings.json', 'utf8');
  console.dir(await main(settings), { depth: null });
}
