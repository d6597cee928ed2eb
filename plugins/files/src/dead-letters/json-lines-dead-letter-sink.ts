import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DeadLetter, DeadLetterSink } from '@sluice/sdk';

/**
 * A {@link DeadLetterSink} that appends each dead letter as one JSON line to a file (created with
 * its directory if missing, appended to if it exists) and fsyncs it on `flush`. Read it back with
 * {@link readDeadLetters} to inspect or replay. A value that JSON cannot hold (a BigInt, a cycle)
 * is stored as its `String(...)` form.
 *
 * @example
 * ```ts
 * createPipeline({ components, deadLetters: new JsonLinesDeadLetterSink('./dead-letters.jsonl') })
 * ```
 * @see docs/files.md
 * @public
 */
export class JsonLinesDeadLetterSink implements DeadLetterSink {
  private fd: number | undefined;

  constructor(
    /** The file the dead letters are appended to. */
    readonly path: string,
  ) {}

  /** Opens the file for appending. */
  open(): void {
    if (this.fd !== undefined) return;
    mkdirSync(dirname(this.path), { recursive: true });
    this.fd = openSync(this.path, 'a');
  }

  /** Appends one line per dead letter. */
  write(batch: readonly DeadLetter[]): void {
    if (batch.length === 0) return;
    if (this.fd === undefined) this.open();
    let text = '';
    for (const dl of batch) text += `${toJson(dl)}\n`;
    writeSync(this.fd!, text);
  }

  /** Makes what was written durable. */
  flush(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  /** Closes the file. */
  close(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }
}

function toJson(dl: DeadLetter): string {
  try {
    return JSON.stringify(dl);
  } catch {
    return JSON.stringify({ ...dl, value: String(dl.value) });
  }
}
