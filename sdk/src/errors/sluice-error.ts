import type { ErrorCode } from './codes.js';

// A Symbol.for brand, not instanceof: two installed copies of the SDK must still recognise
// each other's errors.
const BRAND = Symbol.for('@sluice/sdk:error');

/**
 * The one error class of Sluice. `code` is a stable string from {@link ErrorCodes}; `details`
 * names where it happened (stage, option, class) for tools that want more than the message.
 *
 * @example
 * ```ts
 * try { await pipeline.run() } catch (err) {
 *   if (SluiceError.is(err, ErrorCodes.STAGE_FAILED)) console.error(err.details.stage, err.cause)
 * }
 * ```
 * @see docs/reference/errors.md
 * @public
 */
export class SluiceError extends Error {
  /** The stable error code. */
  readonly code: ErrorCode;
  /** Structured facts about where and why (e.g. `{ stage: 'candles', option: 'from' }`). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SluiceError';
    this.code = code;
    this.details = Object.freeze({ ...(options.details ?? {}) });
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * True when `err` is a Sluice error (from any installed copy of the SDK), optionally with the
   * given code.
   */
  static is(err: unknown, code?: ErrorCode): err is SluiceError {
    return (
      typeof err === 'object' &&
      err !== null &&
      (err as Record<symbol, unknown>)[BRAND] === true &&
      (code === undefined || (err as SluiceError).code === code)
    );
  }
}
