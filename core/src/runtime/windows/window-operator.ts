import { ErrorCodes, SluiceError, type Aggregator, type WindowResult, type WindowStats } from '@sluice/sdk';
import { originalKey, stateKey } from '../state-key.js';
import { WindowGroup } from './window-group.js';

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
export class WindowOperator {
  /** Set by the fused segment: where results go. */
  emit: (result: WindowResult<unknown>) => void = () => undefined;
  /** Set by the fused segment when the stage's late output has readers. */
  emitLate: ((value: unknown) => void) | undefined;
  /** Set by the fused segment: how a failing `result()` for one key is handled. */
  onError: (error: unknown, value: unknown) => void = (e) => {
    throw e;
  };
  /** Event time of the result being emitted (the window's last instant), read by the fused segment. */
  readonly resultTime: number[] = [Number.NaN];
  private watermark = -Infinity;
  private readonly open = new Map<number, WindowGroup>();
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
    private readonly stage: string,
    private readonly aggregator: Aggregator<unknown, unknown, unknown>,
    private readonly keyOf: (value: unknown) => unknown,
    private readonly spec: WindowSpec,
    readonly counters: WindowCounters,
  ) {
    this.size = spec.size;
    this.slide = spec.slide;
  }

  add(value: unknown, time: number): void {
    const hit = time >= this.slotFrom && time < this.slotTo;
    if (!hit && Number.isNaN(time)) throw this.noEventTime();
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
    const c = this.counters;
    return {
      fired: c.fired,
      lateUpdates: c.lateUpdates,
      lateSideOutput: c.lateSideOutput,
      lateDropped: c.lateDropped,
      openWindows: this.openWindows,
    };
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

  private noEventTime(): SluiceError {
    return new SluiceError(
      ErrorCodes.STAGE_FAILED,
      `Window stage '${this.stage}': the record has no event time; give its source an eventTime option (or use time: 'processing')`,
      { details: { stage: this.stage } },
    );
  }

  private addTo(start: number, key: unknown, sk: unknown, value: unknown): void {
    const end = start + this.size;
    let group = this.open.get(start);
    if (end <= this.watermark) {
      // Late: the window has fired already (or would have, had it had records).
      if (this.spec.late !== 'update' && end + this.spec.lateness <= this.watermark) return this.tooLate(value);
      if (group === undefined) {
        group = new WindowGroup(this.fewKeys);
        this.open.set(start, group);
        insertSorted(this.retained, start);
      }
      const acc = this.accumulate(group, key, sk, value);
      this.counters.lateUpdates++;
      this.resultTime[0] = end - 1;
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
      acc = this.aggregator.create(key);
      group.add(sk, acc);
    }
    const next = this.aggregator.add(acc, value);
    if (next !== acc) group.replace(sk, next);
    return next;
  }

  private emitResult(key: unknown, start: number, end: number, acc: unknown, update: boolean): void {
    let value: unknown;
    try {
      value = this.aggregator.result(acc, key);
    } catch (err) {
      // One key's failure must not cost the other keys of the window their results.
      this.onError(err, { key, start, end, accumulator: acc });
      return;
    }
    this.counters.fired++;
    this.emit({ key, start, end, value, update });
  }

  private tooLate(value: unknown): void {
    if (this.spec.late === 'side-output' && this.emitLate !== undefined) {
      this.counters.lateSideOutput++;
      this.emitLate(value);
    } else if (this.spec.late === 'side-output') {
      // Nobody reads the late output: the records are counted, so they are never lost unseen.
      this.counters.lateSideOutput++;
    } else {
      this.counters.lateDropped++;
    }
  }

  private fire(start: number, group: WindowGroup, update: boolean): void {
    const end = start + this.spec.size;
    this.resultTime[0] = end - 1;
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
