import { validateOptions } from '@sluice/sdk';
import { LineFileSource } from './line-file-source.js';
import { validateRecord } from './validate-record.js';
import { LineFileOptionsSchema } from './line-file-options-schema.js';

/**
 * Options of {@link JsonLinesSource}.
 * @public
 */
export interface JsonLinesSourceOptions<T> {
  /**
   * A class with class-validator decorators: each parsed line becomes an instance of it
   * (class-transformer's `plainToInstance`) and must pass validation, with unknown fields
   * forbidden; a line that fails goes to the dead letters.
   */
  recordClass?: new () => T;
  /** Longest line accepted, in bytes (default 1 MiB); a longer one goes to the dead letters, cut to this size. */
  maxRecordBytes?: number;
  /** At the end of the file, keep polling for appended lines instead of ending (default false). */
  follow?: boolean;
}

class JsonLinesSourceOptionsSchema extends LineFileOptionsSchema {}

/**
 * A rewindable source of the records of a JSON-lines file: one JSON value per line, read as a
 * stream (a file of any size works in bounded memory). Blank lines are skipped. A line that is
 * not valid JSON, fails the `recordClass` validation or is longer than `maxRecordBytes` goes to
 * the pipeline's dead letters with a message naming the file and the line
 * (`ticks.jsonl line 17: field "size" must be an integer number`); reading goes on.
 *
 * `position()` is a byte offset; `seek(position)` resumes there, returning the same records in
 * the same batches as a run that never stopped.
 *
 * @example
 * ```ts
 * class Tick { @IsString() symbol!: string; @IsNumber() price!: number; @IsInt() size!: number }
 * createPipeline({
 *   components: [defineSource({ name: 'ticks' }, new JsonLinesSource('ticks.jsonl', { recordClass: Tick })), ...],
 * })
 * ```
 * @see docs/files.md
 * @public
 */
export class JsonLinesSource<T = unknown> extends LineFileSource<T> {
  private readonly recordClass: (new () => T) | undefined;

  constructor(path: string, options: JsonLinesSourceOptions<T> = {}) {
    validateOptions(JsonLinesSourceOptionsSchema, options, { decorator: 'JsonLinesSource', target: path });
    super(path, options, false);
    this.recordClass = options.recordClass;
  }

  protected override decode(text: string): T {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new Error(`invalid JSON: ${(err as Error).message}`, { cause: err });
    }
    return this.recordClass === undefined ? (value as T) : validateRecord(this.recordClass, value);
  }
}
