import type { KeyedStore, StateBackend, WindowStats } from '@sluice/sdk';
import { originalKey, stateKey } from '../state-key.js';
import { MinHeap } from '../min-heap.js';
import type { WindowAggregate } from './window-aggregate.js';
import { WindowEmitter } from './window-emitter.js';
import { type WindowCounters } from './window-operator.js';
import type { WindowingOperator } from './windowing-operator.js';

/** @internal The session declaration, in milliseconds. */
export interface SessionSpec {
  readonly gap: number;
  readonly lateness: number;
  readonly late: 'side-output' | 'update' | 'drop';
}

interface Session {
  start: number;
  end: number;
  acc: unknown;
  /** A result for (part of) this session has been emitted: the next one is an update. */
  fired: boolean;
  /** Pending (not fired since its last change). */
  pending: boolean;
  /** Merged into another session or purged: heap entries pointing here are stale. */
  dead: boolean;
  readonly sk: unknown;
}

/**
 * @internal Event-time session windows: per key, a record at t opens [t, t + gap); sessions that
 * overlap or touch merge (their accumulators combined with `merge`), so a session ends after
 * `gap` without records of its key. A session fires when the watermark reaches its end.
 *
 * Lateness, for a record behind the watermark: it is merged first, and the merged session
 * decides. If its end + lateness <= watermark (and the policy is not `update`) the record is too
 * late and follows the late policy, and nothing is merged. Otherwise the merged session is
 * emitted at once with `update: true` if its end has passed (an update when any part of it had
 * fired before), or becomes pending again and fires when the watermark reaches its new end.
 * Fired sessions are kept until end + lateness <= watermark (forever with `late: 'update'`).
 */
export class SessionWindowOperator extends WindowEmitter implements WindowingOperator {
  private watermark = -Infinity;
  // State key -> the key's live sessions, ascending by start: the stage's 'sessions' store.
  private readonly sessions: KeyedStore<Session[]>;
  private readonly toFire = new MinHeap<Session>();
  private readonly toPurge = new MinHeap<Session>();
  private pendingCount = 0;

  constructor(
    stage: string,
    aggregate: WindowAggregate,
    private readonly keyOf: (value: unknown) => unknown,
    private readonly spec: SessionSpec,
    counters: WindowCounters,
    backend: StateBackend,
  ) {
    super(stage, aggregate, counters);
    this.sessions = backend.store(stage, 'sessions');
  }

  add(value: unknown, time: number): void {
    if (Number.isNaN(time)) throw this.noEventTime();
    const late = time < this.watermark;
    if (late) this.counters.lateness.record(this.watermark - time);
    const key = this.keyOf(value);
    const sk = stateKey(key);
    const list = this.sessions.get(sk) ?? [];
    let start = time;
    let end = time + this.spec.gap;
    // The sessions this record bridges: they overlap or touch [start, end), and once merged
    // the span may reach further ones.
    let first = list.length;
    let last = -1;
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      if (s.start <= end && s.end >= start) {
        if (first === list.length) first = i;
        last = i;
        start = Math.min(start, s.start);
        end = Math.max(end, s.end);
      } else if (s.start > end) break;
    }
    if (late && this.spec.late !== 'update' && end + this.spec.lateness <= this.watermark) return this.tooLate(value, this.spec.late);
    if (late) this.counters.lateUpdates++;

    // Merged in start order, the new record last: a whole-window function sees the records
    // session by session, each in arrival order.
    let acc: unknown;
    let fired = false;
    for (let i = first; i <= last; i++) {
      const s = list[i]!;
      acc = i === first ? s.acc : this.aggregate.merge!(acc, s.acc);
      fired ||= s.fired;
      if (s.pending) this.pendingCount--;
      s.dead = true;
    }
    const own = this.aggregate.add(this.aggregate.create(key), value);
    acc = last >= first ? this.aggregate.merge!(acc, own) : own;
    const merged: Session = { start, end, acc, fired, pending: false, dead: false, sk };
    const count = last >= first ? last - first + 1 : 0;
    const at = count > 0 ? first : insertionPoint(list, start);
    list.splice(at, count, merged);
    if (list.length === 1) this.sessions.set(sk, list);

    if (end <= this.watermark) {
      // Complete already, within lateness: emit now.
      this.fire(merged, key);
      this.retain(merged);
      return;
    }
    merged.pending = true;
    this.pendingCount++;
    this.toFire.push(end, merged);
  }

  advance(watermark: number): void {
    if (!(watermark > this.watermark)) return;
    this.watermark = watermark;
    while (this.toFire.size > 0 && this.toFire.peekAt() <= watermark) {
      const s = this.toFire.pop()!;
      if (s.dead || !s.pending) continue;
      s.pending = false;
      this.pendingCount--;
      this.fire(s, originalKey(s.sk));
      this.retain(s);
    }
    while (this.toPurge.size > 0 && this.toPurge.peekAt() <= watermark) {
      const s = this.toPurge.pop()!;
      // A session that changed since (merged, or pending again) is no longer this entry's.
      if (s.dead || s.pending || s.end + this.spec.lateness > watermark) continue;
      this.remove(s);
    }
  }

  nextFireTime(): number {
    while (this.toFire.size > 0) {
      const s = this.toFire.peek()!;
      if (!s.dead && s.pending) return this.toFire.peekAt();
      this.toFire.pop();
    }
    return Infinity;
  }

  flush(): void {
    this.advance(Infinity);
  }

  stats(): WindowStats {
    return this.windowStats(this.pendingCount);
  }

  snapshotState(): unknown {
    return { watermark: this.watermark };
  }

  restoreState(state: unknown): void {
    this.watermark = (state as { watermark: number }).watermark;
    this.toFire.clear();
    this.toPurge.clear();
    this.pendingCount = 0;
    for (const [, list] of this.sessions.entries()) {
      for (const s of list) {
        if (s.pending) {
          this.pendingCount++;
          this.toFire.push(s.end, s);
        } else if (s.fired) this.retain(s);
      }
    }
  }

  private fire(s: Session, key: unknown): void {
    const update = s.fired;
    s.fired = true;
    this.emitResult(key, s.start, s.end, s.acc, update);
  }

  private retain(s: Session): void {
    if (this.spec.late === 'update') return; // kept for every late record to come
    this.toPurge.push(s.end + this.spec.lateness, s);
  }

  private remove(s: Session): void {
    s.dead = true;
    const list = this.sessions.get(s.sk);
    if (list === undefined) return;
    const i = list.indexOf(s);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.sessions.delete(s.sk);
  }
}

function insertionPoint(list: readonly Session[], start: number): number {
  let i = list.length;
  while (i > 0 && list[i - 1]!.start > start) i--;
  return i;
}
