import {
  ErrorCodes,
  RATE_LIMITER,
  SluiceError,
  type RateLimiter,
  type RateLimiterProvider,
  type SinkOptions,
  type StageOptions,
} from '@sluice/sdk';
import type { Container } from 'inversify';
import type { GraphNode } from '../graph/graph-node.js';
import { BUILTIN_RATE_LIMITERS } from '../flow/builtin-rate-limiters.js';
import type { RateLimitPlan } from '../runtime/rate-limit-plan.js';

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

const DEFAULT_MAX_KEYS = 10_000;

/**
 * @internal Builds the rate limit of a sink or a stage from its `rateLimit` option, or undefined
 * when it has none. Every refusal names the node, the option and the rule. `channelCapacity` is
 * the node's channel's: the default bound of the records a keyed limit holds.
 */
export function buildRateLimit(
  node: GraphNode,
  providers: ReadonlyMap<string, RateLimiterProvider>,
  channelCapacity: number,
): RateLimitPlan | undefined {
  const options = node.options as SinkOptions | StageOptions | undefined;
  const rateLimit = options?.rateLimit;
  if (rateLimit === undefined) return undefined;
  const role = node.role === 'sink' ? 'sink' : 'stage';
  const refuse = (option: string, message: string, cause?: unknown) =>
    new SluiceError(ErrorCodes.INVALID_OPTION, `rateLimit of ${role} '${node.name}' (${node.label}): ${message}`, {
      cause,
      details: { [role]: node.name, option },
    });
  const name = rateLimit.strategy;
  const provider = providers.get(name);
  if (provider === undefined) {
    throw refuse(
      'rateLimit.strategy',
      `strategy '${name}' is not bound in the container (bound: ${[...providers.keys()].join(', ')}); a module or plugin binds one with { provide: RATE_LIMITER, useValue: { name, create } }`,
    );
  }
  const create = (): RateLimiter => {
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
  };
  const limiter = create();
  const perKey = rateLimit.perKey;
  if (perKey === undefined) return { limiter };
  const keyOf = (perKey.key ?? (role === 'stage' ? (options as StageOptions).key : undefined)) as ((v: unknown) => unknown) | undefined;
  if (keyOf === undefined)
    throw refuse(
      'rateLimit.perKey.key',
      role === 'sink'
        ? 'perKey needs a key: add perKey: { key: (record) => ... }'
        : "perKey needs a key: add perKey: { key: (record) => ... }, or the stage's key option",
    );
  if (typeof limiter.idleAt !== 'function')
    throw refuse(
      'rateLimit.perKey',
      `strategy '${name}' cannot be used per key: its limiters have no idleAt(now) method, which tells when a key's limiter may be dropped without letting the key exceed its rate`,
    );
  return {
    limiter,
    perKey: { keyOf, create, maxKeys: perKey.maxKeys ?? DEFAULT_MAX_KEYS, maxHeld: perKey.maxHeld ?? channelCapacity },
  };
}
