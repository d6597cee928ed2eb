/**
 * A stage that turns each record into exactly one new record. Synchronous and fused.
 *
 * @example
 * ```ts
 * @Stage({ name: 'notional', from: 'valid' })
 * class Notional implements Mapper<Tick, Priced> { map(t: Tick) { return { ...t, notional: t.price * t.size } } }
 * ```
 * @see docs/concepts.md
 * @public
 */
export interface Mapper<In, Out> {
  map(value: In): Out;
}
