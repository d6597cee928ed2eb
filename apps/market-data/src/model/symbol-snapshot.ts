/** The running statistics of one symbol since the pipeline started. */
export interface SymbolSnapshot {
  readonly symbol: string;
  readonly sector: string;
  /** Trades seen. */
  readonly count: number;
  /** Shares traded. */
  readonly volume: number;
  /** Volume-weighted average price: sum(price × size) / sum(size). */
  readonly vwap: number;
  readonly high: number;
  readonly low: number;
  /** Price of the latest trade to arrive. */
  readonly last: number;
  /** Latest event time seen, ms since the epoch. */
  readonly lastTs: number;
  /** Trades whose event time was earlier than one already seen for the symbol. */
  readonly outOfOrder: number;
}
