/**
 * The window a {@link WindowFunction} is applied to.
 * @public
 */
export interface WindowBounds {
  readonly key: unknown;
  /** Start of the window in ms (inclusive). */
  readonly start: number;
  /** End of the window in ms (exclusive). */
  readonly end: number;
}

/**
 * A whole-window function, for results that need all of a window's records at once (a median,
 * a percentile, a sort). Use it with `@Window` of any kind instead of an `Aggregator`; the
 * engine keeps the window's records (memory grows with the records per window, unlike an
 * aggregator's accumulator) and calls `apply` when the window fires.
 *
 * @example
 * ```ts
 * @Stage({ name: 'median', from: 'ticks', key: (t: Tick) => t.symbol })
 * @Window({ tumbling: '1s' })
 * class MedianPrice implements WindowFunction<Tick, number> {
 *   apply(ticks: readonly Tick[]) {
 *     const p = ticks.map((t) => t.price).sort((a, b) => a - b)
 *     return p[p.length >> 1]
 *   }
 * }
 * ```
 * @see docs/windows.md
 * @public
 */
export interface WindowFunction<In, Out> {
  /**
   * The window's records in the order they arrived (for a session merged from several, session
   * by session in time order), and its bounds.
   */
  apply(records: readonly In[], window: WindowBounds): Out;
}
