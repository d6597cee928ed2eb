import test from 'ava';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteSink, type SqliteSinkHandle } from '@sluice/sqlite';
import { fixture, runChild } from '../fixtures/child.js';
import { tempDir } from '../fixtures/temp-dir.js';

interface Tick {
  symbol: string;
  price: number;
  seq: number;
}

const ticks = (from: number, to: number): Tick[] =>
  Array.from({ length: to - from }, (_, i) => ({ symbol: (from + i) % 2 === 0 ? 'AAPL' : 'MSFT', price: 100 + from + i, seq: from + i }));

const columns = ['seq', 'symbol', { name: 'price', type: 'REAL' }] as const;

function newSink(path: string): SqliteSink<Tick> {
  const sink = new SqliteSink<Tick>({ path, table: 'ticks', columns });
  sink.open({ name: 'db' });
  return sink;
}

/** What a reader of the file sees: the target table, the staging table and the bookkeeping. */
function look(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    return {
      seqs: db.prepare('SELECT seq FROM ticks ORDER BY rowid').pluck().all() as number[],
      staged: db.prepare('SELECT count(*) FROM ticks_sluice_staging').pluck().get() as number,
      txns: db.prepare('SELECT txn, state, rows FROM sluice_sink_txns ORDER BY txn').all() as {
        txn: number;
        state: string;
        rows: number;
      }[],
    };
  } finally {
    db.close();
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

test('SqliteSink › pre-committed rows stay out of the table until commit, which moves exactly that transaction', (t) => {
  const path = join(tempDir(t), 'out.db');
  const sink = newSink(path);
  sink.write(ticks(0, 10));
  sink.write(ticks(10, 20));
  const h1 = sink.preCommit(1);
  t.deepEqual(h1, { txn: 1 });
  sink.write(ticks(20, 25));
  const h2 = sink.preCommit(2);
  sink.write(ticks(25, 30)); // the open transaction
  t.deepEqual(look(path).seqs, []);
  t.is(look(path).staged, 30);

  sink.commit(h1);
  t.deepEqual(look(path).seqs, range(0, 20));
  sink.commit(h2);
  t.deepEqual(look(path).seqs, range(0, 25));
  t.is(look(path).staged, 5);
  t.deepEqual(look(path).txns, [
    { txn: 1, state: 'committed', rows: 20 },
    { txn: 2, state: 'committed', rows: 5 },
  ]);
  sink.close();
});

test('SqliteSink › committing a handle again, or from a fresh instance, adds nothing', (t) => {
  const path = join(tempDir(t), 'out.db');
  const sink = newSink(path);
  sink.write(ticks(0, 10));
  const h = sink.preCommit(1);
  sink.commit(h);
  sink.commit(h);
  sink.commit(structuredClone(h)); // what a restored checkpoint hands back
  sink.close();

  const fresh = newSink(path);
  fresh.commit(h);
  fresh.recover([h]);
  fresh.close();
  t.deepEqual(look(path).seqs, range(0, 10));
});

test('SqliteSink › recover commits the pending handles and discards every other staged transaction', (t) => {
  const path = join(tempDir(t), 'out.db');
  const crashed = newSink(path);
  crashed.write(ticks(0, 10));
  const h1 = crashed.preCommit(1);
  crashed.write(ticks(10, 20));
  const h2 = crashed.preCommit(2); // pre-committed, but its checkpoint never completed
  crashed.write(ticks(20, 30)); // never pre-committed
  t.deepEqual(h2, { txn: 2 });
  // The process dies here: no commit, no close.

  const fresh = newSink(path);
  fresh.recover([h1]); // the engine restores checkpoint 1
  const after = look(path);
  t.deepEqual(after.seqs, range(0, 10));
  t.is(after.staged, 0);
  t.deepEqual(
    after.txns.map((x) => [x.txn, x.state]),
    [
      [1, 'committed'],
      [2, 'aborted'],
    ],
  );
  // Replay from checkpoint 1: the records after it come again, in new transactions.
  fresh.write(ticks(10, 30));
  const h3 = fresh.preCommit(2);
  t.true(h3.txn > 2, `new transaction ids never reuse old ones (got ${h3.txn})`);
  fresh.commit(h3);
  fresh.commit(h2); // a stale handle of the aborted transaction commits nothing
  t.deepEqual(look(path).seqs, range(0, 30));
  fresh.close();
});

test('SqliteSink › a crash between preCommit and commit, at any point, recovered by a fresh instance gives every row exactly once', (t) => {
  // The engine's loop, simulated: checkpoint every 7 records; crash at each step; restore the
  // last completed checkpoint (its handle and the source position) and run to the end.
  const all = ticks(0, 40);
  type Step = 'write' | 'preCommit' | 'commit';
  const steps: { kind: Step; at: number }[] = [];
  for (let pos = 0; pos < all.length; pos += 7) {
    steps.push({ kind: 'write', at: pos }, { kind: 'preCommit', at: pos + 7 }, { kind: 'commit', at: pos + 7 });
  }
  for (let crashAfter = 0; crashAfter <= steps.length; crashAfter++) {
    const path = join(tempDir(t), `crash-${crashAfter}.db`);
    let completed: { handle: SqliteSinkHandle; position: number } | undefined; // the last stored checkpoint
    let prepared: { handle: SqliteSinkHandle; position: number } | undefined;
    const first = newSink(path);
    first.recover([]);
    for (const step of steps.slice(0, crashAfter)) {
      if (step.kind === 'write') first.write(all.slice(step.at, step.at + 7));
      else if (step.kind === 'preCommit') prepared = { handle: first.preCommit(step.at), position: Math.min(step.at, all.length) };
      else {
        completed = prepared; // the checkpoint is stored, then the sink commits
        first.commit(prepared!.handle);
      }
    }
    // Crash: the instance is dropped without close. A fresh one restores the last checkpoint.
    const second = newSink(path);
    second.recover(completed === undefined ? [] : [completed.handle]);
    second.write(all.slice(completed?.position ?? 0));
    second.flush(); // with checkpoints, flush leaves the last transaction to the final checkpoint...
    second.commit(second.preCommit(100)); // ...which pre-commits and commits it
    second.close();
    first.close();
    t.deepEqual(look(path).seqs, range(0, 40), `crash after step ${crashAfter}`);
    t.is(look(path).staged, 0);
  }
});

test('SqliteSink › a writer killed with SIGKILL between preCommit and commit is recovered from its handle', async (t) => {
  const path = join(tempDir(t), 'numbers.db');
  const child = await runChild(fixture('sink-writer'), [path], 'ready');
  t.is(child.signal, 'SIGKILL', child.stderr);
  const handle = JSON.parse(/handle (\{.*\})/.exec(child.stdout)![1]!) as SqliteSinkHandle;

  const sink = new SqliteSink<{ n: number }>({ path, table: 'numbers', columns: [{ name: 'n', type: 'INTEGER' }] });
  sink.open({ name: 'numbers' });
  sink.recover([handle]);
  const read = () => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare('SELECT n FROM numbers ORDER BY rowid').pluck().all() as number[];
    } finally {
      db.close();
    }
  };
  t.deepEqual(read(), range(0, 100)); // the 50 rows of the unfinished transaction are gone
  sink.write(Array.from({ length: 50 }, (_, k) => ({ n: 100 + k }))); // replayed
  sink.commit(sink.preCommit(2));
  t.deepEqual(read(), range(0, 150));
  sink.close();
});

test('SqliteSink › row() may return values in column order or an object; booleans and undefined are stored as 1/0 and NULL', (t) => {
  const dir = tempDir(t);
  const byArray = new SqliteSink<Tick>({
    path: join(dir, 'a.db'),
    table: 'quotes',
    columns: ['sym', 'px', 'even', 'note'],
    row: (x) => [x.symbol, x.price, x.seq % 2 === 0, undefined],
  });
  const byObject = new SqliteSink<Tick>({
    path: join(dir, 'b.db'),
    table: 'quotes',
    columns: ['sym', 'px', 'even', 'note'],
    row: (x) => ({ sym: x.symbol, px: x.price, even: x.seq % 2 === 0, ignored: 'x' }),
  });
  for (const sink of [byArray, byObject]) {
    sink.write(ticks(0, 2));
    sink.flush();
    sink.close();
  }
  for (const file of ['a.db', 'b.db']) {
    const db = new Database(join(dir, file), { readonly: true });
    t.deepEqual(db.prepare('SELECT sym, px, even, note FROM quotes').all(), [
      { sym: 'AAPL', px: 100, even: 1, note: null },
      { sym: 'MSFT', px: 101, even: 0, note: null },
    ]);
    db.close();
  }
  const wrong = new SqliteSink<Tick>({ path: join(dir, 'c.db'), table: 'q', columns: ['a', 'b'], row: (x) => [x.symbol] });
  t.throws(() => wrong.write(ticks(0, 1)), { message: /row\(\) returned 1 values for 2 columns/ });
  wrong.close();
});

test('SqliteSink › writes to an existing table, and refuses a handle that is not one, or a transaction still open', (t) => {
  const path = join(tempDir(t), 'out.db');
  const db = new Database(path);
  db.exec('CREATE TABLE ticks (id INTEGER PRIMARY KEY, seq INTEGER, symbol TEXT, price REAL, extra TEXT DEFAULT "x")');
  db.close();
  const sink = new SqliteSink<Tick>({ path, table: 'ticks', columns, createTable: false });
  sink.open({ name: 'db' });
  sink.write(ticks(0, 3));
  t.throws(() => sink.commit({ txn: 1 }), { message: /transaction 1 is still open/ });
  t.throws(() => sink.commit('nope'), { message: /not a handle from preCommit/ });
  sink.commit(sink.preCommit(1));
  sink.close();
  const check = new Database(path, { readonly: true });
  t.deepEqual(check.prepare('SELECT id, seq, extra FROM ticks').all(), [
    { id: 1, seq: 0, extra: 'x' },
    { id: 2, seq: 1, extra: 'x' },
    { id: 3, seq: 2, extra: 'x' },
  ]);
  check.close();
  const missing = new SqliteSink<Tick>({ path, table: 'nowhere', columns, createTable: false });
  t.throws(() => missing.open({ name: 'db' }), { message: /table 'nowhere' does not exist/ });
});

test('SqliteSink › two sinks on one table keep their transactions apart', (t) => {
  const path = join(tempDir(t), 'out.db');
  const a = new SqliteSink<Tick>({ path, table: 'ticks', columns });
  const b = new SqliteSink<Tick>({ path, table: 'ticks', columns });
  a.open({ name: 'a' });
  b.open({ name: 'b' });
  a.write(ticks(0, 5));
  b.write(ticks(100, 103));
  const ha = a.preCommit(1);
  b.recover([]); // b restarts: discards only its own staged rows
  a.commit(ha);
  t.deepEqual(look(path).seqs, range(0, 5));
  b.write(ticks(200, 202));
  b.commit(b.preCommit(1));
  t.deepEqual(look(path).seqs, [...range(0, 5), 200, 201]);
  a.close();
  b.close();
});

test('SqliteSink › restoring an older checkpoint removes the rows committed under later ones; the replay puts them back once', (t) => {
  const path = join(tempDir(t), 'out.db');
  const run = newSink(path);
  run.recover([], undefined);
  const handles: SqliteSinkHandle[] = [];
  for (let cp = 1; cp <= 4; cp++) {
    run.write(ticks((cp - 1) * 10, cp * 10));
    handles.push(run.preCommit(cp));
    if (cp < 4) run.commit(handles.at(-1)!); // checkpoint 4 is pre-committed, never completed
  }
  t.deepEqual(look(path).seqs, range(0, 30));

  // Checkpoint 3 turns out unusable: the engine restores checkpoint 2 (its handle is pending again).
  const again = newSink(path);
  again.recover([handles[1]], 2);
  const after = look(path);
  t.deepEqual(after.seqs, range(0, 20));
  t.is(after.staged, 0);
  t.deepEqual(
    after.txns.map((x) => [x.txn, x.state]),
    [
      [1, 'committed'],
      [2, 'committed'],
      [3, 'rolled back'],
      [4, 'aborted'],
    ],
  );
  again.commit(handles[2]); // a stale handle of a rolled-back transaction commits nothing
  again.write(ticks(20, 40));
  again.commit(again.preCommit(3));
  t.deepEqual(look(path).seqs, range(0, 40));
  again.close();
});

test('SqliteSink › refuses to roll back a transaction whose rows carried their own keys out of order', (t) => {
  const path = join(tempDir(t), 'keyed.db');
  const options = { path, table: 'keyed', columns: [{ name: 'id', type: 'INTEGER PRIMARY KEY' }, 'seq'] } as const;
  const run = new SqliteSink<{ id: number; seq: number }>(options);
  run.recover([]);
  run.write([{ id: 100, seq: 0 }]);
  run.commit(run.preCommit(1));
  run.write([
    { id: 5, seq: 1 },
    { id: 200, seq: 2 },
  ]);
  run.commit(run.preCommit(2));
  run.close();
  const again = new SqliteSink<{ id: number; seq: number }>(options);
  t.throws(() => again.recover([], 1), { message: /cannot roll back transaction 2 \(committed after checkpoint 1\)/ });
  again.close();
});

test('SqliteSink › with checkpoints (recover or preCommit called) flush commits nothing on its own', (t) => {
  const path = join(tempDir(t), 'out.db');
  const sink = newSink(path);
  sink.recover([]);
  sink.write(ticks(0, 5));
  sink.flush();
  t.deepEqual(look(path).seqs, []);
  sink.commit(sink.preCommit(1));
  t.deepEqual(look(path).seqs, range(0, 5));
  sink.close();
});
