// The only place metadata keys are defined. Symbol.for so that two copies of the SDK agree.

/** @internal */
export const STAGE_KEY = Symbol.for('@sluice/sdk:stage');
/** @internal */
export const SOURCE_KEY = Symbol.for('@sluice/sdk:source');
/** @internal */
export const SINK_KEY = Symbol.for('@sluice/sdk:sink');
/** @internal */
export const WINDOW_KEY = Symbol.for('@sluice/sdk:window');
/** @internal */
export const ON_ERROR_KEY = Symbol.for('@sluice/sdk:on-error');
/** @internal */
export const COMPOSITE_KEY = Symbol.for('@sluice/sdk:composite');
