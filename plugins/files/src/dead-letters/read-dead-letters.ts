import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { DeadLetter } from '@sluice/sdk';

/**
 * Reads a file written by {@link JsonLinesDeadLetterSink} back as dead letters, in the order they
 * were written (for inspection, or to replay them into a fixed pipeline). Blank lines are
 * skipped; a line that is not a dead letter is an error naming the file and the line.
 *
 * @example
 * ```ts
 * const letters = await readDeadLetters('./dead-letters.jsonl')
 * await createPipeline({ components: [fromArray(letters.map((d) => d.value), { name: 'replay' }), ...] }).run()
 * ```
 * @see docs/files.md
 * @public
 */
export async function readDeadLetters(path: string): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new Error(`${path} line ${n}: not JSON: ${(err as Error).message}`, { cause: err });
    }
    const d = value as Partial<DeadLetter> | null;
    if (typeof d !== 'object' || d === null || typeof d.stage !== 'string' || typeof d.error !== 'object' || d.error === null) {
      throw new Error(`${path} line ${n}: not a dead letter (it needs "stage" and "error")`);
    }
    out.push({ ...d, eventTime: d.eventTime ?? undefined } as DeadLetter);
  }
  return out;
}
