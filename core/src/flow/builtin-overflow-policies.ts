import type { OverflowDecision, OverflowOptions, OverflowPolicy, OverflowPolicyProvider } from '@sluice/sdk';

// Built-in policies are stateless: the buffer tells them how far into an overload a record is.
const fixed = (decision: OverflowDecision): OverflowPolicy => ({ decide: () => decision });

// The three fixed policies read no option; `every` belongs to `sample`.
const noEvery = (name: string, options: Readonly<OverflowOptions>): void => {
  if (options.every !== undefined) throw new Error(`option "every" applies only to policy 'sample', not '${name}'`);
};

/**
 * @internal `sample`: while the buffer is full, keep the 1st of every `every` records pushed (it
 * takes the place of the oldest buffered record) and drop the others.
 */
function samplePolicy(options: Readonly<OverflowOptions>): OverflowPolicy {
  const every = options.every;
  if (every === undefined)
    throw new Error('option "every" is required: keep 1 record in every N (an integer >= 2) while the buffer is full');
  return { decide: (overflowed) => (overflowed % every === 0 ? 'drop-oldest' : 'drop-newest') };
}

/** @internal The overflow policies core binds under OVERFLOW_POLICY, by name. */
export const BUILTIN_OVERFLOW_POLICIES: readonly OverflowPolicyProvider[] = [
  { name: 'block', create: (o) => (noEvery('block', o), fixed('wait')) },
  { name: 'drop-oldest', create: (o) => (noEvery('drop-oldest', o), fixed('drop-oldest')) },
  { name: 'drop-newest', create: (o) => (noEvery('drop-newest', o), fixed('drop-newest')) },
  { name: 'sample', create: samplePolicy },
];
