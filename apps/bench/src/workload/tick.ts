/** One trade as produced by the source; ts is event time in ms. */
export interface Tick {
  readonly symbol: string;
  readonly price: number;
  readonly size: number;
  readonly ts: number;
}

export interface NotionalTick extends Tick {
  readonly notional: number;
}

export interface RichTick extends NotionalTick {
  readonly sector: string;
}

/** One closed (symbol, window) result. */
export interface Candle {
  readonly symbol: string;
  readonly windowStart: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly vwap: number;
  readonly count: number;
}
