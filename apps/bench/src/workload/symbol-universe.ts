const SECTOR_NAMES = [
  'Tech',
  'Energy',
  'Health',
  'Finance',
  'Industrials',
  'Materials',
  'Utilities',
  'RealEstate',
  'Staples',
  'Discretionary',
  'Telecom',
] as const;

/**
 * The symbols a workload trades and their sectors: BENCH.md's 200 (`SYM000` … `SYM199`), or more
 * for the many-keys variant (`SYM00000` … `SYM99999`: names are zero-padded to at least three
 * digits). Symbol `i` is in sector `(i * 7) mod 11`. Names are built once, so ticks share them.
 */
export class SymbolUniverse {
  /** Indexed by symbol number. */
  readonly symbols: readonly string[];
  /** symbol → sector, the synchronous lookup of the enrich stage. */
  readonly sectors: ReadonlyMap<string, string>;

  constructor(readonly count: number) {
    const digits = Math.max(3, String(count - 1).length);
    this.symbols = Array.from({ length: count }, (_, i) => `SYM${String(i).padStart(digits, '0')}`);
    this.sectors = new Map(this.symbols.map((symbol, i) => [symbol, SECTOR_NAMES[(i * 7) % SECTOR_NAMES.length]!]));
  }
}
