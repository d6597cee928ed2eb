/** A trade whose return's rolling z-score went past the threshold: a spike (or drop) against its symbol's recent moves. */
export interface PriceAlert {
  readonly symbol: string;
  readonly sector: string;
  readonly price: number;
  /** The running mean just before this trade. */
  readonly mean: number;
  /** (price − mean) / mean, in percent; negative for a drop. */
  readonly movePct: number;
  /** The trade's return against the symbol's recent returns, in their standard deviations; negative for a drop. */
  readonly z: number;
  /** Event time of the trade. */
  readonly ts: number;
  /** Feed sequence number of the trade. */
  readonly seq: number;
}
