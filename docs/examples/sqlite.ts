// file: docs/examples/sqlite.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createPipeline, defineSink, fromArray } from '@sluice/core';
import { Stage, type Filter } from '@sluice/sdk';
import { SqliteCheckpointStore, SqliteSink } from '@sluice/sqlite';

export interface Tick {
  symbol: string;
  price: number;
  size: number;
}

export const ticks: Tick[] = Array.from({ length: 1_000 }, (_, i) => ({
  symbol: ['AAPL', 'MSFT', 'XOM'][i % 3]!,
  price: 100 + (i % 10),
  size: i % 5, // every fifth tick has size 0
}));

@Stage({ name: 'valid', from: 'ticks' })
class ValidTicks implements Filter<Tick> {
  filter(t: Tick): boolean {
    return t.size > 0;
  }
}

/** The sink of this page: ticks become rows of the `ticks` table in `<dir>/market.db`. */
function ticksTable(dir: string): SqliteSink<Tick> {
  return new SqliteSink<Tick>({
    path: join(dir, 'market.db'),
    table: 'ticks',
    columns: [
      { name: 'symbol', type: 'TEXT NOT NULL' },
      { name: 'price', type: 'REAL' },
      { name: 'size', type: 'INTEGER' },
    ],
  });
}

/** What a reader of the database sees: rows per symbol in the `ticks` table. */
function rowsPerSymbol(dir: string): string {
  const db = new Database(join(dir, 'market.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT symbol, count(*) AS n FROM ticks GROUP BY symbol ORDER BY symbol').all() as { symbol: string; n: number }[];
    return rows.map((r) => `${r.symbol} ${r.n}`).join(', ') || 'no rows';
  } finally {
    db.close();
  }
}

/** 1. A plain run: no checkpoints, so the sink commits everything at the end of the input. */
async function plainRun(dir: string): Promise<string[]> {
  const stats = await createPipeline({
    components: [fromArray(ticks, { name: 'ticks', batchSize: 100 }), ValidTicks, defineSink({ name: 'db', from: 'valid' }, ticksTable(dir))],
  }).run();
  return [`plain run: ${stats.sinks.db!.records} ticks written; the table has ${rowsPerSymbol(dir)}`];
}

/**
 * 2. Two-phase commit by hand — the calls the engine makes when checkpoints are on — with a
 * crash between pre-commit and commit, and a restart that recovers.
 */
function crashAndRecover(dir: string): string[] {
  const lines: string[] = [];
  const valid = ticks.filter((t) => t.size > 0);

  const first = ticksTable(dir);
  first.open({ name: 'db' });
  first.recover([]); // a fresh start: nothing to settle
  first.write(valid.slice(0, 300));
  const handle = first.preCommit(1); // the barrier of checkpoint 1: durable, not visible
  lines.push(`pre-committed ${JSON.stringify(handle)}: the table has ${rowsPerSymbol(dir)}`);
  first.write(valid.slice(300, 500)); // after the checkpoint, in the next transaction
  // The process dies here, after checkpoint 1 was stored but before the sink committed it.

  const second = ticksTable(dir);
  second.open({ name: 'db' });
  second.recover([handle], 1); // the restart restores checkpoint 1: commit it, drop the rest
  lines.push(`recovered from checkpoint 1: the table has ${rowsPerSymbol(dir)}`);
  second.commit(handle); // committing again changes nothing
  second.write(valid.slice(300)); // the source rewinds to checkpoint 1: the rest comes again
  second.commit(second.preCommit(2)); // the final checkpoint
  second.close();
  first.close();
  lines.push(`after the replay: the table has ${rowsPerSymbol(dir)} (each tick once)`);
  return lines;
}

/** 3. The checkpoint store: opaque blobs by id, on disk when write returns. */
function checkpointStore(dir: string): string[] {
  const store = new SqliteCheckpointStore(join(dir, 'checkpoints.db'));
  store.open({ pipeline: 'market' }); // the engine does this, with the pipeline's name
  for (let id = 1; id <= 4; id++) store.write(id, new TextEncoder().encode(`state after checkpoint ${id}`));
  store.remove(1); // the engine keeps the newest `retain`
  const newest = Math.max(...store.list());
  const lines = [`checkpoints stored: ${store.list().join(', ')}; newest reads "${new TextDecoder().decode(store.read(newest))}"`];
  store.close();
  return lines;
}

export async function main(): Promise<string[]> {
  const lines: string[] = [];
  for (const part of [plainRun, crashAndRecover, checkpointStore]) {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-sqlite-example-'));
    try {
      lines.push(...(await part(dir)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) for (const line of await main()) console.log(line);
