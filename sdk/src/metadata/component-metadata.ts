import 'reflect-metadata';
import type { CompositeOptions } from '../options/composite-options.js';
import type { OnErrorOptions } from '../options/on-error-options.js';
import type { SinkOptions } from '../options/sink-options.js';
import type { SourceOptions } from '../options/source-options.js';
import type { StageOptions } from '../options/stage-options.js';
import type { WindowOptions } from '../options/window-options.js';
import { COMPOSITE_KEY, ON_ERROR_KEY, SINK_KEY, SOURCE_KEY, STAGE_KEY, WINDOW_KEY } from './keys.js';

// The only module that reads or writes Reflect metadata; core asks through these functions.
// getOwnMetadata: a subclass of a stage is not the same stage unless it is decorated itself.

type AnyClass = abstract new (...args: never[]) => unknown;

/** @internal */
export function defineMetadata(key: symbol, value: unknown, target: AnyClass): void {
  Reflect.defineMetadata(key, value, target);
}

/**
 * The options given to `@Stage` on `cls`, or undefined.
 * @public
 */
export function getStageMetadata(cls: AnyClass): StageOptions | undefined {
  return Reflect.getOwnMetadata(STAGE_KEY, cls) as StageOptions | undefined;
}

/**
 * The options given to `@Source` on `cls`, or undefined.
 * @public
 */
export function getSourceMetadata(cls: AnyClass): SourceOptions<never> | undefined {
  return Reflect.getOwnMetadata(SOURCE_KEY, cls) as SourceOptions<never> | undefined;
}

/**
 * The options given to `@Sink` on `cls`, or undefined.
 * @public
 */
export function getSinkMetadata(cls: AnyClass): SinkOptions | undefined {
  return Reflect.getOwnMetadata(SINK_KEY, cls) as SinkOptions | undefined;
}

/**
 * The options given to `@Window` on `cls`, or undefined.
 * @public
 */
export function getWindowMetadata(cls: AnyClass): WindowOptions | undefined {
  return Reflect.getOwnMetadata(WINDOW_KEY, cls) as WindowOptions | undefined;
}

/**
 * The options given to `@OnError` on `cls`, or undefined.
 * @public
 */
export function getOnErrorMetadata(cls: AnyClass): OnErrorOptions | undefined {
  return Reflect.getOwnMetadata(ON_ERROR_KEY, cls) as OnErrorOptions | undefined;
}

/**
 * The options given to `@Composite` on `cls`, or undefined.
 * @public
 */
export function getCompositeMetadata(cls: AnyClass): CompositeOptions | undefined {
  return Reflect.getOwnMetadata(COMPOSITE_KEY, cls) as CompositeOptions | undefined;
}
