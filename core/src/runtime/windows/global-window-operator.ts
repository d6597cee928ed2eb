import type { Clock, KeyedStore, StateBackend, Trigger, TriggerContext, TriggerResult, ValueState, WindowStats } from '@sluice/sdk';
import { KeyedStateAccessImpl } from '../../state/keyed-state-access.js';
import { TimerQueue } from '../../state/timer-queue.js';
import { originalKey, stateKey } from '../state-key.js';
import type { WindowAggregate } from './window-aggregate.js';
import { WindowEmitter } from './window-emitter.js';
import { type WindowCounters } from './window-operator.js';
import type { WindowingOperator } from './windowing-operator.js';

/** @internal The global-window declaration. */
export interface GlobalSpec {
  readonly trigger: Trigger<unknown>;
  readonly mode: 'accumulate' | 'discard';
}

interface Pane {
  acc: unknown;
  first: number;
  last: number;
  /** Emitted at least once since it was created: with `accumulate`, later results are updates. */
  fired: boolean;
}

/**
 * @internal One window per key for the whole stream, emitted when its trigger says so. In
 * `accumulate` mode a key's accumulator survives a firing (each result covers everything so
 * far, and is marked as an update of the previous one); in `discard` mode a firing starts the
 * key afresh. A result's `start`/`end` are the pane's first record's time and last record's
 * time + 1 (the earliest and latest times of its records). At end of input every key's pane with records not yet in a result fires once.
 * Trigger state and timers live in the state backend with the panes.
 */
export class GlobalWindowOperator extends WindowEmitter implements WindowingOperator {
  private watermark = -Infinity;
  private readonly panes: KeyedStore<Pane>;
  /** Keys with records added since their last result (for end of input). */
  private readonly dirty: KeyedStore<true>;
  private readonly eventTimers: TimerQueue;
  private readonly processingTimers: TimerQueue;
  private readonly triggerState: KeyedStateAccessImpl;
  private currentSk: unknown;
  private currentKey: unknown;
  private readonly ctx: TriggerContext;

  constructor(
    stage: string,
    aggregate: WindowAggregate,
    private readonly keyOf: (value: unknown) => unknown,
    private readonly spec: GlobalSpec,
    counters: WindowCounters,
    backend: StateBackend,
    private readonly clock: Clock,
  ) {
    super(stage, aggregate, counters);
    this.panes = backend.store(stage, 'panes');
    this.dirty = backend.store(stage, 'dirty');
    this.eventTimers = new TimerQueue(backend.store(stage, 'trigger-timers:event'));
    this.processingTimers = new TimerQueue(backend.store(stage, 'trigger-timers:processing'));
    this.triggerState = new KeyedStateAccessImpl(stage, backend, () => this.currentSk);
    // Getters, not copies: the trigger reads the key and watermark current when it runs.
    const current = { key: () => this.currentKey, watermark: () => this.watermark };
    this.ctx = {
      get key() {
        return current.key();
      },
      get watermark() {
        return current.watermark();
      },
      now: () => this.clock.now(),
      state: <T>(name: string): ValueState<T> => this.triggerState.value<T>(`trigger.${name}`),
      registerEventTime: (time) => this.eventTimers.register(this.currentSk, time),
      registerProcessingTime: (time) => this.processingTimers.register(this.currentSk, time),
    };
  }

  add(value: unknown, time: number): void {
    const key = this.keyOf(value);
    const sk = stateKey(key);
    const t = Number.isNaN(time) ? this.clock.now() : time;
    let pane = this.panes.get(sk);
    if (pane === undefined) this.panes.set(sk, (pane = { acc: this.aggregate.create(key), first: t, last: t, fired: false }));
    pane.acc = this.aggregate.add(pane.acc, value);
    if (t < pane.first) pane.first = t;
    if (t > pane.last) pane.last = t;
    this.dirty.set(sk, true);
    this.currentSk = sk;
    this.currentKey = key;
    this.apply(this.spec.trigger.onRecord(value, t, this.ctx), sk, key);
  }

  advance(watermark: number): void {
    if (!(watermark > this.watermark)) return;
    this.watermark = watermark;
    if (this.spec.trigger.onEventTime === undefined || this.eventTimers.next() > watermark) return;
    this.eventTimers.fireUpTo(watermark, (sk, time) => this.onTimer(sk, time, 'event'));
  }

  nextProcessingTime(): number {
    return this.spec.trigger.onProcessingTime === undefined ? Infinity : this.processingTimers.next();
  }

  onProcessingTime(now: number): void {
    this.processingTimers.fireUpTo(now, (sk, time) => this.onTimer(sk, time, 'processing'));
  }

  flush(): void {
    for (const [sk] of [...this.dirty.entries()]) {
      const pane = this.panes.get(sk);
      if (pane !== undefined) this.fire(sk, originalKey(sk), pane);
    }
  }

  stats(): WindowStats {
    return this.windowStats(this.panes.size);
  }

  snapshotState(): unknown {
    return { watermark: this.watermark, eventTimers: this.eventTimers.order(), processingTimers: this.processingTimers.order() };
  }

  restoreState(state: unknown): void {
    const s = state as { watermark: number; eventTimers: [number, unknown][]; processingTimers: [number, unknown][] };
    this.watermark = s.watermark;
    this.eventTimers.rebuild(s.eventTimers);
    this.processingTimers.rebuild(s.processingTimers);
  }

  private onTimer(sk: unknown, time: number, domain: 'event' | 'processing'): void {
    this.currentSk = sk;
    this.currentKey = originalKey(sk);
    const trigger = this.spec.trigger;
    const result = domain === 'event' ? trigger.onEventTime?.(time, this.ctx) : trigger.onProcessingTime?.(time, this.ctx);
    this.apply(result ?? 'continue', sk, this.currentKey);
  }

  private apply(result: TriggerResult, sk: unknown, key: unknown): void {
    if (result === 'continue') return;
    const pane = this.panes.get(sk);
    if (pane === undefined) return;
    // A firing with nothing new since the last result would only repeat it.
    if ((result === 'fire' || result === 'fire-and-purge') && this.dirty.has(sk)) this.fire(sk, key, pane);
    if (result === 'purge' || result === 'fire-and-purge') {
      this.panes.delete(sk);
      this.dirty.delete(sk);
    }
  }

  private fire(sk: unknown, key: unknown, pane: Pane): void {
    this.dirty.delete(sk);
    const update = pane.fired;
    pane.fired = true;
    if (this.spec.mode === 'discard') this.panes.delete(sk);
    this.emitResult(key, pane.first, pane.last + 1, pane.acc, this.spec.mode === 'accumulate' && update, pane.last);
  }
}
