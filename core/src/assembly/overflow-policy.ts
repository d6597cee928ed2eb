import {
  DEFAULT_OVERFLOW_BUFFER,
  ErrorCodes,
  OVERFLOW_POLICY,
  SluiceError,
  type OverflowOptions,
  type OverflowPolicy,
  type OverflowPolicyProvider,
  type SourceOptions,
} from '@sluice/sdk';
import type { Container } from 'inversify';
import { BUILTIN_OVERFLOW_POLICIES } from '../flow/builtin-overflow-policies.js';
import type { GraphNode } from '../graph/graph-node.js';

const DECISIONS = new Set(['wait', 'drop-newest', 'drop-oldest']);

/** @internal A push source without `overflow` waits rather than drops: nothing is lost unless asked. */
export const DEFAULT_OVERFLOW: OverflowOptions = { policy: 'block', buffer: DEFAULT_OVERFLOW_BUFFER };

/** @internal Binds the built-in overflow policies; bindings made after them (modules, providers) win by name. */
export function bindBuiltinOverflowPolicies(container: Container): void {
  for (const p of BUILTIN_OVERFLOW_POLICIES) container.bind(OVERFLOW_POLICY).toConstantValue(p);
}

/** @internal The overflow policies bound in the container (and its parents), by name; the last binding of a name wins. */
export function overflowPolicies(container: Container): Map<string, OverflowPolicyProvider> {
  const byName = new Map<string, OverflowPolicyProvider>();
  for (const p of container.getAll<OverflowPolicyProvider>(OVERFLOW_POLICY, { chained: true })) {
    if (typeof p === 'object' && p !== null && typeof p.name === 'string' && typeof p.create === 'function') byName.set(p.name, p);
  }
  return byName;
}

/** @internal Builds a push source's overflow policy from its `overflow` option (or the default). */
export function buildOverflowPolicy(
  node: GraphNode,
  providers: ReadonlyMap<string, OverflowPolicyProvider>,
): { policy: OverflowPolicy; name: string; buffer: number; droppedBuffer: number } {
  const overflow = (node.options as SourceOptions<never>).overflow ?? DEFAULT_OVERFLOW;
  const refuse = (option: string, message: string, cause?: unknown) =>
    new SluiceError(ErrorCodes.INVALID_OPTION, `overflow of source '${node.name}' (${node.label}): ${message}`, {
      cause,
      details: { source: node.name, option },
    });
  const name = overflow.policy;
  const provider = providers.get(name);
  if (provider === undefined) {
    throw refuse(
      'overflow.policy',
      `policy '${name}' is not bound in the container (bound: ${[...providers.keys()].join(', ')}); a module or plugin binds one with { provide: OVERFLOW_POLICY, useValue: { name, create } }`,
    );
  }
  let policy: OverflowPolicy;
  try {
    policy = provider.create(overflow);
  } catch (err) {
    if (SluiceError.is(err)) throw err;
    throw refuse('overflow', `policy '${name}' refused its options: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  if (typeof policy?.decide !== 'function')
    throw refuse('overflow.policy', `policy '${name}': create() must return an object with a decide(overflowed) method`);
  // A plugin's decision is checked once per record only when the buffer is full, so check it there.
  const checked: OverflowPolicy = {
    decide: (overflowed) => {
      const decision = policy.decide(overflowed);
      if (!DECISIONS.has(decision))
        throw refuse(
          'overflow.policy',
          `policy '${name}' decided ${JSON.stringify(decision)}; a decision is 'wait', 'drop-newest' or 'drop-oldest'`,
        );
      return decision;
    },
  };
  const buffer = overflow.buffer ?? DEFAULT_OVERFLOW_BUFFER;
  // The built-ins only ever return a valid decision: no check on their path.
  const builtin = provider === BUILTIN_BY_NAME.get(name);
  return { policy: builtin ? policy : checked, name, buffer, droppedBuffer: overflow.droppedBuffer ?? buffer };
}

const BUILTIN_BY_NAME = new Map(BUILTIN_OVERFLOW_POLICIES.map((p) => [p.name, p]));
