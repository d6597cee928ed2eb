// reflect-metadata is loaded once, here, before any decorator runs.
import 'reflect-metadata';

export type { StageContext } from './context/stage-context.js';
export type { RecordEnvelope } from './context/record-envelope.js';
export type { SourceContext } from './connectors/source-context.js';
export type { SourceConnector } from './connectors/source-connector.js';
export type { SinkConnector } from './connectors/sink-connector.js';
export type { PushSourceConnector } from './connectors/push-source-connector.js';
export type { PushEmitter } from './connectors/push-emitter.js';
export type { Filter } from './stages/filter.js';
export type { Mapper } from './stages/mapper.js';
export type { FlatMapper } from './stages/flat-mapper.js';
export type { Enricher } from './stages/enricher.js';
export type { Processor } from './stages/processor.js';
export type { Aggregator } from './stages/aggregator.js';
export type { Reducer } from './stages/reducer.js';
export type { WindowFunction, WindowBounds } from './stages/window-function.js';
export type { Trigger, TriggerContext, TriggerResult } from './windows/trigger.js';
export { Triggers } from './windows/trigger.js';
export type { StageKind } from './stages/stage-kind.js';
export { STAGE_KIND_METHODS } from './stages/stage-kind.js';
export type { OnStart } from './lifecycle/on-start.js';
export type { OnStop } from './lifecycle/on-stop.js';

export { Stage } from './decorators/stage.js';
export { Source } from './decorators/source.js';
export { Sink } from './decorators/sink.js';
export { Window } from './decorators/window.js';
export { OnError } from './decorators/on-error.js';
export { Composite } from './decorators/composite.js';
export { applyDecorators } from './decorators/apply-decorators.js';
export { Inject, Injectable } from './inject.js';

export type { StageOptions } from './options/stage-options.js';
export { NAME_PATTERN, StageOptionsSchema } from './options/stage-options.js';
export type { SourceOptions } from './options/source-options.js';
export { SourceOptionsSchema, BoundedWatermarkSchema } from './options/source-options.js';
export type { WindowResult } from './windows/window-result.js';
export type { SinkOptions } from './options/sink-options.js';
export { SinkOptionsSchema } from './options/sink-options.js';
export type { WindowOptions } from './options/window-options.js';
export { WindowOptionsSchema } from './options/window-options.js';
export type { OnErrorOptions, RetryOn } from './options/on-error-options.js';
export { OnErrorOptionsSchema } from './options/on-error-options.js';
export type { CompositeOptions } from './options/composite-options.js';
export { COMPOSITE_INPUT, CompositeOptionsSchema } from './options/composite-options.js';
export { validateOptions } from './options/validate-options.js';

export {
  getStageMetadata,
  getSourceMetadata,
  getSinkMetadata,
  getWindowMetadata,
  getOnErrorMetadata,
  getCompositeMetadata,
} from './metadata/component-metadata.js';

export type { Duration } from './time/duration.js';
export type { Clock } from './time/clock.js';
export type { StateBackend, KeyedStore } from './state/state-backend.js';
export type { KeyedStateAccess, ValueState, MapState, ListState } from './state/keyed-state.js';
export type { TimerService, TimeDomain } from './state/timer-service.js';
export { parseDuration, isDuration } from './time/duration.js';

export type { ErrorCode } from './errors/codes.js';
export { ErrorCodes } from './errors/codes.js';
export { SluiceError } from './errors/sluice-error.js';
export { EndOfStreamError } from './errors/end-of-stream-error.js';
export { BackoffError } from './errors/backoff-error.js';
export { DisconnectedError } from './errors/disconnected-error.js';

export type { DeadLetter } from './errors/dead-letter.js';
export type { DeadLetterSink } from './errors/dead-letter-sink.js';
export type { ErrorStrategy } from './strategies/error-strategy.js';
export type { ErrorDecision } from './strategies/error-decision.js';
export type { StageFailure } from './strategies/stage-failure.js';
export type { ErrorStrategyContext } from './strategies/error-strategy-context.js';
export type { ErrorStrategyProvider } from './strategies/error-strategy-provider.js';
export type { RateLimiter } from './flow/rate-limiter.js';
export type { RateLimiterProvider } from './flow/rate-limiter-provider.js';
export type { RateLimitOptions } from './flow/rate-limit-options.js';
export type { PerKeyLimitOptions } from './flow/per-key-limit-options.js';
export type { OverflowPolicy } from './flow/overflow-policy.js';
export type { OverflowDecision } from './flow/overflow-decision.js';
export type { OverflowPolicyProvider } from './flow/overflow-policy-provider.js';
export type { OverflowOptions } from './flow/overflow-options.js';
export { DEFAULT_OVERFLOW_BUFFER, MAX_OVERFLOW_BUFFER } from './flow/overflow-options.js';
export type { ConcurrencyLimiter } from './flow/concurrency-limiter.js';
export type { ConcurrencyLimiterProvider } from './flow/concurrency-limiter-provider.js';
export type { ConcurrencyLimiterContext } from './flow/concurrency-limiter-context.js';
export type { ConcurrencyLimitOptions } from './flow/concurrency-limit-options.js';
export type { ConcurrencySample } from './flow/concurrency-sample.js';
export type { ConcurrencyOutcome } from './flow/concurrency-outcome.js';
export type {
  PipelineStats,
  SourceStats,
  StageStats,
  BreakerStats,
  SinkStats,
  ChannelStats,
  WindowStats,
  LatenessStats,
  CheckpointStats,
} from './monitoring/pipeline-stats.js';
export type { MonitoringEvents } from './monitoring/monitoring-events.js';
export type { MonitoringEventBus } from './monitoring/monitoring-event-bus.js';
export type { LimitChangedEvent } from './monitoring/limit-changed-event.js';
export type { LatencyStats } from './monitoring/latency-stats.js';
export type { Bottleneck } from './monitoring/bottleneck.js';
export type { PipelineGraph, PipelineGraphNode, PipelineGraphEdge } from './monitoring/pipeline-graph.js';
export type { PipelineMonitor, MonitoredPipeline } from './monitoring/pipeline-monitor.js';
export type {
  StageErrorEvent,
  BackpressureEvent,
  BottleneckEvent,
  CheckpointStartedEvent,
  CheckpointCompletedEvent,
  CheckpointFailedEvent,
  CheckpointRestoredEvent,
  WatermarkEvent,
  LifecycleEvent,
  StatsEvent,
} from './monitoring/event-payloads.js';
export type { CheckpointStore } from './checkpoints/checkpoint-store.js';
export type { SluicePlugin, PluginProvider } from './plugins/sluice-plugin.js';
export { SDK_MAJOR } from './plugins/sluice-plugin.js';

export { SLUICE_COMPONENT, ERROR_STRATEGY, RATE_LIMITER, OVERFLOW_POLICY, CONCURRENCY_LIMITER, PIPELINE_MONITOR } from './tokens.js';
