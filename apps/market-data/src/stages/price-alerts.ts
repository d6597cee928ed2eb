import { Inject, Stage, type Processor, type StageContext } from '@sluice/sdk';
import type { PriceAlert } from '../model/price-alert.js';
import type { RichTick } from '../model/rich-tick.js';
import { ALERT_OPTIONS, type AlertOptions } from './alert-options.js';

/** The smallest price move, in currency units. */
const TICK_SIZE = 0.01;

interface SymbolState {
  /** Running mean: exponential moving average of the price. */
  mean: number;
  /** The previous trade's price: the return of a trade is its change from it. */
  last: number;
  /** Mean and variance of the returns, exponentially weighted (West's incremental form). */
  returnMean: number;
  returnVariance: number;
  seen: number;
  /** False after an alert until the price comes back within half the threshold, so one move alerts once. */
  armed: boolean;
}

/**
 * Emits an alert when a trade's price spikes: the rolling z-score of its return (its change from
 * the previous trade, against the exponentially weighted mean and standard deviation of the
 * symbol's recent returns) is above `zThreshold`. Returns rather than price levels, so that a
 * trend is not a spike. A move alerts once; the symbol re-arms when its z-score falls under half the
 * threshold. State per symbol lives in a Map (a process stage, unkeyed: one instance sees every symbol).
 */
@Stage({ name: 'alerts', from: 'enriched' })
export class PriceAlerts implements Processor<RichTick, PriceAlert> {
  private readonly state = new Map<string, SymbolState>();
  private readonly threshold: number;
  private readonly alpha: number;
  private readonly warmup: number;

  constructor(@Inject(ALERT_OPTIONS) options: AlertOptions) {
    this.threshold = options.zThreshold ?? 6;
    this.alpha = options.alpha ?? 0.02;
    this.warmup = options.warmup ?? 50;
    if (!(this.threshold > 0)) throw new Error(`alert option "zThreshold" must be > 0, got ${options.zThreshold}`);
    if (!(this.alpha > 0 && this.alpha <= 1)) throw new Error(`alert option "alpha" must be in (0, 1], got ${options.alpha}`);
  }

  process(t: RichTick, ctx: StageContext<PriceAlert>): void {
    let s = this.state.get(t.symbol);
    if (s === undefined) {
      s = { mean: t.price, last: t.price, returnMean: 0, returnVariance: 0, seen: 0, armed: true };
      this.state.set(t.symbol, s);
    }
    s.seen++;
    const r = (t.price - s.last) / s.last;
    const deviation = r - s.returnMean;
    // Prices move in cents, so a quiet symbol's returns are mostly 0 and their deviation tiny: a
    // one-cent move is never a spike by itself.
    const sd = Math.max(Math.sqrt(s.returnVariance), TICK_SIZE / s.last);
    const z = deviation / sd;
    const size = Math.abs(z);
    if (s.seen > this.warmup) {
      if (s.armed && size > this.threshold) {
        s.armed = false;
        ctx.emit({
          symbol: t.symbol,
          sector: t.sector,
          price: t.price,
          mean: s.mean,
          movePct: ((t.price - s.mean) / s.mean) * 100,
          z,
          ts: t.ts,
          seq: t.seq,
        });
      } else if (!s.armed && size < this.threshold / 2) {
        s.armed = true;
      }
    }
    const step = this.alpha * deviation;
    s.returnMean += step;
    s.returnVariance = (1 - this.alpha) * (s.returnVariance + deviation * step);
    s.mean += this.alpha * (t.price - s.mean);
    s.last = t.price;
  }
}
