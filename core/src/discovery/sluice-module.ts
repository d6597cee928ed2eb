import type { ComponentRef } from './component-ref.js';
import type { Provider } from './provider.js';

/**
 * A named bundle of components and the services they need; modules may import other modules.
 * Plugins and applications group their stages this way.
 *
 * @example
 * ```ts
 * export const CleaningModule: SluiceModule = { name: 'cleaning', components: [ValidTicks, Dedup], providers: [RefData] }
 * createPipeline({ modules: [CleaningModule], components: [feed, sink] })
 * ```
 * @public
 */
export interface SluiceModule {
  readonly name?: string;
  readonly components?: readonly ComponentRef[];
  readonly providers?: readonly Provider[];
  readonly imports?: readonly SluiceModule[];
}
