// file: docs/examples/injection.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, registerComponents } from '@sluice/core';
import {
  EndOfStreamError,
  Inject,
  Injectable,
  Sink,
  Source,
  Stage,
  type Enricher,
  type Filter,
  type SinkConnector,
  type SourceConnector,
} from '@sluice/sdk';
import { Container } from 'inversify';

export interface Tick {
  symbol: string;
  size: number;
}

export interface RichTick extends Tick {
  sector: string;
}

// Services. Declare them before the classes that take them in their constructors.

/** Reference data, injected by its class. */
@Injectable()
export class RefData {
  private readonly sectors = new Map([
    ['AAPL', 'Technology'],
    ['XOM', 'Energy'],
  ]);
  async sector(symbol: string): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return this.sectors.get(symbol) ?? 'Unknown';
  }
}

/** Where the sink stores rows, injected by its class. */
@Injectable()
export class TradeStore {
  readonly rows: RichTick[] = [];
}

/** Plain values are injected by a token. */
export const TICKS = Symbol('ticks');
export const MIN_SIZE = Symbol('minSize');

// Components. The container builds each one and passes what its constructor asks for.

@Source({ name: 'ticks' })
class TickFeed implements SourceConnector<Tick> {
  private next = 0;
  constructor(@Inject(TICKS) private readonly ticks: readonly Tick[]) {}
  read(max: number): readonly Tick[] {
    if (this.next >= this.ticks.length) throw new EndOfStreamError();
    const batch = this.ticks.slice(this.next, this.next + max);
    this.next += batch.length;
    return batch;
  }
}

@Stage({ name: 'valid', from: 'ticks' })
class MinSize implements Filter<Tick> {
  constructor(@Inject(MIN_SIZE) private readonly minSize: number) {}
  filter(t: Tick): boolean {
    return t.size >= this.minSize;
  }
}

@Stage({ name: 'enriched', from: 'valid', concurrency: 8 })
class Enrich implements Enricher<Tick, RichTick> {
  constructor(private readonly refData: RefData) {} // by class: no @Inject needed
  async enrich(t: Tick): Promise<RichTick> {
    return { ...t, sector: await this.refData.sector(t.symbol) };
  }
}

@Sink({ name: 'store', from: 'enriched' })
class StoreSink implements SinkConnector<RichTick> {
  constructor(private readonly store: TradeStore) {}
  write(batch: readonly RichTick[]): void {
    this.store.rows.push(...batch);
  }
}

export const ticks: Tick[] = [
  { symbol: 'AAPL', size: 100 },
  { symbol: 'XOM', size: 5 },
  { symbol: 'XOM', size: 300 },
  { symbol: 'IBM', size: 50 },
];

/** Way 1: list the components and give the services as providers. */
export async function withProviders(): Promise<RichTick[]> {
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
export async function withContainer(): Promise<RichTick[]> {
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

if (process.argv[1] === fileURLToPath(import.meta.url)) console.dir(await main(), { depth: null });
