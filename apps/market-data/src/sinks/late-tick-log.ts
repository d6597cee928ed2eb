import type { RichTick } from '../model/rich-tick.js';

const KEEP = 100;

/** The late-ticks sink's in-memory result: ticks that came after their candle's lateness. */
export class LateTickLog {
  /** Late ticks received. */
  count = 0;
  /** Their shares in all: volume missing from the candles. */
  volume = 0;
  private readonly latest: RichTick[] = [];

  add(t: RichTick): void {
    this.count++;
    this.volume += t.size;
    this.latest.push(t);
    if (this.latest.length > KEEP) this.latest.shift();
  }

  /** The last (up to 100) late ticks, oldest first. */
  recent(): RichTick[] {
    return [...this.latest];
  }
}
