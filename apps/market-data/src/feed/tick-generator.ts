import { INSTRUMENTS } from '../market/instruments.js';
import type { RawTick } from '../model/raw-tick.js';
import { FeedCounters } from './feed-counters.js';
import type { ResolvedFeedOptions } from './feed-options.js';
import { mulberry32 } from './mulberry32.js';

const PICK_SLOTS = 4096;
/** Volatility of each price per √(second of event time): 0.1%, exaggerated so a demo moves. */
const VOL_PER_SQRT_SECOND = 0.001;
/** Prices drift back towards their base with this half-life, in seconds of event time. */
const REVERSION_HALF_LIFE_S = 600;
const BURST_MIN_MS = 30;
const BURST_MAX_MS = 150;
const BURST_MIN_FACTOR = 3;
const BURST_MAX_FACTOR = 6;
const LATE_MAX_MS = 250;

/**
 * Produces the synthetic ticks, one at a time, deterministically from the seed. It also keeps
 * the feed's own clock (`nextOffsetMs`: the event time of the next tick, relative to the first),
 * which the feed uses to pace itself against the wall clock. Knows nothing about pacing itself.
 *
 * The model: each symbol's log price follows a mean-reverting random walk, with rare jumps;
 * symbols print in proportion to their weight; inter-arrival times are exponential (Poisson
 * arrivals), several times shorter during bursts; a few ticks are stamped late and a few are
 * corrupted.
 */
export class TickGenerator {
  private readonly rng: () => number;
  private readonly logPrice: Float64Array;
  private readonly logBase: Float64Array;
  private readonly sigma: Float64Array;
  private readonly reversion: Float64Array;
  private readonly pick = new Uint8Array(PICK_SLOTS);
  private readonly meanGapMs: number;
  private readonly burstChance: number;
  private readonly jumpChance: number;
  private seq = 0;
  private offsetMs = 0;
  private burstUntilMs = -1;
  private burstFactor = 1;

  constructor(
    private readonly options: ResolvedFeedOptions,
    private counters: FeedCounters,
  ) {
    this.rng = mulberry32(options.seed);
    const n = INSTRUMENTS.length;
    this.logPrice = new Float64Array(n);
    this.logBase = new Float64Array(n);
    this.sigma = new Float64Array(n);
    this.reversion = new Float64Array(n);
    const totalWeight = INSTRUMENTS.reduce((s, i) => s + i.weight, 0);
    let cumulative = 0;
    let slot = 0;
    for (let k = 0; k < n; k++) {
      const inst = INSTRUMENTS[k]!;
      this.logBase[k] = this.logPrice[k] = Math.log(inst.basePrice);
      const share = inst.weight / totalWeight;
      const ticksPerSecond = options.eventRate * share;
      this.sigma[k] = VOL_PER_SQRT_SECOND / Math.sqrt(ticksPerSecond);
      this.reversion[k] = Math.LN2 / (REVERSION_HALF_LIFE_S * ticksPerSecond);
      cumulative += share;
      for (; slot < PICK_SLOTS && (slot + 0.5) / PICK_SLOTS < cumulative; slot++) this.pick[slot] = k;
    }
    for (; slot < PICK_SLOTS; slot++) this.pick[slot] = n - 1;
    this.meanGapMs = 1000 / options.eventRate;
    this.burstChance = options.burstsPerSecond / options.eventRate;
    this.jumpChance = options.jumpsPerSecond / options.eventRate;
  }

  /** Event time of the next tick relative to the first, in ms (the feed's clock). */
  get nextOffsetMs(): number {
    return this.offsetMs;
  }

  /** Produces the next `n` ticks without counting them: where a restart resumes (`SyntheticFeed.seek`). */
  fastForward(n: number): void {
    const counters = this.counters;
    this.counters = new FeedCounters();
    try {
      for (let i = 0; i < n; i++) this.next();
    } finally {
      this.counters = counters;
    }
  }

  /** Ticks produced so far. */
  get produced(): number {
    return this.seq;
  }

  /** The next tick. The order of the draws fixes the sequence for a seed: keep it. */
  next(): RawTick {
    const rng = this.rng;
    const k = this.pick[(rng() * PICK_SLOTS) | 0]!;
    const symbol = INSTRUMENTS[k]!.symbol;

    // Mean-reverting walk in log space; the sum of four uniforms stands in for a normal draw.
    let lp = this.logPrice[k]!;
    const normal = (rng() + rng() + rng() + rng() - 2) * Math.sqrt(3);
    lp += this.reversion[k]! * (this.logBase[k]! - lp) + this.sigma[k]! * normal;
    if (rng() < this.jumpChance) {
      lp += (rng() < 0.5 ? -1 : 1) * (0.01 + rng() * 0.03);
      this.counters.jumps++;
    }
    this.logPrice[k] = lp;
    const price = Math.round(Math.exp(lp) * 100) / 100;
    // Mostly round lots, some odd lots.
    const size = rng() < 0.85 ? 100 * (1 + ((rng() * 10) | 0)) : 1 + ((rng() * 99) | 0);

    let ts = this.options.startTime + Math.floor(this.offsetMs);
    if (rng() < this.options.outOfOrderRate) {
      ts -= 1 + ((rng() * LATE_MAX_MS) | 0);
      this.counters.outOfOrder++;
    }

    const seq = this.seq++;
    let tick: RawTick;
    if (rng() < this.options.malformedRate) {
      this.counters.malformed++;
      const kind = (rng() * 3) | 0;
      tick =
        kind === 0
          ? { seq, symbol, price, size: -size, ts }
          : kind === 1
            ? { seq, symbol, size, ts }
            : { seq, symbol, price: Number.NaN, size, ts };
    } else {
      tick = { seq, symbol, price, size, ts };
    }
    this.counters.generated++;

    // Advance the clock: exponential gaps, shorter during a burst.
    if (this.offsetMs >= this.burstUntilMs && rng() < this.burstChance) {
      this.burstUntilMs = this.offsetMs + BURST_MIN_MS + rng() * (BURST_MAX_MS - BURST_MIN_MS);
      this.burstFactor = BURST_MIN_FACTOR + rng() * (BURST_MAX_FACTOR - BURST_MIN_FACTOR);
      this.counters.bursts++;
    }
    const gap = -Math.log(1 - rng()) * this.meanGapMs;
    this.offsetMs += this.offsetMs < this.burstUntilMs ? gap / this.burstFactor : gap;
    return tick;
  }
}
