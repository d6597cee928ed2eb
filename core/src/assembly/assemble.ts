import {
  EndOfStreamError,
  SLUICE_COMPONENT,
  type PushSourceConnector,
  type Aggregator,
  type Clock,
  type ConcurrencyLimiter,
  type Reducer,
  type StageOptions,
  type StateBackend,
} from '@sluice/sdk';
import { Container } from 'inversify';
import type { PipelineOptions } from '../create-pipeline.js';
import type { ComponentRef } from '../discovery/component-ref.js';
import type { Provider } from '../discovery/provider.js';
import type { SluiceModule } from '../discovery/sluice-module.js';
import { buildGraph } from '../graph/graph-builder.js';
import type { GraphNode } from '../graph/graph-node.js';
import type { PipelineGraph } from '../graph/pipeline-graph.js';
import { Channel } from '../runtime/channel.js';
import { DeadLetterQueue } from '../runtime/dead-letter-queue.js';
import type { FusedStage, SegmentTarget } from '../runtime/fused-segment.js';
import { KeyedAggregateOperator } from '../runtime/keyed-aggregate-operator.js';
import { KeyedReduceOperator } from '../runtime/keyed-reduce-operator.js';
import { OutBuffer } from '../runtime/out-buffer.js';
import { StageContextImpl } from '../runtime/stage-context-impl.js';
import { StageCounters } from '../runtime/stage-counters.js';
import type { StageErrorHandler } from '../runtime/stage-error-handler.js';
import type { TaskControl } from '../runtime/task-control.js';
import { createWindowOperator } from '../runtime/windows/create-window-operator.js';
import { MetricsBus } from '../monitoring/metrics-bus.js';
import { MemoryStateBackend } from '../state/memory-state-backend.js';
import { SystemClock } from '../time/system-clock.js';
import { bindProvider, resolveNode } from './container.js';
import type { PipelineMonitor } from '@sluice/sdk';
import { pipelineMonitors } from '../monitoring/pipeline-monitors.js';
import { bindBuiltinErrorStrategies, buildErrorHandler, errorStrategies } from './error-policy.js';
import { bindBuiltinRateLimiters, buildRateLimit, rateLimiters } from './rate-limit-policy.js';
import type { RateLimitPlan } from '../runtime/rate-limit-plan.js';
import { bindBuiltinOverflowPolicies, buildOverflowPolicy, overflowPolicies } from './overflow-policy.js';
import { OverflowBuffer } from '../runtime/overflow-buffer.js';
import { PushSourceAdapter } from '../runtime/push-source-adapter.js';
import { DroppedSource } from '../runtime/dropped-source.js';
import { bindBuiltinConcurrencyLimiters, buildConcurrencyLimiter, concurrencyLimiters } from './concurrency-limit-policy.js';

/**
 * @internal Everything a pipeline is made of before its tasks exist: the checked graph, the
 * built instances, counters and error handlers per stage, the channels, and the function that
 * turns a stage node into a fused stage. `createPipeline` makes tasks of it; the test harness
 * drives one stage's segment of it directly.
 */
export interface Assembly {
  readonly graph: PipelineGraph;
  /** The built instances; a push source's is its `PushSourceAdapter`, a dropped output's a `DroppedSource`. */
  readonly instances: ReadonlyMap<GraphNode, unknown>;
  readonly control: TaskControl;
  readonly abort: AbortController;
  readonly stopping: AbortController;
  readonly deadLetters: DeadLetterQueue;
  readonly channels: ReadonlyMap<string, Channel>;
  readonly stageCounters: ReadonlyMap<string, StageCounters>;
  readonly handlers: ReadonlyMap<GraphNode, StageErrorHandler>;
  /** The rate limits of the sinks and stages that have one. */
  readonly limits: ReadonlyMap<GraphNode, RateLimitPlan>;
  /** The concurrency limiters of the enrich stages that have one. */
  readonly concurrencyLimiters: ReadonlyMap<GraphNode, ConcurrencyLimiter>;
  /** The monitors bound under `PIPELINE_MONITOR`. */
  readonly monitors: readonly PipelineMonitor[];
  /** Where the stages' keyed state lives. */
  readonly backend: StateBackend;
  /** Processing time. */
  readonly clock: Clock;
  /** Whether a node starts a segment (and so is fed by a channel). */
  isHead(node: GraphNode): boolean;
  /** The targets after `node` within its segment: fused stages, until a head (which gets a channel). */
  targetsAfter(node: GraphNode, outs: OutBuffer[]): SegmentTarget[];
  fusedStage(node: GraphNode, outs: OutBuffer[]): FusedStage;
  /** Connects `control.fail` to whoever runs the assembly. */
  onFail(handler: (error: unknown, task: string) => void): void;
}

/** @internal Discovers the components, checks the graph, builds the instances: see {@link Assembly}. */
/** @internal What a replay changes in a pipeline: extra inputs of stages, and sources that read nothing. */
export interface AssemblyOverrides {
  readonly extraInputs?: Readonly<Record<string, readonly string[]>>;
  /** Sources that run as if empty (their connectors are not built, opened or read). */
  readonly silent?: (sourceName: string) => boolean;
}

export function assemble(options: PipelineOptions, channelCapacity: number, overrides: AssemblyOverrides = {}): Assembly {
  const refs: ComponentRef[] = [];
  const providers: Provider[] = [...(options.providers ?? [])];
  const seenModules = new Set<SluiceModule>();
  const addModule = (m: SluiceModule) => {
    if (seenModules.has(m)) return;
    seenModules.add(m);
    for (const imported of m.imports ?? []) addModule(imported);
    refs.push(...(m.components ?? []));
    providers.push(...(m.providers ?? []));
  };
  for (const m of options.modules ?? []) addModule(m);
  refs.push(...(options.components ?? []));
  if (options.container?.isBound(SLUICE_COMPONENT) === true) refs.push(...options.container.getAll<ComponentRef>(SLUICE_COMPONENT));
  const unique = [...new Set(refs)];

  const graph = buildGraph(unique, options.edges, overrides.extraInputs, options.overrides);
  const container = new Container({ parent: options.container, defaultScope: 'Singleton' });
  bindBuiltinErrorStrategies(container);
  bindBuiltinRateLimiters(container);
  bindBuiltinOverflowPolicies(container);
  bindBuiltinConcurrencyLimiters(container);
  for (const p of providers) bindProvider(container, p);
  for (const node of graph.nodes)
    // Transient: each node gets its own instance, so a class used twice (e.g. in two composites)
    // never shares its fields; the services it injects stay singletons.
    if (node.cls !== undefined && !container.isCurrentBound(node.cls)) container.bind(node.cls).toSelf().inTransientScope();
  const clock = options.clock ?? new SystemClock();
  const instances = new Map<GraphNode, unknown>();
  for (const node of graph.nodes) {
    const silent = node.role === 'source' && overrides.silent?.(node.name) === true;
    instances.set(node, silent ? new EmptySource() : node.cls === undefined ? node.instance : resolveNode(container, node));
  }
  // A push source reaches its task through a bounded buffer, behind a pull-shaped adapter; its
  // dropped-records output (when read) is a source reading the same buffer's dropped records.
  const policies = overflowPolicies(container);
  for (const node of graph.nodes) {
    if (node.role !== 'source' || node.sourceKind !== 'push') continue;
    const { policy, name, buffer, droppedBuffer } = buildOverflowPolicy(node, policies);
    const instance = instances.get(node);
    if (instance instanceof EmptySource) continue;
    instances.set(
      node,
      new PushSourceAdapter(instance as PushSourceConnector<unknown>, new OverflowBuffer(buffer, name, policy, clock, droppedBuffer)),
    );
  }
  for (const node of graph.nodes) {
    if (node.droppedOf === undefined) continue;
    const adapter = instances.get(graph.get(node.droppedOf));
    instances.set(node, adapter instanceof PushSourceAdapter ? new DroppedSource(adapter.buffer) : new EmptySource());
  }

  const backend = options.stateBackend ?? new MemoryStateBackend();
  const abort = new AbortController();
  const stopping = new AbortController();
  const control: TaskControl = {
    stopping: false,
    cancelled: false,
    signal: abort.signal,
    stopSignal: AbortSignal.any([abort.signal, stopping.signal]),
    // Connected to the pipeline once it exists (see onFail).
    fail: (error, task) => fail(error, task),
    clock,
    events: new MetricsBus(clock),
  };
  let fail: (error: unknown, task: string) => void = () => undefined;
  const deadLetters = new DeadLetterQueue(options.deadLetters, (e) => control.fail(e, 'dead-letters'), control.events);
  // A rate-limited stage starts a segment: its task waits for the limiter before running it.
  const isHead = (n: GraphNode) =>
    n.role !== 'stage' || n.kind === 'enrich' || n.inputs.length > 1 || (n.options as StageOptions).rateLimit !== undefined;

  const channels = new Map<string, Channel>();
  for (const node of graph.nodes) {
    if (node.role === 'source' || !isHead(node)) continue;
    const capacity = (node.options as StageOptions).channelCapacity ?? channelCapacity;
    channels.set(node.name, new Channel(node.name, capacity));
  }

  const stageCounters = new Map<string, StageCounters>();
  const handlers = new Map<GraphNode, StageErrorHandler>();
  const strategies = errorStrategies(container);
  const random = options.random ?? Math.random;
  for (const node of graph.nodes) {
    if (node.role !== 'stage') continue;
    const counters = new StageCounters(node.kind!);
    counters.input = channels.get(node.name);
    counters.reportLimit = (limit, reason) => control.events.emitLimitChanged(node.name, 'stage', limit, reason);
    stageCounters.set(node.name, counters);
    handlers.set(
      node,
      buildErrorHandler(node, strategies, {
        counters,
        deadLetters,
        clock,
        random,
        fail: (e) => control.fail(e, node.name),
        events: control.events,
      }),
    );
  }

  const limits = new Map<GraphNode, RateLimitPlan>();
  const limiterProviders = rateLimiters(container);
  for (const node of graph.nodes) {
    if (node.role === 'source') continue;
    const limit = buildRateLimit(node, limiterProviders, channels.get(node.name)?.capacity ?? channelCapacity);
    if (limit !== undefined) limits.set(node, limit);
  }
  const stageLimiters = new Map<GraphNode, ConcurrencyLimiter>();
  const concurrencyProviders = concurrencyLimiters(container);
  for (const node of graph.nodes) {
    if (node.role !== 'stage') continue;
    const limiter = buildConcurrencyLimiter(node, concurrencyProviders);
    if (limiter !== undefined) stageLimiters.set(node, limiter);
  }

  // The targets after `node` within its segment: fused stages, until a head (which gets a channel).
  const targetsAfter = (node: GraphNode, outs: OutBuffer[]): SegmentTarget[] =>
    // A window stage's late output is fed by its operator, not with its results.
    node.outputs
      .filter((next) => next.lateOf !== node.name)
      .map((next) => {
        if (isHead(next)) {
          const out = new OutBuffer(channels.get(next.name)!);
          outs.push(out);
          return { out };
        }
        return { stage: fusedStage(next, outs) };
      });
  const fusedStage = (node: GraphNode, outs: OutBuffer[]): FusedStage => {
    const options = node.options as StageOptions;
    const instance = instances.get(node) as Record<string, (...args: never[]) => unknown>;
    const keyOf = options.key as ((v: unknown) => unknown) | undefined;
    const emitUpdates = options.emit !== 'final';
    const partitions = options.partitions ?? 1;
    const windowed = node.window !== undefined;
    const lateNode = node.outputs.find((next) => next.lateOf === node.name);
    const counters = stageCounters.get(node.name)!;
    const windowOperator = windowed
      ? createWindowOperator(node.name, instance, keyOf!, node.window!, {
          backend,
          clock,
        })
      : undefined;
    if (windowOperator !== undefined) {
      counters.windowStats = () => windowOperator.stats();
      if (node.window!.time !== 'processing') {
        // The segment calls advance once per batch: remember the newest watermark for the stats
        // (not the end of input's +Infinity, which would hide the last one seen).
        let seen = -Infinity;
        const advance = windowOperator.advance.bind(windowOperator);
        windowOperator.advance = (watermark) => {
          if (watermark > seen && watermark !== Infinity) seen = watermark;
          advance(watermark);
        };
        counters.watermark = () => seen;
      }
    }
    return {
      name: node.name,
      kind: windowed ? 'window' : (node.kind as FusedStage['kind']),
      instance,
      handler: handlers.get(node)!,
      counters,
      context: node.kind === 'process' ? new StageContextImpl(node.name, abort.signal, keyOf, { backend, clock }) : undefined,
      operator: windowed
        ? windowOperator
        : node.kind === 'aggregate'
          ? new KeyedAggregateOperator(instance as unknown as Aggregator<unknown, unknown, unknown>, keyOf!, emitUpdates, partitions)
          : node.kind === 'reduce'
            ? new KeyedReduceOperator(instance as unknown as Reducer<unknown>, keyOf!, emitUpdates, partitions)
            : undefined,
      children: targetsAfter(node, outs),
      late: lateNode === undefined ? undefined : [{ stage: fusedStage(lateNode, outs) }],
    };
  };

  return {
    graph,
    instances,
    control,
    abort,
    stopping,
    deadLetters,
    channels,
    stageCounters,
    handlers,
    limits,
    concurrencyLimiters: stageLimiters,
    monitors: pipelineMonitors(container),
    backend,
    clock,
    isHead,
    targetsAfter,
    fusedStage,
    onFail: (handler) => {
      fail = handler;
    },
  };
}

// A source that a replay keeps quiet: it ends at once (and can "rewind", trivially).
class EmptySource {
  read(): never {
    throw new EndOfStreamError();
  }
  position(): number {
    return 0;
  }
  seek(): void {}
}
