/**
 * `@sluice/plugin-nats`: NATS JetStream for Sluice pipelines.
 * @packageDocumentation
 */
export { NATS_PLUGIN_NAME } from './plugin-name.js';
