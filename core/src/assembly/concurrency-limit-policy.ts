import {
  CONCURRENCY_LIMITER,
  ErrorCodes,
  SluiceError,
  type ConcurrencyLimiter,
  type ConcurrencyLimiterProvider,
  type StageOptions,
} from '@sluice/sdk';
import type { Container } from 'inversify';
import type { GraphNode } from '../graph/graph-node.js';
import { BUILTIN_CONCURRENCY_LIMITERS } from '../flow/builtin-concurrency-limiters.js';

/** @internal Binds the built-in concurrency limiters; bindings made after them (modules, providers) win by name. */
export function bindBuiltinConcurrencyLimiters(container: Container): void {
  for (const l of BUILTIN_CONCURRENCY_LIMITERS) container.bind(CONCURRENCY_LIMITER).toConstantValue(l);
}

/** @internal The concurrency limiters bound in the container (and its parents), by name; the last binding of a name wins. */
export function concurrencyLimiters(container: Container): Map<string, ConcurrencyLimiterProvider> {
  const byName = new Map<string, ConcurrencyLimiterProvider>();
  for (const p of container.getAll<ConcurrencyLimiterProvider>(CONCURRENCY_LIMITER, { chained: true })) {
    if (typeof p === 'object' && p !== null && typeof p.name === 'string' && typeof p.create === 'function') byName.set(p.name, p);
  }
  return byName;
}

/** @internal Builds an enrich stage's concurrency limiter from its `concurrencyLimit` option, or undefined when it has none. */
export function buildConcurrencyLimiter(
  node: GraphNode,
  providers: ReadonlyMap<string, ConcurrencyLimiterProvider>,
): ConcurrencyLimiter | undefined {
  const options = node.options as StageOptions;
  const concurrencyLimit = options.concurrencyLimit;
  if (concurrencyLimit === undefined) return undefined;
  const refuse = (option: string, message: string, cause?: unknown) =>
    new SluiceError(ErrorCodes.INVALID_OPTION, `concurrencyLimit of stage '${node.name}' (${node.label}): ${message}`, {
      cause,
      details: { stage: node.name, option },
    });
  const name = concurrencyLimit.strategy;
  const provider = providers.get(name);
  if (provider === undefined) {
    throw refuse(
      'concurrencyLimit.strategy',
      `strategy '${name}' is not bound in the container (bound: ${[...providers.keys()].join(', ')}); a module or plugin binds one with { provide: CONCURRENCY_LIMITER, useValue: { name, create } }`,
    );
  }
  let limiter: ConcurrencyLimiter;
  try {
    limiter = provider.create(concurrencyLimit.options ?? {}, { stage: node.name, concurrency: options.concurrency ?? 1 });
  } catch (err) {
    if (SluiceError.is(err)) throw err;
    throw refuse(
      'concurrencyLimit.options',
      `strategy '${name}' refused its options: ${err instanceof Error ? err.message : String(err)}`,
      err,
    );
  }
  if (typeof limiter?.onSample !== 'function' || typeof limiter.limit !== 'number')
    throw refuse(
      'concurrencyLimit.strategy',
      `strategy '${name}': create() must return an object with an onSample(sample) method and a numeric limit`,
    );
  return limiter;
}
