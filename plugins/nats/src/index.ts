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

// JetStream and core NATS sources
export { JetStreamSource } from './jetstream-source/jetstream-source.js';
export type { JetStreamSourceMetrics } from './jetstream-source/jetstream-source-metrics.js';
export type { JetStreamSourceSettings } from './jetstream-source/jetstream-source-settings.js';
export { CoreNatsSource } from './core-nats-source/core-nats-source.js';
export type { CoreNatsSourceMetrics } from './core-nats-source/core-nats-source-metrics.js';
export type { CoreNatsSourceSettings } from './core-nats-source/core-nats-source-settings.js';
export type { NatsDecode } from './decode/decode-payload.js';
export { NatsDecodeError } from './decode/nats-decode-error.js';

// JetStream sink and KV checkpoint store
export { JetStreamSink } from './jetstream-sink/jetstream-sink.js';
export { jetStreamSink } from './jetstream-sink/jetstream-sink-factory.js';
export type { JetStreamSinkOptions, JetStreamSinkEncoding } from './jetstream-sink/jetstream-sink-options.js';
export { KvCheckpointStore } from './kv-store/kv-checkpoint-store.js';
export type { KvCheckpointStoreOptions } from './kv-store/kv-checkpoint-store-options.js';

// The plugin object a pipeline file loads
export { plugin } from './plugin.js';
export { partitionOf } from './partitions/partition-of.js';
