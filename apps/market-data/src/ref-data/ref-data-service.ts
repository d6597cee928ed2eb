import { Inject, Injectable } from '@sluice/sdk';
import { INSTRUMENTS } from '../market/instruments.js';
import { REF_DATA_OPTIONS, type RefDataOptions } from './ref-data-options.js';

interface CacheEntry {
  readonly sector: string;
  readonly expiresAt: number;
}

/** The sector reported for a symbol the reference data does not know. */
export const UNKNOWN_SECTOR = 'Unknown';

/**
 * Reference data: the sector of each symbol. Stands in for a remote service: a lookup that
 * misses the in-memory cache takes `latencyMs` (a timer), and concurrent misses for the same
 * symbol share one call. Cached entries expire after `cacheTtlMs`, so a long run keeps making a
 * few remote calls, as a real one would.
 */
@Injectable()
export class RefDataService {
  private readonly directory = new Map(INSTRUMENTS.map((i) => [i.symbol, i.sector]));
  private readonly cache = new Map<string, CacheEntry>();
  private readonly pending = new Map<string, Promise<string>>();
  private readonly latencyMs: number;
  private readonly ttlMs: number;

  constructor(@Inject(REF_DATA_OPTIONS) options: RefDataOptions) {
    this.latencyMs = options.latencyMs ?? 2;
    this.ttlMs = options.cacheTtlMs ?? 5000;
  }

  /** The sector if it is cached and fresh, else undefined: lets callers skip a promise on the fast path. */
  cachedSector(symbol: string): string | undefined {
    const entry = this.cache.get(symbol);
    return entry === undefined || entry.expiresAt <= performance.now() ? undefined : entry.sector;
  }

  /** The sector of `symbol` ({@link UNKNOWN_SECTOR} if the directory lacks it). */
  async sector(symbol: string): Promise<string> {
    return this.cachedSector(symbol) ?? this.fetch(symbol);
  }

  private fetch(symbol: string): Promise<string> {
    let call = this.pending.get(symbol);
    if (call === undefined) {
      call = new Promise<void>((resolve) => setTimeout(resolve, this.latencyMs)).then(() => {
        const sector = this.directory.get(symbol) ?? UNKNOWN_SECTOR;
        this.cache.set(symbol, { sector, expiresAt: performance.now() + this.ttlMs });
        this.pending.delete(symbol);
        return sector;
      });
      this.pending.set(symbol, call);
    }
    return call;
  }
}
