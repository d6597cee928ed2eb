import Database from 'better-sqlite3';

/**
 * Opens (creating if needed) a SQLite file in WAL mode. WAL lets readers run beside the one
 * writer and makes a commit one append to the log; `busy_timeout` makes a second connection
 * (another pipeline, another process) wait for the write lock instead of failing at once.
 * @internal
 */
export function openDatabase(path: string, synchronous: 'FULL' | 'NORMAL'): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Quotes an SQL identifier (table or column name), doubling embedded quotes. @internal */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
