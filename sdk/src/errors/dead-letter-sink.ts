import type { DeadLetter } from './dead-letter.js';

/**
 * Where a pipeline's dead letters go besides `pipeline.deadLetters` (in memory): a JSON-lines
 * file (`@sluice/files`), later a NATS subject. The engine writes them in arrival order, in
 * batches, off the records' path; `flush` runs at the end of the run, before `close`.
 *
 * @example
 * ```ts
 * createPipeline({ components, deadLetters: new JsonLinesDeadLetterSink('./dead-letters.jsonl') })
 * ```
 * @see docs/fault-tolerance.md
 * @public
 */
export interface DeadLetterSink {
  open?(ctx: { readonly pipeline: string }): void | Promise<void>;
  write(batch: readonly DeadLetter[]): void | Promise<void>;
  flush?(): void | Promise<void>;
  close?(): void | Promise<void>;
}
