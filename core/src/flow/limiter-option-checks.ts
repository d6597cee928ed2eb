import { parseDuration } from '@sluice/sdk';

// The option checks the built-in concurrency limiters share; each message names the option.

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

/** @internal The limits every built-in concurrency limiter takes: `min`, `max`, `initial`. */
export interface LimitBounds {
  readonly initial: number;
  readonly min: number;
  readonly max: number;
}

/**
 * @internal Reads `min` (default 1), `max` (default the stage's concurrency) and `initial`
 * (default 10, within them), refusing anything a stage of `concurrency` could not use.
 */
export function limitBounds(options: Readonly<Record<string, unknown>>, concurrency: number): LimitBounds {
  const int = (option: string, fallback: number): number => {
    const value = options[option];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
      throw new Error(`option "${option}" must be an integer >= 1, got ${show(value)}`);
    // The stage never runs more than `concurrency` calls, so a higher limit would mean nothing.
    if (value > concurrency)
      throw new Error(
        `option "${option}" (${value}) must not exceed the stage's concurrency (${concurrency}), the most calls it ever runs at once: raise concurrency or lower ${option}`,
      );
    return value;
  };
  const min = int('min', 1);
  const max = int('max', concurrency);
  if (min > max) throw new Error(`option "min" (${min}) must not exceed "max" (${max})`);
  const initial = int('initial', Math.min(max, Math.max(min, 10)));
  if (initial < min || initial > max) throw new Error(`option "initial" (${initial}) must be within "min" (${min}) and "max" (${max})`);
  return { initial, min, max };
}

/** @internal A finite number within `[low, high]` (or `[low, high)` when `openHigh`), or `fallback` when absent. */
export function numberIn(
  options: Readonly<Record<string, unknown>>,
  option: string,
  fallback: number,
  low: number,
  high: number,
  openHigh = false,
): number {
  const value = options[option];
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= low && (openHigh ? value < high : value <= high);
  if (!ok)
    throw new Error(
      `option "${option}" must be a number from ${low} ${openHigh ? 'up to (not including)' : 'to'} ${high === Infinity ? 'any size' : high}, got ${show(value)}`,
    );
  return value as number;
}

/** @internal A number above 0, or `fallback` when absent. */
export function positiveNumber(options: Readonly<Record<string, unknown>>, option: string, fallback: number): number {
  const value = options[option];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new Error(`option "${option}" must be a number above 0, got ${show(value)}`);
  return value;
}

/** @internal An integer >= 1, or `fallback` when absent. */
export function positiveInteger(options: Readonly<Record<string, unknown>>, option: string, fallback: number): number {
  const value = options[option];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new Error(`option "${option}" must be an integer >= 1, got ${show(value)}`);
  return value;
}

/** @internal A duration above 0 in ms, or undefined when absent. */
export function optionalDuration(options: Readonly<Record<string, unknown>>, option: string): number | undefined {
  const value = options[option];
  if (value === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(value as never, option);
  } catch {
    ms = 0;
  }
  if (!(ms > 0))
    throw new Error(
      `option "${option}" must be a duration above 0: milliseconds as a number, or a string like '150ms', got ${show(value)}`,
    );
  return ms;
}
