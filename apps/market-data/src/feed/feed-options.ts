/** Container token of the synthetic feed's {@link FeedOptions}. */
export const FEED_OPTIONS = Symbol('market-data:feed-options');

/** How the synthetic feed behaves. Every field is optional. */
export interface FeedOptions {
  /** Ticks per second outside bursts (default 200,000). 0 or Infinity: unpaced, as fast as downstream takes them. */
  rate?: number;
  /** End of stream after this many ticks (default: never). */
  maxTicks?: number;
  /** PRNG seed: the same seed gives the same ticks (default 42). */
  seed?: number;
  /** Event time of the first tick, ms since the epoch (default 2026-01-05 14:30:00 UTC, a market open). */
  startTime?: number;
  /** Share of ticks that are malformed (default 0.005). */
  malformedRate?: number;
  /** Share of ticks stamped late, i.e. out of order (default 0.001). */
  outOfOrderRate?: number;
  /** Average bursts per second of event time (default 0.5). */
  burstsPerSecond?: number;
  /** Price jumps of 1–4% per second of event time, over all symbols (default 3). */
  jumpsPerSecond?: number;
}

/** {@link FeedOptions} with every default applied and checked. */
export type ResolvedFeedOptions = Required<FeedOptions> & {
  /** False when `rate` is 0 or Infinity. */
  readonly paced: boolean;
  /** The rate that spaces event times (the default rate when unpaced). */
  readonly eventRate: number;
};

export const DEFAULT_RATE = 200_000;
export const DEFAULT_SEED = 42;
const DEFAULT_START = Date.UTC(2026, 0, 5, 14, 30, 0);

/** Applies defaults and rejects nonsense with a message naming the option. */
export function resolveFeedOptions(options: FeedOptions = {}): ResolvedFeedOptions {
  const rate = options.rate ?? DEFAULT_RATE;
  if (Number.isNaN(rate) || rate < 0) throw new Error(`feed option "rate" must be a number ≥ 0 (0 = unpaced), got ${rate}`);
  const maxTicks = options.maxTicks ?? Infinity;
  if (maxTicks !== Infinity && (!Number.isInteger(maxTicks) || maxTicks < 0)) {
    throw new Error(`feed option "maxTicks" must be a whole number ≥ 0, got ${maxTicks}`);
  }
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new Error(`feed option "seed" must be an integer, got ${seed}`);
  const share = (name: string, v: number) => {
    if (!(v >= 0 && v <= 1)) throw new Error(`feed option "${name}" must be between 0 and 1, got ${v}`);
    return v;
  };
  const perSecond = (name: string, v: number) => {
    if (!(v >= 0 && Number.isFinite(v))) throw new Error(`feed option "${name}" must be a finite number ≥ 0, got ${v}`);
    return v;
  };
  const paced = rate > 0 && Number.isFinite(rate);
  return {
    rate,
    maxTicks,
    seed,
    startTime: options.startTime ?? DEFAULT_START,
    malformedRate: share('malformedRate', options.malformedRate ?? 0.005),
    outOfOrderRate: share('outOfOrderRate', options.outOfOrderRate ?? 0.001),
    burstsPerSecond: perSecond('burstsPerSecond', options.burstsPerSecond ?? 0.5),
    jumpsPerSecond: perSecond('jumpsPerSecond', options.jumpsPerSecond ?? 3),
    paced,
    eventRate: paced ? rate : DEFAULT_RATE,
  };
}
