import {
  type Clock,
  type StateBackend,
  ErrorCodes,
  SLUICE_COMPONENT,
  SluiceError,
  type Aggregator,
  type Enricher,
  type Reducer,
  type SinkConnector,
  type SourceConnector,
  type SourceOptions,
  parseDuration,
  type StageOptions,
} from '@sluice/sdk';
import { Container } from 'inversify';
import type { ComponentClass, ComponentRef } from './discovery/component-ref.js';
import type { Provider } from './discovery/provider.js';
import type { SluiceModule } from './discovery/sluice-module.js';
import { buildGraph } from './graph/graph-builder.js';
import type { GraphNode } from './graph/graph-node.js';
import { Channel } from './runtime/channel.js';
import { DeadLetterQueue } from './runtime/dead-letter-queue.js';
import { EnrichTask } from './runtime/enrich-task.js';
import { compileSegment, fusedStageNames, type FusedStage, type SegmentTarget } from './runtime/fused-segment.js';
import { KeyedAggregateOperator } from './runtime/keyed-aggregate-operator.js';
import { KeyedReduceOperator } from './runtime/keyed-reduce-operator.js';
import { OutBuffer } from './runtime/out-buffer.js';
import { Pipeline, type LifecycleHook, type Task } from './runtime/pipeline.js';
import { SegmentTask } from './runtime/segment-task.js';
import { SinkCounters } from './runtime/sink-counters.js';
import { SinkTask } from './runtime/sink-task.js';
import { SourceCounters } from './runtime/source-counters.js';
import { SourceTask } from './runtime/source-task.js';
import { StageContextImpl } from './runtime/stage-context-impl.js';
import { StageCounters } from './runtime/stage-counters.js';
import { WatermarkTracker } from './runtime/watermark-tracker.js';
import { createWindowOperator } from './runtime/windows/create-window-operator.js';
import { StageErrorHandler } from './runtime/stage-error-handler.js';
import type { TaskControl } from './runtime/task-control.js';
import { reopenWithBackoff } from './runtime/connector-retry.js';
import { MemoryStateBackend } from './state/memory-state-backend.js';
import { SystemClock } from './time/system-clock.js';

/**
 * How to build a pipeline. Components can come from any mix of `components`, `modules` and a
 * `container` in which they were registered with `registerComponents`.
 * @public
 */
export interface PipelineOptions {
  /** Names the pipeline in errors and stats (default `pipeline`). */
  name?: string;
  /** Stage, source, sink and composite classes, and connector definitions. */
  components?: readonly ComponentRef[];
  /** Modules of components and providers. */
  modules?: readonly SluiceModule[];
  /** A parent container: its bindings serve constructor injection; its `SLUICE_COMPONENT` bindings are discovered. */
  container?: Container;
  /** Services for constructor injection. */
  providers?: readonly Provider[];
  /** Overrides `from:` per stage or sink name, so one class can serve several pipelines. */
  edges?: Readonly<Record<string, string | readonly string[]>>;
  /** Most records per batch (default 1024). */
  batchSize?: number;
  /** Default capacity, in records, of the channels between segments (default 16384). */
  channelCapacity?: number;
  /** Cancels the pipeline when aborted. */
  signal?: AbortSignal;
  /**
   * Processing time for processing-time windows, timers and idle timeouts (default: the wall
   * clock). Tests pass a `VirtualClock` from `@sluice/core/testing`.
   */
  clock?: Clock;
  /** Where keyed state, timers and windows live (default: a new `MemoryStateBackend`). */
  stateBackend?: StateBackend;
}

const DEFAULT_BATCH = 1024;
const DEFAULT_CAPACITY = 16_384;

/**
 * Builds a pipeline: discovers the components, checks their options and the graph, builds
 * every class through the container (constructor injection), and fuses consecutive
 * synchronous stages into single loops. Every problem is reported here, before anything runs,
 * as a `SluiceError` naming the offending class.
 *
 * @example
 * ```ts
 * const out: RichTick[] = []
 * const pipeline = createPipeline({
 *   components: [fromArray(ticks, { name: 'ticks' }), ValidTicks, Enrich, toArray(out, { name: 'out', from: 'enriched' })],
 *   providers: [RefData],
 * })
 * await pipeline.run()
 * ```
 * @see docs/getting-started.md
 * @public
 */
export function createPipeline(options: PipelineOptions): Pipeline {
  const name = options.name ?? 'pipeline';
  const batchSize = positiveInt(options.batchSize, DEFAULT_BATCH, 'batchSize', 1 << 20);
  const channelCapacity = positiveInt(options.channelCapacity, DEFAULT_CAPACITY, 'channelCapacity', Number.MAX_SAFE_INTEGER);

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

  const graph = buildGraph(unique, options.edges);
  const container = new Container({ parent: options.container, defaultScope: 'Singleton' });
  for (const p of providers) bindProvider(container, p);
  for (const node of graph.nodes)
    // Transient: each node gets its own instance, so a class used twice (e.g. in two composites)
    // never shares its fields; the services it injects stay singletons.
    if (node.cls !== undefined && !container.isCurrentBound(node.cls)) container.bind(node.cls).toSelf().inTransientScope();
  const instances = new Map<GraphNode, unknown>();
  for (const node of graph.nodes) instances.set(node, node.cls === undefined ? node.instance : resolve(container, node));

  const clock = options.clock ?? new SystemClock();
  const backend = options.stateBackend ?? new MemoryStateBackend();
  const abort = new AbortController();
  const stopping = new AbortController();
  const control: TaskControl = {
    stopping: false,
    cancelled: false,
    signal: abort.signal,
    stopSignal: AbortSignal.any([abort.signal, stopping.signal]),
    // Connected to the pipeline once it exists (below).
    fail: (error, task) => fail(error, task),
    clock,
  };
  let fail: (error: unknown, task: string) => void = () => undefined;
  const deadLetters = new DeadLetterQueue();
  const isHead = (n: GraphNode) => n.role !== 'stage' || n.kind === 'enrich' || n.inputs.length > 1;

  const channels = new Map<string, Channel>();
  for (const node of graph.nodes) {
    if (node.role === 'source' || !isHead(node)) continue;
    const capacity = (node.options as StageOptions).channelCapacity ?? channelCapacity;
    channels.set(node.name, new Channel(node.name, capacity));
  }

  const stageCounters = new Map<string, StageCounters>();
  const handlers = new Map<GraphNode, StageErrorHandler>();
  for (const node of graph.nodes) {
    if (node.role !== 'stage') continue;
    const counters = new StageCounters(node.kind!);
    stageCounters.set(node.name, counters);
    handlers.set(
      node,
      new StageErrorHandler(node.name, node.label, node.onError?.then ?? 'fail', counters, deadLetters, (e) => control.fail(e, node.name)),
    );
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
      ? createWindowOperator(node.name, instance as unknown as Aggregator<unknown, unknown, unknown>, keyOf!, node.window!, {
          backend,
          clock,
        })
      : undefined;
    if (windowOperator !== undefined) counters.windowStats = () => windowOperator.stats();
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

  const tasks: Task[] = [];
  const segments = new Map<string, readonly string[]>();
  const sources = new Map<string, SourceCounters>();
  const sinks = new Map<string, SinkCounters>();
  const hooks: LifecycleHook[] = [];
  for (const node of graph.nodes) {
    const instance = instances.get(node);
    if (node.role === 'source') {
      const outs: OutBuffer[] = [];
      const roots = targetsAfter(node, outs);
      const counters = new SourceCounters();
      sources.set(node.name, counters);
      const opts = node.options as SourceOptions<unknown>;
      const connector = instance as SourceConnector<unknown>;
      const task = new SourceTask(
        node.name,
        node.label,
        connector,
        compileSegment(roots),
        outs,
        opts.batchSize ?? batchSize,
        opts.eventTime as ((v: unknown) => number) | undefined,
        new WatermarkTracker(opts as SourceOptions<never>),
        opts.idleTimeout === undefined ? 0 : parseDuration(opts.idleTimeout, `source '${node.name}' idleTimeout`),
        counters,
        control,
      );
      tasks.push(task);
      segments.set(node.name, fusedStageNames(roots));
      hooks.push(connectorHook('source', node.name, node.label, connector, () => task.openContext()));
    } else if (node.role === 'sink') {
      const counters = new SinkCounters();
      sinks.set(node.name, counters);
      const connector = instance as SinkConnector<unknown>;
      const task = new SinkTask(node.name, node.label, channels.get(node.name)!, connector, counters, control);
      tasks.push(task);
      hooks.push(connectorHook('sink', node.name, node.label, connector, () => task.openContext()));
    } else {
      hooks.push(stageHook(`stage '${node.name}' (${node.label})`, instance));
      if (!isHead(node)) continue;
      const outs: OutBuffer[] = [];
      if (node.kind === 'enrich') {
        const roots = targetsAfter(node, outs);
        const options = node.options as StageOptions;
        tasks.push(
          new EnrichTask(
            node.name,
            channels.get(node.name)!,
            instance as Enricher<unknown, unknown>,
            options.concurrency ?? 1,
            options.ordered ?? true,
            compileSegment(roots),
            outs,
            handlers.get(node)!,
            stageCounters.get(node.name)!,
            batchSize,
            control,
          ),
        );
        segments.set(node.name, [node.name, ...fusedStageNames(roots)]);
      } else {
        const roots: SegmentTarget[] = [{ stage: fusedStage(node, outs) }];
        tasks.push(new SegmentTask(node.name, channels.get(node.name)!, compileSegment(roots), outs, control));
        segments.set(node.name, fusedStageNames(roots));
      }
    }
  }

  // A late output's records in are its records out (it passes late records on unchanged).
  const inputs = new Map(graph.nodes.filter((n) => n.role === 'stage').map((n) => [n.name, n.lateOf === undefined ? n.inputs : [n.name]]));
  const pipeline = new Pipeline({
    name,
    tasks,
    hooks,
    channels,
    sources,
    stages: stageCounters,
    sinks,
    control,
    abort,
    stopping,
    deadLetters,
    segments,
    inputs,
  });
  fail = (error, task) => pipeline.fail(error, task);
  if (options.signal !== undefined) {
    const signal = options.signal;
    const onAbort = () =>
      pipeline.cancel(
        new SluiceError(ErrorCodes.ABORTED, `Pipeline '${name}' was cancelled through its AbortSignal`, { cause: signal.reason }),
      );
    if (signal.aborted) onAbort();
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      // A long-lived signal must not keep every finished pipeline alive.
      pipeline.onFinished(() => signal.removeEventListener('abort', onAbort));
    }
  }
  return pipeline;
}

function positiveInt(value: number | undefined, fallback: number, option: string, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new SluiceError(
      ErrorCodes.INVALID_OPTION,
      `createPipeline: option "${option}" must be an integer from 1 to ${max}, got ${String(value)}`,
      {
        details: { option, value },
      },
    );
  }
  return value;
}

function bindProvider(container: Container, p: Provider): void {
  if (typeof p === 'function') {
    container.bind(p).toSelf().inSingletonScope();
  } else if ('useValue' in p) {
    container.bind(p.provide).toConstantValue(p.useValue);
  } else if ('useClass' in p) {
    container.bind(p.provide).to(p.useClass).inSingletonScope();
  } else if ('useFactory' in p) {
    container.bind(p.provide).toDynamicValue(p.useFactory).inSingletonScope();
  } else {
    throw new SluiceError(
      ErrorCodes.INVALID_OPTION,
      'createPipeline: a provider must be a class or { provide, useValue | useClass | useFactory }',
    );
  }
}

function resolve(container: Container, node: GraphNode): unknown {
  try {
    return container.get(node.cls as ComponentClass & (new (...args: never[]) => unknown));
  } catch (err) {
    throw new SluiceError(
      ErrorCodes.INJECTION_FAILED,
      `Could not build ${node.label} for '${node.name}': ${firstLine(err)}. Pass the services it needs in "providers" (or a module's providers, or the parent container)`,
      { cause: err, details: { node: node.name, class: node.label } },
    );
  }
}

function stageHook(label: string, instance: unknown): LifecycleHook {
  const s = instance as { onStart?: () => unknown; onStop?: () => unknown };
  return {
    label,
    start: typeof s.onStart === 'function' ? () => s.onStart!() : undefined,
    stop: typeof s.onStop === 'function' ? () => s.onStop!() : undefined,
  };
}

function connectorHook(
  role: 'source' | 'sink',
  name: string,
  label: string,
  instance: unknown,
  context: () => { signal: AbortSignal },
): LifecycleHook {
  const c = instance as { open?: (ctx: unknown) => unknown; close?: () => unknown; onStart?: () => unknown; onStop?: () => unknown };
  return {
    label: `${role} '${name}' (${label})`,
    start: async () => {
      if (typeof c.onStart === 'function') await c.onStart();
      if (typeof c.open !== 'function') return;
      try {
        // A feed that is down at start-up is retried like one that drops later.
        const ctx = context();
        await reopenWithBackoff(() => c.open!(ctx), ctx.signal, 0);
      } catch (err) {
        throw new SluiceError(
          role === 'source' ? ErrorCodes.SOURCE_FAILED : ErrorCodes.SINK_FAILED,
          `${role === 'source' ? 'Source' : 'Sink'} '${name}' (${label}) failed to open: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err, details: { [role]: name } },
        );
      }
    },
    stop: async () => {
      if (typeof c.close === 'function') await c.close();
      if (typeof c.onStop === 'function') await c.onStop();
    },
  };
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.replace(/[.:]\s*$/, '');
}
