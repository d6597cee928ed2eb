var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
// file: docs/examples/graph.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { Stage } from '@sluice/sdk';
export const nyse = [
    { id: 'n1', symbol: 'XOM', size: 500 },
    { id: 'n2', symbol: 'IBM', size: 20 },
    { id: 'n3', symbol: 'XOM', size: 150 },
];
export const lse = [
    { id: 'l1', symbol: 'BP', size: 30 },
    { id: 'l2', symbol: 'SHEL', size: 900 },
];
// Declared to read from 'trades'. A pipeline can point it elsewhere with `edges`.
let BlockTrades = class BlockTrades {
    filter(t) {
        return t.size >= 100;
    }
};
BlockTrades = __decorate([
    Stage({ name: 'block', from: 'trades' })
], BlockTrades);
const ids = (trades) => trades.map((t) => t.id).sort();
export async function main() {
    // Pipeline 1: the class as declared, reading the source called 'trades'.
    const blocks1 = [];
    await createPipeline({
        components: [fromArray(nyse, { name: 'trades' }), BlockTrades, toArray(blocks1, { name: 'out', from: 'block' })],
    }).run();
    // Pipeline 2: the same class reads two sources (a union), and 'nyse' also feeds an audit sink
    // (a fan-out: every record goes to every reader).
    const blocks2 = [];
    const audit = [];
    const pipeline = createPipeline({
        components: [
            fromArray(nyse, { name: 'nyse' }),
            fromArray(lse, { name: 'lse' }),
            BlockTrades,
            toArray(blocks2, { name: 'out', from: 'block' }),
            toArray(audit, { name: 'audit', from: 'nyse' }),
        ],
        edges: { block: ['nyse', 'lse'] }, // overrides from: 'trades'
    });
    await pipeline.run();
    // A union interleaves its inputs in no fixed order, so the ids are sorted for display.
    return { pipeline1: ids(blocks1), pipeline2: ids(blocks2), audit: ids(audit), segments: pipeline.segments() };
}
if (process.argv[1] === fileURLToPath(import.meta.url))
    console.dir(await main(), { depth: null });
//# sourceMappingURL=graph.js.map