import type { Reducer } from '@sluice/sdk';
import { KeyedState } from './keyed-state.js';
import { NO_OUTPUT } from './no-output.js';

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

  add(value: unknown): unknown {
    const key = this.keyOf(value);
    const map = this.state.partitionOf(key);
    const next = map.has(key) ? this.reducer.reduce(map.get(key), value) : value;
    map.set(key, next);
    return this.emitUpdates ? next : NO_OUTPUT;
  }

  flush(emit: (result: unknown) => void): void {
    if (this.emitUpdates) return;
    for (const [, value] of this.state.entries()) emit(value);
  }
}
