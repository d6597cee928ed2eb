import type { KeyedStateAccess } from '../state/keyed-state.js';
import type { TimerService } from '../state/timer-service.js';

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
  /**
   * Keyed stages: state scoped to the current key, kept in the pipeline's state backend.
   * Reading it in a stage without a `key:` option throws, naming the stage.
   */
  readonly state: KeyedStateAccess;
  /** Keyed stages: event- and processing-time timers for the current key; see {@link TimerService}. */
  readonly timers: TimerService;
}
