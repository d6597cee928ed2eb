export const SYMBOL_COUNT = 200;

/** SYM000 … SYM199, indexed by symbol number; built once so ticks share interned strings. */
export const SYMBOLS: readonly string[] = Array.from({ length: SYMBOL_COUNT }, (_, i) => `SYM${String(i).padStart(3, '0')}`);
