import type { PushSourceConnector, SinkConnector, SinkOptions, SourceConnector, SourceOptions } from '@sluice/sdk';

// Brand for connector definitions made by functions (fromArray, toArray...), as opposed to
// decorated classes. Symbol.for: a definition made by another installed copy still counts.
const DEFINITION = Symbol.for('@sluice/core:definition');

/**
 * A source given as a ready instance plus options, rather than a decorated class (what
 * {@link fromArray} and the other built-ins return).
 * @public
 */
export interface SourceDefinition<T = unknown> {
  readonly [DEFINITION]: 'source';
  readonly options: SourceOptions<T>;
  /** A pull source (`read`) or a push source (`subscribe`). */
  readonly connector: SourceConnector<T> | PushSourceConnector<T>;
}

/**
 * A sink given as a ready instance plus options (what {@link toArray} and {@link toCallback} return).
 * @public
 */
export interface SinkDefinition<T = unknown> {
  readonly [DEFINITION]: 'sink';
  readonly options: SinkOptions;
  readonly connector: SinkConnector<T>;
}

/**
 * Wraps a source instance, pull or push, as a pipeline component.
 *
 * @example
 * ```ts
 * createPipeline({ components: [defineSource({ name: 'feed' }, new MyFeed(url)), ...] })
 * ```
 * @public
 */
export function defineSource<T>(options: SourceOptions<T>, connector: SourceConnector<T> | PushSourceConnector<T>): SourceDefinition<T> {
  return { [DEFINITION]: 'source', options, connector };
}

/**
 * Wraps a sink instance as a pipeline component.
 *
 * @example
 * ```ts
 * createPipeline({ components: [..., defineSink({ name: 'db', from: 'candles' }, new DbSink(pool))] })
 * ```
 * @public
 */
export function defineSink<T>(options: SinkOptions, connector: SinkConnector<T>): SinkDefinition<T> {
  return { [DEFINITION]: 'sink', options, connector };
}

/** @internal */
export function definitionKind(value: unknown): 'source' | 'sink' | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const kind = (value as Record<symbol, unknown>)[DEFINITION];
  return kind === 'source' || kind === 'sink' ? kind : undefined;
}
