/**
 * What a windowed aggregate stage emits for each window of each key.
 *
 * @example
 * ```ts
 * toCallback((batch: readonly WindowResult<Candle>[]) => {
 *   for (const w of batch) console.log(w.key, new Date(w.start).toISOString(), w.value.close, w.update ? '(update)' : '')
 * }, { name: 'candles-out', from: 'candles' })
 * ```
 * @see docs/windows.md
 * @public
 */
export interface WindowResult<R> {
  /** The key (the stage's `key:` of the records in the window). */
  readonly key: unknown;
  /** Start of the window, inclusive: event time in ms (for count windows, the first record's position). */
  readonly start: number;
  /** End of the window, exclusive. */
  readonly end: number;
  /** The aggregate's `result`. */
  readonly value: R;
  /** True when a late record (within the allowed lateness) changed a window that had already fired. */
  readonly update: boolean;
}
