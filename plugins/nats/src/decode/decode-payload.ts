/**
 * How a NATS source turns a message's payload into a record: `'json'` parses UTF-8 JSON,
 * `'string'` decodes UTF-8 text, `'bytes'` hands over the payload as a `Uint8Array`.
 * @public
 */
export type NatsDecode = 'json' | 'string' | 'bytes';

/** @internal The values `decode` may take, for validation messages. */
export const NATS_DECODES: readonly NatsDecode[] = ['json', 'string', 'bytes'];

// fatal: a payload that is not UTF-8 is an error (a dead letter), not a string with U+FFFD in it.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * @internal The outcome of decoding one payload: the record, or why it failed together with the
 * payload as a dead letter should keep it (the text when it was UTF-8, else the bytes), so that a
 * dead-letter file shows the bad JSON itself.
 */
export type Decoded = { ok: true; value: unknown } | { ok: false; payload: unknown; reason: string; cause: unknown };

/** @internal */
export function decodePayload(data: Uint8Array, decode: NatsDecode): Decoded {
  // A copy: the client may reuse the buffer a message arrived in.
  if (decode === 'bytes') return { ok: true, value: data.slice() };
  let text: string;
  try {
    text = utf8.decode(data);
  } catch (err) {
    return { ok: false, payload: data.slice(), reason: 'payload is not valid UTF-8', cause: err };
  }
  if (decode === 'string') return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, payload: text, reason: `invalid JSON: ${(err as Error).message}`, cause: err };
  }
}
