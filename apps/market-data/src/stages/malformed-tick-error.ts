import type { RawTick } from '../model/raw-tick.js';

/** Thrown by validation for a tick that cannot be used; the stage's `@OnError` dead-letters it. */
export class MalformedTickError extends Error {
  constructor(
    readonly tick: RawTick,
    /** What is wrong, e.g. `price is missing`. */
    readonly problem: string,
  ) {
    super(`malformed tick #${tick.seq} (${String(tick.symbol)}): ${problem}`);
    this.name = 'MalformedTickError';
  }
}
