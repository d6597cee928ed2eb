import type { KeyedStore, StateBackend } from '@sluice/sdk';

/**
 * The default {@link StateBackend}: every store is a `Map` in this process's memory. Fast, and
 * lost with the process; checkpoints (a later capability) snapshot it to survive a crash.
 * @public
 */
export class MemoryStateBackend implements StateBackend {
  private readonly byStage = new Map<string, Map<string, Map<unknown, unknown>>>();

  store<V>(stage: string, name: string): KeyedStore<V> {
    let stores = this.byStage.get(stage);
    if (stores === undefined) this.byStage.set(stage, (stores = new Map()));
    let store = stores.get(name);
    if (store === undefined) stores.set(name, (store = new Map()));
    return store as Map<unknown, V>;
  }

  *stores(): Iterable<readonly [string, string, KeyedStore<unknown>]> {
    for (const [stage, stores] of this.byStage) for (const [name, store] of stores) yield [stage, name, store] as const;
  }
}
