import type { Duration } from '@sluice/sdk';

/**
 * Options of a {@link MonitoringServer}.
 * @see docs/monitoring.md
 * @public
 */
export interface MonitoringServerOptions {
  /** The interface to listen on. Default `127.0.0.1` (this machine only). */
  readonly host?: string;
  /** The TCP port. Default `9464`; `0` picks any free port (read it from `server.url`). */
  readonly port?: number;
  /**
   * When set, every route needs `Authorization: Bearer <token>` or `?token=<token>` (for an
   * `EventSource`, which cannot send headers). Never logged.
   */
  readonly token?: string;
  /**
   * The least time between two `stats` events on one `/events` connection (the pipeline's own
   * `stats` events are forwarded, the newest one when several came within it). Default `1s`.
   */
  readonly interval?: Duration;
  /** Where the one line with the dashboard's address goes. Default `console.log`. */
  readonly log?: (line: string) => void;
}
