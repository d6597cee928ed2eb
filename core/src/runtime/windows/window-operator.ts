import type { KeyedStore, StateBackend, WindowStats } from '@sluice/sdk';
import { originalKey, stateKey } from '../state-key.js';
import { LatenessHistogram } from './lateness-histogram.js';
import type { WindowAggregate } from './window-aggregate.js';
import { WindowEmitter } from './window-emitter.js';
import { WindowGroup } from './window-group.js';
import type { WindowingOperator } from './windowing-operator.js';

/** @internal The window declaration, in milliseconds, as the operator needs it. */
export interface WindowSpec {
  readonly size: number;
  /** Equal to `size` for tumbling windows. */
  readonly slide: number;
  readonly lateness: number;
  readonly late: 'side-output' | 'update' | 'drop';
}

/** @internal Counters of one window stage. */
export class WindowCounters {
  /** Late records that still updated a window (within lateness). */
  lateUpdates = 0;
  /** Late records past the lateness, sent to the late output. */
  lateSideOutput = 0;
  /** Late records past the lateness, dropped by policy. */
  lateDropped = 0;
  /** Windows fired (results emitted, updates included). */
  fired = 0;
  /** How far behind the watermark late records arrived. */
  readonly lateness = new LatenessHistogram();
}

/**
 * @internal Event-time tumbling and sliding windows over a keyed aggregate. Windows of all keys
 * share their boundaries, so state is grouped by window start and a watermark closes whole
 * groups in start order. Memory per window and key is the accumulator, not the records.
 *
 * A watermark W promises no further record with event time below W: the window [s, e) fires
 * when e <= W. With allowed lateness L its state stays until e + L <= W, and each record that
 * arrives in between re-fires the window as an update. Records later than that follow the
 * `late` policy.
 */
export class WindowOperator extends WindowEmitter implements WindowingOperator {
  private watermark = -Infinity;
  // Window start -> the window's accumulators by state key: the stage's 'windows' store.
  private readonly open: KeyedStore<WindowGroup>;
  // Starts of windows not fired yet, ascending; then fired windows kept for lateness, ascending.
  private readonly pending: number[] = [];
  private readonly retained: number[] = [];
  private readonly size: number;
  private readonly slide: number;
  // The event times [slotFrom, slotTo) that fall in exactly the windows of `slotGroups` (newest
  // first), all open: consecutive records mostly do, and then need no window arithmetic, no
  // lookup by start and no lateness checks. Empty (NaN bounds) until a record sets it, and
  // again whenever the watermark closes the oldest of those windows.
  private slotFrom = Number.NaN;
  private slotTo = Number.NaN;
  private slotEnd = Number.NaN;
  private readonly slotGroups: WindowGroup[] = [];
  // Whether the last window fired held few keys: new windows then keep string keys in a
  // dictionary (see WindowGroup).
  private fewKeys = true;

  constructor(
    stage: string,
    aggregate: WindowAggregate,
    private readonly keyOf: (value: unknown) => unknown,
    private readonly spec: WindowSpec,
    counters: WindowCounters,
    backend: StateBackend,
  ) {
    super(stage, aggregate, counters);
    this.open = backend.store(stage, 'windows');
    this.size = spec.size;
    this.slide = spec.slide;
  }

  add(value: unknown, time: number): void {
    const hit = time >= this.slotFrom && time < this.slotTo;
    if (!hit && Number.isNaN(time)) throw this.noEventTime();
    if (time < this.watermark) this.counters.lateness.record(this.watermark - time);
    const key = this.keyOf(value);
    // Primitive keys are their own state key: skip the call on the hot path.
    const sk = typeof key === 'object' && key !== null ? stateKey(key) : key;
    // The record is handed to a call that is not inlined only when one of its windows is late:
    // on every other path it stays inside the fused loop, where V8 can elide its allocation.
    if (!hit && !this.enterSlot(time)) return this.addEach(key, sk, value, time);
    const groups = this.slotGroups;
    if (groups.length === 1) this.accumulate(groups[0]!, key, sk, value);
    else for (let i = 0; i < groups.length; i++) this.accumulate(groups[i]!, key, sk, value);
  }

  /** A new watermark: fires every window that it closes and purges what lateness no longer needs. */
  advance(watermark: number): void {
    if (!(watermark > this.watermark)) return;
    this.watermark = watermark;
    // The cached windows stay valid while the oldest of them is still open.
    if (this.slotEnd <= watermark) this.clearSlot();
    const { size, lateness, late } = this.spec;
    const keep = late === 'update' || lateness > 0;
    let fired = 0;
    while (fired < this.pending.length && this.pending[fired]! + size <= watermark) {
      const start = this.pending[fired++]!;
      this.fire(start, this.open.get(start)!, false);
      if (keep) this.retained.push(start);
      else this.open.delete(start);
    }
    if (fired > 0) this.pending.splice(0, fired);
    if (late === 'update') return; // state is kept for every late record to come
    let purged = 0;
    while (purged < this.retained.length && this.retained[purged]! + size + lateness <= watermark) {
      this.open.delete(this.retained[purged++]!);
    }
    if (purged > 0) this.retained.splice(0, purged);
  }

  /** End of input: every window fires. */
  flush(): void {
    this.advance(Infinity);
  }

  stats(): WindowStats {
    return this.windowStats(this.openWindows);
  }

  snapshotState(): unknown {
    return { watermark: this.watermark, pending: [...this.pending], retained: [...this.retained], fewKeys: this.fewKeys };
  }

  restoreState(state: unknown): void {
    const s = state as { watermark: number; pending: number[]; retained: number[]; fewKeys: boolean };
    this.watermark = s.watermark;
    this.pending.splice(0, this.pending.length, ...s.pending);
    this.retained.splice(0, this.retained.length, ...s.retained);
    this.fewKeys = s.fewKeys;
    this.clearSlot();
    // The store comes back as plain data: each window's accumulators become a group again.
    for (const [start, raw] of [...this.open.entries()]) this.open.set(start, WindowGroup.from(raw, this.fewKeys));
  }

  /** When `advance` next has work: the end of the earliest window not fired yet, or Infinity. */
  nextFireTime(): number {
    return this.pending.length === 0 ? Infinity : this.pending[0]! + this.size;
  }

  /** Open window and key pairs (for stats and tests). */
  get openWindows(): number {
    let n = 0;
    for (const start of this.pending) n += this.open.get(start)!.size;
    return n;
  }

  /**
   * Makes the windows of `time` the cached slot, creating their groups, and returns true; or
   * returns false, changing nothing, when one of them is late (its end is at or before the
   * watermark) or none holds `time` (a slide longer than the size leaves gaps): such records
   * take `addEach`.
   */
  private enterSlot(time: number): boolean {
    const { size, slide } = this;
    const last = time - (((time % slide) + slide) % slide);
    // The oldest window holding `time`: the last start above time − size.
    if (!(last > time - size)) return false;
    let oldest = last;
    while (oldest - slide > time - size) oldest -= slide;
    const oldestEnd = oldest + size;
    if (oldestEnd <= this.watermark) return false;
    this.clearSlot();
    const groups = this.slotGroups;
    for (let start = last; start >= oldest; start -= slide) {
      let group = this.open.get(start);
      if (group === undefined) {
        group = new WindowGroup(this.fewKeys);
        this.open.set(start, group);
        insertSorted(this.pending, start);
      }
      groups.push(group);
    }
    // Times with the same windows: at or past `last` (no newer start) and past the end of the
    // window before the oldest; before last + slide (the next start) and the oldest's end.
    this.slotFrom = Math.max(last, oldest - slide + size);
    this.slotTo = Math.min(last + slide, oldestEnd);
    this.slotEnd = oldestEnd;
    return true;
  }

  // The general path, for a record with a late window: each window checks lateness on its own.
  private addEach(key: unknown, sk: unknown, value: unknown, time: number): void {
    const { size, slide } = this;
    const last = time - (((time % slide) + slide) % slide);
    for (let start = last; start > time - size; start -= slide) this.addTo(start, key, sk, value);
  }

  private clearSlot(): void {
    this.slotFrom = this.slotTo = this.slotEnd = Number.NaN;
    this.slotGroups.length = 0;
  }

  private addTo(start: number, key: unknown, sk: unknown, value: unknown): void {
    const end = start + this.size;
    let group = this.open.get(start);
    if (end <= this.watermark) {
      // Late: the window has fired already (or would have, had it had records).
      if (this.spec.late !== 'update' && end + this.spec.lateness <= this.watermark) return this.tooLate(value, this.spec.late);
      if (group === undefined) {
        group = new WindowGroup(this.fewKeys);
        this.open.set(start, group);
        insertSorted(this.retained, start);
      }
      const acc = this.accumulate(group, key, sk, value);
      this.counters.lateUpdates++;
      this.emitResult(key, start, end, acc, true);
      return;
    }
    if (group === undefined) {
      group = new WindowGroup(this.fewKeys);
      this.open.set(start, group);
      insertSorted(this.pending, start);
    }
    this.accumulate(group, key, sk, value);
  }

  // Hot path: one lookup per record and window when the aggregator updates its accumulator in place.
  private accumulate(group: WindowGroup, key: unknown, sk: unknown, value: unknown): unknown {
    let acc = group.get(sk);
    if (acc === undefined && !group.has(sk)) {
      acc = this.aggregate.create(key);
      group.add(sk, acc);
    }
    const next = this.aggregate.add(acc, value);
    if (next !== acc) group.replace(sk, next);
    return next;
  }

  private fire(start: number, group: WindowGroup, update: boolean): void {
    const end = start + this.spec.size;
    const keys = group.keys;
    if (!update) this.fewKeys = keys.length <= FEW_KEYS;
    for (let i = 0; i < keys.length; i++) {
      const sk = keys[i];
      this.emitResult(originalKey(sk), start, end, group.get(sk), update);
    }
  }
}

// Up to this many keys per window, string keys are looked up in a dictionary (see WindowGroup).
const FEW_KEYS = 2048;

// Windows are created almost always in increasing order: search from the end.
function insertSorted(list: number[], value: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1]! > value) i--;
  list.splice(i, 0, value);
}
