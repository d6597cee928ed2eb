import type { SymbolSnapshot } from '../model/symbol-snapshot.js';

/** The stats sink's in-memory result: the latest snapshot of every symbol. */
export class StatsBoard {
  /** Latest snapshot by symbol. */
  readonly latest = new Map<string, SymbolSnapshot>();
  /** Snapshots received in all. */
  updates = 0;

  update(s: SymbolSnapshot): void {
    this.updates++;
    this.latest.set(s.symbol, s);
  }

  /** The latest snapshot of `symbol`, if it has traded. */
  get(symbol: string): SymbolSnapshot | undefined {
    return this.latest.get(symbol);
  }

  /** The `n` symbols with the most volume, most first. */
  topByVolume(n: number): SymbolSnapshot[] {
    return [...this.latest.values()].sort((a, b) => b.volume - a.volume).slice(0, n);
  }
}
