/**
 * @internal Keys are compared by value, not identity: a key function returning `[symbol, venue]`
 * builds a new array per record, and each must land on the same state. Objects are keyed by
 * their JSON text (marked so that it never equals a plain string key); primitives as they are.
 */
export function stateKey(key: unknown): unknown {
  return typeof key === 'object' && key !== null ? OBJECT_MARK + JSON.stringify(key) : key;
}

/** @internal The key a state key stands for (an equal copy for object keys). */
export function originalKey(stateKey: unknown): unknown {
  return typeof stateKey === 'string' && stateKey.startsWith(OBJECT_MARK) ? JSON.parse(stateKey.slice(OBJECT_MARK.length)) : stateKey;
}

const OBJECT_MARK = '\u0000sluice-key:';
