import {
  ErrorCodes,
  SluiceError,
  type KeyedStateAccess,
  type KeyedStore,
  type ListState,
  type MapState,
  type StateBackend,
  type ValueState,
} from '@sluice/sdk';

type Kind = 'value' | 'map' | 'list';

/**
 * @internal `ctx.state` of a keyed process stage. Each named state is one backend store keyed
 * by state key; the handles read the current key when called, so one handle serves every key.
 */
export class KeyedStateAccessImpl implements KeyedStateAccess {
  private readonly handles = new Map<string, { kind: Kind; handle: unknown }>();

  constructor(
    private readonly stage: string,
    private readonly backend: StateBackend,
    private readonly currentKey: () => unknown,
  ) {}

  value<T>(name: string): ValueState<T> {
    return this.handle(name, 'value', (store: KeyedStore<T>, key) => ({
      get: () => store.get(key()),
      set: (v: T) => void store.set(key(), v),
      clear: () => void store.delete(key()),
    }));
  }

  map<K, V>(name: string): MapState<K, V> {
    return this.handle(name, 'map', (store: KeyedStore<Map<K, V>>, key) => {
      const current = () => store.get(key());
      const own = () => {
        const sk = key();
        let m = store.get(sk);
        if (m === undefined) store.set(sk, (m = new Map()));
        return m;
      };
      return {
        get: (k: K) => current()?.get(k),
        set: (k: K, v: V) => void own().set(k, v),
        has: (k: K) => current()?.has(k) === true,
        delete: (k: K) => {
          const sk = key();
          const m = store.get(sk);
          if (m === undefined || !m.delete(k)) return false;
          if (m.size === 0) store.delete(sk);
          return true;
        },
        entries: () => (current() ?? new Map<K, V>()).entries(),
        get size() {
          return current()?.size ?? 0;
        },
        clear: () => void store.delete(key()),
      };
    });
  }

  list<T>(name: string): ListState<T> {
    return this.handle(name, 'list', (store: KeyedStore<T[]>, key) => ({
      add: (v: T) => {
        const sk = key();
        const l = store.get(sk);
        if (l === undefined) store.set(sk, [v]);
        else l.push(v);
      },
      get: () => store.get(key()) ?? [],
      update: (values: readonly T[]) => {
        if (values.length === 0) store.delete(key());
        else store.set(key(), [...values]);
      },
      get length() {
        return store.get(key())?.length ?? 0;
      },
      clear: () => void store.delete(key()),
    }));
  }

  private handle<S, H>(name: string, kind: Kind, make: (store: KeyedStore<S>, key: () => unknown) => H): H {
    if (typeof name !== 'string' || name.length === 0) {
      throw new SluiceError(ErrorCodes.STAGE_FAILED, `Stage '${this.stage}': ctx.state.${kind}(name) needs a non-empty string name`, {
        details: { stage: this.stage },
      });
    }
    const known = this.handles.get(name);
    if (known !== undefined) {
      if (known.kind !== kind) {
        throw new SluiceError(
          ErrorCodes.STAGE_FAILED,
          `Stage '${this.stage}': state '${name}' is a ${known.kind} state, and is asked for here as a ${kind} state; use another name`,
          { details: { stage: this.stage, state: name } },
        );
      }
      return known.handle as H;
    }
    const handle = make(this.backend.store<S>(this.stage, `state:${name}`), this.currentKey);
    this.handles.set(name, { kind, handle });
    return handle;
  }
}
