/**
 * A value a {@link SqliteSink} can store in a column. `boolean` is stored as 1 or 0 and
 * `undefined` as NULL; the rest as SQLite stores them (INTEGER, REAL, TEXT, BLOB).
 *
 * @example
 * ```ts
 * const row: SqliteValue[] = ['AAPL', 190.5, 100n, true, null]
 * ```
 * @see docs/sqlite.md
 * @beta
 */
export type SqliteValue = string | number | bigint | Uint8Array | boolean | null | undefined;
