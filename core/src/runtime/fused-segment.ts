import type { StageKind } from '@sluice/sdk';
import type { KeyedAggregateOperator } from './keyed-aggregate-operator.js';
import type { KeyedReduceOperator } from './keyed-reduce-operator.js';
import type { WindowingOperator } from './windows/windowing-operator.js';
import { NO_OUTPUT } from './no-output.js';
import type { OutBuffer } from './out-buffer.js';
import type { RecordCursor } from './record-cursor.js';
import type { StageContextImpl } from './stage-context-impl.js';
import type { StageCounters } from './stage-counters.js';
import type { StageErrorHandler } from './stage-error-handler.js';

/** @internal A synchronous stage placed in a fused segment, with what its generated code calls. */
export interface FusedStage {
  readonly name: string;
  /** `window`: an aggregate stage or a whole-window function with `@Window`. */
  readonly kind: Exclude<StageKind, 'enrich' | 'windowFunction'> | 'window';
  readonly instance: Record<string, (...args: never[]) => unknown>;
  readonly handler: StageErrorHandler;
  readonly counters: StageCounters;
  /** For `process` stages. */
  readonly context: StageContextImpl | undefined;
  /** For `aggregate` and `reduce` stages. */
  readonly operator: KeyedAggregateOperator | KeyedReduceOperator | WindowingOperator | undefined;
  readonly children: SegmentTarget[];
  /** For window stages whose late-data output is read: the late output's stage. */
  readonly late?: SegmentTarget[];
}

/** @internal Where a record goes next inside a segment: a fused stage or a channel's buffer. */
export type SegmentTarget = { readonly stage: FusedStage } | { readonly out: OutBuffer };

/** @internal The compiled form of a fused segment. */
export interface FusedSegment {
  /**
   * Pushes one batch through every fused stage, then the batch's watermark: windows it closes
   * fire, and it is handed on to the segment's outputs. `positions` is a base ordinal or one
   * per record.
   */
  run(values: readonly unknown[], times: readonly number[] | undefined, positions: number | readonly number[], watermark: number): void;
  /** End of input: lets buffering stages emit what they hold, in upstream-to-downstream order. */
  flush(): void;
  /**
   * The earliest processing time at which a stage of the segment has work (a processing-time
   * window to close, a processing-time timer), or Infinity. The task wakes up then even without
   * input.
   */
  nextProcessingTime(): number;
  /** Processing time has reached `now`: runs what is due; results land in the outputs. */
  onProcessingTime(now: number): void;
  /** Whether any stage of the segment ever needs processing time (else the task never asks). */
  readonly usesProcessingTime: boolean;
  /** The stages fused here (late outputs included): what a checkpoint snapshots. */
  readonly stages: readonly FusedStage[];
  /**
   * Whether records are parked in front of a stage for a retry or a paused circuit breaker. The
   * batch's watermark is then held back until they have gone on: the task waits until
   * `nextDue()` on its clock and calls `resume` (see `resumeParked`) before anything else.
   */
  parked(): boolean;
  /** The earliest clock time at which a parked record may run (Infinity when none is parked). */
  nextDue(): number;
  /**
   * Runs the parked records that are due at `now`, each from the stage where it was parked on,
   * in order, upstream stages first; releases the held watermark once none is parked.
   */
  resume(now: number): void;
}

const FAILED = Symbol('sluice:failed');

/**
 * @internal Generates one function whose loop calls each fused stage's method in sequence for
 * every record of a batch (as Flink chains operators), so records cross no queue, promise or
 * per-record allocation between synchronous stages. Each stage call has its own try/catch so
 * a throw is charged to the right stage and its `@OnError` policy; V8 optimises these freely.
 * Stages that emit several records (`flatMap`, `process`) call a generated continuation.
 *
 * A stage whose `@OnError` may retry or has a circuit breaker is *gated*: one field read per
 * record (`blocked`), true only while records are parked in front of it. A retry parks the
 * record in the stage's handler and the loop goes on (later records of that stage queue behind
 * it, upstream stages and other branches run as usual); the batch's watermark is held, and the
 * task waits on the clock and calls `resume`, which runs the parked records from their stage on
 * through a generated per-stage function `R<j>`. Ungated stages get exactly the code they had.
 */
export function compileSegment(roots: readonly SegmentTarget[]): FusedSegment {
  const stages: FusedStage[] = [];
  const outs: OutBuffer[] = [];
  const decls: string[] = [];
  const flushes: string[] = [];
  const advances: string[] = [];
  const nextTimes: string[] = [];
  const onTimes: string[] = [];
  let unique = 0;
  const gated = new Set<number>();
  const declared = new Set<number>();
  const counted = new Set<number>();

  const indexOfStage = (s: FusedStage) => {
    let i = stages.indexOf(s);
    if (i < 0) i = stages.push(s) - 1;
    return i;
  };

  // `at` is the expression for the record's index in the batch: the loop's own `i` on the hot
  // path, or `I` (set before calling out) inside continuations.
  const gen = (targets: readonly SegmentTarget[], x: string, at: string): string => targets.map((t) => genTarget(t, x, at)).join('\n');

  const genTarget = (t: SegmentTarget, x: string, at: string): string => {
    if ('out' in t) {
      let k = outs.indexOf(t.out);
      if (k < 0) k = outs.push(t.out) - 1;
      return `O${k}.add(${x}, pos(${at}), time(${at}));`;
    }
    const s = t.stage;
    const j = indexOfStage(s);
    const code = genStage(s, j, x, at);
    if (!s.handler.gated) return code;
    // A stage that may retry or has a circuit breaker: while records are parked in front of it
    // (or the breaker is not closed) new ones queue behind them, so its order is kept.
    gated.add(j);
    return `if (!H${j}.blocked || H${j}.admit(${x}, pos(${at}), time(${at}))) { ${code} }`;
  };

  const genStage = (s: FusedStage, j: number, x: string, at: string): string => {
    const u = unique++;
    // A stage's children are generated twice for aggregates (inline and in the flush
    // continuation): declare each continuation and flush step once, parents before children.
    const first = !declared.has(j);
    declared.add(j);
    // Counting on the hot path goes to locals, added to the stage's counters once per batch.
    const count = at === 'i' && s.kind !== 'process' && s.kind !== 'flatMap' ? `c${j}++;` : `SC${j}.recordsOut++;`;
    if (count.startsWith('c')) counted.add(j);
    const onError = (input: string) => `catch (e) { H${j}.handle(e, ${input}, pos(${at}), time(${at})); }`;
    // The half-open breaker's probe returned: close the breaker (stages with a breaker only).
    const ok = s.handler.breaker === undefined ? '' : ` if (H${j}.probing) H${j}.probeSucceeded();`;
    const continuation = () => {
      if (first) decls.push(`const K${j} = function (v) { SC${j}.recordsOut++; ${gen(s.children, 'v', 'I')} };`);
    };
    switch (s.kind) {
      case 'filter':
        return `{ let f${u}; try { f${u} = S${j}.filter(${x});${ok} } catch (e) { H${j}.handle(e, ${x}, pos(${at}), time(${at})); f${u} = false; }
if (f${u}) { ${count} ${gen(s.children, x, at)} } }`;
      case 'map':
        return `{ let m${u} = FAILED; try { m${u} = S${j}.map(${x});${ok} } ${onError(x)}
if (m${u} !== FAILED) { ${count} ${gen(s.children, `m${u}`, at)} } }`;
      case 'flatMap':
        continuation();
        return `{ let r${u} = FAILED; try { r${u} = S${j}.flatMap(${x}); if (!Array.isArray(r${u})) r${u} = Array.from(r${u});${ok} } catch (e) { r${u} = FAILED; H${j}.handle(e, ${x}, pos(${at}), time(${at})); }
if (r${u} !== FAILED) { I = ${at}; for (let q = 0; q < r${u}.length; q++) K${j}(r${u}[q]); } }`;
      case 'process': {
        const keyed = s.context?.keyed === true;
        if (first && keyed) {
          // Keyed stages own timers: event-time ones fire as the watermark passes them (and all
          // at end of input), processing-time ones when the segment's task is woken for them.
          const timers = `T = C${j}.timerTime; P = -1; I = 0;`;
          const guard = (call: string) => `try { ${call} } catch (e) { H${j}.handleEnd(e, undefined); }`;
          decls.push(`C${j}.onError = (e, v) => H${j}.handleEnd(e, v);`);
          advances.push(`${timers} ${guard(`C${j}.fireEventTimers(WM, S${j});`)}`);
          flushes.push(`${timers} ${guard(`C${j}.fireEventTimersAtEnd(S${j});`)} T = undefined;`);
          nextTimes.push(`C${j}.nextProcessingTime()`);
          onTimes.push(`${timers} ${guard(`C${j}.fireProcessingTimers(now, S${j});`)}`);
        }
        if (first) {
          flushes.push(
            `if (typeof S${j}.flush === 'function') { C${j}.current = undefined; try { S${j}.flush(C${j}); } catch (e) { H${j}.handleEnd(e, undefined); } }`,
          );
        }
        continuation();
        if (first) decls.push(`C${j}.emit = K${j}; C${j}.cursor = cursor;`);
        // Only a keyed stage's context keeps the record (for ctx.key): storing it would make it
        // escape, and V8 could no longer elide the allocation of a record that dies here.
        return `${keyed ? `C${j}.current = ${x}; ` : ''}I = ${at}; try { S${j}.process(${x}, C${j});${ok} } ${onError(x)}`;
      }
      case 'window':
        if (first) {
          // Results carry the window's last instant as event time, and no source position.
          flushes.push(`T = A${j}.resultTime; P = -1; I = 0; try { A${j}.flush(); } catch (e) { H${j}.handleEnd(e, undefined); }`);
          advances.push(`T = A${j}.resultTime; P = -1; I = 0; try { A${j}.advance(WM); } catch (e) { H${j}.handleEnd(e, undefined); }`);
          if (typeof (s.operator as WindowingOperator).nextProcessingTime === 'function') {
            nextTimes.push(`A${j}.nextProcessingTime()`);
            onTimes.push(
              `T = A${j}.resultTime; P = -1; I = 0; try { A${j}.onProcessingTime(now); } catch (e) { H${j}.handleEnd(e, undefined); }`,
            );
          }
        }
        if (first) {
          // Results, updates emitted while a late record is added included, carry the window's
          // last instant as event time and no source position; the record's own are restored after.
          decls.push(
            `const K${j} = function (v) { SC${j}.recordsOut++; const t = T, p = P, i = I; T = A${j}.resultTime; P = -1; I = 0; ${gen(s.children, 'v', 'I')} T = t; P = p; I = i; };`,
          );
          decls.push(`A${j}.emit = K${j}; A${j}.onError = (e, v) => H${j}.handleEnd(e, v);`);
        }
        // Late records keep their own event time and position (I is the record's index).
        if (first && s.late !== undefined) decls.push(`A${j}.emitLate = function (v) { ${gen(s.late, 'v', 'I')} };`);
        return `I = ${at}; try { A${j}.add(${x}, time(${at}));${ok} } ${onError(x)}`;
      case 'aggregate':
      case 'reduce': {
        if (first) {
          decls.push(`A${j}.onError = (e, v) => H${j}.handleEnd(e, v);`);
          flushes.push(`try { A${j}.flush(K${j}); } catch (e) { H${j}.handleEnd(e, undefined); }`);
        }
        const inline = gen(s.children, `a${u}`, at);
        continuation();
        return `{ let a${u} = FAILED; try { a${u} = A${j}.add(${x});${ok} } ${onError(x)}
if (a${u} !== FAILED && a${u} !== NO_OUTPUT) { ${count} ${inline} } }`;
      }
    }
  };

  const body = gen(roots, 'x', 'i');
  const locals = counted.size === 0 ? '' : `let ${[...counted].map((j) => `c${j} = 0`).join(', ')};`;
  const totals = [...counted].map((j) => `SC${j}.recordsOut += c${j};`).join(' ');
  // Gated stages in pre-order (parents before children): resume drains upstream queues first.
  const order = [...gated].sort((a, b) => a - b);
  // A parked record runs again from its stage on: the stage's code for one record at index 0 of
  // the scratch arrays RT/RP (set to its event time and position).
  const resumers = order.map((j) => `function R${j}(x) { ${genStage(stages[j]!, j, 'x', '0')} }`);
  const parked = order.length === 0 ? 'false' : order.map((j) => `H${j}.parked`).join(' || ');
  const bindings = [
    ...stages.map(
      (_, j) =>
        `const S${j} = stages[${j}].instance, H${j} = stages[${j}].handler, SC${j} = stages[${j}].counters, C${j} = stages[${j}].context, A${j} = stages[${j}].operator;`,
    ),
    ...outs.map((_, k) => `const O${k} = outs[${k}];`),
  ];
  const source = `"use strict";
let T, P, I = 0, HW;
const RT = [NaN], RP = [0];
function pos(i) { return typeof P === 'number' ? P + i : P[i]; }
function time(i) { return T === undefined ? NaN : T[i]; }
const cursor = { position: () => pos(I), time: () => time(I) };
${bindings.join('\n')}
${decls.join('\n')}
${resumers.join('\n')}
function run(V, times, positions, WM) {
  T = times; P = positions;
  ${locals}
  try {
    for (let i = 0, n = V.length; i < n; i++) {
      const x = V[i];
${body}
    }
  } finally {
    ${totals}
  }
  ${order.length === 0 ? '' : 'if (parked()) { HW = WM; return; }'}
  advance(WM);
}
function advance(WM) {
${advances.join('\n')}
  ${order.length === 0 ? '' : 'if (parked()) { HW = WM; return; }'}
${outs.map((_, k) => `O${k}.watermark = WM;`).join(' ')}
}
function parked() {
  return ${parked};
}
function nextDue() {
  return ${order.length === 0 ? 'Infinity' : `Math.min(${order.map((j) => `H${j}.nextDue()`).join(', ')})`};
}
function resume(now) {
  T = RT; P = RP;
  try {
${order.map((j) => `    H${j}.beginResume();`).join('\n')}
${order.map((j) => `    for (let r = H${j}.next(now); r !== undefined; r = H${j}.next(now)) { RT[0] = r.time; RP[0] = r.position; I = 0; R${j}(r.value); }`).join('\n')}
  } finally {
    T = undefined; P = -1; I = 0;
  }
  if (HW !== undefined && !parked()) {
    // Every held record has gone on: the held watermark may pass (windows it closes fire now).
    const w = HW;
    HW = undefined;
    advance(w);
  }
}
function flush() {
  T = undefined; P = -1; I = 0;
${flushes.join('\n')}
}
function nextProcessingTime() {
  return ${nextTimes.length === 0 ? 'Infinity' : `Math.min(${nextTimes.join(', ')})`};
}
function onProcessingTime(now) {
${onTimes.join('\n')}
}
return { run, flush, nextProcessingTime, onProcessingTime, usesProcessingTime: ${nextTimes.length > 0}, parked, nextDue, resume, stages };`;
  // The generated code sees only what is passed here; nothing of the user's is evaluated as code.
  if (process.env.SLUICE_DEBUG_CODEGEN) console.error(source);
  const factory = new Function('stages', 'outs', 'FAILED', 'NO_OUTPUT', source) as (
    stages: FusedStage[],
    outs: OutBuffer[],
    failed: symbol,
    noOutput: symbol,
  ) => FusedSegment;
  return factory(stages, outs, FAILED, NO_OUTPUT);
}

/** @internal For diagnostics and tests: the stages a segment fuses, in order. */
export function fusedStageNames(roots: readonly SegmentTarget[]): string[] {
  const names: string[] = [];
  const walk = (ts: readonly SegmentTarget[]) => {
    for (const t of ts) {
      if ('stage' in t) {
        names.push(t.stage.name);
        walk(t.stage.children);
      }
    }
  };
  walk(roots);
  return names;
}

export type { RecordCursor };
