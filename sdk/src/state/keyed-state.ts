/**
 * A single value per key. Read and written for the key of the record being processed (or of
 * the timer firing).
 * @public
 */
export interface ValueState<T> {
  /** The key's value, or `undefined` when none was set (or it was cleared). */
  get(): T | undefined;
  set(value: T): void;
  clear(): void;
}

/**
 * A map per key.
 * @public
 */
export interface MapState<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  has(key: K): boolean;
  delete(key: K): boolean;
  /** The entries of the current key's map, in insertion order. */
  entries(): IterableIterator<[K, V]>;
  readonly size: number;
  clear(): void;
}

/**
 * A list per key.
 * @public
 */
export interface ListState<T> {
  add(value: T): void;
  /** The current key's list (a live view: copy it to keep it). */
  get(): readonly T[];
  /** Replaces the current key's list. */
  update(values: readonly T[]): void;
  readonly length: number;
  clear(): void;
}

/**
 * `ctx.state` of a keyed process stage: named state scoped to the current key. Each name is
 * one store in the pipeline's {@link StateBackend}; ask for it with the same name and kind
 * every time (the handles are cheap; cache them in a field if you like).
 *
 * @example
 * ```ts
 * process(t: Tick, ctx: StageContext<Alert>) {
 *   const last = ctx.state.value<number>('lastPrice')
 *   const prev = last.get()
 *   if (prev !== undefined && Math.abs(t.price - prev) / prev > 0.05) ctx.emit({ symbol: t.symbol, from: prev, to: t.price })
 *   last.set(t.price)
 * }
 * ```
 * @see docs/windows.md
 * @public
 */
export interface KeyedStateAccess {
  value<T>(name: string): ValueState<T>;
  map<K, V>(name: string): MapState<K, V>;
  list<T>(name: string): ListState<T>;
}
