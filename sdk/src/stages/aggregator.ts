/**
 * A keyed aggregate: one accumulator per key (the stage's `key:` option), built with `create`,
 * updated with `add`, read with `result`. Memory per key is the accumulator, not the records.
 * Without `@Window` the aggregate runs over the whole stream: it emits the key's updated result
 * after every record (`emit: 'updates'`, the default) or each key's final result when the
 * input ends (`emit: 'final'`). With `@Window` the same class aggregates per window.
 *
 * @example
 * ```ts
 * @Stage({ name: 'vwap', from: 'ticks', key: (t: Tick) => t.symbol, emit: 'final' })
 * class Vwap implements Aggregator<Tick, { pv: number; v: number }, { symbol: string; vwap: number }> {
 *   create() { return { pv: 0, v: 0 } }
 *   add(acc: { pv: number; v: number }, t: Tick) { acc.pv += t.price * t.size; acc.v += t.size; return acc }
 *   result(acc: { pv: number; v: number }, key: unknown) { return { symbol: key as string, vwap: acc.pv / acc.v } }
 * }
 * ```
 * @see docs/concepts.md
 * @public
 */
export interface Aggregator<In, Acc, Out> {
  /** A fresh accumulator for `key`. */
  create(key: unknown): Acc;
  /** Folds one record in; return the accumulator (the same object or a new one). */
  add(acc: Acc, value: In): Acc;
  /** The output for an accumulator. */
  result(acc: Acc, key: unknown): Out;
  /** Combines two accumulators (session windows and re-partitioning need it). */
  merge?(a: Acc, b: Acc): Acc;
}
