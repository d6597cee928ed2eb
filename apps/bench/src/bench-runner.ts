import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BASELINE, EXPECTED_CHECKSUMS, type BenchOptions } from './bench-options.js';
import type { RunResult } from './run-result.js';
import { DEFAULT_VARIANT } from './workload/workload-variant.js';

const execFileAsync = promisify(execFile);
const RUN_ONE = fileURLToPath(new URL('./run-one.js', import.meta.url));

export type RunOne = (impl: string, n: number, variant: string) => Promise<RunResult>;

export interface NumberedRun extends RunResult {
  /** 1-based. */
  readonly run: number;
  /** This run's events/s ÷ the same run's baseline events/s. */
  readonly ratio: number;
}

export interface ImplSummary {
  readonly impl: string;
  readonly medianEventsPerSec: number;
  /** Median events/s ÷ the baseline's median events/s. */
  readonly ratio: number;
  readonly checksum: string;
  /** The largest peak RSS over this implementation's runs. */
  readonly peakRssMb: number;
  /** The largest peak V8 heap in use over its runs. */
  readonly peakHeapMb: number;
  /** The largest heap in use after a full GC over its runs; null when no run had one. */
  readonly liveHeapMb: number | null;
  /** Each run's own report (e.g. its checkpoints), when it gives one. */
  readonly details: readonly string[];
}

/** Runs one implementation in a fresh Node process and parses its JSON line. */
export const spawnRunOne: RunOne = async (impl, n, variant) => {
  try {
    const { stdout } = await execFileAsync(process.execPath, [RUN_ONE, impl, String(n), variant], {
      maxBuffer: 1 << 20,
    });
    const line = stdout.trim().split('\n').at(-1) ?? '';
    return JSON.parse(line) as RunResult;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`implementation ${impl} failed${stderr ? `:\n${stderr}` : `: ${String(err)}`}`);
  }
};

/** Interleaved: run 1 of every impl, then run 2, … so machine drift hits all alike. */
export async function runBench(options: BenchOptions, runOne: RunOne = spawnRunOne): Promise<NumberedRun[]> {
  const out: NumberedRun[] = [];
  for (let run = 1; run <= options.runs; run++) {
    const results: RunResult[] = [];
    for (const impl of options.impls) results.push(await runOne(impl, options.n, options.variant));
    const base = results.find((r) => r.impl === BASELINE);
    if (base === undefined) throw new Error(`the baseline ${BASELINE} must be among the implementations`);
    for (const r of results) out.push({ ...r, run, ratio: r.eventsPerSec / base.eventsPerSec });
  }
  return out;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function summarize(runs: readonly NumberedRun[]): ImplSummary[] {
  const impls = [...new Set(runs.map((r) => r.impl))];
  const runsOf = (impl: string) => runs.filter((r) => r.impl === impl);
  const baseline = median(runsOf(BASELINE).map((r) => r.eventsPerSec));
  return impls.map((impl) => {
    const mine = runsOf(impl);
    const medianEventsPerSec = median(mine.map((r) => r.eventsPerSec));
    return {
      impl,
      medianEventsPerSec,
      ratio: medianEventsPerSec / baseline,
      checksum: mine[0]!.checksum,
      peakRssMb: Math.max(...mine.map((r) => r.rssMb)),
      peakHeapMb: Math.max(...mine.map((r) => r.heapMb)),
      liveHeapMb: mine.reduce<number | null>((max, r) => (r.liveHeapMb === null ? max : Math.max(max ?? 0, r.liveHeapMb)), null),
      details: mine.flatMap((r) => (r.detail === undefined ? [] : [r.detail])),
    };
  });
}

/**
 * Every run must agree with the baseline's first run, and with BENCH.md where it
 * gives a reference for this n. Returns one message per problem (empty when all match).
 */
export function checksumErrors(runs: readonly NumberedRun[], n: number, variant: string): string[] {
  const errors: string[] = [];
  const expected = variant === DEFAULT_VARIANT ? EXPECTED_CHECKSUMS.get(n) : undefined;
  const reference = expected ?? runs.find((r) => r.impl === BASELINE)?.checksum;
  const source = expected !== undefined ? 'BENCH.md' : BASELINE;
  for (const r of runs) {
    if (r.checksum !== reference) {
      errors.push(`checksum mismatch: ${r.impl} run ${r.run} gave ${r.checksum}, ${source} expects ${reference}`);
    }
  }
  return errors;
}
