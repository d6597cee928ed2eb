var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
// file: docs/examples/stage-kinds.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { Stage, } from '@sluice/sdk';
export const orders = [
    { id: 'o1', symbol: 'AAPL', fills: [{ price: 190, size: 5 }, { price: 191, size: 10 }] },
    { id: 'o2', symbol: 'XOM', fills: [{ price: 118, size: 0 }] },
    { id: 'o3', symbol: 'AAPL', fills: [{ price: 189, size: 2 }] },
    { id: 'o4', symbol: 'XOM', fills: [{ price: 119, size: 20 }, { price: 118.5, size: 4 }] },
];
const VENUES = { AAPL: 'XNAS', XOM: 'XNYS' };
// flatMap: one order in, one record per fill out.
let Fills = class Fills {
    flatMap(o) {
        return o.fills.map((f) => ({ order: o.id, symbol: o.symbol, price: f.price, size: f.size }));
    }
};
Fills = __decorate([
    Stage({ name: 'fills', from: 'orders' })
], Fills);
// filter: keep the fills that traded something.
let ValidFills = class ValidFills {
    filter(f) {
        return f.size > 0;
    }
};
ValidFills = __decorate([
    Stage({ name: 'valid', from: 'fills' })
], ValidFills);
// map: exactly one record out per record in.
let Priced = class Priced {
    map(f) {
        return { ...f, notional: f.price * f.size };
    }
};
Priced = __decorate([
    Stage({ name: 'priced', from: 'valid' })
], Priced);
// enrich: an async look-up per record, two at a time.
let Venue = class Venue {
    async enrich(f) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return { ...f, venue: VENUES[f.symbol] ?? 'unknown' };
    }
};
Venue = __decorate([
    Stage({ name: 'venue', from: 'priced', concurrency: 2 })
], Venue);
// process: emits through ctx.emit, any number of times; flush runs once at end of input.
let LargeFills = class LargeFills {
    seen = 0;
    large = 0;
    process(f, ctx) {
        this.seen += 1;
        if (f.notional >= 1000) {
            this.large += 1;
            ctx.emit(`${f.order} ${f.symbol} ${f.notional} on ${f.venue} (order #${ctx.position})`);
        }
    }
    flush(ctx) {
        ctx.emit(`${this.large} large of ${this.seen} fills`);
    }
};
LargeFills = __decorate([
    Stage({ name: 'large', from: 'venue' })
], LargeFills);
// reduce: a rolling result per key; emit: 'final' sends each key's last result at the end.
let BestPrice = class BestPrice {
    reduce(best, f) {
        return f.price > best.price ? f : best;
    }
};
BestPrice = __decorate([
    Stage({ name: 'best', from: 'venue', key: (f) => f.symbol, emit: 'final' })
], BestPrice);
// aggregate: create/add/result per key; without emit: 'final' it emits after every record.
let VolumeBySymbol = class VolumeBySymbol {
    create() {
        return { fills: 0, size: 0 };
    }
    add(acc, f) {
        return { fills: acc.fills + 1, size: acc.size + f.size };
    }
    result(acc, symbol) {
        return { symbol: symbol, ...acc };
    }
};
VolumeBySymbol = __decorate([
    Stage({ name: 'volume', from: 'venue', key: (f) => f.symbol })
], VolumeBySymbol);
export async function main() {
    const large = [];
    const best = [];
    const volume = [];
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
if (process.argv[1] === fileURLToPath(import.meta.url))
    console.dir(await main(), { depth: null });
//# sourceMappingURL=stage-kinds.js.map