import type { SinkDefinition, SourceDefinition } from './component-definition.js';

/**
 * A class constructor (stage, source, sink or composite class).
 * @public
 */
export type ComponentClass = abstract new (...args: never[]) => unknown;

/**
 * Anything that can be a pipeline component: a decorated class or a connector definition of
 * any record type.
 * @public
 */
// `any`: a definition's record type is both read (connector) and written (eventTime option),
// so no single type parameter accepts every definition; the graph checks do not depend on it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ComponentRef = ComponentClass | SourceDefinition<any> | SinkDefinition<any>;
