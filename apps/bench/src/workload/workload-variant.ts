/**
 * One shape of the tick workload. `tumbling` is BENCH.md's; the others change one parameter
 * each. Every implementation runs every variant, and all must agree on its checksum.
 */
export interface WorkloadVariant {
  readonly name: string;
  /** Distinct symbols (window keys). */
  readonly symbols: number;
  /** Window length in ms of event time. */
  readonly sizeMs: number;
  /** Distance between window starts; equal to `sizeMs` for tumbling windows. */
  readonly slideMs: number;
  readonly description: string;
}

export const VARIANTS: readonly WorkloadVariant[] = [
  { name: 'tumbling', symbols: 200, sizeMs: 1000, slideMs: 1000, description: 'BENCH.md: 200 symbols, 1 s tumbling windows' },
  { name: 'sliding', symbols: 200, sizeMs: 10_000, slideMs: 1000, description: '200 symbols, 10 s windows every 1 s' },
  { name: 'keys100k', symbols: 100_000, sizeMs: 1000, slideMs: 1000, description: '100,000 symbols, 1 s tumbling windows' },
];

export const DEFAULT_VARIANT = 'tumbling';

export function variantNamed(name: string): WorkloadVariant {
  const v = VARIANTS.find((x) => x.name === name);
  if (v === undefined) throw new Error(`unknown variant ${name} (one of ${VARIANTS.map((x) => x.name).join(', ')})`);
  return v;
}
