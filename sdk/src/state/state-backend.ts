/**
 * One named store of per-key values, as a {@link StateBackend} hands it to a stage. Keys are the
 * engine's normalised state keys (strings and numbers as they are; objects as their JSON text),
 * so two equal keys always meet the same value. A `Map` satisfies this interface.
 * @public
 */
export interface KeyedStore<V> {
  get(key: unknown): V | undefined;
  set(key: unknown, value: V): unknown;
  has(key: unknown): boolean;
  delete(key: unknown): boolean;
  clear(): void;
  readonly size: number;
  entries(): IterableIterator<[unknown, V]>;
}

/**
 * Where keyed state lives: the values of keyed process stages (`ctx.state`), their timers, and
 * the windows of `@Window` stages. Every store is named by its stage and a store name, so a
 * checkpoint can snapshot the whole of a pipeline's state store by store. The default keeps
 * everything in memory (`MemoryStateBackend` in `@sluice/core`).
 *
 * @example
 * ```ts
 * const pipeline = createPipeline({ components, stateBackend: new MemoryStateBackend() })
 * ```
 * @see docs/windows.md
 * @public
 */
export interface StateBackend {
  /** The store `name` of stage `stage`, created empty on first use; the same object after. */
  store<V>(stage: string, name: string): KeyedStore<V>;
  /** Every store created so far, as `[stage, name, store]`. */
  stores(): Iterable<readonly [stage: string, name: string, store: KeyedStore<unknown>]>;
}
