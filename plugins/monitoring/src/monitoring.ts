import { PIPELINE_MONITOR } from '@sluice/sdk';
import { MonitoringServer } from './monitoring-server.js';
import type { MonitoringServerOptions } from './monitoring-server-options.js';

/**
 * What {@link monitoring} returns: a module for `createPipeline({ modules })` that binds the
 * server under `PIPELINE_MONITOR`, and the server itself (for its `url`).
 * @public
 */
export interface MonitoringModule {
  readonly name: '@sluice/monitoring';
  readonly providers: readonly [{ readonly provide: typeof PIPELINE_MONITOR; readonly useValue: MonitoringServer }];
  readonly server: MonitoringServer;
}

/**
 * Adds the monitoring server to a pipeline: metrics, stats, graph, events and the dashboard over
 * HTTP while it runs.
 *
 * @example
 * ```ts
 * const pipeline = createPipeline({ modules: [monitoring({ port: 0 })], components })
 * await pipeline.run()   // logs "Sluice dashboard: http://127.0.0.1:<port>/"
 * ```
 * @see docs/monitoring.md
 * @public
 */
export function monitoring(options: MonitoringServerOptions = {}): MonitoringModule {
  const server = new MonitoringServer(options);
  return { name: '@sluice/monitoring', providers: [{ provide: PIPELINE_MONITOR, useValue: server }], server };
}
