const encoder = new TextEncoder();

/**
 * The partition of a key among `partitions`: FNV-1a (32 bits) over the UTF-8 bytes of the key's
 * string form, modulo `partitions`. A producer in any language that hashes the same way publishes
 * a key's records to the same subject `<subject>.<partition>` that a partitioned
 * {@link JetStreamSink} would, so all of a key's records meet in one partition, in order.
 *
 * @example
 * ```ts
 * partitionOf('AAPL', 12) // the same number on every machine and in every run
 * js.publish(`ticks.${partitionOf(tick.symbol, 12)}`, JSON.stringify(tick))
 * ```
 * @see docs/scaling.md
 * @public
 */
export function partitionOf(key: unknown, partitions: number): number {
  const text = typeof key === 'string' ? key : String(key);
  let hash = 0x811c9dc5;
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) {
      ascii = false;
      break;
    }
    hash = Math.imul(hash ^ c, 0x01000193);
  }
  if (!ascii) {
    hash = 0x811c9dc5;
    for (const byte of encoder.encode(text)) hash = Math.imul(hash ^ byte, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
