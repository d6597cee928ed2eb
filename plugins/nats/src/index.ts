/**
 * `@sluice/plugin-nats`: NATS JetStream for Sluice pipelines.
 * @packageDocumentation
 */
export { NATS_PLUGIN_NAME } from './plugin-name.js';
export type { NatsConnectionOptions, NatsTlsOptions } from './connection/nats-connection-options.js';
export type { NatsConnectionMetrics } from './connection/open-nats-connection.js';

// Partition leases (scale-out)
export {
  PartitionLeases,
  type PartitionLeaseMetrics,
  type PartitionLeasesOptions,
  type RevokeReason,
} from './partitions/partition-leases.js';
