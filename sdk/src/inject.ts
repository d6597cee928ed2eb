import { inject, injectable } from 'inversify';

/**
 * Injects a constructor parameter by token (classes are injected by type without it).
 *
 * @example
 * ```ts
 * const REF_DATA_URL = Symbol('refDataUrl')
 * @Stage({ name: 'enriched', from: 'valid' })
 * class Enrich { constructor(@Inject(REF_DATA_URL) private readonly url: string) {} }
 * ```
 * @public
 */
export const Inject = inject;

/**
 * Marks a user service class as constructible by the container (stages, sources and sinks are
 * injectable already through their decorators).
 *
 * @example
 * ```ts
 * @Injectable() class RefData { sector(symbol: string) { ... } }
 * ```
 * @public
 */
export const Injectable = injectable;
