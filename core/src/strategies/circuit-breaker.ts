import type { BreakerStats } from '@sluice/sdk';

/**
 * @internal The state machine of one stage's circuit breaker. Closed: records flow and failures
 * are counted in a sliding time window; `failures` of them within `windowMs` open it. Open: the
 * stage is not called until `cooldownMs` has passed. Half-open: one record (the probe) is let
 * through; its success closes the breaker, its failure opens it again. Only the failure path and
 * records arriving while it is not closed touch it: a closed breaker costs nothing per record.
 */
export class CircuitBreaker {
  private state: 'closed' | 'open' | 'half-open' = 'closed';
  private readonly recent: number[] = [];
  /** When an open breaker lets a probe through. */
  reopensAt = 0;
  /** A probe is out (half-open): other records wait or are rejected until it settles. */
  probing = false;
  opens = 0;
  rejected = 0;
  pausedMs = 0;

  constructor(
    readonly failures: number,
    readonly windowMs: number,
    readonly cooldownMs: number,
    readonly whileOpen: 'dead-letter' | 'pause',
  ) {}

  get closed(): boolean {
    return this.state === 'closed';
  }

  /** The state at `now`: an open breaker whose cooldown has passed is half-open. */
  stateAt(now: number): 'closed' | 'open' | 'half-open' {
    if (this.state === 'open' && now >= this.reopensAt) {
      this.state = 'half-open';
      this.probing = false;
    }
    return this.state;
  }

  /**
   * May a record be given to the stage at `now`? True when closed, or when half-open with no
   * probe out (the record becomes the probe: `probing` is set).
   */
  tryPass(now: number): boolean {
    const s = this.stateAt(now);
    if (s === 'closed') return true;
    if (s === 'half-open' && !this.probing) {
      this.probing = true;
      return true;
    }
    return false;
  }

  /**
   * A call failed at `now`. A probe's failure opens the breaker again; failures of calls that
   * started before it opened do not count while it is not closed.
   */
  failure(now: number, probe: boolean): void {
    if (probe) {
      this.open(now);
      return;
    }
    if (this.state !== 'closed') return;
    this.recent.push(now);
    while (this.recent.length > 0 && this.recent[0]! <= now - this.windowMs) this.recent.shift();
    if (this.recent.length >= this.failures) this.open(now);
  }

  /** The probe succeeded: close. */
  success(): void {
    this.state = 'closed';
    this.probing = false;
    this.recent.length = 0;
  }

  stats(now: number): BreakerStats {
    return { state: this.stateAt(now), opens: this.opens, rejected: this.rejected, pausedMs: this.pausedMs };
  }

  private open(now: number): void {
    this.state = 'open';
    this.probing = false;
    this.reopensAt = now + this.cooldownMs;
    this.recent.length = 0;
    this.opens++;
  }
}
