/**
 * Combines several class decorators into one, so a team can define its own house decorator.
 *
 * @example
 * ```ts
 * const Candle1s = (name: string, from: string) =>
 *   applyDecorators(Stage({ name, from, key: (t: Tick) => t.symbol }), Window({ tumbling: '1s' }))
 * ```
 * @public
 */
export function applyDecorators(...decorators: ClassDecorator[]): ClassDecorator {
  return (target) => {
    for (const decorate of decorators) decorate(target);
  };
}
