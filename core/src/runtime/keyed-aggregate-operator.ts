import type { Aggregator } from '@sluice/sdk';
import { KeyedState } from './keyed-state.js';
import { NO_OUTPUT } from './no-output.js';

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

  add(value: unknown): unknown {
    const key = this.keyOf(value);
    const map = this.state.partitionOf(key);
    let acc = map.get(key);
    if (acc === undefined && !map.has(key)) acc = this.aggregator.create(key);
    acc = this.aggregator.add(acc, value);
    map.set(key, acc);
    return this.emitUpdates ? this.aggregator.result(acc, key) : NO_OUTPUT;
  }

  /** At end of input with `emit: 'final'`: each key's result. */
  flush(emit: (result: unknown) => void): void {
    if (this.emitUpdates) return;
    for (const [key, acc] of this.state.entries()) emit(this.aggregator.result(acc, key));
  }
}
