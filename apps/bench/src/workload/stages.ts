import type { NotionalTick, RichTick, Tick } from './tick.js';

/** filter: drops the ~5% malformed ticks. */
export function isValid(t: Tick): boolean {
  return t.size > 0 && t.price > 0;
}

/** map: a new object, as a user's immutable map stage would produce. */
export function withNotional(t: Tick): NotionalTick {
  return { symbol: t.symbol, price: t.price, size: t.size, ts: t.ts, notional: t.price * t.size };
}

/** enrich: a new object again; explicit fields keep one hidden class on the hot path. */
export function withSector(t: NotionalTick, sectors: ReadonlyMap<string, string>): RichTick {
  return {
    symbol: t.symbol,
    price: t.price,
    size: t.size,
    ts: t.ts,
    notional: t.notional,
    sector: sectors.get(t.symbol) ?? 'Unknown',
  };
}
