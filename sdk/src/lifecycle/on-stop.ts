/**
 * Optional hook: called once after the component has seen its last record (the pipeline
 * ended, was stopped and drained, or failed).
 *
 * @example
 * ```ts
 * class Enrich implements Enricher<Tick, RichTick>, OnStop { async onStop() { await this.client.close() } ... }
 * ```
 * @public
 */
export interface OnStop {
  onStop(): void | Promise<void>;
}
