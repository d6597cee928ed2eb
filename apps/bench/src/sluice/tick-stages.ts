import { EndOfStreamError, Inject, Source, Stage, type Filter, type Mapper, type SourceConnector } from '@sluice/sdk';
import { isValid, withNotional, withSector } from '../workload/stages.js';
import type { SymbolUniverse } from '../workload/symbol-universe.js';
import type { NotionalTick, RichTick, Tick } from '../workload/tick.js';
import { TickGenerator } from '../workload/tick-generator.js';

// The parts of the workload both Sluice implementations share: the lazy tick source and the
// filter and map stages. They differ only in the window step.

/** Token of the number of ticks the source generates. */
export const TICK_COUNT = Symbol('tickCount');
/** Token of the workload's `SymbolUniverse`. */
export const SYMBOL_UNIVERSE = Symbol('symbolUniverse');
/** Token of the `WorkloadVariant` being run. */
export const WORKLOAD_VARIANT = Symbol('workloadVariant');

/** The generator as a source; `eventTime` and a watermark are added by the windowed variant. */
@Source({ name: 'ticks' })
export class TickSource implements SourceConnector<Tick> {
  protected readonly generator: TickGenerator;
  // The engine is done with a batch before it reads again, so one array is reused.
  private readonly batch: Tick[] = [];

  constructor(@Inject(TICK_COUNT) n: number, @Inject(SYMBOL_UNIVERSE) universe: SymbolUniverse) {
    this.generator = new TickGenerator(n, universe);
  }

  read(max: number): readonly Tick[] {
    const count = this.generator.fill(this.batch, max);
    if (count === 0) throw new EndOfStreamError();
    if (count < this.batch.length) this.batch.length = count;
    return this.batch;
  }
}

@Stage({ name: 'valid', from: 'ticks' })
export class ValidTicks implements Filter<Tick> {
  filter(t: Tick): boolean {
    return isValid(t);
  }
}

@Stage({ name: 'priced', from: 'valid' })
export class Notional implements Mapper<Tick, NotionalTick> {
  map(t: Tick): NotionalTick {
    return withNotional(t);
  }
}

@Stage({ name: 'enriched', from: 'priced' })
export class Sector implements Mapper<NotionalTick, RichTick> {
  private readonly sectors: ReadonlyMap<string, string>;

  constructor(@Inject(SYMBOL_UNIVERSE) universe: SymbolUniverse) {
    this.sectors = universe.sectors;
  }

  map(t: NotionalTick): RichTick {
    return withSector(t, this.sectors);
  }
}
