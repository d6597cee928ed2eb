import { PIPELINE_MONITOR } from '@sluice/sdk';
import { TerminalStats, type TerminalStatsOptions } from './terminal-stats.js';

/**
 * What {@link terminalStats} returns: a module for `createPipeline({ modules })` binding the
 * monitor under `PIPELINE_MONITOR`, and the monitor.
 * @public
 */
export interface TerminalStatsModule {
  readonly name: '@sluice/monitoring:terminal';
  readonly providers: readonly [{ readonly provide: typeof PIPELINE_MONITOR; readonly useValue: TerminalStats }];
  readonly monitor: TerminalStats;
}

/**
 * Adds live stats in the terminal to a pipeline (a table redrawn in place on a TTY, plain lines
 * otherwise).
 *
 * @example
 * ```ts
 * createPipeline({ modules: [terminalStats()], components })
 * ```
 * @see docs/monitoring.md
 * @public
 */
export function terminalStats(options: TerminalStatsOptions = {}): TerminalStatsModule {
  const monitor = new TerminalStats(options);
  return { name: '@sluice/monitoring:terminal', providers: [{ provide: PIPELINE_MONITOR, useValue: monitor }], monitor };
}
