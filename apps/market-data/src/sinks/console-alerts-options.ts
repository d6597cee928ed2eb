/** Container token of the {@link ConsoleAlertsOptions}. */
export const CONSOLE_ALERTS_OPTIONS = Symbol('market-data:console-alerts-options');

/** Where and how often the alerts sink prints. */
export interface ConsoleAlertsOptions {
  /** Prints one line (default: print nothing, only count). */
  print?: (line: string) => void;
  /** At most this many lines per second; the rest are counted and mentioned in the next line (default 3). */
  maxPerSecond?: number;
}
