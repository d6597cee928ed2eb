/**
 * A stage that turns each record into zero or more records (any iterable; an array is
 * fastest). Synchronous and fused.
 *
 * @example
 * ```ts
 * @Stage({ name: 'words', from: 'lines' })
 * class Words implements FlatMapper<string, string> { flatMap(line: string) { return line.split(' ') } }
 * ```
 * @see docs/concepts.md
 * @public
 */
export interface FlatMapper<In, Out> {
  flatMap(value: In): Iterable<Out>;
}
