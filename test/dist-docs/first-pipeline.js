var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
// file: docs/examples/first-pipeline.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { Stage } from '@sluice/sdk';
export const ticks = [
    { symbol: 'AAPL', price: 189.5, size: 100 },
    { symbol: 'MSFT', price: 411.2, size: 50 },
    { symbol: 'AAPL', price: 189.7, size: 0 }, // empty trade: the filter drops it
    { symbol: 'XOM', price: 118.4, size: 200 },
    { symbol: 'MSFT', price: 411.0, size: 150 },
    { symbol: 'AAPL', price: 190.1, size: 300 },
    { symbol: 'XOM', price: -1, size: 10 }, // bad price: the filter drops it
    { symbol: 'XOM', price: 118.9, size: 100 },
];
const SECTORS = { AAPL: 'Technology', MSFT: 'Technology', XOM: 'Energy' };
/** Stands in for a call to a reference-data service: it takes a few milliseconds. */
async function lookUpSector(symbol) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return SECTORS[symbol] ?? 'Unknown';
}
// 1. filter: keep real trades only.
let ValidTicks = class ValidTicks {
    filter(t) {
        return t.size > 0 && t.price > 0;
    }
};
ValidTicks = __decorate([
    Stage({ name: 'valid', from: 'ticks' })
], ValidTicks);
// 2. map: one record in, one record out.
let Notional = class Notional {
    map(t) {
        return { ...t, notional: t.price * t.size };
    }
};
Notional = __decorate([
    Stage({ name: 'priced', from: 'valid' })
], Notional);
// 3. enrich: async, up to 4 look-ups at once; results keep the input order.
let Sector = class Sector {
    async enrich(t) {
        return { ...t, sector: await lookUpSector(t.symbol) };
    }
};
Sector = __decorate([
    Stage({ name: 'enriched', from: 'priced', concurrency: 4 })
], Sector);
// 4. keyed aggregate: one accumulator per symbol; emit: 'final' gives one result per symbol at the end.
let Summary = class Summary {
    create() {
        return { sector: '', trades: 0, volume: 0, notional: 0 };
    }
    add(acc, t) {
        acc.sector = t.sector;
        acc.trades += 1;
        acc.volume += t.size;
        acc.notional += t.notional;
        return acc;
    }
    result(acc, symbol) {
        const vwap = Math.round((acc.notional / acc.volume) * 100) / 100;
        return { symbol: symbol, sector: acc.sector, trades: acc.trades, volume: acc.volume, vwap };
    }
};
Summary = __decorate([
    Stage({ name: 'summary', from: 'enriched', key: (t) => t.symbol, emit: 'final' })
], Summary);
export async function main() {
    const out = [];
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
if (process.argv[1] === fileURLToPath(import.meta.url))
    console.log(await main());
//# sourceMappingURL=first-pipeline.js.map