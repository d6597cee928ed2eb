import type { MetricsBus } from '../monitoring/metrics-bus.js';
import {
  ERROR_STRATEGY,
  ErrorCodes,
  parseDuration,
  SluiceError,
  type Clock,
  type ErrorStrategy,
  type ErrorStrategyProvider,
  type StageOptions,
} from '@sluice/sdk';
import type { Container } from 'inversify';
import type { GraphNode } from '../graph/graph-node.js';
import type { DeadLetterQueue } from '../runtime/dead-letter-queue.js';
import type { StageCounters } from '../runtime/stage-counters.js';
import { StageErrorHandler } from '../runtime/stage-error-handler.js';
import { BUILTIN_ERROR_STRATEGIES } from '../strategies/builtin-error-strategies.js';
import { CircuitBreaker } from '../strategies/circuit-breaker.js';

const TERMINAL = new Set(['dead-letter', 'skip', 'fail']);

/** @internal Binds the built-in error strategies; bindings made after them (modules, providers) win by name. */
export function bindBuiltinErrorStrategies(container: Container): void {
  for (const s of BUILTIN_ERROR_STRATEGIES) container.bind(ERROR_STRATEGY).toConstantValue(s);
}

/** @internal The error strategies bound in the container (and its parents), by name; the last binding of a name wins. */
export function errorStrategies(container: Container): Map<string, ErrorStrategyProvider> {
  const byName = new Map<string, ErrorStrategyProvider>();
  for (const p of container.getAll<ErrorStrategyProvider>(ERROR_STRATEGY, { chained: true })) {
    if (typeof p === 'object' && p !== null && typeof p.name === 'string' && typeof p.create === 'function') byName.set(p.name, p);
  }
  return byName;
}

/**
 * @internal Builds a stage's error handler from its `@OnError`: the strategy named by `strategy`
 * (or `retry` when `retry` is given, or `then` alone), taken from the container, and the breaker.
 */
export function buildErrorHandler(
  node: GraphNode,
  strategies: ReadonlyMap<string, ErrorStrategyProvider>,
  env: {
    counters: StageCounters;
    deadLetters: DeadLetterQueue;
    clock: Clock;
    random: () => number;
    fail: (error: SluiceError) => void;
    events?: MetricsBus;
  },
): StageErrorHandler {
  const onError = node.onError ?? {};
  const cls = node.cls?.name ?? node.label;
  const then = onError.then ?? 'fail';
  const name = onError.strategy ?? (onError.retry !== undefined ? 'retry' : then);
  const options = (onError.strategy !== undefined ? onError.options : onError.retry) ?? {};
  const refuse = (option: string, message: string, cause?: unknown) =>
    new SluiceError(ErrorCodes.INVALID_OPTION, `@OnError on ${cls} (stage '${node.name}'): ${message}`, {
      cause,
      details: { class: cls, stage: node.name, option },
    });
  const provider = strategies.get(name);
  if (provider === undefined) {
    throw refuse(
      'strategy',
      `strategy '${name}' is not bound in the container (bound: ${[...strategies.keys()].join(', ')}); a module or plugin binds one with { provide: ERROR_STRATEGY, useValue: { name, create } }`,
    );
  }
  let strategy: ErrorStrategy;
  try {
    strategy = provider.create(options, { stage: node.name, label: node.label, then, random: env.random });
  } catch (err) {
    if (SluiceError.is(err)) throw err;
    throw refuse(
      onError.strategy !== undefined ? 'options' : 'retry',
      `strategy '${name}' refused its options: ${err instanceof Error ? err.message : String(err)}`,
      err,
    );
  }
  if (typeof strategy?.decide !== 'function')
    throw refuse('strategy', `strategy '${name}': create() must return an object with a decide(failure) method`);
  const b = onError.breaker;
  const breaker =
    b === undefined
      ? undefined
      : new CircuitBreaker(
          b.failures,
          parseDuration(b.window, `stage '${node.name}' breaker.window`),
          parseDuration(b.cooldown, `stage '${node.name}' breaker.cooldown`),
          b.whileOpen,
        );
  if (breaker !== undefined) env.counters.breakerStats = () => breaker.stats(env.clock.now());
  const retries = onError.strategy !== undefined ? !TERMINAL.has(name) : onError.retry !== undefined && onError.retry.attempts > 1;
  return new StageErrorHandler({
    stage: node.name,
    label: node.label,
    strategy,
    breaker,
    gated: retries || breaker !== undefined,
    keyOf: (node.options as StageOptions | undefined)?.key as ((v: unknown) => unknown) | undefined,
    counters: env.counters,
    deadLetters: env.deadLetters,
    clock: env.clock,
    fail: env.fail,
    events: env.events,
  });
}
