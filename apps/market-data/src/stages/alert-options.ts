/** Container token of the {@link AlertOptions}. */
export const ALERT_OPTIONS = Symbol('market-data:alert-options');

/** When {@link PriceAlerts} raises an alert. */
export interface AlertOptions {
  /** Alert when a price is more than this many percent away from the running mean (default 1). */
  thresholdPct?: number;
  /** Weight of each new price in the running mean, an exponential moving average (default 0.02, ~50 trades). */
  alpha?: number;
  /** Trades to see for a symbol before alerting on it (default 50), so the mean has settled. */
  warmup?: number;
}
