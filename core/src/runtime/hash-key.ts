/**
 * @internal A stable 32-bit hash of a key (FNV-1a over its string form; numbers mixed directly),
 * the same in every process, so a key's partition never depends on where it is computed.
 */
export function hashKey(key: unknown): number {
  if (typeof key === 'number' && Number.isInteger(key)) {
    let h = key | 0;
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
    return (h ^ (h >>> 16)) >>> 0;
  }
  const s = typeof key === 'string' ? key : (JSON.stringify(key) ?? String(key));
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
