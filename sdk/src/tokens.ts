/**
 * Container token under which every component class (stage, source, sink, composite) that
 * Sluice should discover is bound, as a constant value. `registerComponents` in core binds it;
 * plugins bind through their context.
 * @public
 */
export const SLUICE_COMPONENT = Symbol.for('@sluice/sdk:component');

/**
 * Container token under which error strategies are bound, each as an `ErrorStrategyProvider`
 * constant value, possibly several times (one per strategy). Core binds the built-ins; a module
 * or plugin adds its own with `{ provide: ERROR_STRATEGY, useValue: provider }`.
 *
 * @example
 * ```ts
 * createPipeline({ components, providers: [{ provide: ERROR_STRATEGY, useValue: { name: 'mine', create: () => new Mine() } }] })
 * ```
 * @see docs/fault-tolerance.md
 * @public
 */
export const ERROR_STRATEGY = Symbol.for('@sluice/sdk:error-strategy');

/**
 * Container token under which rate limiters are bound, each as a `RateLimiterProvider` constant
 * value, possibly several times (one per limiter). Core binds the built-ins (`token-bucket`,
 * `sliding-window`); a module or plugin adds its own with `{ provide: RATE_LIMITER, useValue: provider }`.
 *
 * @example
 * ```ts
 * createPipeline({ components, providers: [{ provide: RATE_LIMITER, useValue: { name: 'mine', create: () => new Mine() } }] })
 * ```
 * @see docs/flow-control.md
 * @public
 */
export const RATE_LIMITER = Symbol.for('@sluice/sdk:rate-limiter');

/**
 * Container token under which overflow policies of push sources are bound, each as an
 * `OverflowPolicyProvider` constant value, possibly several times (one per policy). Core binds the
 * built-ins (`block`, `drop-oldest`, `drop-newest`, `sample`); a module or plugin adds its own with
 * `{ provide: OVERFLOW_POLICY, useValue: provider }`.
 *
 * @example
 * ```ts
 * createPipeline({ components, providers: [{ provide: OVERFLOW_POLICY, useValue: { name: 'mine', create: () => new Mine() } }] })
 * ```
 * @see docs/flow-control.md
 * @public
 */
export const OVERFLOW_POLICY = Symbol.for('@sluice/sdk:overflow-policy');

/**
 * Container token under which concurrency limiters are bound, each as a
 * `ConcurrencyLimiterProvider` constant value, possibly several times (one per limiter). Core
 * binds the built-ins (`aimd`, `gradient`); a module or plugin adds its own with
 * `{ provide: CONCURRENCY_LIMITER, useValue: provider }`.
 *
 * @example
 * ```ts
 * createPipeline({ components, providers: [{ provide: CONCURRENCY_LIMITER, useValue: { name: 'mine', create: () => new Mine() } }] })
 * ```
 * @see docs/flow-control.md
 * @public
 */
export const CONCURRENCY_LIMITER = Symbol.for('@sluice/sdk:concurrency-limiter');

/**
 * Container token under which pipeline monitors are bound, each as a `PipelineMonitor` constant
 * value, possibly several times (one per monitor): the monitoring plugin's endpoint and terminal
 * table bind here. Each is attached before the pipeline starts and detached after it stops.
 *
 * @example
 * ```ts
 * createPipeline({ components, providers: [{ provide: PIPELINE_MONITOR, useValue: myMonitor }] })
 * ```
 * @see docs/monitoring.md
 * @public
 */
export const PIPELINE_MONITOR = Symbol.for('@sluice/sdk:pipeline-monitor');
