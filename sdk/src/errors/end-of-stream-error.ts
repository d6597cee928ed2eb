import { ErrorCodes } from './codes.js';
import { SluiceError } from './sluice-error.js';

/**
 * Thrown by a source's `read()` when it has no more records. The engine then drains the
 * records already in flight and completes the pipeline's part fed by that source.
 *
 * @example
 * ```ts
 * read(max: number) { if (this.done) throw new EndOfStreamError(); return this.next(max) }
 * ```
 * @public
 */
export class EndOfStreamError extends SluiceError {
  constructor(message = 'end of stream') {
    super(ErrorCodes.END_OF_STREAM, message);
    this.name = 'EndOfStreamError';
  }
}
