/**
 * Why a NATS message could not become a record: it names the source, the subject, where the
 * message was (a JetStream stream sequence, or the n-th message of a core NATS subscription) and
 * what was wrong, e.g. `orders: stream ORDERS seq 17 (subject orders.new): invalid JSON: ...`.
 * The NATS sources send the payload with this error to the pipeline's dead letters
 * (`ctx.deadLetter`) and go on; a JetStream message that failed is acknowledged with the
 * checkpoint like any other, since the dead letter now holds it.
 *
 * @example
 * ```ts
 * for (const dl of pipeline.deadLetters.records()) console.error(dl.error.message)
 * ```
 * @see docs/nats-sources.md
 * @public
 */
export class NatsDecodeError extends Error {
  /** The subject the message was published on. */
  readonly subject: string;
  /** The stream sequence (JetStream) or the 1-based count of messages received (core NATS). */
  readonly position: number;
  /** What was wrong, without the where. */
  readonly reason: string;

  constructor(where: string, subject: string, position: number, reason: string, options: { cause?: unknown } = {}) {
    super(`${where} (subject ${subject}): ${reason}`, options);
    this.name = 'NatsDecodeError';
    this.subject = subject;
    this.position = position;
    this.reason = reason;
  }
}
