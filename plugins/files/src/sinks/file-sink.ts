import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { type SinkConnector, validateOptions } from '@sluice/sdk';
import type { FileSinkHandle } from './file-sink-handle.js';

/**
 * Options of {@link FileSink}.
 * @public
 */
export interface FileSinkOptions {
  /** The directory of the output files (created if missing). */
  dir: string;
  /** The base name of the files: letters, digits, `_`, `-`, `.`. */
  name: string;
  /** `'jsonl'` (default): one JSON value per line; `'csv'`: a header row, then one row per record. */
  format?: 'jsonl' | 'csv';
  /** CSV: the columns, in order (default: the keys of the first record of each file). */
  columns?: readonly string[];
  /** CSV: the field separator (default `,`). */
  delimiter?: string;
}

class FileSinkOptionsSchema {
  @IsString()
  dir!: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, {
    message: 'name must start with a letter, digit or _ and contain only letters, digits, _ . -',
  })
  name!: string;

  @IsOptional()
  @IsIn(['jsonl', 'csv'])
  format?: 'jsonl' | 'csv';

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  columns?: string[];

  @IsOptional()
  @IsString()
  @Length(1, 1, { message: 'delimiter must be one character' })
  delimiter?: string;
}

const ID_DIGITS = 12;

/**
 * A transactional (two-phase-commit) file sink. Records are appended to a hidden in-progress
 * part file, `<dir>/.<name>.inprogress.<id>`; only committed files carry the final name
 * `<dir>/<name>-<checkpoint id, 12 digits>.jsonl` (or `.csv`), so **reading the committed output
 * means reading the final files in name order** and ignoring dot files.
 *
 * - `preCommit(checkpointId)`: fsyncs and closes the part and returns a {@link FileSinkHandle};
 *   later records go to a new part.
 * - `commit(handle)`: renames the part to its final name and fsyncs the directory. Idempotent:
 *   a part already renamed is a no-op.
 * - `recover(pending, checkpointId)`: commits `pending`, deletes every other in-progress part of this
 *   sink (they belong to transactions that never completed) and every final file of a checkpoint
 *   after `checkpointId`.
 * - `flush()` at the end of the input commits what was written since the last `preCommit`, as the
 *   file of the next checkpoint id — so without checkpoints a run leaves one committed file,
 *   `<name>-000000000001.jsonl`, replacing that of an earlier run.
 *
 * With the engine's checkpoints this gives exactly-once output: a crash loses only uncommitted
 * parts, and the records in them are read again from the source's checkpointed position.
 *
 * @example
 * ```ts
 * createPipeline({ components: [..., defineSink({ name: 'out', from: 'candles' }, new FileSink({ dir: 'out', name: 'candles' }))] })
 * ```
 * @see docs/files.md
 * @public
 */
export class FileSink<T = unknown> implements SinkConnector<T> {
  private readonly dir: string;
  private readonly name: string;
  private readonly format: 'jsonl' | 'csv';
  private readonly delimiter: string;
  private readonly fixedColumns: readonly string[] | undefined;
  private fd: number | undefined;
  private part: string | undefined;
  private columns: readonly string[] | undefined;
  private lastCheckpoint = 0;

  constructor(options: FileSinkOptions) {
    validateOptions(FileSinkOptionsSchema, options, { decorator: 'FileSink', target: options?.name ?? 'FileSink' });
    this.dir = resolve(options.dir);
    this.name = options.name;
    this.format = options.format ?? 'jsonl';
    this.delimiter = options.delimiter ?? ',';
    this.fixedColumns = options.columns;
  }

  /** The path a committed transaction of `checkpointId` gets. */
  finalPath(checkpointId: number): string {
    return join(this.dir, `${this.name}-${String(checkpointId).padStart(ID_DIGITS, '0')}.${this.format}`);
  }

  /** The committed files of this sink in `dir`, in name (= commit) order: what readers should read. */
  committedFiles(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => this.finalId(f) !== undefined)
      .sort()
      .map((f) => join(this.dir, f));
  }

  /** Creates the directory. */
  open(): void {
    mkdirSync(this.dir, { recursive: true });
  }

  /** Appends the batch to the current in-progress part. */
  write(batch: readonly T[]): void {
    if (batch.length === 0) return;
    const fd = this.currentPart(batch[0]!);
    let text = '';
    for (let i = 0; i < batch.length; i++) text += this.format === 'jsonl' ? `${JSON.stringify(batch[i])}\n` : this.csvRow(batch[i]!);
    writeSync(fd, text);
  }

  /** Makes the current part durable (fsync), closes it and returns its handle; later writes start a new part. */
  preCommit(checkpointId: number): FileSinkHandle {
    if (!Number.isSafeInteger(checkpointId) || checkpointId < 0)
      throw new RangeError(`FileSink '${this.name}': bad checkpoint id ${checkpointId}`);
    this.lastCheckpoint = Math.max(this.lastCheckpoint, checkpointId);
    const part = this.part;
    if (part === undefined) return { checkpointId, part: null, final: null };
    this.closePart(true);
    return { checkpointId, part, final: this.finalPath(checkpointId) };
  }

  /** Renames the handle's part to its final name and fsyncs the directory; a no-op if already done. */
  commit(handle: unknown): void {
    const h = asHandle(handle, this.name);
    if (h.part === null || h.final === null) return;
    if (existsSync(h.part)) {
      renameSync(h.part, h.final);
      syncDir(this.dir);
    } else if (!existsSync(h.final)) {
      throw new Error(`FileSink '${this.name}': cannot commit checkpoint ${h.checkpointId}: neither ${h.part} nor ${h.final} exists`);
    }
  }

  /**
   * The pipeline starts. From checkpoint `checkpointId`: commits the pending handles, then deletes
   * every in-progress part of this sink and every final file of a later checkpoint (the newest
   * checkpoint was unusable and an older one is restored): they hold records that will be
   * produced again. On a fresh start (`checkpointId` undefined, `pending` empty) deletes the
   * in-progress parts and keeps what was committed.
   */
  recover(pending: readonly unknown[], checkpointId?: number): void {
    mkdirSync(this.dir, { recursive: true });
    let restored = checkpointId;
    for (const handle of pending) {
      this.commit(handle);
      const id = asHandle(handle, this.name).checkpointId;
      if (checkpointId === undefined) restored = Math.max(restored ?? 0, id);
    }
    if (restored !== undefined) this.lastCheckpoint = Math.max(this.lastCheckpoint, restored);
    const prefix = `.${this.name}.inprogress.`;
    let removed = false;
    for (const f of readdirSync(this.dir)) {
      const id = this.finalId(f);
      const stale =
        (f.startsWith(prefix) && join(this.dir, f) !== this.part) || (restored !== undefined && id !== undefined && id > restored);
      if (stale) {
        unlinkSync(join(this.dir, f));
        removed = true;
      }
    }
    if (removed) syncDir(this.dir);
  }

  /** End of input: commits what was written since the last `preCommit` as the next checkpoint's file. */
  flush(): void {
    if (this.part === undefined) return;
    const id = this.lastCheckpoint + 1;
    this.commit(this.preCommit(id));
  }

  /** Closes an open part without committing it (a later `recover` deletes it). */
  close(): void {
    this.closePart(false);
  }

  private currentPart(first: T): number {
    if (this.fd !== undefined) return this.fd;
    mkdirSync(this.dir, { recursive: true });
    this.part = join(this.dir, `.${this.name}.inprogress.${randomUUID()}`);
    this.fd = openSync(this.part, 'wx');
    if (this.format === 'csv') {
      this.columns = this.fixedColumns ?? Object.keys(first as object);
      writeSync(this.fd, `${this.columns.map((c) => this.csvField(c)).join(this.delimiter)}\n`);
    }
    return this.fd;
  }

  private closePart(sync: boolean): void {
    const fd = this.fd;
    this.fd = undefined;
    this.part = undefined;
    if (fd === undefined) return;
    if (sync) fsyncSync(fd);
    closeSync(fd);
  }

  private csvRow(record: T): string {
    const r = record as Record<string, unknown>;
    return `${this.columns!.map((c) => this.csvField(r[c])).join(this.delimiter)}\n`;
  }

  private csvField(value: unknown): string {
    if (value === undefined || value === null) return '';
    const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return text.includes(this.delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }

  private finalId(file: string): number | undefined {
    const m = /^(.*)-(\d+)\.(jsonl|csv)$/.exec(file);
    return m !== null && m[1] === this.name && m[3] === this.format ? Number(m[2]) : undefined;
  }
}

function asHandle(handle: unknown, name: string): FileSinkHandle {
  const h = handle as FileSinkHandle | null;
  if (typeof h !== 'object' || h === null || typeof h.checkpointId !== 'number' || !('part' in h) || !('final' in h)) {
    throw new TypeError(`FileSink '${name}': not a FileSink handle: ${JSON.stringify(handle)}`);
  }
  return h;
}

// A rename is durable only once the directory entry is on disk.
function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
