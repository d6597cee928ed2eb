import { ErrorCodes, SluiceError } from '@sluice/sdk';
import { sleep } from './timing.js';

const FIRST_RECONNECT_MS = 10;
const MAX_RECONNECT_MS = 5000;

/**
 * @internal The control-flow part of the source/sink contract: `BackoffError` → wait and try
 * again; `DisconnectedError` → re-open with exponential back-off (retrying for as long as it
 * takes, as a feed that drops must come back), then try again. Returns true when the call
 * should be retried; false when `signal` aborted meanwhile (a source's: stop or cancel; a
 * sink's: cancel only, since a stopping pipeline still drains into its sinks). Any other error
 * is not ours to handle and is rethrown.
 */
export async function recoverFromConnectorError(
  err: unknown,
  attempt: number,
  reopen: (() => void | Promise<void>) | undefined,
  signal: AbortSignal,
): Promise<boolean> {
  if (SluiceError.is(err, ErrorCodes.BACKOFF)) {
    await sleep(Number(err.details.waitMs) || 0, signal);
    return !signal.aborted;
  }
  if (SluiceError.is(err, ErrorCodes.DISCONNECTED)) {
    return reopenWithBackoff(reopen, signal, Math.min(FIRST_RECONNECT_MS * 2 ** attempt, MAX_RECONNECT_MS));
  }
  throw err;
}

/**
 * @internal Calls `open` until it succeeds, waiting longer after each `DisconnectedError`; any other
 * error is rethrown. Returns false when `signal` aborted first.
 */
export async function reopenWithBackoff(open: (() => unknown) | undefined, signal: AbortSignal, firstDelayMs: number): Promise<boolean> {
  let delay = firstDelayMs;
  for (;;) {
    if (delay > 0) await sleep(delay, signal);
    if (signal.aborted) return false;
    try {
      await open?.();
      return true;
    } catch (err) {
      if (!SluiceError.is(err, ErrorCodes.DISCONNECTED)) throw err;
      delay = Math.min(Math.max(delay * 2, FIRST_RECONNECT_MS), MAX_RECONNECT_MS);
    }
  }
}
