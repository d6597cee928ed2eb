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
