/**
 * A value a {@link SqliteSink} can store in a column. `boolean` is stored as 1 or 0 and
 * `undefined` as NULL; the rest as SQLite stores them (INTEGER, REAL, TEXT, BLOB).
 * @public
 */
export type SqliteValue = string | number | bigint | Uint8Array | boolean | null | undefined;
