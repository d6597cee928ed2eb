import { ErrorCodes } from '../errors/codes.js';
import { SluiceError } from '../errors/sluice-error.js';

/**
 * A duration: a number of milliseconds, or a string of one or more `<number><unit>` parts with
 * units `us`, `ms`, `s`, `m`, `h`, `d` (`'250ms'`, `'1s'`, `'5m'`, `'1m30s'`).
 * @public
 */
export type Duration = number | string;

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(us|ms|s|m|h|d)/y;

/**
 * Converts a {@link Duration} to milliseconds.
 *
 * @param where - names the option being parsed, for the error message
 * @throws SluiceError with code `SLUICE_ERR_INVALID_DURATION` for anything else
 * @example
 * ```ts
 * parseDuration('1m30s') // 90000
 * parseDuration(250)     // 250
 * ```
 * @public
 */
export function parseDuration(value: Duration, where = 'duration'): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
  } else if (typeof value === 'string' && value.length > 0) {
    const text = value.trim();
    let total = 0;
    PART.lastIndex = 0;
    let matched = 0;
    while (PART.lastIndex < text.length) {
      const m = PART.exec(text);
      if (m === null) break;
      total += Number(m[1]) * UNIT_MS[m[2]!]!;
      matched = PART.lastIndex;
    }
    if (matched === text.length && matched > 0) return total;
  }
  throw new SluiceError(
    ErrorCodes.INVALID_DURATION,
    `${where}: ${JSON.stringify(value)} is not a duration; use milliseconds as a number or a string like '250ms', '1s', '5m', '1m30s'`,
    { details: { where, value } },
  );
}

/**
 * True when `value` is a valid {@link Duration}.
 * @public
 */
export function isDuration(value: unknown): value is Duration {
  if (typeof value !== 'number' && typeof value !== 'string') return false;
  try {
    parseDuration(value);
    return true;
  } catch {
    return false;
  }
}
