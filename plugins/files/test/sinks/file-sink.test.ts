import test from 'ava';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPipeline, defineSink, defineSource, fromArray } from '@sluice/core';
import { FileSink, JsonLinesSource, type FileSinkHandle } from '@sluice/files';
import { tempDir } from '../helpers.js';

const listing = (dir: string) => readdirSync(dir).sort();
const inProgress = (dir: string) => listing(dir).filter((f) => f.includes('.inprogress.'));
const readJsonl = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
/** The committed output: the final files in name order, concatenated. */
const committed = (sink: FileSink) => sink.committedFiles().flatMap(readJsonl);

test('FileSink › writes go to a hidden part; preCommit makes it durable but invisible; commit renames it to its final name', (t) => {
  const dir = tempDir(t);
  const sink = new FileSink<{ n: number }>({ dir, name: 'out' });
  sink.open();
  sink.write([{ n: 1 }, { n: 2 }]);
  t.deepEqual(sink.committedFiles(), []);
  t.is(inProgress(dir).length, 1);
  const h1 = sink.preCommit(1);
  t.is(h1.final, join(dir, 'out-000000000001.jsonl'));
  t.true(existsSync(h1.part!));
  sink.write([{ n: 3 }]); // belongs to the next transaction
  t.is(inProgress(dir).length, 2);
  t.deepEqual(committed(sink), []);
  sink.commit(h1);
  t.deepEqual(committed(sink), [{ n: 1 }, { n: 2 }]);
  sink.commit(h1); // idempotent: already renamed
  t.deepEqual(committed(sink), [{ n: 1 }, { n: 2 }]);
  const h2 = sink.preCommit(2);
  sink.commit(h2);
  t.deepEqual(committed(sink), [{ n: 1 }, { n: 2 }, { n: 3 }]);
  t.deepEqual(listing(dir), ['out-000000000001.jsonl', 'out-000000000002.jsonl']);
  // A transaction that wrote nothing has nothing to commit.
  const empty = sink.preCommit(3);
  t.deepEqual(empty, { checkpointId: 3, part: null, final: null });
  sink.commit(empty);
  t.deepEqual(listing(dir), ['out-000000000001.jsonl', 'out-000000000002.jsonl']);
  // A handle whose part and final file are both gone is an error, not a silent loss.
  t.throws(() => sink.commit({ checkpointId: 9, part: join(dir, '.out.inprogress.gone'), final: join(dir, 'out-000000000009.jsonl') }), {
    message: /cannot commit checkpoint 9/,
  });
  t.throws(() => sink.commit('nonsense'), { message: /not a FileSink handle/ });
  sink.close();
});

test('FileSink › a crash mid-transaction: a fresh sink recovers, committing the pending handles and deleting the aborted parts', (t) => {
  const dir = tempDir(t);
  // Run 1: checkpoint 1 completes (committed); checkpoint 2 is stored but the process dies before
  // committing it; records after it are in a part that belongs to no checkpoint.
  const crashed = new FileSink<{ n: number }>({ dir, name: 'out' });
  t.teardown(() => crashed.close()); // only to release the file descriptor after the test
  crashed.open();
  crashed.write([{ n: 1 }]);
  crashed.commit(crashed.preCommit(1));
  crashed.write([{ n: 2 }, { n: 3 }]);
  const h2: FileSinkHandle = structuredClone(crashed.preCommit(2)); // as a checkpoint store keeps it
  crashed.write([{ n: 4 }]); // after checkpoint 2: aborted by the crash
  // ...the instance is abandoned here, its part left open (kill -9).
  t.is(inProgress(dir).length, 2);

  // Run 2 restores checkpoint 2: recover commits its handle and removes the aborted part.
  const fresh = new FileSink<{ n: number }>({ dir, name: 'out' });
  fresh.open();
  fresh.recover([h2], 2);
  t.deepEqual(inProgress(dir), []);
  t.deepEqual(committed(fresh), [{ n: 1 }, { n: 2 }, { n: 3 }]);
  // The source replays from checkpoint 2's position: record 4 is written again, once.
  fresh.write([{ n: 4 }, { n: 5 }]);
  fresh.commit(fresh.preCommit(3));
  t.deepEqual(committed(fresh), [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]);

  // Recovering again from checkpoint 2 (a second crash before checkpoint 3 was stored) commits
  // nothing twice and drops checkpoint 3's file, whose records will be produced again.
  const again = new FileSink<{ n: number }>({ dir, name: 'out' });
  again.recover([h2, h2], 2);
  t.deepEqual(committed(again), [{ n: 1 }, { n: 2 }, { n: 3 }]);
  // Without the checkpoint id, the newest pending handle tells which checkpoint is restored.
  again.write([{ n: 4 }]);
  again.commit(again.preCommit(3));
  new FileSink({ dir, name: 'out' }).recover([h2]);
  t.deepEqual(committed(again), [{ n: 1 }, { n: 2 }, { n: 3 }]);
  // Restoring checkpoint 1, whose handles were all committed: checkpoint 2's file goes too.
  new FileSink({ dir, name: 'out' }).recover([], 1);
  t.deepEqual(committed(again), [{ n: 1 }]);
  // A fresh start keeps what was committed and drops only open parts; another sink's files in
  // the same directory are left alone.
  const other = new FileSink({ dir, name: 'other' });
  other.write([{ x: 1 }]);
  const mine = new FileSink<{ n: number }>({ dir, name: 'out' });
  mine.write([{ n: 99 }]);
  mine.close();
  new FileSink({ dir, name: 'out' }).recover([], undefined);
  t.deepEqual(committed(again), [{ n: 1 }]);
  t.is(inProgress(dir).length, 1);
  other.close();
});

test('FileSink › without checkpoints, flush at the end of the input commits everything through a real pipeline', async (t) => {
  const dir = tempDir(t);
  const records = Array.from({ length: 5000 }, (_, i) => ({ i, sym: i % 2 === 0 ? 'AAPL' : 'MSFT' }));
  const sink = new FileSink<{ i: number; sym: string }>({ dir, name: 'ticks' });
  await createPipeline({
    components: [fromArray(records, { name: 'src' }), defineSink({ name: 'files', from: 'src' }, sink)],
    batchSize: 300,
  }).run();
  t.deepEqual(listing(dir), ['ticks-000000000001.jsonl']);
  t.deepEqual(committed(sink), records);

  // The committed output reads back with JsonLinesSource.
  const back: unknown[] = [];
  await createPipeline({
    components: [
      defineSource({ name: 'back' }, new JsonLinesSource(sink.committedFiles()[0]!)),
      defineSink({ name: 'out', from: 'back' }, { write: (b) => void back.push(...b) }),
    ],
  }).run();
  t.deepEqual(back, records);
});

test('FileSink › CSV format: a header row per file, quoting where needed, columns from the option or the first record', (t) => {
  const dir = tempDir(t);
  const sink = new FileSink<Record<string, unknown>>({ dir, name: 'trades', format: 'csv', delimiter: ';' });
  sink.write([
    { symbol: 'AAPL', note: 'a;b', price: 190.5 },
    { symbol: 'MSFT', note: 'say "hi"\nbye', price: null },
  ]);
  sink.flush();
  t.deepEqual(listing(dir), ['trades-000000000001.csv']);
  t.is(readFileSync(join(dir, 'trades-000000000001.csv'), 'utf8'), 'symbol;note;price\nAAPL;"a;b";190.5\nMSFT;"say ""hi""\nbye";\n');
  const fixed = new FileSink<Record<string, unknown>>({ dir, name: 'fixed', format: 'csv', columns: ['b', 'a'] });
  fixed.write([{ a: 1, b: 2, c: 3 }]);
  fixed.flush();
  t.is(readFileSync(join(dir, 'fixed-000000000001.csv'), 'utf8'), 'b,a\n2,1\n');
  t.throws(() => new FileSink({ dir, name: '../escape' }), { message: /option "name"/ });
  t.throws(() => new FileSink({ dir, name: 'x', format: 'xml' as never }), { message: /option "format"/ });
});
