import test from 'ava';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteCheckpointStore } from '@sluice/sqlite';
import { fixture, runChild } from '../fixtures/child.js';
import { blob, tempDir } from '../fixtures/temp-dir.js';

test('SqliteCheckpointStore › reads back the bytes written, replaces an id, undefined for a missing id', (t) => {
  const store = new SqliteCheckpointStore(join(tempDir(t), 'cp.db'));
  store.open({ pipeline: 'p' });
  const small = blob(1024, 1);
  const large = blob(1024 * 1024, 2);
  store.write(1, small);
  store.write(2, large);
  t.deepEqual(new Uint8Array(store.read(1)!), small);
  t.deepEqual(new Uint8Array(store.read(2)!), large);
  t.is(store.read(3), undefined);

  store.write(1, blob(10, 3));
  t.deepEqual(new Uint8Array(store.read(1)!), blob(10, 3));
  store.write(4, new Uint8Array(0));
  t.is(store.read(4)!.length, 0);
  store.close();
});

test('SqliteCheckpointStore › lists ids in order and removes them; a reopened store sees the same', (t) => {
  const path = join(tempDir(t), 'cp.db');
  const store = new SqliteCheckpointStore(path);
  store.open({ pipeline: 'p' });
  for (const id of [5, 1, 3, 2, 4]) store.write(id, blob(8, id));
  t.deepEqual(store.list(), [1, 2, 3, 4, 5]);
  store.remove(1);
  store.remove(3);
  store.remove(42); // absent: nothing happens
  t.deepEqual(store.list(), [2, 4, 5]);
  store.close();

  const again = new SqliteCheckpointStore(path);
  again.open({ pipeline: 'p' });
  t.deepEqual(again.list(), [2, 4, 5]);
  t.deepEqual(new Uint8Array(again.read(4)!), blob(8, 4));
  again.close();
});

test('SqliteCheckpointStore › keeps the file in WAL mode with synchronous FULL, one row per checkpoint with its time', (t) => {
  const path = join(tempDir(t), 'cp.db');
  const store = new SqliteCheckpointStore(path, { pipeline: 'prices' });
  const before = Date.now();
  store.write(7, blob(16, 7));
  store.close();

  const db = new Database(path, { readonly: true });
  t.teardown(() => db.close());
  t.is(db.pragma('journal_mode', { simple: true }), 'wal');
  const rows = db.prepare('SELECT pipeline, id, length(data) AS size, created_at FROM sluice_checkpoints').all() as {
    pipeline: string;
    id: number;
    size: number;
    created_at: number;
  }[];
  t.is(rows.length, 1);
  t.like(rows[0], { pipeline: 'prices', id: 7, size: 16 });
  t.true(rows[0]!.created_at >= before && rows[0]!.created_at <= Date.now());
});

test('SqliteCheckpointStore › an explicit pipeline name wins over the one open() gives', (t) => {
  const path = join(tempDir(t), 'cp.db');
  const named = new SqliteCheckpointStore(path, { pipeline: 'mine' });
  named.open({ pipeline: 'engine-name' });
  named.write(1, blob(4, 1));
  named.close();
  const byEngine = new SqliteCheckpointStore(path);
  byEngine.open({ pipeline: 'engine-name' });
  t.deepEqual(byEngine.list(), []);
  byEngine.close();
  const byName = new SqliteCheckpointStore(path, { pipeline: 'mine' });
  t.deepEqual(byName.list(), [1]);
  byName.close();
});

test('SqliteCheckpointStore › a blob is on disk once write returns: the writer killed with SIGKILL right after loses nothing', async (t) => {
  const path = join(tempDir(t), 'cp.db');
  for (const [id, size] of [
    [1, 1024],
    [2, 1024 * 1024],
  ] as const) {
    const child = await runChild(fixture('checkpoint-writer'), ['once', path, 'crashy', String(id), String(size)], 'written');
    t.is(child.signal, 'SIGKILL', child.stderr);
    t.is(child.stdout, 'written\n');
  }
  // The killed writers never closed the database (nor checkpointed the WAL): a new connection
  // recovers from the log.
  const store = new SqliteCheckpointStore(path, { pipeline: 'crashy' });
  t.deepEqual(store.list(), [1, 2]);
  t.deepEqual(new Uint8Array(store.read(1)!), blob(1024, 1));
  t.deepEqual(new Uint8Array(store.read(2)!), blob(1024 * 1024, 2));
  store.close();
});

test('SqliteCheckpointStore › two pipelines writing one file at the same time, from two processes, keep their own checkpoints', async (t) => {
  const path = join(tempDir(t), 'shared.db');
  const [a, b] = await Promise.all([
    runChild(fixture('checkpoint-writer'), ['many', path, 'a', '60', '4096']),
    runChild(fixture('checkpoint-writer'), ['many', path, 'b', '60', '4096']),
  ]);
  t.is(a.code, 0, a.stderr);
  t.is(b.code, 0, b.stderr);

  const ids = Array.from({ length: 60 }, (_, i) => i + 1);
  for (const [pipeline, seed] of [
    ['a', 1],
    ['b', 1000],
  ] as const) {
    const store = new SqliteCheckpointStore(path, { pipeline });
    t.deepEqual(store.list(), ids);
    for (const id of ids) t.deepEqual(new Uint8Array(store.read(id)!), blob(4096, id * seed), `${pipeline} ${id}`);
    store.close();
  }
  // Removing a pipeline's checkpoint leaves the other pipeline's checkpoint of the same id.
  const a2 = new SqliteCheckpointStore(path, { pipeline: 'a' });
  const b2 = new SqliteCheckpointStore(path, { pipeline: 'b' });
  a2.remove(1);
  t.is(a2.read(1), undefined);
  t.deepEqual(new Uint8Array(b2.read(1)!), blob(4096, 1000));
  a2.close();
  b2.close();
});
