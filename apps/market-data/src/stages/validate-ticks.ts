import { OnError, Stage, type Mapper } from '@sluice/sdk';
import type { RawTick } from '../model/raw-tick.js';
import type { Tick } from '../model/tick.js';
import { MalformedTickError } from './malformed-tick-error.js';

/**
 * Lets well-formed ticks through and rejects the others. A malformed tick is not dropped
 * silently: `map` throws a {@link MalformedTickError} naming the problem, and the `@OnError`
 * policy sends the record, with that error, to `pipeline.deadLetters`.
 */
@Stage({ name: 'valid', from: 'ticks' })
@OnError({ then: 'dead-letter' })
export class ValidateTicks implements Mapper<RawTick, Tick> {
  map(raw: RawTick): Tick {
    const problem = problemOf(raw);
    if (problem !== undefined) throw new MalformedTickError(raw, problem);
    return raw as Tick;
  }
}

/** What is wrong with a tick, or undefined if nothing is. */
export function problemOf(t: RawTick): string | undefined {
  if (typeof t.symbol !== 'string' || t.symbol.length === 0) return 'symbol is missing';
  if (t.price === undefined) return 'price is missing';
  if (typeof t.price !== 'number' || Number.isNaN(t.price)) return `price is ${String(t.price)}, not a number`;
  if (!Number.isFinite(t.price) || t.price <= 0) return `price ${t.price} is not a positive number`;
  if (!Number.isInteger(t.size)) return `size ${String(t.size)} is not a whole number`;
  if (t.size <= 0) return `size ${t.size} is not positive`;
  if (!Number.isFinite(t.ts)) return `timestamp ${String(t.ts)} is not a number`;
  return undefined;
}
