var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
// file: docs/examples/composite.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { Composite, COMPOSITE_INPUT, Stage } from '@sluice/sdk';
// Inner stages read the composite's input through COMPOSITE_INPUT...
let ValidTicks = class ValidTicks {
    filter(t) {
        return t.size > 0 && t.price > 0;
    }
};
ValidTicks = __decorate([
    Stage({ name: 'valid', from: COMPOSITE_INPUT })
], ValidTicks);
// ...and each other by their short names.
let Notional = class Notional {
    map(t) {
        return { ...t, notional: t.price * t.size };
    }
};
Notional = __decorate([
    Stage({ name: 'priced', from: 'valid' })
], Notional);
// One input (from), one output (the inner stage named by `output`).
let CleanTicks = class CleanTicks {
};
CleanTicks = __decorate([
    Composite({ name: 'clean', from: 'ticks', stages: [ValidTicks, Notional], output: 'priced' })
], CleanTicks);
export { CleanTicks };
// A module bundles components (and the services they need) for reuse.
export const CleaningModule = { name: 'cleaning', components: [CleanTicks] };
// Downstream, the composite is read like any stage: by its name.
let LargeTrades = class LargeTrades {
    filter(t) {
        return t.notional >= 10_000;
    }
};
LargeTrades = __decorate([
    Stage({ name: 'large', from: 'clean' })
], LargeTrades);
export const ticks = [
    { symbol: 'AAPL', price: 190, size: 100 },
    { symbol: 'AAPL', price: 190, size: 0 },
    { symbol: 'MSFT', price: 411, size: 10 },
    { symbol: 'XOM', price: -1, size: 500 },
    { symbol: 'XOM', price: 118, size: 200 },
];
export async function main() {
    const out = [];
    const pipeline = createPipeline({
        modules: [CleaningModule],
        components: [fromArray(ticks, { name: 'ticks' }), LargeTrades, toArray(out, { name: 'out', from: 'large' })],
    });
    const stats = await pipeline.run();
    return { out, stages: Object.keys(stats.stages), segments: pipeline.segments() };
}
if (process.argv[1] === fileURLToPath(import.meta.url))
    console.dir(await main(), { depth: null });
//# sourceMappingURL=composite.js.map