import type { SqliteValue } from './sqlite-value.js';

/**
 * A column of a {@link SqliteSink}'s table: a name, or a name with the SQL type used when the
 * sink creates the table (`'INTEGER'`, `'REAL'`, `'TEXT'`, `'BLOB'`, `'TEXT NOT NULL'`...).
 *
 * @example
 * ```ts
 * const columns: SqliteColumn[] = ['symbol', { name: 'price', type: 'REAL' }]
 * ```
 * @see docs/sqlite.md
 * @beta
 */
export type SqliteColumn = string | { readonly name: string; readonly type?: string };

/**
 * Options of {@link SqliteSink}.
 *
 * @example
 * ```ts
 * new SqliteSink<Tick>({ path: './market.db', table: 'ticks', columns: ['symbol', 'price'], row: (t) => [t.symbol, t.price] })
 * ```
 * @see docs/sqlite.md
 * @beta
 */
export interface SqliteSinkOptions<T> {
  /** The SQLite file; created if missing. */
  readonly path: string;
  /** The table the records end up in. */
  readonly table: string;
  /** The columns written, in order. */
  readonly columns: readonly SqliteColumn[];
  /**
   * Maps a record to its row: an array of values in `columns` order, or an object read by column
   * name. Default: the record's own properties named like the columns.
   */
  readonly row?: (record: T) => readonly SqliteValue[] | Readonly<Record<string, SqliteValue>>;
  /** Create the table (and the sink's bookkeeping tables) when missing. Default `true`. */
  readonly createTable?: boolean;
  /**
   * What tags this sink's transactions in the bookkeeping tables, so that several sinks can
   * write to one file or one table without committing or discarding each other's rows.
   * Default: the sink's name in the pipeline (given to `open`), or the table name.
   */
  readonly id?: string;
}
