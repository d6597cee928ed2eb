/**
 * `@sluice/plugin-nats`: NATS JetStream for Sluice pipelines.
 * @packageDocumentation
 */
export { NATS_PLUGIN_NAME } from './plugin-name.js';
export type { NatsConnectionOptions, NatsTlsOptions } from './connection/nats-connection-options.js';
export type { NatsConnectionMetrics } from './connection/open-nats-connection.js';

// JetStream sink and KV checkpoint store
export { JetStreamSink } from './jetstream-sink/jetstream-sink.js';
export { jetStreamSink } from './jetstream-sink/jetstream-sink-factory.js';
export type { JetStreamSinkOptions, JetStreamSinkEncoding } from './jetstream-sink/jetstream-sink-options.js';
export { KvCheckpointStore } from './kv-store/kv-checkpoint-store.js';
export type { KvCheckpointStoreOptions } from './kv-store/kv-checkpoint-store-options.js';
