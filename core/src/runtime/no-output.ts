/** @internal Returned by keyed operators when a record produces no output now. */
export const NO_OUTPUT: unique symbol = Symbol('sluice:no-output');
