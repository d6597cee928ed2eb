import type { OverflowOptions } from './overflow-options.js';
import type { OverflowPolicy } from './overflow-policy.js';

/**
 * A named overflow policy, bound in the container under {@link OVERFLOW_POLICY} so that
 * `@Source({ overflow: { policy: name } })` can pick it. Core binds the built-ins (`block`,
 * `drop-oldest`, `drop-newest`, `sample`); a plugin or module adds its own, or replaces a
 * built-in by binding the same name. `create` is called once per push source that names it, when
 * the pipeline is built, with the source's whole `overflow` option; it should check what it reads
 * (`every`, `options`) and throw an `Error` with a clear message when it is wrong (the engine adds
 * the source to it).
 *
 * @example
 * ```ts
 * const KeepFirstModule: SluiceModule = {
 *   providers: [{ provide: OVERFLOW_POLICY, useValue: { name: 'keep-first', create: () => new KeepFirst() } }],
 * }
 * @Source({ name: 'ticks', overflow: { policy: 'keep-first', buffer: 1000 } })
 * ```
 * @see docs/flow-control.md
 * @public
 */
export interface OverflowPolicyProvider {
  /** The name `overflow.policy` refers to; a later binding of the same name wins. */
  readonly name: string;
  create(options: Readonly<OverflowOptions>): OverflowPolicy;
}
