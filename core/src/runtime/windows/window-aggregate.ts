/**
 * @internal What window operators fold records with: an `Aggregator` (whose `result` ignores
 * the window bounds) or a whole-window function adapted to this shape. `result` gets the
 * window's bounds so that a whole-window function can pass them on.
 */
export interface WindowAggregate {
  create(key: unknown): unknown;
  add(acc: unknown, value: unknown): unknown;
  result(acc: unknown, key: unknown, start: number, end: number): unknown;
  merge?(a: unknown, b: unknown): unknown;
}
