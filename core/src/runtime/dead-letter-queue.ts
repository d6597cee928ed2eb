import type { DeadLetter } from '@sluice/sdk';

/**
 * Holds the records that stages rejected with an `@OnError({ then: 'dead-letter' })` policy (or
 * a circuit breaker with `whileOpen: 'dead-letter'`), in memory, in arrival order.
 * `pipeline.deadLetters` is one.
 *
 * @example
 * ```ts
 * await pipeline.run()
 * for (const dl of pipeline.deadLetters.records()) console.error(dl.stage, dl.error.message, dl.value)
 * ```
 * @see docs/fault-tolerance.md
 * @public
 */
export class DeadLetterQueue {
  private readonly items: DeadLetter[] = [];

  /** Appends one dead letter (the engine calls this). */
  add(deadLetter: DeadLetter): void {
    this.items.push(deadLetter);
  }

  /** How many dead letters are held. */
  get size(): number {
    return this.items.length;
  }

  /** A copy of the dead letters held. */
  records(): DeadLetter[] {
    return [...this.items];
  }

  /** Removes and returns every dead letter held. */
  drain(): DeadLetter[] {
    return this.items.splice(0, this.items.length);
  }
}
