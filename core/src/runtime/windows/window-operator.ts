import { ErrorCodes, SluiceError, type KeyedStore, type StateBackend, type WindowResult, type WindowStats } from '@sluice/sdk';
import { originalKey, stateKey } from '../state-key.js';
import { LatenessHistogram } from './lateness-histogram.js';
import type { WindowAggregate } from './window-aggregate.js';

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
  // Window start -> (state key -> accumulator): the stage's 'windows' store in the state backend.
  private readonly open: KeyedStore<Map<unknown, unknown>>;
  // Starts of windows not fired yet, ascending; then fired windows kept for lateness, ascending.
  private readonly pending: number[] = [];
  private readonly retained: number[] = [];
  private lastStart = Number.NaN;
  private lastGroup: Map<unknown, unknown> | undefined;

  constructor(
    private readonly stage: string,
    private readonly aggregator: WindowAggregate,
    private readonly keyOf: (value: unknown) => unknown,
    private readonly spec: WindowSpec,
    readonly counters: WindowCounters,
    backend: StateBackend,
  ) {
    this.open = backend.store(stage, 'windows');
  }

  add(value: unknown, time: number): void {
    if (Number.isNaN(time)) {
      throw new SluiceError(
        ErrorCodes.STAGE_FAILED,
        `Window stage '${this.stage}': the record has no event time; give its source an eventTime option (or use time: 'processing')`,
        { details: { stage: this.stage } },
      );
    }
    if (time < this.watermark) this.counters.lateness.record(this.watermark - time);
    const key = this.keyOf(value);
    const { size, slide } = this.spec;
    const sk = stateKey(key);
    const last = time - (((time % slide) + slide) % slide);
    for (let start = last; start > time - size; start -= slide) this.addTo(start, key, sk, value);
  }

  /** A new watermark: fires every window that it closes and purges what lateness no longer needs. */
  advance(watermark: number): void {
    if (!(watermark > this.watermark)) return;
    this.watermark = watermark;
    this.lastStart = Number.NaN; // windows may close or be purged below
    this.lastGroup = undefined;
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
      lateness: c.lateness.snapshot(),
    };
  }

  /** When `advance` next has work: the end of the earliest window not fired yet, or Infinity. */
  nextFireTime(): number {
    return this.pending.length === 0 ? Infinity : this.pending[0]! + this.spec.size;
  }

  /** Open window and key pairs (for stats and tests). */
  get openWindows(): number {
    let n = 0;
    for (const start of this.pending) n += this.open.get(start)!.size;
    return n;
  }

  private addTo(start: number, key: unknown, sk: unknown, value: unknown): void {
    const end = start + this.spec.size;
    // Consecutive records mostly fall in the same window: skip the lookup by start then.
    let group = start === this.lastStart ? this.lastGroup : this.open.get(start);
    if (end <= this.watermark) {
      // Late: the window has fired already (or would have, had it had records).
      if (this.spec.late !== 'update' && end + this.spec.lateness <= this.watermark) return this.tooLate(value);
      if (group === undefined) {
        group = new Map();
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
      group = new Map();
      this.open.set(start, group);
      insertSorted(this.pending, start);
    }
    this.lastStart = start;
    this.lastGroup = group;
    this.accumulate(group, key, sk, value);
  }

  // Hot path: one Map lookup per record when the aggregator updates its accumulator in place.
  private accumulate(group: Map<unknown, unknown>, key: unknown, sk: unknown, value: unknown): unknown {
    let acc = group.get(sk);
    if (acc === undefined && !group.has(sk)) {
      acc = this.aggregator.create(key);
      group.set(sk, acc);
    }
    const next = this.aggregator.add(acc, value);
    if (next !== acc) group.set(sk, next);
    return next;
  }

  private emitResult(key: unknown, start: number, end: number, acc: unknown, update: boolean): void {
    let value: unknown;
    try {
      value = this.aggregator.result(acc, key, start, end);
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

  private fire(start: number, group: Map<unknown, unknown>, update: boolean): void {
    const end = start + this.spec.size;
    this.resultTime[0] = end - 1;
    for (const [sk, acc] of group) this.emitResult(originalKey(sk), start, end, acc, update);
  }
}

// Windows are created almost always in increasing order: search from the end.
function insertSorted(list: number[], value: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1]! > value) i--;
  list.splice(i, 0, value);
}
