export { MonitoringServer } from './monitoring-server.js';
export type { MonitoringServerOptions } from './monitoring-server-options.js';
export { monitoring } from './monitoring.js';
export type { MonitoringModule } from './monitoring.js';
export { formatPrometheus, PROMETHEUS_CONTENT_TYPE } from './prometheus/format-prometheus.js';
