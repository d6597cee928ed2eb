/**
 * Why a line of a file could not become a record: it names the file, the line and what was
 * wrong, e.g. `ticks.jsonl line 17: field "size" must be an integer number`. File sources send
 * the raw line with this error to the pipeline's dead letters (`ctx.deadLetter`) and go on.
 *
 * @example
 * ```ts
 * for (const dl of pipeline.deadLetters.records()) console.error(dl.error.message) // ticks.jsonl line 17: ...
 * ```
 * @see docs/files.md
 * @public
 */
export class FileDecodeError extends Error {
  /** The file as the source was given it. */
  readonly file: string;
  /** 1-based line number (for a CSV record spanning lines, its first line). */
  readonly line: number;
  /** What was wrong, without the file and line. */
  readonly reason: string;

  constructor(file: string, displayName: string, line: number, reason: string) {
    super(`${displayName} line ${line}: ${reason}`);
    this.name = 'FileDecodeError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}
