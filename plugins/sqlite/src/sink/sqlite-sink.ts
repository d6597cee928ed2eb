import type Database from 'better-sqlite3';
import type { SinkConnector } from '@sluice/sdk';
import { openDatabase, quoteIdentifier } from '../internal/open-database.js';
import type { SqliteSinkHandle } from './sqlite-sink-handle.js';
import type { SqliteSinkOptions } from './sqlite-sink-options.js';
import type { SqliteValue } from './sqlite-value.js';

/** The bookkeeping table: one row per prepared, committed, aborted or rolled-back transaction of each sink. */
const TXNS = 'sluice_sink_txns';
/**
 * Bookkeeping rows older than this many transactions are pruned. Only the newest transactions
 * can be committed again or rolled back (those of the checkpoints the engine retains).
 */
const KEEP_TXNS = 1000;

type Params = unknown[];

interface TxnRow {
  txn: number;
  rows: number;
  first_rowid: number | null;
  last_rowid: number | null;
}

interface Statements {
  insert: Database.Statement<Params>;
  state: Database.Statement<[string, number], string>;
  maxRowid: Database.Statement<[], number | null> | undefined;
  countRowids: Database.Statement<[number, number], number> | undefined;
  move: Database.Statement<[string, number]>;
  unstage: Database.Statement<[string, number]>;
  prepared: Database.Statement<[string, number, number, number, number]>;
  committed: Database.Statement<[string, number, number, number | null, number | null, number]>;
  prune: Database.Statement<[string, number]>;
  unstageAll: Database.Statement<[string]>;
  abortPrepared: Database.Statement<[number, string]>;
  committedAfter: Database.Statement<[string, number], TxnRow>;
  deleteRows: Database.Statement<[number, number]> | undefined;
  rolledBack: Database.Statement<[number, string, number]>;
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
 * - `recover(pending, checkpointId)` commits `pending`, deletes every other staged row of this
 *   sink (transactions of a run that crashed before its checkpoint completed) and, when an older
 *   checkpoint is restored, removes the rows of transactions committed under later ones.
 *
 * Without checkpoints (neither `preCommit` nor `recover` called), `flush` at end of input commits
 * what was written, so a plain run fills the table too. One live instance per `id` (default: the
 * sink's name); target-table constraints (UNIQUE, NOT NULL) are checked when rows are moved, at
 * commit.
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
  /** Rows staged in the open transaction. */
  private staged = 0;
  /** Whether the engine manages commits (it called `preCommit` or `recover`): then `flush` leaves them to it. */
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
    const n = this.columnNames.length;
    this.db!.transaction(() => {
      const params: Params = new Array<unknown>(n + 2);
      params[0] = this.sink;
      params[1] = this.txn;
      for (let i = 0; i < batch.length; i++) {
        this.fill(batch[i]!, params);
        insert.run(...params);
      }
    })();
    this.staged += batch.length;
  }

  /** Makes the open transaction durable in staging and returns its handle; starts the next one. */
  preCommit(checkpointId: number): SqliteSinkHandle {
    const s = this.connect();
    const txn = this.txn;
    this.durably(() => s.prepared.run(this.sink, txn, checkpointId, this.staged, Date.now()));
    this.txn = txn + 1;
    this.staged = 0;
    this.checkpointed = true;
    return { txn };
  }

  /** Moves the handle's rows into the target table and marks it committed; a no-op if it is already. */
  commit(handle: unknown): void {
    const txn = this.parseHandle(handle);
    this.connect();
    this.durably(() => this.commitTxn(txn));
  }

  /**
   * Settles what a previous run left, in one SQLite transaction: commits `pending` (the restored
   * checkpoint's handles), discards every other staged row of this sink, and — when
   * `checkpointId` is given — deletes the rows of transactions committed under a later checkpoint
   * (the newest was unusable, or an older one is replayed): those records will come again.
   */
  recover(pending: readonly unknown[], checkpointId?: number): void {
    const txns = pending.map((h) => this.parseHandle(h));
    const s = this.connect();
    this.checkpointed = true;
    this.durably(() => {
      for (const txn of txns) this.commitTxn(txn);
      s.unstageAll.run(this.sink);
      s.abortPrepared.run(Date.now(), this.sink);
      if (checkpointId !== undefined) this.rollBackAfter(checkpointId, new Set(txns));
    });
    this.staged = 0;
  }

  /** Without checkpoints, commits what was written; with checkpoints, the engine's final checkpoint does. */
  flush(): void {
    if (this.checkpointed || this.statements === undefined) return;
    const txn = this.txn;
    this.durably(() => this.commitTxn(txn));
    this.txn = txn + 1;
    this.staged = 0;
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
    if (state !== undefined && state !== 'prepared') return; // committed, aborted or rolled back
    // The rows inserted here get rowids above the current maximum (this connection holds the
    // write lock). When exactly `changes` rows sit in [before + 1, last], that range names this
    // transaction's rows, for a later roll-back; rows that carry their own INTEGER PRIMARY KEY
    // may not fit one range, and then none is recorded.
    const before = s.maxRowid?.get() ?? 0;
    const moved = s.move.run(this.sink, txn);
    const last = Number(moved.lastInsertRowid);
    const contiguous = moved.changes > 0 && last > before && s.countRowids?.get(before + 1, last) === moved.changes;
    s.unstage.run(this.sink, txn);
    s.committed.run(this.sink, txn, moved.changes, contiguous ? before + 1 : null, contiguous ? last : null, Date.now());
    s.prune.run(this.sink, txn - KEEP_TXNS);
  }

  private rollBackAfter(checkpointId: number, keep: ReadonlySet<number>): void {
    const s = this.statements!;
    for (const row of s.committedAfter.all(this.sink, checkpointId)) {
      if (keep.has(row.txn)) continue;
      if (row.rows > 0) {
        if (row.first_rowid === null || row.last_rowid === null || s.deleteRows === undefined) {
          throw new Error(
            `SqliteSink '${this.options.table}': cannot roll back transaction ${row.txn} (committed after checkpoint ${checkpointId}): ` +
              'its rows were not given consecutive rowids (a WITHOUT ROWID table, or rows carrying their own INTEGER PRIMARY KEY)',
          );
        }
        s.deleteRows.run(row.first_rowid, row.last_rowid);
      }
      s.rolledBack.run(Date.now(), this.sink, row.txn);
    }
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
    // so writes skip the fsync; preCommit, commit and recover switch to FULL for their own transaction.
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
           rows INTEGER NOT NULL, first_rowid INTEGER, last_rowid INTEGER, updated_at INTEGER NOT NULL,
           PRIMARY KEY (sink, txn)
         )`,
      );
      const hasRowid = tryPrepare(db, `SELECT max(rowid) FROM ${target}`) !== undefined;
      const placeholders = this.columnNames.map(() => '?').join(', ');
      const statements: Statements = {
        insert: db.prepare<Params>(`INSERT INTO ${staging} (sluice_sink, sluice_txn, ${cols}) VALUES (?, ?, ${placeholders})`),
        state: db.prepare<[string, number], string>(`SELECT state FROM ${TXNS} WHERE sink = ? AND txn = ?`).pluck(),
        maxRowid: hasRowid ? db.prepare<[], number | null>(`SELECT max(rowid) FROM ${target}`).pluck() : undefined,
        countRowids: hasRowid
          ? db.prepare<[number, number], number>(`SELECT count(*) FROM ${target} WHERE rowid BETWEEN ? AND ?`).pluck()
          : undefined,
        move: db.prepare<[string, number]>(
          `INSERT INTO ${target} (${cols}) SELECT ${cols} FROM ${staging} WHERE sluice_sink = ? AND sluice_txn = ? ORDER BY rowid`,
        ),
        unstage: db.prepare<[string, number]>(`DELETE FROM ${staging} WHERE sluice_sink = ? AND sluice_txn = ?`),
        prepared: db.prepare<[string, number, number, number, number]>(
          `INSERT INTO ${TXNS} (sink, txn, state, checkpoint, rows, updated_at) VALUES (?, ?, 'prepared', ?, ?, ?)`,
        ),
        committed: db.prepare<[string, number, number, number | null, number | null, number]>(
          `INSERT INTO ${TXNS} (sink, txn, state, rows, first_rowid, last_rowid, updated_at) VALUES (?, ?, 'committed', ?, ?, ?, ?)
           ON CONFLICT (sink, txn) DO UPDATE SET state = 'committed', rows = excluded.rows, first_rowid = excluded.first_rowid,
             last_rowid = excluded.last_rowid, updated_at = excluded.updated_at`,
        ),
        prune: db.prepare<[string, number]>(`DELETE FROM ${TXNS} WHERE sink = ? AND txn < ? AND state <> 'prepared'`),
        unstageAll: db.prepare<[string]>(`DELETE FROM ${staging} WHERE sluice_sink = ?`),
        abortPrepared: db.prepare<[number, string]>(
          `UPDATE ${TXNS} SET state = 'aborted', updated_at = ? WHERE sink = ? AND state = 'prepared'`,
        ),
        committedAfter: db.prepare<[string, number], TxnRow>(
          `SELECT txn, rows, first_rowid, last_rowid FROM ${TXNS}
           WHERE sink = ? AND state = 'committed' AND checkpoint > ? ORDER BY txn DESC`,
        ),
        deleteRows: hasRowid ? db.prepare<[number, number]>(`DELETE FROM ${target} WHERE rowid BETWEEN ? AND ?`) : undefined,
        rolledBack: db.prepare<[number, string, number]>(
          `UPDATE ${TXNS} SET state = 'rolled back', updated_at = ? WHERE sink = ? AND txn = ?`,
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

function tryPrepare(db: Database.Database, sql: string): Database.Statement | undefined {
  try {
    return db.prepare(sql);
  } catch {
    return undefined; // a WITHOUT ROWID table has no rowid
  }
}

function toSql(value: SqliteValue): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
