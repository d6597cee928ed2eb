import { Stage, type Enricher } from '@sluice/sdk';
import type { RichTick } from '../model/rich-tick.js';
import type { Tick } from '../model/tick.js';
import { RefDataService } from '../ref-data/ref-data-service.js';

/**
 * Adds each tick's sector from the reference data. Up to 16 lookups run at once, and results
 * leave in input order. A cached sector is returned synchronously (no promise: the engine's
 * fast path); only a cache miss awaits the service.
 */
@Stage({ name: 'enriched', from: 'valid', concurrency: 16 })
export class EnrichSector implements Enricher<Tick, RichTick> {
  constructor(private readonly refData: RefDataService) {}

  enrich(t: Tick): RichTick | Promise<RichTick> {
    const cached = this.refData.cachedSector(t.symbol);
    if (cached !== undefined) return withSector(t, cached);
    return this.refData.sector(t.symbol).then((sector) => withSector(t, sector));
  }
}

function withSector(t: Tick, sector: string): RichTick {
  return { seq: t.seq, symbol: t.symbol, price: t.price, size: t.size, ts: t.ts, sector };
}
