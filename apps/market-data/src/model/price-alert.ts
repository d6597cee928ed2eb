/** A price that moved more than the threshold away from its symbol's running mean. */
export interface PriceAlert {
  readonly symbol: string;
  readonly sector: string;
  readonly price: number;
  /** The running mean just before this trade. */
  readonly mean: number;
  /** (price − mean) / mean, in percent; negative for a drop. */
  readonly movePct: number;
  /** Event time of the trade. */
  readonly ts: number;
  /** Feed sequence number of the trade. */
  readonly seq: number;
}
