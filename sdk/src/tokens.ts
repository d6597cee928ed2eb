/**
 * Container token under which every component class (stage, source, sink, composite) that
 * Sluice should discover is bound, as a constant value. `registerComponents` in core binds it;
 * plugins bind through their context.
 * @public
 */
export const SLUICE_COMPONENT = Symbol.for('@sluice/sdk:component');
