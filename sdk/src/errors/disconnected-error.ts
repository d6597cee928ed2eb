import { ErrorCodes } from './codes.js';
import { SluiceError } from './sluice-error.js';

/**
 * Thrown by a source's `read()` or a sink's `write()` when its connection is gone. The engine
 * calls `open()` again with exponential back-off and then retries the call.
 *
 * @example
 * ```ts
 * if (!this.conn.connected) throw new DisconnectedError('feed connection lost')
 * ```
 * @public
 */
export class DisconnectedError extends SluiceError {
  constructor(message = 'disconnected', options: { cause?: unknown } = {}) {
    super(ErrorCodes.DISCONNECTED, message, options);
    this.name = 'DisconnectedError';
  }
}
