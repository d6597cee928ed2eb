import { Inject, Stage, type Processor, type StageContext } from '@sluice/sdk';
import type { PriceAlert } from '../model/price-alert.js';
import type { RichTick } from '../model/rich-tick.js';
import { ALERT_OPTIONS, type AlertOptions } from './alert-options.js';

interface SymbolState {
  /** Running mean: exponential moving average of the price. */
  mean: number;
  seen: number;
  /** False after an alert until the price comes back within half the threshold, so one move alerts once. */
  armed: boolean;
}

/**
 * Emits an alert when a trade's price is more than `thresholdPct` away from its symbol's running
 * mean. State per symbol lives in a Map (a process stage, unkeyed: one instance sees every symbol).
 */
@Stage({ name: 'alerts', from: 'enriched' })
export class PriceAlerts implements Processor<RichTick, PriceAlert> {
  private readonly state = new Map<string, SymbolState>();
  private readonly threshold: number;
  private readonly alpha: number;
  private readonly warmup: number;

  constructor(@Inject(ALERT_OPTIONS) options: AlertOptions) {
    this.threshold = (options.thresholdPct ?? 1) / 100;
    this.alpha = options.alpha ?? 0.02;
    this.warmup = options.warmup ?? 50;
    if (!(this.threshold > 0)) throw new Error(`alert option "thresholdPct" must be > 0, got ${options.thresholdPct}`);
    if (!(this.alpha > 0 && this.alpha <= 1)) throw new Error(`alert option "alpha" must be in (0, 1], got ${options.alpha}`);
  }

  process(t: RichTick, ctx: StageContext<PriceAlert>): void {
    let s = this.state.get(t.symbol);
    if (s === undefined) {
      s = { mean: t.price, seen: 0, armed: true };
      this.state.set(t.symbol, s);
    }
    s.seen++;
    const move = (t.price - s.mean) / s.mean;
    const size = Math.abs(move);
    if (s.seen > this.warmup) {
      if (s.armed && size > this.threshold) {
        s.armed = false;
        ctx.emit({ symbol: t.symbol, sector: t.sector, price: t.price, mean: s.mean, movePct: move * 100, ts: t.ts, seq: t.seq });
      } else if (!s.armed && size < this.threshold / 2) {
        s.armed = true;
      }
    }
    s.mean += this.alpha * (t.price - s.mean);
  }
}
