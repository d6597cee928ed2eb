import { basename } from 'node:path';
import { EndOfStreamError, type SourceConnector, type SourceContext } from '@sluice/sdk';
import { FileDecodeError } from './file-decode-error.js';
import { LineReader, type Line } from './line-reader.js';

/** @internal What every file source shares. */
export interface LineFileOptions {
  maxRecordBytes?: number;
  follow?: boolean;
}

/** @internal Default cap on one line, in bytes. */
export const DEFAULT_MAX_RECORD_BYTES = 1_048_576;

/**
 * @internal A rewindable source over the lines of a file. Subclasses decode one line into one
 * record (or throw to send it to the dead letters).
 *
 * Determinism: a `read(max)` keeps reading until it has `max` records or reaches the end of the
 * file, so the batch boundaries depend only on where reading started, never on how the file
 * happened to be chunked. `position()` is the byte offset just after the last line consumed:
 * the last record returned, or a blank or dead-lettered line after it at the end of the file.
 */
export abstract class LineFileSource<T> implements SourceConnector<T> {
  /** @internal */
  protected reader: LineReader | undefined;
  private ctx: SourceContext | undefined;
  private consumed = 0;
  private ended = false;
  private readonly displayName: string;
  private readonly follow: boolean;
  private readonly maxBytes: number;

  protected constructor(
    /** The file this source reads. */
    readonly path: string,
    options: LineFileOptions,
    private readonly quoted: boolean,
  ) {
    this.displayName = basename(path);
    this.follow = options.follow ?? false;
    this.maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /** Opens the file (again, after a disconnect) at the current position. */
  async open(ctx: SourceContext): Promise<void> {
    this.ctx = ctx;
    const reader = new LineReader(this.path, this.maxBytes, this.quoted, this.follow);
    this.reader = reader;
    await reader.open(0);
    const dataStart = await this.readPreamble(reader);
    if (this.consumed < dataStart) this.consumed = dataStart;
    else if (this.consumed > dataStart) await reader.moveTo(this.consumed);
    this.ended = false;
  }

  /** Up to `max` records; `EndOfStreamError` when the file has no more (unless `follow`). */
  read(max: number): readonly T[] | Promise<readonly T[]> {
    const out: T[] = [];
    if (this.scan(out, max)) return this.finish(out);
    return this.readMore(out, max);
  }

  /** The byte offset just after the last line consumed. */
  position(): number {
    return this.consumed;
  }

  /**
   * Makes the next `read` start at `position` (a value `position()` returned, in this run or an
   * earlier one, or 0 for the first record).
   */
  async seek(position: unknown): Promise<void> {
    if (typeof position !== 'number' || !Number.isInteger(position) || position < 0) {
      throw new RangeError(`${this.path}: a position is a byte offset (a non-negative integer), got ${String(position)}`);
    }
    const reader = this.reader;
    if (reader === undefined) {
      this.consumed = position;
      return;
    }
    const dataStart = this.dataStart();
    if (position > 0 && position < dataStart) {
      throw new RangeError(`${this.path}: cannot seek to ${position}: it is inside the header, which ends at ${dataStart}`);
    }
    const target = Math.max(position, dataStart);
    await reader.moveTo(target);
    this.consumed = target;
    this.ended = false;
  }

  async close(): Promise<void> {
    const reader = this.reader;
    this.reader = undefined;
    await reader?.close();
  }

  /** Decodes one line; throws an Error whose message says what is wrong (without file and line). */
  protected abstract decode(text: string): T;

  /** Reads what comes before the records (a CSV header) and returns the offset of the first record. */
  protected readPreamble(_reader: LineReader): Promise<number> {
    return Promise.resolve(0);
  }

  /** The offset of the first record. */
  protected dataStart(): number {
    return 0;
  }

  /** A decode failure naming the file and the line. */
  protected decodeError(line: number, reason: string): FileDecodeError {
    return new FileDecodeError(this.path, this.displayName, line, reason);
  }

  private async readMore(out: T[], max: number): Promise<readonly T[]> {
    const reader = this.reader!;
    for (;;) {
      await reader.fill();
      if (this.scan(out, max)) return this.finish(out);
      if (this.follow && reader.atEnd) return out;
    }
  }

  private finish(out: T[]): readonly T[] {
    if (out.length === 0 && this.ended) throw new EndOfStreamError(`${this.path}: end of file`);
    return out;
  }

  /** Decodes lines already in the buffer; true when the batch is complete or the file has ended. */
  private scan(out: T[], max: number): boolean {
    const reader = this.reader;
    if (reader === undefined) throw new Error(`${this.path}: read before open`);
    while (out.length < max) {
      const line = reader.next();
      if (line === undefined) return false;
      if (line === null) {
        this.ended = true;
        return true;
      }
      this.consumed = line.end;
      this.take(line, out);
    }
    return true;
  }

  private take(line: Line, out: T[]): void {
    if (line.oversize !== undefined) {
      this.reject(
        line,
        `line is ${line.oversize} bytes, more than maxRecordBytes (${this.maxBytes}); the dead letter keeps its first ${this.maxBytes} bytes`,
      );
      return;
    }
    if (line.text.trim() === '') return;
    let record: T;
    try {
      record = this.decode(line.text);
    } catch (err) {
      this.reject(line, err instanceof Error ? err.message : String(err));
      return;
    }
    out.push(record);
  }

  private reject(line: Line, reason: string): void {
    const error = this.decodeError(line.lineNumber, reason);
    if (this.ctx === undefined) throw error;
    this.ctx.deadLetter(line.text, error, line.lineNumber);
  }
}
