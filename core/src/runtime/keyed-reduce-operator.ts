import type { Reducer } from '@sluice/sdk';
import { KeyedState } from './keyed-state.js';
import { NO_OUTPUT } from './no-output.js';
import { stateKey } from './state-key.js';

/** @internal Runs a `Reducer` stage: a rolling reduce per key. */
export class KeyedReduceOperator {
  private readonly state: KeyedState<unknown>;

  constructor(
    private readonly reducer: Reducer<unknown>,
    private readonly keyOf: (value: unknown) => unknown,
    private readonly emitUpdates: boolean,
    partitions: number,
  ) {
    this.state = new KeyedState(partitions);
  }

  /** Kept for symmetry with the aggregate operator: emitting stored values cannot fail here. */
  onError: (error: unknown, value: unknown) => void = (e) => {
    throw e;
  };

  /** Checkpoints: every key's value (copied by the caller at once). */
  snapshotState(): unknown {
    return [...this.state.entries()];
  }

  restoreState(state: unknown): void {
    this.state.clear();
    for (const [sk, value] of state as [unknown, unknown][]) this.state.partitionOf(sk).set(sk, value);
  }

  add(value: unknown): unknown {
    const sk = stateKey(this.keyOf(value));
    const map = this.state.partitionOf(sk);
    const next = map.has(sk) ? this.reducer.reduce(map.get(sk), value) : value;
    map.set(sk, next);
    return this.emitUpdates ? next : NO_OUTPUT;
  }

  flush(emit: (result: unknown) => void): void {
    if (this.emitUpdates) return;
    for (const [, value] of this.state.entries()) emit(value);
  }
}
