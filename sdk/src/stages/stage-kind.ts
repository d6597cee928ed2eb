/**
 * The kinds of stage, told apart by the method a class implements: `filter`, `map`, `flatMap`,
 * `enrich`, `process`, `create`+`add`+`result` (aggregate), `reduce` or `apply` (a whole-window function, with `@Window`).
 * @public
 */
export type StageKind = 'filter' | 'map' | 'flatMap' | 'enrich' | 'process' | 'aggregate' | 'reduce' | 'windowFunction';

/**
 * The method (or methods) that mark each {@link StageKind}.
 * @public
 */
export const STAGE_KIND_METHODS: Readonly<Record<StageKind, readonly string[]>> = Object.freeze({
  filter: ['filter'],
  map: ['map'],
  flatMap: ['flatMap'],
  enrich: ['enrich'],
  process: ['process'],
  aggregate: ['create', 'add', 'result'],
  reduce: ['reduce'],
  windowFunction: ['apply'],
});
