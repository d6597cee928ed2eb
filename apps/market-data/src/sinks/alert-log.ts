import type { PriceAlert } from '../model/price-alert.js';

const KEEP = 100;

/** The alerts sink's in-memory result: how many alerts, per symbol, and the latest ones. */
export class AlertLog {
  /** Alerts received. */
  count = 0;
  /** Alerts received per symbol. */
  readonly bySymbol = new Map<string, number>();
  private readonly latest: PriceAlert[] = [];

  add(alert: PriceAlert): void {
    this.count++;
    this.bySymbol.set(alert.symbol, (this.bySymbol.get(alert.symbol) ?? 0) + 1);
    this.latest.push(alert);
    if (this.latest.length > KEEP) this.latest.shift();
  }

  /** The last (up to 100) alerts, oldest first. */
  recent(): PriceAlert[] {
    return [...this.latest];
  }
}
