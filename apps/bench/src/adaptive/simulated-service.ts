import type { Clock } from '@sluice/sdk';

/**
 * A downstream service with a capacity: it serves `capacity` calls per second, one after the
 * other, and each answer takes `latencyMs` more to travel back. Below capacity a call takes
 * `latencyMs + 1000 / capacity`; past it, calls queue and their latency rises without bound, as
 * a real overloaded service's does. The capacity can change while it runs.
 */
export class SimulatedService {
  private nextFree = 0;
  private served = 0;

  constructor(
    private readonly clock: Clock,
    public capacity: number,
    private readonly latencyMs: number,
  ) {}

  /** Calls answered so far. */
  get calls(): number {
    return this.served;
  }

  call<T>(value: T): Promise<T> {
    const now = this.clock.now();
    const start = Math.max(now, this.nextFree);
    this.nextFree = start + 1000 / this.capacity;
    const answerAt = this.nextFree + this.latencyMs;
    return new Promise((resolve) => {
      this.clock.schedule(answerAt, () => {
        this.served++;
        resolve(value);
      });
    });
  }
}
