import test from 'ava';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPipeline, FileCheckpointStore, MemoryCheckpointStore, toArray } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import { ErrorCodes, SluiceError, Stage, Window, type Aggregator, type CheckpointStore, type Mapper, type WindowResult } from '@sluice/sdk';
import { asyncArraySource, Disk, MemoryTxnSink, txnSink } from './memory-txn-sink.js';

interface Rec {
  key: string;
  t: number;
}

const recs = (n: number, keys = 3): Rec[] => Array.from({ length: n }, (_, i) => ({ key: `k${i % keys}`, t: i * 10 }));

@Stage({ name: 'count', from: 'recs', key: (r: Rec) => r.key })
@Window({ tumbling: 100 })
class Count implements Aggregator<Rec, number, number> {
  create() {
    return 0;
  }
  add(n: number) {
    return n + 1;
  }
  result(n: number) {
    return n;
  }
}

/** A pipeline counting records per key in 100 ms windows, a checkpoint every `every` records. */
function counting(
  input: Rec[],
  store: CheckpointStore,
  disk: Disk<WindowResult<number>>,
  opts: { every?: number; crashAt?: number; crashWhen?: () => boolean; restore?: 'latest' | 'none' | number; log?: string[] } = {},
) {
  const clock = new VirtualClock();
  const abort = new AbortController();
  let seen = 0;
  @Stage({ name: 'recs', from: 'src' })
  class Tick implements Mapper<Rec, Rec> {
    map(r: Rec) {
      seen++;
      if (opts.every !== undefined && seen % opts.every === 0) clock.advance(1000);
      if (opts.crashAt !== undefined && seen >= opts.crashAt && (opts.crashWhen?.() ?? seen === opts.crashAt)) abort.abort();
      return r;
    }
  }
  return createPipeline({
    components: [asyncArraySource(input, { name: 'src', eventTime: (r: Rec) => r.t }), Tick, Count, txnSink('out', 'count', disk)],
    batchSize: 10,
    clock,
    signal: abort.signal,
    checkpoints: { store, interval: 1000, retain: 2, restore: opts.restore, log: (m) => opts.log?.push(m) },
  });
}

const canon = (rs: readonly WindowResult<number>[]) => rs.map((r) => `${String(r.key)}@${r.start}=${r.value}`);
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as SluiceError,
  );

async function expected(input: Rec[]): Promise<string[]> {
  const out: WindowResult<number>[] = [];
  await createPipeline({
    components: [
      asyncArraySource(input, { name: 'recs', eventTime: (r: Rec) => r.t }),
      Count,
      toArray(out, { name: 'out', from: 'count' }),
    ],
  }).run();
  return canon(out);
}

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-cp-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('recovery › the file store keeps whole checkpoints only, the newest `retain`, and a restart resumes from them', async (t) => {
  const dir = await tempDir(t);
  const input = recs(300);
  const disk = new Disk<WindowResult<number>>();
  const store = new FileCheckpointStore(dir);
  t.true(SluiceError.is(await failure(counting(input, store, disk, { every: 40, crashAt: 250 }).run()), ErrorCodes.ABORTED));
  const files = (await readdir(dir)).sort();
  t.true(files.length >= 1 && files.length <= 2, files.join(', ')); // retain: 2
  t.true(files.every((f) => /^checkpoint-\d{12}\.bin$/.test(f)));
  await writeFile(join(dir, 'checkpoint-000000000099.bin.123.tmp'), 'half a write'); // a crash mid-write leaves this
  const stats = await counting(input, new FileCheckpointStore(dir), disk, { every: 40 }).run();
  t.is(stats.checkpoints!.restoredFrom, Number(files.at(-1)!.slice(11, 23)));
  t.deepEqual(canon(disk.committed), await expected(input));
  t.false((await readdir(dir)).some((f) => f.endsWith('.tmp')));
});

test('recovery › a corrupt or truncated newest checkpoint is skipped, with the reason logged, for the one before', async (t) => {
  const input = recs(3000);
  // The crashed run must leave two checkpoints (the newest to corrupt, one to fall back to). They
  // are written asynchronously, and a loaded machine may lag, so the crash waits (from record 250
  // on) until the folder holds two; should the input end first, the run is tried again.
  let dir = '';
  let disk = new Disk<WindowResult<number>>();
  let files: string[] = [];
  for (let attempt = 0; attempt < 5 && files.length < 2; attempt++) {
    dir = await tempDir(t);
    disk = new Disk<WindowResult<number>>();
    let stored = 0;
    const watch = setInterval(() => void readdir(dir).then((f) => (stored = f.length)), 2);
    const crashed = await failure(
      counting(input, new FileCheckpointStore(dir), disk, { every: 40, crashAt: 250, crashWhen: () => stored >= 2 }).run(),
    );
    clearInterval(watch);
    files = (await readdir(dir)).sort();
    if (crashed === undefined) files = [];
  }
  t.is(files.length, 2);
  const newest = join(dir, files[1]!);
  const bytes = await readFile(newest);
  bytes.writeUInt8(bytes[bytes.length - 3]! ^ 0xff, bytes.length - 3); // flipped bits in the payload
  await writeFile(newest, bytes);
  const log: string[] = [];
  const p = counting(input, new FileCheckpointStore(dir), disk, { every: 40, log });
  const stats = await p.run();
  const newestId = Number(files[1]!.slice(11, 23));
  t.deepEqual(stats.checkpoints!.skipped, [{ id: newestId, reason: 'checksum mismatch' }]);
  t.is(stats.checkpoints!.restoredFrom, newestId - 1);
  t.deepEqual(log, [`Pipeline 'pipeline': skipping checkpoint ${newestId}: checksum mismatch`]);
  t.deepEqual(canon(disk.committed), await expected(input));

  // A truncated file (a torn write on a store without atomic rename) is caught the same way.
  const again = new MemoryCheckpointStore();
  const disk2 = new Disk<WindowResult<number>>();
  t.truthy(await failure(counting(input, again, disk2, { every: 40, crashAt: 250 }).run()));
  const ids = [...again.list()].sort((a, b) => a - b);
  again.write(ids.at(-1)!, again.read(ids.at(-1)!)!.subarray(0, 20));
  const s2 = await counting(input, again, disk2, { every: 40 }).run();
  t.regex(s2.checkpoints!.skipped[0]!.reason, /truncated|bad header/);
  t.deepEqual(canon(disk2.committed), await expected(input));
});

test("recovery › restore: 'none' starts afresh; restore: <id> picks one, and a missing id fails naming what the store has", async (t) => {
  const input = recs(100);
  const store = new MemoryCheckpointStore();
  await counting(input, store, new Disk(), { every: 30 }).run();
  const ids = [...store.list()].sort((a, b) => a - b);
  t.is(ids.length, 2);
  const picked = await counting(input, store, new Disk(), { restore: ids[0]! }).run();
  t.is(picked.checkpoints!.restoredFrom, ids[0]);
  const err = await failure(counting(input, store, new Disk(), { restore: 999 }).run());
  t.true(SluiceError.is(err, ErrorCodes.CHECKPOINT_FAILED));
  t.regex(err!.message, /checkpoint 999 \(checkpoints.restore\) is not in the store; it holds \d+, \d+$/);
  const fresh = await counting(input, store, new Disk(), { restore: 'none' }).run();
  t.is(fresh.checkpoints!.restoredFrom, undefined);
  t.is(fresh.sources.src!.records, 100);
});

test('recovery › a checkpoint of another pipeline shape is refused, naming the task it does not know', async (t) => {
  const store = new MemoryCheckpointStore();
  await counting(recs(50), store, new Disk(), { every: 20 }).run();
  const other = createPipeline({
    components: [asyncArraySource(recs(50), { name: 'src', eventTime: (r: Rec) => r.t }), txnSink('sink2', 'src', new Disk())],
    checkpoints: { store },
  });
  const err = await failure(other.run());
  t.true(SluiceError.is(err, ErrorCodes.CHECKPOINT_FAILED));
  t.regex(err!.message, /holds state of 'out', which this pipeline does not have/);
});

test('recovery › with checkpoints a graceful stop keeps windows open: the restart goes on with them, nothing fires twice', async (t) => {
  const input = recs(300);
  const store = new MemoryCheckpointStore();
  const disk = new Disk<WindowResult<number>>();
  const clock = new VirtualClock();
  let seen = 0;
  @Stage({ name: 'recs', from: 'src' })
  class StopAt implements Mapper<Rec, Rec> {
    map(r: Rec) {
      if (++seen === 155) void p.stop();
      return r;
    }
  }
  const p = createPipeline({
    components: [asyncArraySource(input, { name: 'src', eventTime: (r: Rec) => r.t }), StopAt, Count, txnSink('out', 'count', disk)],
    batchSize: 10,
    clock,
    checkpoints: { store, log: () => undefined },
  });
  await p.run();
  const before = disk.committed.length;
  t.true(before > 0);
  const stats = await counting(input, store, disk).run();
  t.true(stats.checkpoints!.restoredFrom !== undefined);
  t.deepEqual(canon(disk.committed), await expected(input));
});

test('recovery › a sink whose commit throws fails the run with the reason; the restart commits it again, once', async (t) => {
  const input = recs(120);
  const store = new MemoryCheckpointStore();
  const disk = new Disk<WindowResult<number>>();
  class Flaky extends MemoryTxnSink<WindowResult<number>> {
    override commit(handle: unknown): void {
      throw new Error(`disk full (handle ${String(handle)})`);
    }
  }
  const { defineSink } = await import('@sluice/core');
  const p = createPipeline({
    components: [
      asyncArraySource(input, { name: 'src', eventTime: (r: Rec) => r.t }),
      Count2(),
      defineSink({ name: 'out', from: 'count' }, new Flaky(disk)),
    ],
    checkpoints: { store, log: () => undefined },
  });
  const err = await failure(p.run());
  t.true(SluiceError.is(err, ErrorCodes.CHECKPOINT_FAILED));
  t.regex(err!.message, /sink 'out' failed to commit checkpoint \d+: disk full .*; a restart commits it/);
  t.deepEqual(disk.committed, []);
  const again = createPipeline({
    components: [asyncArraySource(input, { name: 'src', eventTime: (r: Rec) => r.t }), Count2(), txnSink('out', 'count', disk)],
    checkpoints: { store, log: () => undefined },
  });
  await again.run();
  t.deepEqual(canon(disk.committed), await expected(input));
});

test('recovery › a store that fails a write costs that checkpoint only: the run goes on and the next one is stored', async (t) => {
  const input = recs(200);
  const inner = new MemoryCheckpointStore();
  let writes = 0;
  const store: CheckpointStore = {
    write: (id, data) => {
      if (++writes === 1) throw new Error('EIO');
      inner.write(id, data);
    },
    read: (id) => inner.read(id),
    list: () => inner.list(),
    remove: (id) => inner.remove(id),
  };
  const log: string[] = [];
  const disk = new Disk<WindowResult<number>>();
  const stats = await counting(input, store, disk, { every: 40, log }).run();
  t.is(stats.checkpoints!.failed, 1);
  t.true(stats.checkpoints!.completed >= 2);
  t.regex(log[0]!, /checkpoint 1 could not be stored: EIO/);
  t.deepEqual(canon(disk.committed), await expected(input));
});

// The same stage reading 'src' directly.
function Count2() {
  @Stage({ name: 'count', from: 'src', key: (r: Rec) => r.key })
  @Window({ tumbling: 100 })
  class C extends Count {}
  return C;
}

export { truncate };

test('recovery › a source blocked in a read does not hold checkpoints back: its barrier goes while it waits', async (t) => {
  const clock = new VirtualClock();
  // A feed that gives 3 records, then blocks until released; a second source keeps flowing.
  let release!: () => void;
  const blocked = new Promise<void>((r) => (release = r));
  let served = false;
  const quiet = {
    read: async () => {
      if (!served) {
        served = true;
        return [1, 2, 3];
      }
      await blocked;
      throw new (await import('@sluice/sdk')).EndOfStreamError();
    },
    position: () => (served ? 3 : 0),
    seek: () => undefined,
  };
  const { defineSource } = await import('@sluice/core');
  const disk = new Disk<number>();
  const store = new MemoryCheckpointStore();
  const p = createPipeline({
    components: [
      defineSource<number>({ name: 'quiet' }, quiet),
      asyncArraySource([10, 20, 30], { name: 'busy' }),
      txnSink('out', ['quiet', 'busy'] as never, disk),
    ],
    clock,
    checkpoints: { store, interval: 1000, log: () => undefined },
  });
  const run = p.run();
  // Wait (without timing assumptions) for 'busy' to finish and 'quiet' to block, then checkpoint.
  await until(() => p.stats().sources.busy?.records === 3 && p.stats().sources.quiet?.records === 3);
  clock.advance(1000);
  await until(() => p.stats().checkpoints!.completed >= 1);
  t.is(p.stats().checkpoints!.completed, 1); // while 'quiet' still waits in its read
  release();
  await run;
  t.deepEqual(
    [...disk.committed].sort((a, b) => a - b),
    [1, 2, 3, 10, 20, 30],
  );
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
