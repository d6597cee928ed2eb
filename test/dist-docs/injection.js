var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
// file: docs/examples/injection.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, registerComponents } from '@sluice/core';
import { EndOfStreamError, Inject, Injectable, Sink, Source, Stage, } from '@sluice/sdk';
import { Container } from 'inversify';
// Services. Declare them before the classes that take them in their constructors.
/** Reference data, injected by its class. */
let RefData = class RefData {
    sectors = new Map([
        ['AAPL', 'Technology'],
        ['XOM', 'Energy'],
    ]);
    async sector(symbol) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return this.sectors.get(symbol) ?? 'Unknown';
    }
};
RefData = __decorate([
    Injectable()
], RefData);
export { RefData };
/** Where the sink stores rows, injected by its class. */
let TradeStore = class TradeStore {
    rows = [];
};
TradeStore = __decorate([
    Injectable()
], TradeStore);
export { TradeStore };
/** Plain values are injected by a token. */
export const TICKS = Symbol('ticks');
export const MIN_SIZE = Symbol('minSize');
// Components. The container builds each one and passes what its constructor asks for.
let TickFeed = class TickFeed {
    ticks;
    next = 0;
    constructor(ticks) {
        this.ticks = ticks;
    }
    read(max) {
        if (this.next >= this.ticks.length)
            throw new EndOfStreamError();
        const batch = this.ticks.slice(this.next, this.next + max);
        this.next += batch.length;
        return batch;
    }
};
TickFeed = __decorate([
    Source({ name: 'ticks' }),
    __param(0, Inject(TICKS)),
    __metadata("design:paramtypes", [Array])
], TickFeed);
let MinSize = class MinSize {
    minSize;
    constructor(minSize) {
        this.minSize = minSize;
    }
    filter(t) {
        return t.size >= this.minSize;
    }
};
MinSize = __decorate([
    Stage({ name: 'valid', from: 'ticks' }),
    __param(0, Inject(MIN_SIZE)),
    __metadata("design:paramtypes", [Number])
], MinSize);
let Enrich = class Enrich {
    refData;
    constructor(refData) {
        this.refData = refData;
    } // by class: no @Inject needed
    async enrich(t) {
        return { ...t, sector: await this.refData.sector(t.symbol) };
    }
};
Enrich = __decorate([
    Stage({ name: 'enriched', from: 'valid', concurrency: 8 }),
    __metadata("design:paramtypes", [RefData])
], Enrich);
let StoreSink = class StoreSink {
    store;
    constructor(store) {
        this.store = store;
    }
    write(batch) {
        this.store.rows.push(...batch);
    }
};
StoreSink = __decorate([
    Sink({ name: 'store', from: 'enriched' }),
    __metadata("design:paramtypes", [TradeStore])
], StoreSink);
export const ticks = [
    { symbol: 'AAPL', size: 100 },
    { symbol: 'XOM', size: 5 },
    { symbol: 'XOM', size: 300 },
    { symbol: 'IBM', size: 50 },
];
/** Way 1: list the components and give the services as providers. */
export async function withProviders() {
    const store = new TradeStore();
    await createPipeline({
        components: [TickFeed, MinSize, Enrich, StoreSink],
        providers: [
            RefData, // a class: built once by the container
            { provide: TradeStore, useValue: store }, // a ready instance
            { provide: TICKS, useValue: ticks },
            { provide: MIN_SIZE, useFactory: () => 10 },
        ],
    }).run();
    return store.rows;
}
/** Way 2: the application already has a container; register the components in it. */
export async function withContainer() {
    const container = new Container();
    container.bind(RefData).toSelf().inSingletonScope();
    container.bind(TradeStore).toSelf().inSingletonScope();
    container.bind(TICKS).toConstantValue(ticks);
    container.bind(MIN_SIZE).toConstantValue(10);
    registerComponents(container, TickFeed, MinSize, Enrich, StoreSink);
    await createPipeline({ container }).run();
    return container.get(TradeStore).rows;
}
export async function main() {
    return { withProviders: await withProviders(), withContainer: await withContainer() };
}
if (process.argv[1] === fileURLToPath(import.meta.url))
    console.dir(await main(), { depth: null });
//# sourceMappingURL=injection.js.map