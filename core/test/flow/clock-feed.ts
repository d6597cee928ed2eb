import type { VirtualClock } from '@sluice/core/testing';
import type { PushEmitter, PushSourceConnector } from '@sluice/sdk';

/** What the feed sees of its source just before a push: the engine's counters. */
export interface BufferView {
  /** Records the source task has taken from the buffer so far. */
  readonly taken: number;
  /** Records in the buffer now. */
  readonly fill: number;
}

/**
 * A market-data feed that cannot be paused: pushes 0, 1, … n-1, one every `gapMs` on a virtual
 * clock, then ends. With `wait`, it honours `block` (awaits `ready()` and pushes the refused
 * record again) and records how long it waited; otherwise it goes on regardless. `observe` is
 * called before each push, so a test can keep a model of the buffer.
 */
export class ClockFeed implements PushSourceConnector<number> {
  waits = 0;
  waitedMs = 0;
  subscribed = 0;
  unsubscribed = 0;
  /** The results of emit, in push order (false: refused). */
  readonly answers: boolean[] = [];
  private stopped = false;

  constructor(
    private readonly clock: VirtualClock,
    private readonly n: number,
    private readonly gapMs: number,
    private readonly options: { wait?: boolean; observe?: (value: number) => void } = {},
  ) {}

  subscribe(emitter: PushEmitter<number>): void {
    this.subscribed++;
    void this.feed(emitter);
  }

  unsubscribe(): void {
    this.unsubscribed++;
    this.stopped = true;
  }

  private async feed(emitter: PushEmitter<number>): Promise<void> {
    for (let i = 0; i < this.n && !this.stopped; i++) {
      await new Promise<void>((resolve) => this.clock.schedule(this.clock.now() + this.gapMs, resolve));
      this.options.observe?.(i);
      let taken = emitter.emit(i);
      this.answers.push(taken);
      while (!taken && this.options.wait === true && !this.stopped) {
        const from = this.clock.now();
        this.waits++;
        await emitter.ready();
        this.waitedMs += this.clock.now() - from;
        taken = emitter.emit(i);
        this.answers.push(taken);
      }
    }
    emitter.end();
  }
}
