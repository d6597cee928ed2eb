export { createPipeline } from './create-pipeline.js';
export type { PipelineOptions } from './create-pipeline.js';
export type { ComponentOverride } from './graph/component-overrides.js';
export { Pipeline } from './runtime/pipeline.js';
export { replayDeadLetters } from './replay/replay-dead-letters.js';
export { DeadLetterQueue } from './runtime/dead-letter-queue.js';
export { MemoryStateBackend } from './state/memory-state-backend.js';
export { SystemClock } from './time/system-clock.js';
export { MetricsBus } from './monitoring/metrics-bus.js';
export type { CheckpointOptions } from './checkpoints/checkpoint-options.js';
export { MemoryCheckpointStore } from './checkpoints/memory-checkpoint-store.js';
export { FileCheckpointStore } from './checkpoints/file-checkpoint-store.js';

export { defineSource, defineSink } from './discovery/component-definition.js';
export type { SourceDefinition, SinkDefinition } from './discovery/component-definition.js';
export type { ComponentClass, ComponentRef } from './discovery/component-ref.js';
export type { Provider } from './discovery/provider.js';
export type { SluiceModule } from './discovery/sluice-module.js';
export { registerComponents } from './discovery/register-components.js';

export { fromArray } from './connectors/from-array.js';
export { fromIterable, fromGenerator } from './connectors/from-iterable.js';
export { fromAsyncIterable } from './connectors/from-async-iterable.js';
export { fromPush } from './connectors/from-push.js';
export { toArray } from './connectors/to-array.js';
export { toCallback } from './connectors/to-callback.js';
export { createRateLimiter } from './flow/create-rate-limiter.js';
export { createConcurrencyLimiter } from './flow/create-concurrency-limiter.js';

// Re-exported so that applications using registerComponents need no direct inversify dependency.
export { Container } from 'inversify';
