import { DEFAULT_VARIANT, VARIANTS } from './workload/workload-variant.js';

export const IMPLEMENTATIONS = [
  'plain-loop',
  'sluice',
  'sluice-limited',
  'sluice-basic',
  'sluice-monitored',
  'sluice-window',
  'sluice-checkpoints',
  'rxjs',
  'node-streams',
] as const;
/**
 * What runs without --impl: `sluice-checkpoints` (the checkpoint overhead), `sluice-limited` (a
 * rate limiter's overhead), `sluice-basic` and `sluice-monitored` (the monitoring overhead) only on request.
 */
export const DEFAULT_IMPLEMENTATIONS: readonly string[] = IMPLEMENTATIONS.filter(
  (i) => i !== 'sluice-checkpoints' && i !== 'sluice-limited' && i !== 'sluice-basic' && i !== 'sluice-monitored',
);
export const BASELINE = 'plain-loop';

/** Reference checksums from BENCH.md, by n (for the `tumbling` variant, BENCH.md's workload). */
export const EXPECTED_CHECKSUMS: ReadonlyMap<number, string> = new Map([
  [2_000_000, 'w40000:c1899943:v475953621:p102042772419:o10205275167'],
]);

export interface BenchOptions {
  readonly n: number;
  readonly runs: number;
  /** Always starts with the baseline, then the selected impls in canonical order. */
  readonly impls: readonly string[];
  readonly json: boolean;
  /** A `WorkloadVariant` name. */
  readonly variant: string;
}

export const USAGE = `usage: main.js [--n N] [--runs R] [--impl ${IMPLEMENTATIONS.join(',')}] [--variant ${VARIANTS.map((v) => v.name).join('|')}] [--json]`;

function positiveInt(flag: string, value: string | undefined): number {
  const v = Number(value?.replaceAll('_', ''));
  if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`${flag} needs a positive integer, got ${value}`);
  return v;
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let n = 10_000_000;
  let runs = 3;
  let selected: readonly string[] = DEFAULT_IMPLEMENTATIONS;
  let json = false;
  let variant = DEFAULT_VARIANT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--n') n = positiveInt(arg, argv[++i]);
    else if (arg === '--runs') runs = positiveInt(arg, argv[++i]);
    else if (arg === '--json') json = true;
    else if (arg === '--variant') {
      const name = argv[++i] ?? '';
      if (!VARIANTS.some((v) => v.name === name)) throw new Error(`--variant: unknown variant ${name || '(none given)'}`);
      variant = name;
    } else if (arg === '--impl') {
      const list = (argv[++i] ?? '').split(',').filter((s) => s !== '');
      const unknown = list.filter((s) => !(IMPLEMENTATIONS as readonly string[]).includes(s));
      if (list.length === 0 || unknown.length > 0) {
        throw new Error(`--impl: unknown implementation(s) ${unknown.join(',') || '(none given)'}`);
      }
      selected = list;
    } else throw new Error(`unknown argument ${arg}`);
  }
  const impls = IMPLEMENTATIONS.filter((name) => name === BASELINE || selected.includes(name));
  return { n, runs, impls, json, variant };
}
