import {
  ErrorCodes,
  getStageMetadata,
  getWindowMetadata,
  SluiceError,
  type DeadLetter,
  type StageStats,
  type StateBackend,
} from '@sluice/sdk';
import { assemble, type Assembly } from '../assembly/assemble.js';
import { fromArray } from '../connectors/from-array.js';
import { toArray } from '../connectors/to-array.js';
import type { ComponentClass, ComponentRef } from '../discovery/component-ref.js';
import type { Provider } from '../discovery/provider.js';
import { LATE_SUFFIX } from '../graph/late-outputs.js';
import { compileSegment, type FusedSegment } from '../runtime/fused-segment.js';
import type { OutBuffer } from '../runtime/out-buffer.js';
import { PipelineFailure } from '../runtime/pipeline-failure.js';
import { VirtualClock } from './virtual-clock.js';

/** Options of {@link StageHarness.create}. @public */
export interface StageHarnessOptions {
  /** Services for the stage's constructor injection. */
  providers?: readonly Provider[];
  /** The processing-time clock (default: a new `VirtualClock` at 0); retries wait on it too. */
  clock?: VirtualClock;
  /** Random numbers in [0, 1) for retry jitter (default `Math.random`). */
  random?: () => number;
  /** Where the stage's keyed state lives (default: a new `MemoryStateBackend`). */
  stateBackend?: StateBackend;
}

/** A record the stage emitted, with the event time the engine gave it. @public */
export interface HarnessRecord<Out> {
  readonly value: Out;
  /** Undefined when the record has none (e.g. emitted by a processing-time timer). */
  readonly eventTime: number | undefined;
}

const INPUT = 'harness-input';
const OUTPUT = 'harness-output';
const LATE = 'harness-late';

/**
 * Runs one synchronous stage class (filter, map, flatMap, process, aggregate, reduce, or a
 * `@Window` stage) on the engine's own operators, step by step and synchronously, as Flink's
 * operator test harnesses do: push records with event times, move the watermark, move
 * processing time on a {@link VirtualClock}, end the input — then assert what came out. Nothing
 * depends on how fast the machine is.
 *
 * @example
 * ```ts
 * const h = StageHarness.create<Tick, WindowResult<Candle>>(Candles)
 * h.push(tick(1_000, 'AAPL', 10), 1_000).push(tick(1_500, 'AAPL', 11), 1_500)
 * h.watermark(2_000)      // closes [1000, 2000)
 * t.deepEqual(h.take().map((r) => r.value.close), [11])
 * ```
 * @see docs/windows.md
 * @public
 */
export class StageHarness<In = unknown, Out = unknown> {
  /** The clock that processing time follows; move it with {@link advanceProcessingTime}. */
  readonly clock: VirtualClock;
  private readonly segment: FusedSegment;
  private readonly outs: OutBuffer[] = [];
  private readonly emitted: HarnessRecord<Out>[] = [];
  private readonly lateRecords: HarnessRecord<In>[] = [];
  private currentWatermark = -Infinity;
  private position = 0;
  private ended = false;
  private failure: unknown;

  private constructor(
    private readonly assembly: Assembly,
    private readonly stageName: string,
    clock: VirtualClock,
  ) {
    this.clock = clock;
    const node = assembly.graph.get(stageName);
    assembly.onFail((error) => {
      this.failure ??= error;
    });
    this.segment = compileSegment([{ stage: assembly.fusedStage(node, this.outs) }]);
  }

  /** Builds a harness around `stage` (a `@Stage` class, with its `@Window`/`@OnError` if any). */
  static create<In = unknown, Out = unknown>(stage: ComponentClass, options: StageHarnessOptions = {}): StageHarness<In, Out> {
    const meta = getStageMetadata(stage);
    if (meta === undefined) {
      throw new SluiceError(
        ErrorCodes.INVALID_OPTION,
        `StageHarness.create: ${stage.name} has no @Stage decorator; the harness runs one stage class`,
        {
          details: { class: stage.name },
        },
      );
    }
    const clock = options.clock ?? new VirtualClock(0);
    const components: ComponentRef[] = [
      fromArray<unknown>([], { name: INPUT }),
      stage,
      toArray<unknown>([], { name: OUTPUT, from: meta.name }),
    ];
    const late = !hasLateOutput(stage) ? [] : [toArray([], { name: LATE, from: `${meta.name}${LATE_SUFFIX}` })];
    const assembly = assemble(
      {
        name: `harness of ${stage.name}`,
        components: [...components, ...late],
        providers: options.providers,
        edges: { [meta.name]: INPUT },
        clock,
        random: options.random,
        stateBackend: options.stateBackend,
      },
      Number.MAX_SAFE_INTEGER,
    );
    const node = assembly.graph.get(meta.name);
    if (node.kind === 'enrich') {
      throw new SluiceError(
        ErrorCodes.INVALID_OPTION,
        `StageHarness.create: ${stage.name} is an enrich stage (async); the harness drives synchronous stages step by step. Test it through createPipeline`,
        { details: { class: stage.name } },
      );
    }
    return new StageHarness<In, Out>(assembly, meta.name, clock);
  }

  /** Processes one record; `eventTime` is what a source's `eventTime` option would give it. */
  push(value: In, eventTime?: number): this {
    this.check('push');
    this.run(() => this.segment.run([value], [eventTime ?? Number.NaN], this.position++, this.currentWatermark));
    return this;
  }

  /** Processes records as one batch, as a source delivers them. */
  pushAll(values: readonly In[], eventTime?: (value: In) => number): this {
    this.check('pushAll');
    const times = values.map((v) => (eventTime === undefined ? Number.NaN : eventTime(v)));
    this.run(() => this.segment.run(values, times, this.position, this.currentWatermark));
    this.position += values.length;
    return this;
  }

  /** Moves the watermark to `time`: windows it closes fire, event-time timers it passes fire. */
  watermark(time: number): this {
    this.check('watermark');
    if (!(time >= this.currentWatermark)) {
      throw new SluiceError(
        ErrorCodes.INVALID_OPTION,
        `StageHarness.watermark(${String(time)}): the watermark is already ${this.currentWatermark} and never goes back`,
      );
    }
    this.currentWatermark = time;
    this.run(() => this.segment.run([], [], this.position, time));
    return this;
  }

  /** Moves processing time forward by `ms`: processing-time windows and timers due by then fire. */
  advanceProcessingTime(ms: number): this {
    return this.setProcessingTime(this.clock.now() + ms);
  }

  /**
   * Moves processing time to `time`: processing-time windows and timers due by then fire, and
   * records parked for a retry (`@OnError({ retry })`) or a paused circuit breaker run again when due.
   */
  setProcessingTime(time: number): this {
    this.check('setProcessingTime');
    this.clock.set(time);
    this.run(() => {
      if (this.segment.nextProcessingTime() <= time) this.segment.onProcessingTime(time);
      while (this.segment.parked() && this.segment.nextDue() <= time) this.segment.resume(time);
    });
    return this;
  }

  /** Whether records wait for a retry or a paused circuit breaker (move processing time on to run them). */
  get parked(): boolean {
    return this.segment.parked();
  }

  /** Ends the input: remaining event-time timers and windows fire, and `flush` runs. */
  end(): this {
    this.check('end');
    this.ended = true;
    this.run(() => this.segment.flush());
    return this;
  }

  /** The values emitted so far (and not taken). */
  get output(): Out[] {
    return this.emitted.map((r) => r.value);
  }

  /** The records emitted so far (and not taken), with their event times. */
  get records(): readonly HarnessRecord<Out>[] {
    return this.emitted;
  }

  /** Returns the values emitted since the last `take`, and forgets them. */
  take(): Out[] {
    const values = this.output;
    this.emitted.length = 0;
    return values;
  }

  /** Records a window stage received after its allowed lateness (its `late` output). */
  get late(): In[] {
    return this.lateRecords.map((r) => r.value);
  }

  /** Records that failed under an `@OnError({ then: 'dead-letter' })` policy. */
  get deadLetters(): readonly DeadLetter[] {
    return this.assembly.deadLetters.records();
  }

  /** The current watermark. */
  get currentEventTime(): number {
    return this.currentWatermark;
  }

  /** The stage's counters, as `pipeline.stats().stages[name]` shows them. */
  stats(): StageStats {
    const counters = this.assembly.stageCounters.get(this.stageName)!;
    return counters.snapshot(this.position);
  }

  private run(step: () => void): void {
    try {
      step();
    } catch (err) {
      // A stage failing under its 'fail' policy: surface the error a pipeline would fail with.
      throw err instanceof PipelineFailure ? err.error : err;
    } finally {
      this.collect();
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private collect(): void {
    for (const out of this.outs) {
      if (out.size === 0) continue;
      const batch = out.take();
      const target = (out.channel.name === LATE ? this.lateRecords : this.emitted) as HarnessRecord<unknown>[];
      for (let i = 0; i < batch.values.length; i++) {
        const t = batch.times[i]!;
        target.push({ value: batch.values[i], eventTime: Number.isNaN(t) ? undefined : t });
      }
    }
  }

  private check(step: string): void {
    if (this.failure !== undefined)
      throw new SluiceError(ErrorCodes.STAGE_FAILED, `StageHarness.${step}: the stage has failed already`, { cause: this.failure });
    if (this.ended) throw new SluiceError(ErrorCodes.INVALID_OPTION, `StageHarness.${step}: the input has ended (end() was called)`);
  }
}

// A window stage whose late records go to a side output gets a sink for them, so that they
// can be asserted on (and are routed exactly as `from: '<stage>:late'` routes them).
function hasLateOutput(stage: ComponentClass): boolean {
  const window = getWindowMetadata(stage);
  return window !== undefined && (window.late ?? 'side-output') === 'side-output';
}
