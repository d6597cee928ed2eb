import type { Aggregator } from '@sluice/sdk';
import { KeyedState } from './keyed-state.js';
import { NO_OUTPUT } from './no-output.js';
import { originalKey, stateKey } from './state-key.js';

/** @internal Runs an `Aggregator` stage over the whole stream, one accumulator per key. */
export class KeyedAggregateOperator {
  private readonly state: KeyedState<unknown>;

  constructor(
    private readonly aggregator: Aggregator<unknown, unknown, unknown>,
    private readonly keyOf: (value: unknown) => unknown,
    private readonly emitUpdates: boolean,
    partitions: number,
  ) {
    this.state = new KeyedState(partitions);
  }

  /** Set by the fused segment: how a failure for one key at end of input is handled. */
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
    const key = this.keyOf(value);
    const sk = stateKey(key);
    const map = this.state.partitionOf(sk);
    let acc = map.get(sk);
    if (acc === undefined && !map.has(sk)) acc = this.aggregator.create(key);
    acc = this.aggregator.add(acc, value);
    map.set(sk, acc);
    return this.emitUpdates ? this.aggregator.result(acc, key) : NO_OUTPUT;
  }

  /** At end of input with `emit: 'final'`: each key's result. */
  flush(emit: (result: unknown) => void): void {
    if (this.emitUpdates) return;
    // One key's failure must not cost the keys after it their results.
    for (const [sk, acc] of this.state.entries()) {
      const key = originalKey(sk);
      let result: unknown;
      try {
        result = this.aggregator.result(acc, key);
      } catch (err) {
        this.onError(err, { key, accumulator: acc });
        continue;
      }
      emit(result);
    }
  }
}
