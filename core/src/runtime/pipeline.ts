import {
  ErrorCodes,
  SluiceError,
  type LifecycleEvent,
  type MonitoredPipeline,
  type MonitoringEventBus,
  type PipelineGraph,
  type PipelineMonitor,
  type PipelineStats,
} from '@sluice/sdk';
import type { Channel } from './channel.js';
import { type DeadLetterQueue } from './dead-letter-queue.js';
import { PipelineFailure } from './pipeline-failure.js';
import type { SinkCounters } from './sink-counters.js';
import type { SourceCounters } from './source-counters.js';
import type { StageCounters } from './stage-counters.js';
import type { TaskControl } from './task-control.js';
import type { CheckpointCoordinator } from '../checkpoints/checkpoint-coordinator.js';
import { findBottleneck } from '../monitoring/bottleneck.js';
import { StatsPublisher } from '../monitoring/stats-publisher.js';

/** @internal A running part of the pipeline (a source, a segment after a union, an enrich stage, a sink). */
export interface Task {
  readonly name: string;
  run(): Promise<void>;
}

/** @internal Something with hooks to call around the run, in order. */
export interface LifecycleHook {
  readonly label: string;
  readonly start: (() => unknown) | undefined;
  readonly stop: (() => unknown) | undefined;
}

/** @internal Everything the planner hands to a pipeline. */
export interface PipelinePlan {
  readonly name: string;
  readonly tasks: readonly Task[];
  readonly hooks: readonly LifecycleHook[];
  readonly channels: ReadonlyMap<string, Channel>;
  readonly sources: ReadonlyMap<string, SourceCounters>;
  readonly stages: ReadonlyMap<string, StageCounters>;
  readonly sinks: ReadonlyMap<string, SinkCounters>;
  readonly control: TaskControl;
  readonly abort: AbortController;
  /** Aborted by `stop()`: sources end pending reads. */
  readonly stopping: AbortController;
  readonly deadLetters: DeadLetterQueue;
  /** Each stage's inputs, to report records in as the sum of what they emitted. */
  readonly inputs: ReadonlyMap<string, readonly string[]>;
  /** The fused segments, by the name of the task that runs them: what runs in one loop. */
  readonly segments: ReadonlyMap<string, readonly string[]>;
  /** Present when the pipeline takes checkpoints. */
  readonly checkpoints?: CheckpointCoordinator;
  /** What `graph()` returns. */
  readonly graph: PipelineGraph;
  /** Attached before the start, detached after the end. */
  readonly monitors: readonly PipelineMonitor[];
  /** How often the `stats` event (and what is derived from it) is published, in ms. */
  readonly statsIntervalMs: number;
}

/**
 * A built, checked pipeline. `run()` starts it and resolves when every source has ended and
 * every record has drained to the sinks; `stop()` ends an unbounded run gracefully (sources stop
 * pulling, in-flight records drain); the `signal` given to `createPipeline` cancels it (in-flight
 * records are dropped, `run()` rejects with `SLUICE_ERR_ABORTED`).
 *
 * @example
 * ```ts
 * const pipeline = createPipeline({ components: [fromArray(ticks, { name: 'ticks' }), ValidTicks, toArray(out, { name: 'out', from: 'valid' })] })
 * await pipeline.run()
 * console.log(pipeline.stats().sources.ticks.records)
 * ```
 * @see docs/concepts.md
 * @public
 */
export class Pipeline implements MonitoredPipeline {
  /** The pipeline's name. */
  readonly name: string;
  /** Records that stages rejected with `@OnError({ then: 'dead-letter' })`. */
  readonly deadLetters: DeadLetterQueue;
  /**
   * The pipeline's event bus: subscribe to `MonitoringEvents` by name, e.g.
   * `pipeline.events.on('limit-changed', (e) => ...)`. A listener that throws is isolated and
   * counted in `events.listenerErrors`; it never breaks the pipeline.
   */
  readonly events: MonitoringEventBus;
  private current: PipelineStats['state'] = 'created';

  private get state(): PipelineStats['state'] {
    return this.current;
  }

  // Every change of state is a `lifecycle` event.
  private set state(state: PipelineStats['state']) {
    if (state === this.current) return;
    this.current = state;
    if (state === 'created' || this.plan.control.events.listenerCount('lifecycle') === 0) return;
    const failed = state === 'failed' && this.failure !== undefined;
    const event: LifecycleEvent = {
      pipeline: this.name,
      state,
      ...(failed ? { error: { name: this.failure!.name, message: this.failure!.message, code: this.failure!.code } } : {}),
      at: this.plan.control.clock.now(),
    };
    this.plan.control.events.emit('lifecycle', event);
  }
  private startedAt = 0;
  private running: Promise<void> | undefined;
  private finished: Promise<void> | undefined;
  private failure: SluiceError | undefined;

  private readonly publisher: StatsPublisher;

  /** @internal Use `createPipeline`. */
  constructor(private readonly plan: PipelinePlan) {
    this.name = plan.name;
    this.deadLetters = plan.deadLetters;
    this.events = plan.control.events;
    this.publisher = new StatsPublisher(plan.control.events, () => this.stats(), plan.graph, plan.statsIntervalMs);
  }

  /**
   * Starts the pipeline (if `start()` was not called) and resolves with the final stats when
   * it has finished: all sources ended and drained, or `stop()` was called and the drain is done.
   * Rejects with the first failure (a `SluiceError` naming the stage, source or sink).
   */
  async run(): Promise<PipelineStats> {
    if (this.finished === undefined) await this.start();
    await this.finished;
    return this.stats();
  }

  /**
   * Calls every `onStart` hook and opens sources and sinks, then sets records moving and
   * returns; `run()` or `stop()` wait for the end.
   */
  async start(): Promise<void> {
    if (this.running !== undefined) {
      throw new SluiceError(ErrorCodes.INVALID_STATE, `Pipeline '${this.name}' was already started; build a new one to run again`);
    }
    this.running = this.launch();
    this.finished = this.running;
    // Starting may fail (a hook throws); the failure is reported by run()/start(), not as unhandled.
    this.finished.catch(() => undefined);
    await this.whenStarted;
  }

  /**
   * Stops gracefully: sources stop pulling, everything already read drains through the stages
   * to the sinks, then hooks run. Resolves when done (rejects if the drain failed).
   */
  async stop(): Promise<void> {
    this.plan.control.stopping = true;
    this.plan.stopping.abort();
    if (this.finished === undefined) {
      this.state = 'stopped';
      return;
    }
    if (this.state === 'running') this.state = 'draining';
    await this.finished;
  }

  /**
   * A snapshot of every counter, available at any time: the same as the `stats` event, with the
   * bottleneck found from the figures of the last second.
   */
  stats(): PipelineStats {
    const stats = this.counters();
    const bottleneck = findBottleneck(stats, this.plan.graph);
    return bottleneck === undefined ? stats : { ...stats, bottleneck };
  }

  private counters(): PipelineStats {
    const map = <C, S>(m: ReadonlyMap<string, C>, f: (c: C) => S) => Object.fromEntries([...m].map(([k, c]) => [k, f(c)]));
    return {
      state: this.state,
      at: this.plan.control.clock.now(),
      uptimeMs: this.startedAt === 0 ? 0 : (this.stoppedAt === 0 ? performance.now() : this.stoppedAt) - this.startedAt,
      sources: map(this.plan.sources, (c) => c.snapshot()),
      stages: Object.fromEntries([...this.plan.stages].map(([name, c]) => [name, c.snapshot(this.recordsIn(name))])),
      sinks: map(this.plan.sinks, (c) => c.snapshot()),
      channels: map(this.plan.channels, (c) => c.stats()),
      ...(this.plan.checkpoints === undefined ? {} : { checkpoints: this.plan.checkpoints.stats() }),
    };
  }

  private recordsIn(stage: string): number {
    let n = 0;
    for (const input of this.plan.inputs.get(stage) ?? [])
      n += this.plan.sources.get(input)?.records ?? this.plan.stages.get(input)?.recordsOut ?? 0;
    return n;
  }

  /** The pipeline's shape: its sources, stages and sinks, and the edges between them. */
  graph(): PipelineGraph {
    return this.plan.graph;
  }

  /** Which stages run fused in one loop, by segment: what the engine made of the graph. */
  segments(): Record<string, readonly string[]> {
    return Object.fromEntries(this.plan.segments);
  }

  /** @internal A task failed: cancel everything, reporting this failure (the first one wins). */
  fail(error: unknown, task: string): void {
    this.cancel(toSluiceError(error, task));
  }

  /** @internal Runs `fn` once the pipeline has finished, however it finished. */
  onFinished(fn: () => void): void {
    this.finishers.push(fn);
  }

  private readonly finishers: (() => void)[] = [];
  private stoppedAt = 0;

  private finish(): void {
    this.stoppedAt = performance.now();
    for (const fn of this.finishers.splice(0)) fn();
  }

  /** @internal Cancels at once: in-flight records are dropped. */
  cancel(reason: SluiceError): void {
    if (this.failure === undefined) this.failure = reason;
    const { control } = this.plan;
    if (control.cancelled) return;
    control.cancelled = true;
    control.stopping = true;
    this.plan.abort.abort(reason);
    for (const channel of this.plan.channels.values()) channel.discard();
  }

  private whenStarted: Promise<void> = Promise.resolve();

  private async launch(): Promise<void> {
    this.state = 'starting';
    this.startedAt = performance.now();
    let markStarted!: () => void;
    let markStartFailed!: (e: unknown) => void;
    this.whenStarted = new Promise<void>((resolve, reject) => {
      markStarted = resolve;
      markStartFailed = reject;
    });
    this.whenStarted.catch(() => undefined);
    const started: LifecycleHook[] = [];
    const attached: PipelineMonitor[] = [];
    try {
      for (const monitor of this.plan.monitors) {
        await attach(monitor, this);
        attached.push(monitor);
      }
      await this.plan.deadLetters.open(this.name);
      for (const hook of this.plan.hooks) {
        if (this.plan.control.cancelled) break;
        started.push(hook);
        if (hook.start !== undefined) await hook.start();
      }
      // Sources and sinks are open: rewind them and put the stages' state back before any record moves.
      if (!this.plan.control.cancelled) await this.plan.checkpoints?.restore();
    } catch (err) {
      this.cancel(
        SluiceError.is(err, ErrorCodes.LIFECYCLE_FAILED) ||
          SluiceError.is(err, ErrorCodes.SOURCE_FAILED) ||
          SluiceError.is(err, ErrorCodes.SINK_FAILED) ||
          SluiceError.is(err, ErrorCodes.CHECKPOINT_FAILED)
          ? err
          : new SluiceError(
              ErrorCodes.LIFECYCLE_FAILED,
              `Starting ${started.at(-1)?.label ?? 'the pipeline'} failed: ${err instanceof Error ? err.message : String(err)}`,
              {
                cause: err,
              },
            ),
      );
    }
    if (this.plan.control.cancelled) {
      await this.plan.deadLetters.close();
      await this.plan.checkpoints?.close();
      await this.stopHooks(started);
      this.finish();
      this.state = 'failed';
      this.publisher.stop();
      await this.detach(attached);
      markStartFailed(this.failure);
      throw this.failure;
    }
    this.state = this.plan.control.stopping ? 'draining' : 'running';
    markStarted();
    this.publisher.start();
    this.plan.checkpoints?.start();
    await Promise.all(
      this.plan.tasks.map((task) =>
        task.run().catch((err: unknown) => {
          this.fail(err, task.name);
        }),
      ),
    );
    this.plan.checkpoints?.stop();
    await this.plan.checkpoints?.settled();
    if (!this.plan.control.cancelled) {
      // Every task ended normally: the final checkpoint commits the sinks' last transactions.
      try {
        await this.plan.checkpoints?.finish();
      } catch (err) {
        this.fail(err, 'checkpoints');
      }
    }
    // Written even after a failure: the dead letters are what explains it.
    await this.plan.deadLetters.close();
    await this.plan.checkpoints?.close();
    await this.stopHooks(started);
    this.finish();
    this.state = this.failure !== undefined ? 'failed' : 'stopped';
    this.publisher.stop();
    await this.detach(attached);
    if (this.failure !== undefined) throw this.failure;
  }

  // A monitor that fails to detach must not turn a good run into a failed one: it is logged.
  private async detach(monitors: readonly PipelineMonitor[]): Promise<void> {
    for (const monitor of [...monitors].reverse()) {
      try {
        await monitor.detach?.();
      } catch (err) {
        console.warn(
          `Sluice: monitor '${monitor.name}' of pipeline '${this.name}' failed to detach: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
  }

  private async stopHooks(hooks: readonly LifecycleHook[]): Promise<void> {
    for (const hook of [...hooks].reverse()) {
      try {
        if (hook.stop !== undefined) await hook.stop();
      } catch (err) {
        if (this.failure === undefined) {
          this.failure = new SluiceError(
            ErrorCodes.LIFECYCLE_FAILED,
            `Stopping ${hook.label} failed: ${err instanceof Error ? err.message : String(err)}`,
            {
              cause: err,
            },
          );
        }
      }
    }
  }
}

async function attach(monitor: PipelineMonitor, pipeline: Pipeline): Promise<void> {
  try {
    await monitor.attach(pipeline);
  } catch (err) {
    throw new SluiceError(
      ErrorCodes.LIFECYCLE_FAILED,
      `Monitor '${monitor.name}' of pipeline '${pipeline.name}' failed to attach: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err, details: { monitor: monitor.name } },
    );
  }
}

function toSluiceError(err: unknown, task: string): SluiceError {
  if (err instanceof PipelineFailure) return err.error;
  if (SluiceError.is(err)) return err;
  return new SluiceError(ErrorCodes.STAGE_FAILED, `'${task}' failed: ${err instanceof Error ? err.message : String(err)}`, {
    cause: err,
    details: { task },
  });
}
