import { ErrorCodes, SluiceError } from '@sluice/sdk';
import type { TaskControl } from './task-control.js';
import { sleep } from './timing.js';

const MAX_RECONNECT_MS = 5000;

/**
 * @internal The control-flow part of the source/sink contract: `BackoffError` → wait and try
 * again; `DisconnectedError` → re-open with exponential back-off, then try again. Returns true
 * when the call should be retried; false when the pipeline is cancelled meanwhile. Any other
 * error is not ours to handle and is rethrown.
 */
export async function recoverFromConnectorError(
  err: unknown,
  attempt: number,
  reopen: (() => void | Promise<void>) | undefined,
  control: TaskControl,
): Promise<boolean> {
  if (SluiceError.is(err, ErrorCodes.BACKOFF)) {
    await sleep(Number(err.details.waitMs) || 0, control.signal);
    return !control.cancelled;
  }
  if (SluiceError.is(err, ErrorCodes.DISCONNECTED)) {
    let delay = Math.min(10 * 2 ** attempt, MAX_RECONNECT_MS);
    for (;;) {
      await sleep(delay, control.signal);
      if (control.cancelled) return false;
      try {
        await reopen?.();
        return true;
      } catch (reopenErr) {
        if (!SluiceError.is(reopenErr, ErrorCodes.DISCONNECTED)) throw reopenErr;
        delay = Math.min(delay * 2, MAX_RECONNECT_MS);
      }
    }
  }
  throw err;
}
