import {
  ErrorCodes,
  SluiceError,
  type Clock,
  type KeyedStateAccess,
  type StageContext,
  type StateBackend,
  type TimeDomain,
  type TimerService,
} from '@sluice/sdk';
import { KeyedStateAccessImpl } from '../state/keyed-state-access.js';
import { TimerQueue } from '../state/timer-queue.js';
import { TimerServiceImpl } from '../state/timer-service-impl.js';
import type { RecordCursor } from './record-cursor.js';
import { originalKey, stateKey } from './state-key.js';

/** @internal What a keyed process stage's state and timers are kept in. */
export interface KeyedServices {
  readonly backend: StateBackend;
  readonly clock: Clock;
}

type TimerTarget = { onTimer?: (time: number, ctx: StageContext<unknown>, domain: TimeDomain) => void };

/**
 * @internal One per process stage, re-pointed at each record by the fused loop. A keyed stage's
 * context also owns the stage's keyed state and timers; while a timer fires, the "current key"
 * is the timer's key instead of the record's.
 */
export class StageContextImpl implements StageContext<unknown> {
  emit: (value: unknown) => void = () => undefined;
  /** The record being processed (for `key`). */
  current: unknown = undefined;
  cursor: RecordCursor = { position: () => -1, time: () => Number.NaN };
  /** The segment's watermark, set after each batch. */
  watermark = -Infinity;
  /** Event time of records emitted from `onTimer`, read by the fused segment. */
  readonly timerTime: number[] = [Number.NaN];
  /** Set by the fused segment: how a throwing `onTimer` is handled (the stage's `@OnError` policy). */
  onError: (error: unknown, value: unknown) => void = (e) => {
    throw e;
  };
  private firing = false;
  private timerSk: unknown = undefined;
  private lastRecord: unknown = undefined;
  private lastSk: unknown = undefined;
  private stateAccess: KeyedStateAccessImpl | undefined;
  private timerService: TimerServiceImpl | undefined;
  private readonly eventTimers: TimerQueue | undefined;
  private readonly processingTimers: TimerQueue | undefined;

  constructor(
    readonly stage: string,
    readonly signal: AbortSignal,
    private readonly keyOf: ((value: unknown) => unknown) | undefined,
    private readonly services?: KeyedServices,
  ) {
    if (keyOf !== undefined && services !== undefined) {
      this.eventTimers = new TimerQueue(services.backend.store(stage, 'timers:event'));
      this.processingTimers = new TimerQueue(services.backend.store(stage, 'timers:processing'));
    }
  }

  get keyed(): boolean {
    return this.keyOf !== undefined;
  }

  get eventTime(): number | undefined {
    const t = this.cursor.time();
    return Number.isNaN(t) ? undefined : t;
  }

  get position(): number {
    return this.cursor.position();
  }

  get key(): unknown {
    if (this.firing) return originalKey(this.timerSk);
    // No current record during flush(): there is no key then.
    return this.keyOf === undefined || this.current === undefined ? undefined : this.keyOf(this.current);
  }

  get state(): KeyedStateAccess {
    if (this.stateAccess === undefined) {
      const services = this.keyedServices('ctx.state');
      this.stateAccess = new KeyedStateAccessImpl(this.stage, services.backend, () => this.currentStateKey('ctx.state'));
    }
    return this.stateAccess;
  }

  get timers(): TimerService {
    if (this.timerService === undefined) {
      const services = this.keyedServices('ctx.timers');
      this.timerService = new TimerServiceImpl(
        this.stage,
        services.clock,
        this.eventTimers!,
        this.processingTimers!,
        () => this.currentStateKey('ctx.timers'),
        () => this.watermark,
      );
    }
    return this.timerService;
  }

  /** Checkpoints: state and timers are in the backend; the watermark is not. */
  snapshotState(): unknown {
    return { watermark: this.watermark, eventTimers: this.eventTimers?.order(), processingTimers: this.processingTimers?.order() };
  }

  /** After the backend's stores were restored: the timer indexes are rebuilt from them. */
  restoreState(state: unknown): void {
    const s = state as { watermark: number; eventTimers?: [number, unknown][]; processingTimers?: [number, unknown][] };
    this.watermark = s.watermark;
    this.eventTimers?.rebuild(s.eventTimers);
    this.processingTimers?.rebuild(s.processingTimers);
  }

  /** The earliest processing-time timer, or Infinity. */
  nextProcessingTime(): number {
    return this.processingTimers?.next() ?? Infinity;
  }

  /** Fires the event-time timers the watermark has passed. */
  fireEventTimers(watermark: number, stage: TimerTarget): void {
    this.watermark = Math.max(this.watermark, watermark);
    if (this.eventTimers === undefined || this.eventTimers.next() > watermark) return;
    this.fire(this.eventTimers, watermark, 'event', stage);
  }

  /**
   * End of input: the watermark jumps to +Infinity and every pending event-time timer fires.
   * Timers registered meanwhile fire too if they are not later than the last one pending at
   * the start: a timer that re-arms itself (every second, say) must not loop forever here.
   */
  fireEventTimersAtEnd(stage: TimerTarget): void {
    if (this.eventTimers === undefined) return;
    const last = this.eventTimers.last();
    this.watermark = Infinity;
    if (last > -Infinity) this.fire(this.eventTimers, last, 'event', stage);
  }

  /** Fires the processing-time timers due at `now`. */
  fireProcessingTimers(now: number, stage: TimerTarget): void {
    if (this.processingTimers === undefined || this.processingTimers.next() > now) return;
    this.fire(this.processingTimers, now, 'processing', stage);
  }

  private fire(queue: TimerQueue, limit: number, domain: TimeDomain, stage: TimerTarget): void {
    const saved = this.current;
    this.current = undefined;
    try {
      queue.fireUpTo(limit, (sk, time) => {
        this.firing = true;
        this.timerSk = sk;
        // Records emitted by an event-time timer carry the timer's time; processing-time ones none.
        this.timerTime[0] = domain === 'event' ? time : Number.NaN;
        try {
          if (typeof stage.onTimer === 'function') stage.onTimer(time, this, domain);
        } catch (err) {
          this.onError(err, { key: originalKey(sk), time, domain });
        } finally {
          this.firing = false;
        }
      });
    } finally {
      this.current = saved;
    }
  }

  private currentStateKey(what: string): unknown {
    if (this.firing) return this.timerSk;
    if (this.current === undefined) {
      throw new SluiceError(
        ErrorCodes.STAGE_FAILED,
        `Stage '${this.stage}': ${what} was used with no current record (in flush() or outside process()); keyed state and timers exist per key`,
        { details: { stage: this.stage } },
      );
    }
    // Several state calls for one record compute the key once.
    if (this.current !== this.lastRecord) {
      this.lastRecord = this.current;
      this.lastSk = stateKey(this.keyOf!(this.current));
    }
    return this.lastSk;
  }

  private keyedServices(what: string): KeyedServices {
    if (this.keyOf === undefined || this.services === undefined) {
      throw new SluiceError(
        ErrorCodes.STAGE_FAILED,
        `Stage '${this.stage}': ${what} needs a keyed stage; add the option key: (record) => ... to @Stage`,
        { details: { stage: this.stage } },
      );
    }
    return this.services;
  }
}
