import type Database from 'better-sqlite3';
import type { CheckpointStore } from '@sluice/sdk';
import { openDatabase } from '../internal/open-database.js';

/**
 * Options of {@link SqliteCheckpointStore}.
 *
 * @example
 * ```ts
 * new SqliteCheckpointStore('./state/checkpoints.db', { pipeline: 'market-eu' })
 * ```
 * @see docs/sqlite.md
 * @beta
 */
export interface SqliteCheckpointStoreOptions {
  /**
   * The name the checkpoints are kept under, so that several pipelines can share one file.
   * Default: the pipeline's name, given by the engine when it opens the store; `'default'` when
   * the store is used without the engine calling `open`.
   */
  readonly pipeline?: string;
}

const TABLE = 'sluice_checkpoints';

/**
 * A {@link CheckpointStore} in a SQLite file: the embedded durable default. Checkpoints live in
 * one table keyed by `(pipeline, id)`, with the bytes and the time they were written, so several
 * pipelines — in one process or several — can share a file.
 *
 * The database runs in WAL mode with `synchronous = FULL`: when `write` returns, the checkpoint
 * is on disk (the log was fsynced) and survives a `kill -9` or a power cut; a write is one
 * transaction, so a crash leaves either the whole blob or the previous state. The calls are
 * synchronous (better-sqlite3); a small checkpoint costs about one fsync.
 *
 * @example
 * ```ts
 * const store = new SqliteCheckpointStore('./state/checkpoints.db')
 * createPipeline({ components, checkpoints: { store, interval: '1s' } })
 * ```
 * @see docs/sqlite.md
 * @beta
 */
export class SqliteCheckpointStore implements CheckpointStore {
  private db: Database.Database | undefined;
  private pipeline: string;
  private statements:
    | {
        write: Database.Statement<[string, number, Uint8Array, number]>;
        read: Database.Statement<[string, number], { data: Buffer }>;
        list: Database.Statement<[string], number>;
        remove: Database.Statement<[string, number]>;
      }
    | undefined;

  /**
   * @param path - the SQLite file; created, with its table, if missing.
   * @param options - see {@link SqliteCheckpointStoreOptions}.
   */
  constructor(
    readonly path: string,
    private readonly options: SqliteCheckpointStoreOptions = {},
  ) {
    this.pipeline = options.pipeline ?? 'default';
  }

  /** Called by the engine before any other call; takes the pipeline's name unless one was given. */
  open(ctx: { readonly pipeline: string }): void {
    if (this.options.pipeline === undefined && this.db === undefined) this.pipeline = ctx.pipeline;
    this.connect();
  }

  /** Stores `data` under `id` (replacing what was there), durably: on disk when this returns. */
  write(id: number, data: Uint8Array): void {
    const { write } = this.connect();
    write.run(this.pipeline, id, data, Date.now());
  }

  /** The bytes written under `id`, or `undefined`. */
  read(id: number): Uint8Array | undefined {
    return this.connect().read.get(this.pipeline, id)?.data;
  }

  /** The ids this pipeline has stored, in ascending order. */
  list(): readonly number[] {
    return this.connect().list.all(this.pipeline);
  }

  /** Deletes the checkpoint `id`, if present. */
  remove(id: number): void {
    this.connect().remove.run(this.pipeline, id);
  }

  /** Closes the database file. A later call opens it again. */
  close(): void {
    this.statements = undefined;
    const db = this.db;
    this.db = undefined;
    db?.close();
  }

  private connect(): NonNullable<SqliteCheckpointStore['statements']> {
    if (this.statements !== undefined) return this.statements;
    const db = openDatabase(this.path, 'FULL');
    try {
      db.exec(
        `CREATE TABLE IF NOT EXISTS ${TABLE} (
           pipeline TEXT NOT NULL,
           id INTEGER NOT NULL,
           data BLOB NOT NULL,
           created_at INTEGER NOT NULL,
           PRIMARY KEY (pipeline, id)
         )`,
      );
      // A single statement is its own transaction in SQLite; with synchronous = FULL its commit
      // fsyncs the write-ahead log before returning, which is the durability the contract asks.
      const write = db.prepare<[string, number, Uint8Array, number]>(
        `INSERT INTO ${TABLE} (pipeline, id, data, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (pipeline, id) DO UPDATE SET data = excluded.data, created_at = excluded.created_at`,
      );
      const read = db.prepare<[string, number], { data: Buffer }>(`SELECT data FROM ${TABLE} WHERE pipeline = ? AND id = ?`);
      const list = db.prepare<[string], number>(`SELECT id FROM ${TABLE} WHERE pipeline = ? ORDER BY id`).pluck();
      const remove = db.prepare<[string, number]>(`DELETE FROM ${TABLE} WHERE pipeline = ? AND id = ?`);
      this.db = db;
      this.statements = { write, read, list, remove };
      return this.statements;
    } catch (error) {
      db.close();
      throw error;
    }
  }
}
