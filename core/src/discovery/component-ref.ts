import type { SinkDefinition, SourceDefinition } from './component-definition.js';

/**
 * A class constructor (stage, source, sink or composite class).
 * @public
 */
export type ComponentClass = abstract new (...args: never[]) => unknown;

/**
 * Anything that can be a pipeline component: a decorated class or a connector definition.
 * @public
 */
export type ComponentRef = ComponentClass | SourceDefinition<never> | SinkDefinition<never> | SourceDefinition | SinkDefinition;
