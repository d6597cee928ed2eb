/**
 * Optional hook: called once before the first record reaches the component (stage, source
 * or sink). The pipeline does not start until every `onStart` has resolved.
 *
 * @example
 * ```ts
 * class Enrich implements Enricher<Tick, RichTick>, OnStart { async onStart() { await this.cache.warm() } ... }
 * ```
 * @public
 */
export interface OnStart {
  onStart(): void | Promise<void>;
}
