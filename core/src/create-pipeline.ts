import type { ComponentOverride } from './graph/component-overrides.js';
import {
  type Clock,
  type Duration,
  type DeadLetterSink,
  type StateBackend,
  ErrorCodes,
  SluiceError,
  type Enricher,
  type SinkConnector,
  type SourceConnector,
  type SourceOptions,
  parseDuration,
  type StageOptions,
} from '@sluice/sdk';
import type { Container } from 'inversify';
import { assemble, type AssemblyOverrides } from './assembly/assemble.js';
import type { ComponentRef } from './discovery/component-ref.js';
import type { Provider } from './discovery/provider.js';
import type { SluiceModule } from './discovery/sluice-module.js';
import { reopenWithBackoff } from './runtime/connector-retry.js';
import { EnrichTask } from './runtime/enrich-task.js';
import { FlowMeter } from './runtime/flow-meter.js';
import type { RateLimitPlan } from './runtime/rate-limit-plan.js';
import { compileSegment, fusedStageNames, type SegmentTarget } from './runtime/fused-segment.js';
import type { OutBuffer } from './runtime/out-buffer.js';
import { Pipeline, type LifecycleHook, type Task } from './runtime/pipeline.js';
import { SegmentTask } from './runtime/segment-task.js';
import { LimitCounters } from './runtime/limit-counters.js';
import { ThrottledSegmentTask } from './runtime/throttled-segment-task.js';
import { SinkCounters } from './runtime/sink-counters.js';
import { SinkTask } from './runtime/sink-task.js';
import { SourceCounters } from './runtime/source-counters.js';
import { SourceTask } from './runtime/source-task.js';
import { DroppedSource } from './runtime/dropped-source.js';
import { PushSourceAdapter } from './runtime/push-source-adapter.js';
import { WatermarkTracker } from './runtime/watermark-tracker.js';
import { preciseNow } from './time/precise-now.js';
import { SegmentMeter } from './runtime/segment-meter.js';
import { graphView } from './monitoring/graph-view.js';
import { CheckpointCoordinator } from './checkpoints/checkpoint-coordinator.js';
import { checkpointSettings, type CheckpointOptions } from './checkpoints/checkpoint-options.js';
import type { Checkpointing } from './checkpoints/task-checkpointing.js';

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
  /**
   * Per component name, options merged over its decorators' (checked by the same rules): how
   * settings that live outside the code — a pipeline file, environment-specific limits — pick
   * strategies by name and set their options.
   *
   * @example
   * ```ts
   * createPipeline({ components, overrides: { api: { options: { rateLimit: { strategy: 'token-bucket', options: { rate: '50/s' } } } } } })
   * ```
   */
  overrides?: Readonly<Record<string, ComponentOverride>>;
  /**
   * How often `pipeline.events` publishes the `stats` snapshot (and the `backpressure`,
   * `watermark` and `bottleneck` events read off it) while the pipeline runs (default `'1s'`,
   * at least `'10ms'`). Nothing is computed when no one listens.
   */
  statsInterval?: Duration;
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
  /**
   * Periodic checkpoints to a store, and recovery from the newest one at start: with rewindable
   * sources and transactional sinks, output is exactly-once across crashes.
   */
  checkpoints?: CheckpointOptions;
  /**
   * Where dead letters go besides `pipeline.deadLetters` (e.g. `JsonLinesDeadLetterSink` of
   * `@sluice/files`): written in batches off the records' path; closed at the end of the run.
   */
  deadLetters?: DeadLetterSink;
  /**
   * Random numbers in [0, 1) for retry jitter (default `Math.random`). Tests pass a seeded or
   * constant function so that jittered delays are known.
   */
  random?: () => number;
  /**
   * How much the engine measures (default `'detailed'`). `'detailed'`: besides the counters, each
   * task's busy time, latency histograms of stages and sinks (HdrHistogram, per batch, never per
   * record) and end-to-end latency at the sinks. `'basic'`: the counters only (records, batches,
   * errors, backpressure, queue fill), for the last few percent of throughput or as a way out if
   * measuring ever gets in the way; `stats()` then has no `busyMs`, `latency` nor `endToEnd`.
   *
   * @example
   * ```ts
   * createPipeline({ components, metrics: 'basic' })
   * ```
   * @see docs/monitoring.md
   */
  metrics?: 'detailed' | 'basic';
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
  return buildPipeline(options, {});
}

/** @internal `createPipeline` with a replay's changes to the graph. */
export function buildPipeline(options: PipelineOptions, overrides: AssemblyOverrides): Pipeline {
  const name = options.name ?? 'pipeline';
  const batchSize = positiveInt(options.batchSize, DEFAULT_BATCH, 'batchSize', 1 << 20);
  const detailed = metricsLevel(options.metrics) === 'detailed';
  const channelCapacity = positiveInt(options.channelCapacity, DEFAULT_CAPACITY, 'channelCapacity', Number.MAX_SAFE_INTEGER);

  const assembly = assemble(options, channelCapacity, overrides);
  const { graph, instances, control, abort, stopping, deadLetters, channels, stageCounters, handlers, isHead, targetsAfter, fusedStage } =
    assembly;
  let fail: (error: unknown, task: string) => void = () => undefined;
  assembly.onFail((error, task) => fail(error, task));
  const checkpointing = checkpointsOf(name, options.checkpoints, assembly, (e) => fail(e, 'checkpoints'));

  const tasks: Task[] = [];
  const segments = new Map<string, readonly string[]>();
  const sources = new Map<string, SourceCounters>();
  const sinks = new Map<string, SinkCounters>();
  const hooks: LifecycleHook[] = [];
  // One flow meter per task that writes to channels: its channels tell it when a write waits for
  // room, and the stages it runs (fused in one loop) all report its figures.
  const now = preciseNow(control.clock);
  // A limited stage or sink reports its limit's changes on the metrics bus.
  const limitCounters = (name: string, kind: 'stage' | 'sink', plan: RateLimitPlan) =>
    new LimitCounters(plan, (limit, reason) => control.events.emitLimitChanged(name, kind, limit, reason));
  // ... and one batch meter per task that runs a fused segment, shared the same way.
  const meter = (outs: readonly OutBuffer[], stages: readonly string[], segment: SegmentMeter): FlowMeter => {
    const flow = new FlowMeter(now);
    for (const out of outs) out.meteredBy(flow);
    for (const stage of stages) {
      const counters = stageCounters.get(stage)!;
      counters.flow = flow;
      counters.segment = segment;
    }
    return flow;
  };
  for (const node of graph.nodes) {
    const instance = instances.get(node);
    if (node.role === 'source') {
      const outs: OutBuffer[] = [];
      const roots = targetsAfter(node, outs);
      const segment = new SegmentMeter(now, detailed);
      const counters = new SourceCounters(meter(outs, fusedStageNames(roots), segment));
      sources.set(node.name, counters);
      const opts = node.options as SourceOptions<unknown>;
      const watermarks = new WatermarkTracker(opts as SourceOptions<never>);
      if (opts.eventTime !== undefined) {
        counters.watermark = () =>
          watermarks.watermark === -Infinity
            ? undefined
            : { watermark: watermarks.watermark, watermarkLagMs: control.clock.now() - watermarks.watermark };
      }
      const connector = instance as SourceConnector<unknown>;
      const push = connector instanceof PushSourceAdapter ? connector : undefined;
      if (push !== undefined) counters.overflow = () => push.buffer.stats();
      counters.connector = connectorMetrics(push?.inner ?? connector);
      const task = new SourceTask(
        node.name,
        node.label,
        connector,
        compileSegment(roots),
        outs,
        opts.batchSize ?? batchSize,
        opts.eventTime as ((v: unknown) => number) | undefined,
        watermarks,
        opts.idleTimeout === undefined ? 0 : parseDuration(opts.idleTimeout, `source '${node.name}' idleTimeout`),
        counters,
        control,
        deadLetters,
        checkpointing,
        startAtOf(node.name, node.label, opts, connector),
        push !== undefined || connector instanceof DroppedSource,
        segment,
      );
      // However the push source's task ends, its dropped-records output may then end too.
      tasks.push(push === undefined ? task : { name: task.name, run: () => task.run().finally(() => push.buffer.finish()) });
      segments.set(node.name, fusedStageNames(roots));
      hooks.push(connectorHook('source', node.name, node.label, connector, () => task.openContext()));
    } else if (node.role === 'sink') {
      const limit = assembly.limits.get(node);
      const counters = new SinkCounters(
        limit === undefined ? undefined : limitCounters(node.name, 'sink', limit),
        detailed ? now : undefined,
      );
      counters.input = channels.get(node.name);
      sinks.set(node.name, counters);
      const connector = instance as SinkConnector<unknown>;
      counters.connector = connectorMetrics(connector);
      const task = new SinkTask(node.name, node.label, channels.get(node.name)!, connector, counters, control, checkpointing, limit);
      tasks.push(task);
      hooks.push(connectorHook('sink', node.name, node.label, connector, () => task.openContext()));
    } else {
      hooks.push(stageHook(`stage '${node.name}' (${node.label})`, instance));
      if (!isHead(node)) continue;
      const outs: OutBuffer[] = [];
      if (node.kind === 'enrich') {
        const roots = targetsAfter(node, outs);
        const options = node.options as StageOptions;
        const limit = assembly.limits.get(node);
        const counters = limit === undefined ? undefined : limitCounters(node.name, 'stage', limit);
        if (counters !== undefined) stageCounters.get(node.name)!.limitStats = () => counters.snapshot();
        const segment = new SegmentMeter(now, detailed);
        tasks.push(
          new EnrichTask(
            node.name,
            channels.get(node.name)!,
            instance as Enricher<unknown, unknown>,
            options.concurrency ?? 1,
            options.ordered === 'keyed' ? 'keyed' : options.ordered === false ? 'unordered' : 'ordered',
            compileSegment(roots),
            outs,
            handlers.get(node)!,
            stageCounters.get(node.name)!,
            batchSize,
            control,
            checkpointing,
            { limiter: assembly.concurrencyLimiters.get(node), keyOf: options.key as ((v: unknown) => unknown) | undefined },
            limit === undefined ? undefined : { limiter: limit.limiter, counters: counters! },
            segment,
          ),
        );
        segments.set(node.name, [node.name, ...fusedStageNames(roots)]);
        meter(outs, segments.get(node.name)!, segment);
      } else if (assembly.limits.has(node)) {
        const roots: SegmentTarget[] = [{ stage: fusedStage(node, outs) }];
        const limit = assembly.limits.get(node)!;
        const counters = limitCounters(node.name, 'stage', limit);
        stageCounters.get(node.name)!.limitStats = () => counters.snapshot();
        const segment = new SegmentMeter(now, detailed);
        tasks.push(
          new ThrottledSegmentTask(
            node.name,
            channels.get(node.name)!,
            compileSegment(roots),
            outs,
            control,
            checkpointing,
            limit,
            counters,
            segment,
          ),
        );
        segments.set(node.name, fusedStageNames(roots));
        meter(outs, segments.get(node.name)!, segment);
      } else {
        const roots: SegmentTarget[] = [{ stage: fusedStage(node, outs) }];
        const segment = new SegmentMeter(now, detailed);
        tasks.push(new SegmentTask(node.name, channels.get(node.name)!, compileSegment(roots), outs, control, checkpointing, segment));
        segments.set(node.name, fusedStageNames(roots));
        meter(outs, segments.get(node.name)!, segment);
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
    checkpoints: checkpointing?.coordinator,
    graph: graphView(graph.nodes, segments),
    monitors: assembly.monitors,
    statsIntervalMs: statsIntervalOf(options.statsInterval),
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

function startAtOf(
  name: string,
  label: string,
  options: SourceOptions<unknown>,
  connector: SourceConnector<unknown>,
): SourceOptions<unknown>['startAt'] {
  const startAt = options.startAt;
  const refuse = (rule: string) =>
    new SluiceError(ErrorCodes.INVALID_OPTION, `Source '${name}' (${label}): option "startAt" ${rule}`, {
      details: { source: name, option: 'startAt' },
    });
  if (startAt !== undefined && 'position' in startAt && typeof connector.seek !== 'function') {
    throw refuse('gives a position, but this source cannot seek (it has no seek())');
  }
  if (startAt !== undefined && 'eventTime' in startAt && options.eventTime === undefined) {
    throw refuse("gives an event time, but the source has no eventTime option to read records' event time with");
  }
  return startAt;
}

function checkpointsOf(
  name: string,
  options: CheckpointOptions | undefined,
  assembly: ReturnType<typeof assemble>,
  fail: (error: SluiceError) => void,
): Checkpointing | undefined {
  if (options === undefined) return undefined;
  const settings = checkpointSettings(name, options, assembly.clock, fail);
  if ((options.mode ?? 'exactly-once') === 'exactly-once') {
    for (const node of assembly.graph.nodes) {
      // A dropped output cannot rewind either, but its push source is the one to name.
      if (node.role !== 'source' || node.droppedOf !== undefined) continue;
      const source = assembly.instances.get(node) as SourceConnector<unknown>;
      if (source instanceof PushSourceAdapter) {
        throw new SluiceError(
          ErrorCodes.INVALID_OPTION,
          `createPipeline: checkpoints in 'exactly-once' mode need sources that can rewind, and source '${node.name}' (${node.label}) is a push source (it implements subscribe()): what it pushed cannot be asked for again after a restart. Use checkpoints.mode: 'at-least-once' (what was pushed after the last checkpoint is not read again), or no checkpoints`,
          { details: { source: node.name, option: 'checkpoints.mode' } },
        );
      }
      if (typeof source.position !== 'function' || typeof source.seek !== 'function') {
        throw new SluiceError(
          ErrorCodes.INVALID_OPTION,
          `createPipeline: checkpoints in 'exactly-once' mode need sources that can rewind, and source '${node.name}' (${node.label}) cannot: it has no position() and seek(). Use a rewindable source (fromArray, the file sources of @sluice/files) or checkpoints.mode: 'at-least-once'`,
          { details: { source: node.name } },
        );
      }
    }
  }
  return { coordinator: new CheckpointCoordinator({ ...settings, events: assembly.control.events }), backend: assembly.backend };
}

function metricsLevel(value: unknown): 'detailed' | 'basic' {
  if (value === undefined || value === 'detailed' || value === 'basic') return value ?? 'detailed';
  throw new SluiceError(
    ErrorCodes.INVALID_OPTION,
    `createPipeline: option "metrics" must be 'detailed' or 'basic', got ${typeof value === 'string' ? `'${value}'` : String(value)}`,
    { details: { option: 'metrics', value } },
  );
}

function statsIntervalOf(interval: Duration | undefined): number {
  if (interval === undefined) return 1000;
  const ms = parseDuration(interval, 'createPipeline option "statsInterval"');
  if (ms < 10) {
    throw new SluiceError(
      ErrorCodes.INVALID_OPTION,
      `createPipeline: option "statsInterval" must be at least 10ms, got ${String(interval)}`,
      {
        details: { option: 'statsInterval', value: interval },
      },
    );
  }
  return ms;
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

// A connector's own figures, copied on each stats read; one that throws reports nothing rather than break the stats.
function connectorMetrics(connector: {
  metrics?(): Readonly<Record<string, number>>;
}): (() => Readonly<Record<string, number>>) | undefined {
  if (typeof connector.metrics !== 'function') return undefined;
  return () => {
    try {
      return { ...connector.metrics!() };
    } catch {
      return {};
    }
  };
}
