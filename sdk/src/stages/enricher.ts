/**
 * An asynchronous stage that looks something up for each record (a cache, a service, a
 * database). Up to `concurrency` calls run at once (option of `@Stage`, default 1); results
 * leave in input order unless `ordered: false`. Returning `undefined` drops the record.
 *
 * @example
 * ```ts
 * @Stage({ name: 'enriched', from: 'valid', concurrency: 32 })
 * class Enrich implements Enricher<Tick, RichTick> {
 *   constructor(private readonly refData: RefData) {}
 *   async enrich(t: Tick) { return { ...t, sector: await this.refData.sector(t.symbol) } }
 * }
 * ```
 * @see docs/concepts.md
 * @public
 */
export interface Enricher<In, Out> {
  enrich(value: In, signal: AbortSignal): Promise<Out | undefined> | Out | undefined;
}
