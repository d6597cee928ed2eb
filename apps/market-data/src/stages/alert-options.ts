/** Container token of the {@link AlertOptions}. */
export const ALERT_OPTIONS = Symbol('market-data:alert-options');

/** When {@link PriceAlerts} raises an alert. */
export interface AlertOptions {
  /**
   * Alert when the rolling z-score of a trade's return — its distance from the running mean of the
   * symbol's returns, in their running standard deviations — is above this (default 6).
   */
  zThreshold?: number;
  /** Weight of each new trade in the running means and variance, exponential moving averages (default 0.02, ~50 trades). */
  alpha?: number;
  /** Trades to see for a symbol before alerting on it (default 50), so the mean has settled. */
  warmup?: number;
}
