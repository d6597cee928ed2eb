import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Whether a request carries the bearer token, in its `Authorization: Bearer <token>` header or in
 * a `?token=` query parameter (an `EventSource` cannot send headers). Both sides are hashed first
 * so that the comparison takes the same time whatever the length or content of the guess.
 */
export function hasToken(req: IncomingMessage, url: URL, token: string): boolean {
  const header = req.headers.authorization;
  const fromHeader = header !== undefined && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : undefined;
  const fromQuery = url.searchParams.get('token') ?? undefined;
  // Evaluate both so that which one was given does not change the timing much either.
  const a = fromHeader !== undefined && sameSecret(fromHeader, token);
  const b = fromQuery !== undefined && sameSecret(fromQuery, token);
  return a || b;
}

function sameSecret(given: string, expected: string): boolean {
  const x = createHash('sha256').update(given).digest();
  const y = createHash('sha256').update(expected).digest();
  return timingSafeEqual(x, y);
}
