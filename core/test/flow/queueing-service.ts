import type { Clock } from '@sluice/sdk';

/**
 * A fake service on a virtual clock: `workers` calls are served at once, each in `latencyMs`;
 * more calls wait in a FIFO queue. So its capacity is `workers / latencyMs` calls per ms: under
 * it a call takes the base latency, past it calls queue and the latency rises, while the
 * throughput never goes above the capacity.
 */
export class QueueingService {
  private busy = 0;
  private readonly queue: (() => void)[] = [];
  /** Each finished call: when it ended and how long it took. */
  readonly done: { at: number; latency: number }[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly clock: Clock,
    private readonly latencyMs: number,
    private workers: number,
  ) {}

  call(): Promise<void> {
    const calledAt = this.clock.now();
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise((resolve) => {
      const serve = () => {
        this.busy++;
        this.clock.schedule(this.clock.now() + this.latencyMs, () => {
          this.busy--;
          this.inFlight--;
          this.done.push({ at: this.clock.now(), latency: this.clock.now() - calledAt });
          resolve();
          this.next();
        });
      };
      if (this.busy < this.workers) serve();
      else this.queue.push(serve);
    });
  }

  /** Changes the capacity (e.g. the service scales out) from now on. */
  setWorkers(n: number): void {
    this.workers = n;
    this.next();
  }

  /** Calls finished in [from, to) per second, and their mean latency. */
  window(from: number, to: number): { perSecond: number; meanLatency: number } {
    const calls = this.done.filter((d) => d.at >= from && d.at < to);
    return {
      perSecond: (calls.length * 1000) / (to - from),
      meanLatency: calls.reduce((s, d) => s + d.latency, 0) / Math.max(1, calls.length),
    };
  }

  private next(): void {
    while (this.busy < this.workers && this.queue.length > 0) this.queue.shift()!();
  }
}
