/**
 * What a `process` stage (and the engine's own operators) can ask about the record being
 * processed, and how it emits results. The engine reuses one context object per stage and
 * points it at the current record, so read what you need inside the call; do not keep the
 * context's fields for later.
 *
 * @example
 * ```ts
 * @Stage({ name: 'split', from: 'orders' })
 * class Split implements Processor<Order, Fill> {
 *   process(order: Order, ctx: StageContext<Fill>) { for (const f of order.fills) ctx.emit(f) }
 * }
 * ```
 * @see docs/concepts.md
 * @public
 */
export interface StageContext<Out = unknown> {
  /** The stage's name in the graph. */
  readonly stage: string;
  /** Sends one record downstream; may be called any number of times per input record. */
  emit(value: Out): void;
  /** Event time of the current record in ms since the epoch, if its source assigns one. */
  readonly eventTime: number | undefined;
  /** Position of the current record in its source: the record's 0-based ordinal there. */
  readonly position: number;
  /** The current record's key, when the stage is keyed (`key:` option); otherwise undefined. */
  readonly key: unknown;
  /** Aborted when the pipeline is cancelled; pass it to I/O that should stop with it. */
  readonly signal: AbortSignal;
}
