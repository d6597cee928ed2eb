/**
 * A keyed rolling reduce (as Flink's `keyBy().reduce()`): combines each record with the key's
 * previous result and emits the new result (or each key's last result at end of input with
 * `emit: 'final'`). Needs the stage's `key:` option.
 *
 * @example
 * ```ts
 * @Stage({ name: 'maxPrice', from: 'ticks', key: (t: Tick) => t.symbol })
 * class MaxPrice implements Reducer<Tick> { reduce(a: Tick, b: Tick) { return b.price > a.price ? b : a } }
 * ```
 * @see docs/concepts.md
 * @public
 */
export interface Reducer<T> {
  reduce(previous: T, value: T): T;
}
