/** What one symbol's trades in one window (one second) add up to. */
export interface Candle {
  readonly symbol: string;
  /** Price of the window's earliest trade by event time. */
  readonly open: number;
  readonly high: number;
  readonly low: number;
  /** Price of the window's latest trade by event time. */
  readonly close: number;
  /** Shares traded. */
  readonly volume: number;
  /** Volume-weighted average price: sum(price × size) / sum(size). */
  readonly vwap: number;
  /** Trades in the window. */
  readonly count: number;
}
