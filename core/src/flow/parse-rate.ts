import { parseDuration } from '@sluice/sdk';

const RATE = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\S+)\s*$/;

/**
 * @internal A rate in permits per ms, from a number (per second) or a string `'<count>/<duration>'`
 * such as `'1000/s'`, `'50/100ms'`, `'3/1m'`. Throws an `Error` naming the option on anything else.
 */
export function parseRate(value: unknown, option: string): number {
  const bad = () =>
    new Error(
      `option "${option}" must be a positive number of records per second or a string like '1000/s' or '50/100ms', got ${JSON.stringify(value) ?? String(value)}`,
    );
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value > 0) return value / 1000;
    throw bad();
  }
  if (typeof value !== 'string') throw bad();
  const m = RATE.exec(value);
  if (m === null) throw bad();
  const count = Number(m[1]);
  const unit = m[2]!;
  let per: number;
  try {
    per = parseDuration(/^\d/.test(unit) ? unit : `1${unit}`);
  } catch {
    throw bad();
  }
  if (!(count > 0) || !(per > 0)) throw bad();
  return count / per;
}

/** @internal Refuses options a limiter does not know, naming the ones it takes. */
export function checkKnownOptions(limiter: string, options: Readonly<Record<string, unknown>>, known: readonly string[]): void {
  for (const key of Object.keys(options))
    if (!known.includes(key)) throw new Error(`option "${key}" is not known to '${limiter}' (it takes ${known.join(', ')})`);
}
