import { SLUICE_COMPONENT } from '@sluice/sdk';
import type { Container } from 'inversify';
import type { ComponentRef } from './component-ref.js';

/**
 * Binds components into an existing inversify container so that `createPipeline({ container })`
 * discovers them. Use it when the application already has a container for its services.
 *
 * @example
 * ```ts
 * const container = new Container()
 * container.bind(RefData).toSelf().inSingletonScope()
 * registerComponents(container, ticks, ValidTicks, Enrich, out)
 * const pipeline = createPipeline({ container })
 * ```
 * @public
 */
export function registerComponents(container: Container, ...components: ComponentRef[]): void {
  for (const component of components) container.bind(SLUICE_COMPONENT).toConstantValue(component);
}
