import { ErrorCodes, SluiceError, type Clock, type ErrorDecision, type ErrorStrategy } from '@sluice/sdk';
import type { CircuitBreaker } from '../strategies/circuit-breaker.js';
import type { DeadLetterQueue } from './dead-letter-queue.js';
import type { MetricsBus } from '../monitoring/metrics-bus.js';
import { PipelineFailure } from './pipeline-failure.js';
import type { StageCounters } from './stage-counters.js';

/** @internal A record the stage failed on (or that waits behind one), with its retry bookkeeping. */
export interface Attempted {
  readonly value: unknown;
  readonly position: number;
  readonly time: number;
  /** Calls of the stage with this record so far. */
  attempts: number;
  /** Clock time of its first failure. */
  firstFailureAt: number;
}

/** @internal A record parked in front of a synchronous stage: it runs again at `due` or later. */
export interface Parked extends Attempted {
  due: number;
}

/** @internal How a stage's error policy is configured. */
export interface StageErrorPolicy {
  readonly stage: string;
  readonly label: string;
  readonly strategy: ErrorStrategy;
  readonly breaker: CircuitBreaker | undefined;
  /** True when the policy may retry or has a breaker: the fused code then checks `blocked` before each call. */
  readonly gated: boolean;
  /** The stage's key option, to put the key of a keyed stage's record in its dead letter. */
  readonly keyOf: ((value: unknown) => unknown) | undefined;
  readonly counters: StageCounters;
  readonly deadLetters: DeadLetterQueue;
  readonly clock: Clock;
  readonly fail: (error: SluiceError) => void;
  /** Where `stage:error` goes (absent in unit tests of the handler). */
  readonly events?: MetricsBus;
}

/**
 * @internal Applies a stage's `@OnError` policy. On a failed call it asks the stage's error
 * strategy for a decision and carries it out: dead-letter, skip, fail, or retry later. For a
 * synchronous stage a retry *parks* the record here, and every later record of the stage in
 * the batch queues behind it (`blocked`), so the fused loop never waits and order is kept; the
 * task then waits on the pipeline clock and calls the segment's `resume`, which takes the
 * records back from `next`. The circuit breaker is consulted only while it is not closed. None
 * of this runs on the hot path: a stage without retries or breaker is never gated, and a gated
 * one pays one field read per record.
 */
export class StageErrorHandler {
  /** Records must not go straight into the stage: some are parked, or the breaker is not closed. */
  blocked = false;
  /** The call in progress is the half-open breaker's probe (synchronous stages). */
  probing = false;
  readonly gated: boolean;
  readonly breaker: CircuitBreaker | undefined;
  private readonly queue: Parked[] = [];
  private head = 0;
  /** The parked record `resume` is running now. */
  private current: Parked | undefined;
  /** A record was parked again during this resume: stop taking records until the next one. */
  private reparked = false;
  private pausedUntil = -Infinity;

  constructor(private readonly policy: StageErrorPolicy) {
    this.gated = policy.gated;
    this.breaker = policy.breaker;
  }

  // ---- synchronous stages (called by the fused segment's generated code) ----

  /** The stage threw on a record. */
  handle(err: unknown, value: unknown, position: number, time: number): void {
    if (err instanceof PipelineFailure) throw err;
    let entry = this.current;
    this.current = undefined;
    const resumed = entry !== undefined;
    entry ??= { value, position, time, attempts: 0, firstFailureAt: 0, due: 0 };
    const probe = this.probing;
    this.probing = false;
    const decision = this.decide(err, entry, probe);
    if (typeof decision === 'object') {
      entry.due = this.policy.clock.now() + decision.retryInMs;
      if (resumed) {
        this.queue[--this.head] = entry;
        this.reparked = true;
      } else {
        this.queue.push(entry);
      }
      this.updateBlocked();
      return;
    }
    this.updateBlocked();
    this.apply(decision, err, entry);
  }

  /** The stage threw outside a record's call (flush, a result at end of input, a timer): no retry. */
  handleEnd(err: unknown, value: unknown): void {
    if (err instanceof PipelineFailure) throw err;
    const entry: Attempted = { value, position: -1, time: Number.NaN, attempts: 1, firstFailureAt: this.policy.clock.now() };
    this.policy.counters.errors++;
    let decision: ErrorDecision;
    try {
      decision = this.policy.strategy.decide(this.failure(err, entry));
    } catch (e) {
      this.report(err, entry.attempts, 'fail');
      decision = this.strategyFailed(e);
    }
    const final = typeof decision === 'object' ? 'fail' : decision;
    this.report(err, entry.attempts, final);
    this.apply(final, err, entry);
  }

  /** A record arrives while `blocked`: true to call the stage with it (the breaker let it through). */
  admit(value: unknown, position: number, time: number): boolean {
    if (this.head < this.queue.length) {
      this.queue.push({ value, position, time, attempts: 0, firstFailureAt: 0, due: 0 });
      return false;
    }
    const b = this.breaker!;
    const now = this.policy.clock.now();
    if (b.tryPass(now)) {
      this.probing = b.probing;
      this.updateBlocked();
      return true;
    }
    const entry: Parked = { value, position, time, attempts: 0, firstFailureAt: 0, due: b.reopensAt };
    if (b.whileOpen === 'dead-letter') {
      this.reject(entry);
      return false;
    }
    this.notePause(now);
    this.queue.push(entry);
    return false;
  }

  /** The probe's call returned normally: the breaker closes. */
  probeSucceeded(): void {
    this.probing = false;
    this.breaker?.success();
    this.updateBlocked();
  }

  /** Whether records are parked. */
  get parked(): boolean {
    return this.head < this.queue.length;
  }

  /** When the first parked record may run (Infinity when none is parked). */
  nextDue(): number {
    return this.head < this.queue.length ? this.queue[this.head]!.due : Infinity;
  }

  /** A resume starts: every parked record may be taken again. */
  beginResume(): void {
    this.reparked = false;
  }

  /**
   * The next parked record to run at `now`, in order, or undefined when none may run yet. A
   * record that arrives at an open breaker goes to the dead letters (`whileOpen: 'dead-letter'`)
   * or keeps waiting for the half-open probe (`'pause'`).
   */
  next(now: number): Parked | undefined {
    this.current = undefined;
    while (!this.reparked && this.head < this.queue.length) {
      const r = this.queue[this.head]!;
      if (r.due > now) return undefined;
      const b = this.breaker;
      if (b !== undefined && !b.tryPass(now)) {
        if (b.whileOpen === 'dead-letter') {
          this.head++;
          this.reject(r);
          continue;
        }
        r.due = Math.max(r.due, b.reopensAt);
        this.notePause(now);
        return undefined;
      }
      this.probing = b?.probing === true;
      this.head++;
      if (r.attempts > 0) this.policy.counters.retries++;
      this.current = r;
      return r;
    }
    if (this.head >= this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    this.updateBlocked();
    return undefined;
  }

  // ---- async (enrich) stages ----

  /**
   * May a new call start at `now`? `probe`: yes, as the half-open breaker's probe; `pass`: yes;
   * `reject`: no, dead-letter it (`rejectRecord`); a number: wait until then (Infinity: until the
   * probe in flight settles).
   */
  admission(now: number): 'pass' | 'probe' | 'reject' | number {
    const b = this.breaker;
    if (b === undefined) return 'pass';
    if (b.tryPass(now)) return b.probing ? 'probe' : 'pass';
    if (b.whileOpen === 'dead-letter') return 'reject';
    const until = b.stateAt(now) === 'open' ? b.reopensAt : Infinity;
    if (until !== Infinity) this.notePause(now);
    return until;
  }

  /** Decides for a failed call of an async stage; applying a final decision is `apply`'s job. */
  decideAsync(err: unknown, entry: Attempted, probe: boolean): ErrorDecision {
    return this.decide(err, entry, probe);
  }

  /** Counts a retry attempt starting (async stages). */
  countRetry(): void {
    this.policy.counters.retries++;
  }

  /** Sends a record to the dead letters because the breaker is open, without calling the stage. */
  reject(entry: Attempted): void {
    const b = this.breaker!;
    b.rejected++;
    const error = new SluiceError(
      ErrorCodes.CIRCUIT_OPEN,
      `Stage '${this.policy.stage}' (${this.policy.label}): its circuit breaker is open after ${b.failures} failure(s) within ${b.windowMs} ms; the record was not processed`,
      { details: { stage: this.policy.stage, class: this.policy.label, position: entry.position } },
    );
    this.report(error, Math.max(1, entry.attempts), 'open');
    this.deadLetter(error, entry);
  }

  /** Carries out a final decision on a record. `fail` throws a `PipelineFailure`. */
  apply(decision: 'dead-letter' | 'skip' | 'fail', err: unknown, entry: Attempted): void {
    const counters = this.policy.counters;
    if (decision === 'skip') {
      counters.skipped++;
      return;
    }
    if (decision === 'dead-letter') {
      this.deadLetter(err, entry);
      return;
    }
    const { stage, label } = this.policy;
    const message = err instanceof Error ? err.message : String(err);
    const where = entry.position >= 0 ? `the record at position ${entry.position} of its source` : 'end of input';
    const tries = entry.attempts > 1 ? ` after ${entry.attempts} attempts` : '';
    const failure = new PipelineFailure(
      new SluiceError(
        ErrorCodes.STAGE_FAILED,
        `Stage '${stage}' (${label}) failed on ${where}${tries}: ${message}. Add @OnError({ then: 'dead-letter' }) or 'skip' to keep going past such records`,
        {
          cause: err,
          details: { stage, class: label, position: entry.position, attempts: entry.attempts, value: preview(entry.value) },
        },
      ),
    );
    // Cancel now: even if user code between here and the task catches the throw, the run fails.
    this.policy.fail(failure.error);
    throw failure;
  }

  // Every failed call is reported on the bus with what the policy made of it (a strategy that
  // throws or answers nonsense fails the pipeline: 'fail').
  private decide(err: unknown, entry: Attempted, probe: boolean): ErrorDecision {
    let decision: ErrorDecision | undefined;
    try {
      decision = this.decideOnce(err, entry, probe);
      return decision;
    } finally {
      this.report(err, entry.attempts, decision === undefined ? 'fail' : typeof decision === 'object' ? 'retry' : decision);
    }
  }

  /** `stage:error` for one failed call; nothing is built when nobody listens. */
  private report(err: unknown, attempt: number, decision: string): void {
    const events = this.policy.events;
    if (events === undefined || events.listenerCount('stage:error') === 0) return;
    const e = err instanceof Error ? err : undefined;
    events.emit('stage:error', {
      stage: this.policy.stage,
      error: { name: e?.name ?? 'Error', message: e?.message ?? String(err), ...(SluiceError.is(err) ? { code: err.code } : {}) },
      attempt,
      decision,
      at: this.policy.clock.now(),
    });
  }

  private decideOnce(err: unknown, entry: Attempted, probe: boolean): ErrorDecision {
    const now = this.policy.clock.now();
    this.policy.counters.errors++;
    if (entry.attempts === 0) entry.firstFailureAt = now;
    entry.attempts++;
    this.breaker?.failure(now, probe);
    let decision: ErrorDecision;
    try {
      decision = this.policy.strategy.decide(this.failure(err, entry));
    } catch (e) {
      return this.strategyFailed(e);
    }
    if (typeof decision === 'object') {
      const ms = decision?.retryInMs;
      if (typeof ms !== 'number' || !(ms >= 0) || ms === Infinity)
        return this.strategyFailed(new Error(`decide() returned retryInMs ${String(ms)}`));
      return decision;
    }
    if (decision !== 'dead-letter' && decision !== 'skip' && decision !== 'fail')
      return this.strategyFailed(new Error(`decide() returned ${String(decision)}`));
    return decision;
  }

  private failure(err: unknown, entry: Attempted) {
    return {
      stage: this.policy.stage,
      error: err,
      attempt: entry.attempts,
      firstFailureAt: entry.firstFailureAt,
      now: this.policy.clock.now(),
      value: entry.value,
      position: entry.position,
    };
  }

  private strategyFailed(e: unknown): never {
    const failure = new PipelineFailure(
      new SluiceError(
        ErrorCodes.STAGE_FAILED,
        `Stage '${this.policy.stage}' (${this.policy.label}): its error strategy failed: ${e instanceof Error ? e.message : String(e)}; decide() must return { retryInMs } (a number >= 0), 'dead-letter', 'skip' or 'fail'`,
        { cause: e, details: { stage: this.policy.stage, class: this.policy.label } },
      ),
    );
    this.policy.fail(failure.error);
    throw failure;
  }

  private deadLetter(err: unknown, entry: Attempted): void {
    const { counters, deadLetters, keyOf, clock, stage } = this.policy;
    counters.deadLettered++;
    const e = err instanceof Error ? err : new Error(String(err));
    let key: unknown;
    if (keyOf !== undefined && entry.position >= 0) {
      try {
        key = keyOf(entry.value);
      } catch {
        key = undefined;
      }
    }
    deadLetters.add({
      stage,
      value: entry.value,
      position: entry.position,
      ...(keyOf === undefined ? {} : { key }),
      eventTime: Number.isNaN(entry.time) ? undefined : entry.time,
      error: { name: e.name, message: e.message, stack: e.stack, ...(SluiceError.is(e) ? { code: e.code } : {}) },
      attempts: entry.attempts,
      time: clock.now(),
    });
  }

  private notePause(now: number): void {
    const b = this.breaker!;
    // Counted once per open period: the stage waits from now until the probe may go.
    if (this.pausedUntil >= b.reopensAt) return;
    b.pausedMs += b.reopensAt - Math.max(now, this.pausedUntil);
    this.pausedUntil = b.reopensAt;
  }

  private updateBlocked(): void {
    this.blocked = this.head < this.queue.length || (this.breaker !== undefined && !this.breaker.closed);
  }
}

function preview(value: unknown): string {
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return String(value);
  }
}
