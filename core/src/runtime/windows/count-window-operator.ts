import type { Clock, KeyedStore, StateBackend, WindowStats } from '@sluice/sdk';
import { originalKey, stateKey } from '../state-key.js';
import type { WindowAggregate } from './window-aggregate.js';
import { WindowEmitter } from './window-emitter.js';
import { type WindowCounters } from './window-operator.js';
import type { WindowingOperator } from './windowing-operator.js';

/** @internal The count-window declaration. */
export interface CountSpec {
  readonly size: number;
  /** Equal to `size` for tumbling count windows. */
  readonly slide: number;
}

interface Pane {
  acc: unknown;
  first: number;
  last: number;
}

interface KeyCount {
  /** Records of this key so far. */
  n: number;
  /** Open windows by the record count at which they end (a multiple of `slide`). */
  readonly open: Map<number, Pane>;
  /** End of the last window fired: records at or after it are in no fired result yet. */
  firedUpTo: number;
}

/**
 * @internal Count windows, per key in arrival order, whatever the event times: with slide S and
 * size N, a window ends after every S-th record of the key and holds that key's last (up to) N
 * records, so tumbling count windows (S = N) hold N records each. Incremental: one accumulator
 * per open window (ceil(N / S) per key), never the records. Time plays no part in firing; a
 * result's `start` and `end` are the earliest and the latest time of its records, + 1 (event
 * time, or the clock's time for records without one).
 *
 * At end of input each key's earliest open window fires if it holds records that are in no
 * fired result yet (it holds all of them; the later open windows hold subsets), so nothing is
 * lost and nothing is emitted twice for no new record.
 */
export class CountWindowOperator extends WindowEmitter implements WindowingOperator {
  private readonly keys: KeyedStore<KeyCount>;
  private openCount = 0;

  constructor(
    stage: string,
    aggregate: WindowAggregate,
    private readonly keyOf: (value: unknown) => unknown,
    private readonly spec: CountSpec,
    counters: WindowCounters,
    backend: StateBackend,
    private readonly clock: Clock,
  ) {
    super(stage, aggregate, counters);
    this.keys = backend.store(stage, 'counts');
  }

  add(value: unknown, time: number): void {
    const key = this.keyOf(value);
    const sk = stateKey(key);
    let state = this.keys.get(sk);
    if (state === undefined) this.keys.set(sk, (state = { n: 0, open: new Map(), firedUpTo: 0 }));
    const t = Number.isNaN(time) ? this.clock.now() : time;
    const { size, slide } = this.spec;
    const r = state.n++;
    // Windows ending at e hold records [e - size, e): record r is in those with r < e <= r + size.
    for (let e = (Math.floor(r / slide) + 1) * slide; e <= r + size; e += slide) {
      let pane = state.open.get(e);
      if (pane === undefined) {
        state.open.set(e, (pane = { acc: this.aggregate.create(key), first: t, last: t }));
        this.openCount++;
      }
      pane.acc = this.aggregate.add(pane.acc, value);
      if (t < pane.first) pane.first = t;
      if (t > pane.last) pane.last = t;
    }
    if (state.n % slide === 0) {
      const pane = state.open.get(state.n);
      if (pane !== undefined) this.fire(state, state.n, pane, key);
    }
  }

  // Count windows do not close on time.
  advance(): void {}

  flush(): void {
    for (const [sk, state] of this.keys.entries()) {
      let earliest = Infinity;
      for (const e of state.open.keys()) earliest = Math.min(earliest, e);
      const pane = state.open.get(earliest);
      if (pane !== undefined && state.n > state.firedUpTo) this.fire(state, earliest, pane, originalKey(sk));
      // The later open windows hold only records the earliest one held: they end here unfired.
      this.openCount -= state.open.size;
      state.open.clear();
    }
  }

  stats(): WindowStats {
    return this.windowStats(this.openCount);
  }

  // Everything is in the backend; the open-window count is derived from it.
  snapshotState(): unknown {
    return undefined;
  }

  restoreState(): void {
    this.openCount = 0;
    for (const [, state] of this.keys.entries()) this.openCount += state.open.size;
  }

  private fire(state: KeyCount, e: number, pane: Pane, key: unknown): void {
    state.open.delete(e);
    this.openCount--;
    state.firedUpTo = Math.min(e, state.n);
    this.emitResult(key, pane.first, pane.last + 1, pane.acc, false, pane.last);
  }
}
