import type { RateLimiter } from '@sluice/sdk';
import { stateKey } from './state-key.js';

/** @internal An input batch's watermark, released once every record of the batch has left the lanes. */
export interface Mark {
  remaining: number;
  readonly watermark: number;
}

/** One key: its limiter and the records waiting for it, oldest first. */
interface Lane {
  readonly limiter: RateLimiter;
  readonly values: unknown[];
  readonly times: number[];
  readonly positions: number[];
  readonly marks: Mark[];
  head: number;
  /** Before this time its limiter has said no: not asked again until then. */
  readyAt: number;
}

/** @internal Records granted by the lanes' limiters, in parallel arrays as a batch carries them. */
export interface Granted {
  readonly values: unknown[];
  readonly times: number[];
  readonly positions: number[];
}

/**
 * @internal The per-key limiters of a `rateLimit.perKey`, each with a FIFO of the records that
 * wait for it. A key over its limit only makes its own queue grow; other keys' records are
 * granted as they come. Order is kept within a key (a lane grants from its head), not across.
 *
 * Both bounds are hard: `admit` stops at `maxHeld` waiting records, and at a new key when
 * `maxKeys` limiters exist and none can be dropped. A lane is dropped only when its queue is
 * empty and its limiter is at rest (`idleAt(now) <= now`), i.e. a fresh limiter made when the key
 * comes back decides exactly as the dropped one would have: forgetting a key never lets it
 * exceed its rate. Lanes are kept in least-recently-used order (a JS Map re-inserted on use), so
 * the one dropped is the key that has been quiet longest.
 *
 * The watermark passes as `enrich`'s does: an input batch's watermark is released once all of its
 * records have been granted, so a held record is never overtaken by the watermark.
 */
export class KeyLanes {
  /** Records waiting in the lanes now. */
  held = 0;
  /** The watermark that may go on: every record before it has been granted. */
  watermark = -Infinity;
  private readonly lanes = new Map<unknown, Lane>();
  // Lanes with records waiting: the only ones `grant` visits.
  private readonly busy = new Set<Lane>();
  private readonly marks: Mark[] = [];
  private marksHead = 0;
  // Set by `admit` when a new key found no room: `nextWake` then also waits for a lane to come to rest.
  private wantsKey = false;

  constructor(
    private readonly keyOf: (value: unknown) => unknown,
    private readonly create: () => RateLimiter,
    private readonly maxKeys: number,
    private readonly maxHeld: number,
  ) {}

  /** Limiters (keys) held now. */
  get keys(): number {
    return this.lanes.size;
  }

  /** Starts an input batch of `count` records whose watermark is `watermark`; pass it to `admit`. */
  begin(count: number, watermark: number): Mark {
    const mark: Mark = { remaining: count, watermark };
    this.marks.push(mark);
    this.advanceWatermark();
    return mark;
  }

  /**
   * Queues the records of a batch from index `from` in their keys' lanes, until one does not fit
   * (`maxHeld` records wait, or a new key finds `maxKeys` limiters none of which is at rest).
   * Returns the index of the first record not taken (`values.length` when all were).
   */
  admit(values: readonly unknown[], times: readonly number[], positions: readonly number[], from: number, mark: Mark, now: number): number {
    this.wantsKey = false;
    for (let i = from; i < values.length; i++) {
      if (this.held >= this.maxHeld) return i;
      const value = values[i];
      // By value, as keyed state does: a key function may return a new `[symbol, venue]` per record.
      const key = stateKey(this.keyOf(value));
      let lane = this.lanes.get(key);
      if (lane === undefined) {
        if (this.lanes.size >= this.maxKeys && !this.dropOneAtRest(now)) {
          this.wantsKey = true;
          return i;
        }
        lane = { limiter: this.create(), values: [], times: [], positions: [], marks: [], head: 0, readyAt: -Infinity };
      } else {
        this.lanes.delete(key); // re-inserted below: most recently used last
      }
      this.lanes.set(key, lane);
      lane.values.push(value);
      lane.times.push(times[i]!);
      lane.positions.push(positions[i]!);
      lane.marks.push(mark);
      this.held++;
      this.busy.add(lane);
    }
    return values.length;
  }

  /**
   * Asks the limiter of every lane with waiting records (not before the time it gave last) for as
   * many as it grants at once, repeatedly, and moves the granted records to `out`.
   */
  grant(now: number, out: Granted): void {
    for (const lane of this.busy) {
      if (lane.readyAt > now) continue;
      for (;;) {
        const waiting = lane.values.length - lane.head;
        const n = Math.min(waiting, lane.limiter.maxPermits);
        const wait = lane.limiter.acquire(n, now);
        if (wait > 0) {
          lane.readyAt = now + wait;
          break;
        }
        for (let k = lane.head, end = lane.head + n; k < end; k++) {
          out.values.push(lane.values[k]);
          out.times.push(lane.times[k]!);
          out.positions.push(lane.positions[k]!);
          lane.marks[k]!.remaining--;
          lane.values[k] = undefined; // the record is no longer this lane's to keep alive
        }
        lane.head += n;
        this.held -= n;
        if (lane.head === lane.values.length) {
          lane.values.length = lane.times.length = lane.positions.length = lane.marks.length = 0;
          lane.head = 0;
          this.busy.delete(lane);
          break;
        }
        if (lane.head > 1024 && lane.head * 2 > lane.values.length) {
          for (const a of [lane.values, lane.times, lane.positions, lane.marks] as unknown[][]) a.splice(0, lane.head);
          lane.head = 0;
        }
      }
    }
    this.advanceWatermark();
  }

  /**
   * When there may be something to do without new input: the earliest time a lane's limiter
   * said to ask again, and (when a new key is waiting for room) the earliest time a lane with no
   * records comes to rest. Infinity when there is none.
   */
  nextWake(now: number): number {
    let next = Infinity;
    for (const lane of this.busy) if (lane.readyAt < next) next = lane.readyAt;
    if (this.wantsKey)
      for (const lane of this.lanes.values()) {
        if (lane.head === lane.values.length) next = Math.min(next, lane.limiter.idleAt!(now));
      }
    return next;
  }

  // Drops the least recently used lane with no records whose limiter is at rest; false if none is.
  private dropOneAtRest(now: number): boolean {
    for (const [key, lane] of this.lanes) {
      if (lane.head === lane.values.length && lane.limiter.idleAt!(now) <= now) {
        this.lanes.delete(key);
        return true;
      }
    }
    return false;
  }

  private advanceWatermark(): void {
    while (this.marksHead < this.marks.length && this.marks[this.marksHead]!.remaining === 0) {
      this.watermark = Math.max(this.watermark, this.marks[this.marksHead]!.watermark);
      this.marks[this.marksHead++] = undefined as never;
    }
    if (this.marksHead > 1024 && this.marksHead * 2 > this.marks.length) {
      this.marks.splice(0, this.marksHead);
      this.marksHead = 0;
    }
  }
}
