import { ErrorCodes, RATE_LIMITER, SluiceError, type RateLimiter, type RateLimiterProvider, type SinkOptions } from '@sluice/sdk';
import type { Container } from 'inversify';
import type { GraphNode } from '../graph/graph-node.js';
import { BUILTIN_RATE_LIMITERS } from '../flow/builtin-rate-limiters.js';

/** @internal Binds the built-in rate limiters; bindings made after them (modules, providers) win by name. */
export function bindBuiltinRateLimiters(container: Container): void {
  for (const l of BUILTIN_RATE_LIMITERS) container.bind(RATE_LIMITER).toConstantValue(l);
}

/** @internal The rate limiters bound in the container (and its parents), by name; the last binding of a name wins. */
export function rateLimiters(container: Container): Map<string, RateLimiterProvider> {
  const byName = new Map<string, RateLimiterProvider>();
  for (const p of container.getAll<RateLimiterProvider>(RATE_LIMITER, { chained: true })) {
    if (typeof p === 'object' && p !== null && typeof p.name === 'string' && typeof p.create === 'function') byName.set(p.name, p);
  }
  return byName;
}

/** @internal Builds a sink's rate limiter from its `rateLimit` option, or undefined when it has none. */
export function buildRateLimiter(node: GraphNode, providers: ReadonlyMap<string, RateLimiterProvider>): RateLimiter | undefined {
  const rateLimit = (node.options as SinkOptions | undefined)?.rateLimit;
  if (rateLimit === undefined) return undefined;
  const refuse = (option: string, message: string, cause?: unknown) =>
    new SluiceError(ErrorCodes.INVALID_OPTION, `rateLimit of sink '${node.name}' (${node.label}): ${message}`, {
      cause,
      details: { sink: node.name, option },
    });
  const name = rateLimit.strategy;
  const provider = providers.get(name);
  if (provider === undefined) {
    throw refuse(
      'rateLimit.strategy',
      `strategy '${name}' is not bound in the container (bound: ${[...providers.keys()].join(', ')}); a module or plugin binds one with { provide: RATE_LIMITER, useValue: { name, create } }`,
    );
  }
  let limiter: RateLimiter;
  try {
    limiter = provider.create(rateLimit.options ?? {});
  } catch (err) {
    if (SluiceError.is(err)) throw err;
    throw refuse('rateLimit.options', `strategy '${name}' refused its options: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  if (typeof limiter?.acquire !== 'function' || !(Number.isInteger(limiter.maxPermits) && limiter.maxPermits >= 1))
    throw refuse(
      'rateLimit.strategy',
      `strategy '${name}': create() must return an object with an acquire(permits, now) method and an integer maxPermits >= 1`,
    );
  return limiter;
}
