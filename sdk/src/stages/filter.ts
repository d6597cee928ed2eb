/**
 * A stage that keeps the records for which `filter` returns true. Synchronous: the engine
 * fuses it with its neighbours into one loop.
 *
 * @example
 * ```ts
 * @Stage({ name: 'valid', from: 'ticks' })
 * class ValidTicks implements Filter<Tick> { filter(t: Tick) { return t.size > 0 } }
 * ```
 * @see docs/concepts.md
 * @public
 */
export interface Filter<T> {
  filter(value: T): boolean;
}
