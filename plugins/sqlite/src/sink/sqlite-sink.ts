import type Database from 'better-sqlite3';
import type { SinkConnector } from '@sluice/sdk';
import { openDatabase, quoteIdentifier } from '../internal/open-database.js';
import type { SqliteSinkHandle } from './sqlite-sink-handle.js';
import type { SqliteSinkOptions } from './sqlite-sink-options.js';
import type { SqliteValue } from './sqlite-value.js';

/** The bookkeeping table: one row per prepared, committed or aborted transaction of each sink. */
const TXNS = 'sluice_sink_txns';
/** Bookkeeping rows older than this many transactions are pruned (only the newest can be re-committed). */
const KEEP_TXNS = 1000;

type Params = unknown[];

interface Statements {
  insert: Database.Statement<Params>;
  state: Database.Statement<[string, number], string>;
  move: Database.Statement<[string, number]>;
  unstage: Database.Statement<[string, number]>;
  mark: Database.Statement<[string, number, string, number | null, number, number]>;
  prune: Database.Statement<[string, number]>;
  unstageAll: Database.Statement<[string]>;
  abortPrepared: Database.Statement<[number, string]>;
}

/**
 * A transactional sink that writes records as rows of a SQLite table, exactly once with
 * checkpoints (two-phase commit).
 *
 * - `write` inserts each batch, with a prepared statement in one transaction, into a staging
 *   table (`<table>_sluice_staging`), tagged with the sink's current transaction;
 * - `preCommit` makes that transaction durable (an fsync) and returns `{ txn }`; later writes go
 *   to the next transaction. Its rows are still not in the target table;
 * - `commit({ txn })` moves the transaction's rows into the target table and records it as
 *   committed in `sluice_sink_txns`, in one SQLite transaction: a reader sees all of them or
 *   none, and committing again is a no-op;
 * - `recover(pending)` commits `pending` and deletes every other staged row of this sink (the
 *   transactions of a run that crashed before its checkpoint completed).
 *
 * Without checkpoints (`preCommit` never called), `flush` at end of input commits what was
 * written, so a plain run fills the table too. One live instance per `id` (default: the sink's
 * name); target-table constraints (UNIQUE, NOT NULL) are checked when rows are moved, at commit.
 *
 * @example
 * ```ts
 * const sink = new SqliteSink<Tick>({ path: './out.db', table: 'ticks', columns: ['symbol', { name: 'price', type: 'REAL' }] })
 * createPipeline({ components: [fromArray(ticks, { name: 'ticks' }), defineSink({ name: 'db', from: 'ticks' }, sink)] })
 * ```
 * @see docs/sqlite.md
 * @beta
 */
export class SqliteSink<T> implements SinkConnector<T> {
  private db: Database.Database | undefined;
  private statements: Statements | undefined;
  private sinkName: string | undefined;
  private sink = '';
  /** The open transaction: what `write` tags rows with until the next `preCommit`. */
  private txn = 0;
  private checkpointed = false;
  private readonly columnNames: readonly string[];

  /** @param options - see {@link SqliteSinkOptions}. */
  constructor(private readonly options: SqliteSinkOptions<T>) {
    if (options.columns.length === 0) throw new TypeError(`SqliteSink '${options.table}': columns must not be empty`);
    this.columnNames = options.columns.map((c) => (typeof c === 'string' ? c : c.name));
  }

  /** Opens the database, creating the table and the bookkeeping tables if missing. */
  open(ctx?: { readonly name: string }): void {
    if (ctx !== undefined && this.db === undefined) this.sinkName = ctx.name;
    this.connect();
  }

  /** Stages `batch` in the open transaction (one SQLite transaction, not yet fsynced). */
  write(batch: readonly T[]): void {
    const { insert } = this.connect();
    const db = this.db!;
    const n = this.columnNames.length;
    db.transaction(() => {
      const params: Params = new Array<unknown>(n + 2);
      params[0] = this.sink;
      params[1] = this.txn;
      for (let i = 0; i < batch.length; i++) {
        this.fill(batch[i]!, params);
        insert.run(...params);
      }
    })();
  }

  /** Makes the open transaction durable in staging and returns its handle; starts the next one. */
  preCommit(checkpointId: number): SqliteSinkHandle {
    const s = this.connect();
    const txn = this.txn;
    this.durably(() => s.mark.run(this.sink, txn, 'prepared', checkpointId, 0, Date.now()));
    this.txn = txn + 1;
    this.checkpointed = true;
    return { txn };
  }

  /** Moves the handle's rows into the target table and marks it committed; a no-op if it is already. */
  commit(handle: unknown): void {
    const txn = this.parseHandle(handle);
    this.connect();
    this.durably(() => this.commitTxn(txn));
  }

  /** Commits `pending` and discards every other staged row of this sink, in one SQLite transaction. */
  recover(pending: readonly unknown[]): void {
    const txns = pending.map((h) => this.parseHandle(h));
    const s = this.connect();
    this.durably(() => {
      for (const txn of txns) this.commitTxn(txn);
      s.unstageAll.run(this.sink);
      s.abortPrepared.run(Date.now(), this.sink);
    });
  }

  /** Without checkpoints, commits what was written; with checkpoints, the engine's last checkpoint does. */
  flush(): void {
    if (this.checkpointed || this.statements === undefined) return;
    const txn = this.txn;
    this.durably(() => this.commitTxn(txn));
    this.txn = txn + 1;
  }

  /** Closes the database file. Staged, uncommitted rows stay for `recover` to settle. */
  close(): void {
    this.statements = undefined;
    const db = this.db;
    this.db = undefined;
    db?.close();
  }

  private commitTxn(txn: number): void {
    const s = this.statements!;
    const state = s.state.get(this.sink, txn);
    if (state === 'committed' || state === 'aborted') return;
    const rows = s.move.run(this.sink, txn).changes;
    s.unstage.run(this.sink, txn);
    s.mark.run(this.sink, txn, 'committed', null, rows, Date.now());
    s.prune.run(this.sink, txn - KEEP_TXNS);
  }

  /** Runs `fn` as one write transaction whose commit is fsynced (writes are not, between checkpoints). */
  private durably(fn: () => void): void {
    const db = this.db!;
    db.pragma('synchronous = FULL');
    try {
      db.transaction(fn).immediate();
    } finally {
      db.pragma('synchronous = NORMAL');
    }
  }

  private parseHandle(handle: unknown): number {
    const txn = (handle as Partial<SqliteSinkHandle> | null)?.txn;
    if (typeof txn !== 'number' || !Number.isSafeInteger(txn)) {
      throw new TypeError(`SqliteSink '${this.options.table}': not a handle from preCommit: ${JSON.stringify(handle)}`);
    }
    if (this.db !== undefined && txn >= this.txn) {
      throw new TypeError(`SqliteSink '${this.options.table}': transaction ${txn} is still open (preCommit it first)`);
    }
    return txn;
  }

  private fill(record: T, params: Params): void {
    const cols = this.columnNames;
    const row = this.options.row;
    if (row === undefined) {
      for (let c = 0; c < cols.length; c++) params[c + 2] = toSql((record as Record<string, SqliteValue>)[cols[c]!]);
      return;
    }
    const values = row(record);
    if (Array.isArray(values)) {
      if (values.length !== cols.length) {
        throw new TypeError(`SqliteSink '${this.options.table}': row() returned ${values.length} values for ${cols.length} columns`);
      }
      for (let c = 0; c < cols.length; c++) params[c + 2] = toSql(values[c] as SqliteValue);
    } else {
      const byName = values as Readonly<Record<string, SqliteValue>>;
      for (let c = 0; c < cols.length; c++) params[c + 2] = toSql(byName[cols[c]!]);
    }
  }

  private connect(): Statements {
    if (this.statements !== undefined) return this.statements;
    const { path, table, columns, createTable = true } = this.options;
    this.sink = this.options.id ?? this.sinkName ?? table;
    // Between checkpoints a crash may lose staged rows anyway (the records are produced again),
    // so writes skip the fsync; preCommit and commit switch to FULL for their own transaction.
    const db = openDatabase(path, 'NORMAL');
    try {
      const target = quoteIdentifier(table);
      const staging = quoteIdentifier(`${table}_sluice_staging`);
      const cols = this.columnNames.map(quoteIdentifier).join(', ');
      if (createTable) {
        const defs = columns.map((c) => (typeof c === 'string' ? quoteIdentifier(c) : `${quoteIdentifier(c.name)} ${c.type ?? ''}`.trim()));
        db.exec(`CREATE TABLE IF NOT EXISTS ${target} (${defs.join(', ')})`);
      } else if (db.prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?').get('table', table) === undefined) {
        throw new Error(`SqliteSink: table '${table}' does not exist in ${path} (createTable is false)`);
      }
      // Staging columns are untyped and unconstrained: the target's types and constraints apply
      // when the rows are moved.
      db.exec(`CREATE TABLE IF NOT EXISTS ${staging} (sluice_sink TEXT NOT NULL, sluice_txn INTEGER NOT NULL, ${cols})`);
      db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${table}_sluice_staging_txn`)} ON ${staging} (sluice_sink, sluice_txn)`);
      db.exec(
        `CREATE TABLE IF NOT EXISTS ${TXNS} (
           sink TEXT NOT NULL, txn INTEGER NOT NULL, state TEXT NOT NULL, checkpoint INTEGER,
           rows INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (sink, txn)
         )`,
      );
      const placeholders = this.columnNames.map(() => '?').join(', ');
      const statements: Statements = {
        insert: db.prepare<Params>(`INSERT INTO ${staging} (sluice_sink, sluice_txn, ${cols}) VALUES (?, ?, ${placeholders})`),
        state: db.prepare<[string, number], string>(`SELECT state FROM ${TXNS} WHERE sink = ? AND txn = ?`).pluck(),
        move: db.prepare<[string, number]>(
          `INSERT INTO ${target} (${cols}) SELECT ${cols} FROM ${staging} WHERE sluice_sink = ? AND sluice_txn = ? ORDER BY rowid`,
        ),
        unstage: db.prepare<[string, number]>(`DELETE FROM ${staging} WHERE sluice_sink = ? AND sluice_txn = ?`),
        mark: db.prepare<[string, number, string, number | null, number, number]>(
          `INSERT INTO ${TXNS} (sink, txn, state, checkpoint, rows, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (sink, txn) DO UPDATE SET state = excluded.state, rows = excluded.rows, updated_at = excluded.updated_at`,
        ),
        prune: db.prepare<[string, number]>(`DELETE FROM ${TXNS} WHERE sink = ? AND txn < ? AND state <> 'prepared'`),
        unstageAll: db.prepare<[string]>(`DELETE FROM ${staging} WHERE sluice_sink = ?`),
        abortPrepared: db.prepare<[number, string]>(
          `UPDATE ${TXNS} SET state = 'aborted', updated_at = ? WHERE sink = ? AND state = 'prepared'`,
        ),
      };
      // Transaction ids never repeat for a sink, across restarts: a new one is above every id
      // recorded or staged, so an old handle can never commit rows written later.
      const last = db
        .prepare<[string, string], number | null>(
          `SELECT max(coalesce((SELECT max(txn) FROM ${TXNS} WHERE sink = ?), 0),
                      coalesce((SELECT max(sluice_txn) FROM ${staging} WHERE sluice_sink = ?), 0))`,
        )
        .pluck()
        .get(this.sink, this.sink);
      this.txn = (last ?? 0) + 1;
      this.db = db;
      this.statements = statements;
      return statements;
    } catch (error) {
      db.close();
      throw error;
    }
  }
}

function toSql(value: SqliteValue): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
