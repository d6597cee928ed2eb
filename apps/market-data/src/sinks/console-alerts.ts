import { Inject, Sink, type SinkConnector } from '@sluice/sdk';
import type { PriceAlert } from '../model/price-alert.js';
import { AlertLog } from './alert-log.js';
import { CONSOLE_ALERTS_OPTIONS, type ConsoleAlertsOptions } from './console-alerts-options.js';

/**
 * Counts every alert (into the {@link AlertLog}) and prints at most a few per second, so a
 * storm of alerts cannot flood the terminal; the next printed line says how many were not shown.
 */
@Sink({ name: 'console-alerts', from: 'alerts' })
export class ConsoleAlerts implements SinkConnector<PriceAlert> {
  private readonly print: ((line: string) => void) | undefined;
  private readonly maxPerSecond: number;
  private windowStart = 0;
  private printedInWindow = 0;
  private notShown = 0;

  constructor(
    private readonly log: AlertLog,
    @Inject(CONSOLE_ALERTS_OPTIONS) options: ConsoleAlertsOptions,
  ) {
    this.print = options.print;
    this.maxPerSecond = options.maxPerSecond ?? 3;
  }

  write(batch: readonly PriceAlert[]): void {
    for (const alert of batch) {
      this.log.add(alert);
      if (this.print === undefined) continue;
      const now = performance.now();
      if (now - this.windowStart >= 1000) {
        this.windowStart = now;
        this.printedInWindow = 0;
      }
      if (this.printedInWindow >= this.maxPerSecond) {
        this.notShown++;
        continue;
      }
      this.printedInWindow++;
      const more = this.notShown > 0 ? `  (+${this.notShown} not shown)` : '';
      this.notShown = 0;
      this.print(formatAlert(alert) + more);
    }
  }
}

/** One line per alert, e.g. `ALERT NVDA  Technology  134.20 +2.31% vs mean 131.17  z +5.2  #812345`. */
export function formatAlert(a: PriceAlert): string {
  const move = `${a.movePct >= 0 ? '+' : ''}${a.movePct.toFixed(2)}%`;
  const z = `${a.z >= 0 ? '+' : ''}${a.z.toFixed(1)}`;
  return `ALERT ${a.symbol.padEnd(5)} ${a.sector.padEnd(22)} ${a.price.toFixed(2).padStart(8)} ${move.padStart(7)} vs mean ${a.mean.toFixed(2)}  z ${z.padStart(5)}  #${a.seq}`;
}
