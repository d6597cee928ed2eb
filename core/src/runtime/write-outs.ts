import type { OutBuffer } from './out-buffer.js';

/**
 * @internal Hands each buffer with something to send (records, or only a watermark advance) to
 * its channel. Returns undefined when every channel took
 * its batch at once (the common case: no promise, no await on the hot path), otherwise a promise
 * that settles when the last blocked channel has room: the caller's wait is the backpressure.
 */
export function writeOuts(outs: readonly OutBuffer[]): Promise<void> | undefined {
  let pending: Promise<void>[] | undefined;
  for (const out of outs) {
    if (!out.pending) continue;
    const p = out.channel.write(out.take());
    if (p !== undefined) (pending ??= []).push(p);
  }
  if (pending === undefined) return undefined;
  return pending.length === 1 ? pending[0] : Promise.all(pending).then(() => undefined);
}
