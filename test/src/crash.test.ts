import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { writeTickFile } from './crash/tick-file.js';

// The crash test of issue #4: a real child process runs a durable pipeline (file source of
// 1,000,000 ticks → validate → 1 s candles per symbol → transactional file sink and SQLite sink,
// checkpoints to SQLite) and is killed with SIGKILL — at random moments, and at each named crash
// point — then restarted. The committed output must equal, record for record, that of a run
// that was never killed. Seeded: CRASH_TEST_SEED reproduces a failing sequence of kills.

const TICKS = Number(process.env.CRASH_TEST_TICKS ?? 1_000_000);
const SEED = Number(process.env.CRASH_TEST_SEED ?? 20261128);
const CHILD = new URL('./crash/durable-candles.js', import.meta.url).pathname;

let root: string;
let input: string;
let reference: Output;

interface Output {
  file: string[];
  db: string[];
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the child once. `killAfterMs` sends SIGKILL that long after the child has stored its first
 * checkpoint of this run (if it is still running): so each run makes progress, whatever the load.
 */
function runChild(work: string, env: Record<string, string> = {}, killAfterMs?: number): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const announce = killAfterMs === undefined ? {} : { CRASH_TEST_ANNOUNCE: '1' };
    const child = spawn(process.execPath, [CHILD, input, work], {
      env: { ...process.env, ...env, ...announce },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (killAfterMs !== undefined && timer === undefined && /^checkpoint \d+$/m.test(stdout))
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** What the sinks committed: the final files in name order, and the table in insertion order. */
function committed(work: string): Output {
  const dir = join(work, 'out');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => !f.startsWith('.'))
        .sort()
    : [];
  const file = files.flatMap((f) =>
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .filter((l) => l !== ''),
  );
  const dbPath = join(work, 'candles.db');
  let db: string[] = [];
  if (existsSync(dbPath)) {
    const conn = new Database(dbPath, { readonly: true });
    try {
      db = (
        conn.prepare('SELECT symbol, start, open, high, low, close, volume, vwap, count FROM candles ORDER BY rowid').all() as object[]
      ).map((r) => JSON.stringify(r));
    } finally {
      conn.close();
    }
  }
  return { file, db };
}

async function workDir(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Runs the child until it completes; returns its last report. */
async function runToEnd(work: string, env: Record<string, string> = {}): Promise<{ ok: boolean; checkpoints?: { restoredFrom?: number } }> {
  const exit = await runChild(work, env);
  if (exit.code !== 0)
    throw new Error(`the child did not complete: code ${exit.code} signal ${exit.signal}\n${exit.stdout}\n${exit.stderr}`);
  return JSON.parse(exit.stdout.trim().split('\n').at(-1)!) as { ok: boolean };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'sluice-crash-'));
  input = join(root, 'ticks.jsonl');
  await writeTickFile(input, TICKS);
  const work = await workDir('reference');
  const report = await runToEnd(work);
  if (!report.ok) throw new Error('the reference run failed');
  reference = committed(work);
});

test.after.always(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

test.serial('crash › the reference run commits every candle to both sinks', (t) => {
  t.true(reference.file.length > 10_000, `${reference.file.length} candles`);
  t.deepEqual(
    reference.db,
    reference.file.map((l) => JSON.stringify(JSON.parse(l) as object)),
  );
});

test.serial(
  `crash › killed with SIGKILL at 5+ random moments (seed ${SEED}) and restarted, the committed output equals the uninterrupted run`,
  async (t) => {
    const work = await workDir('random-kills');
    const random = mulberry32(SEED);
    const kills: number[] = [];
    while (kills.length < 5) {
      const delay = Math.round(random() * 250);
      const exit = await runChild(work, {}, delay);
      if (exit.signal === 'SIGKILL') kills.push(delay);
      else break; // it finished before the kill: nothing left to kill
    }
    t.true(
      kills.length >= 5,
      `killed ${kills.length} times (${kills.join(', ')} ms after a run's first checkpoint); raise CRASH_TEST_TICKS if the run is too short`,
    );
    const report = await runToEnd(work);
    t.not(report.checkpoints?.restoredFrom, undefined);
    const out = committed(work);
    t.is(out.file.length, reference.file.length);
    t.deepEqual(out.file, reference.file);
    t.deepEqual(out.db, reference.db);
  },
);

for (const point of ['before-checkpoint-write', 'after-pre-commit', 'before-commit', 'between-commits']) {
  test.serial(`crash › killed at crash point '${point}' and restarted: no duplicate, no loss`, async (t) => {
    const work = await workDir(point);
    const exit = await runChild(work, { SLUICE_CRASH_POINT: `${point}:3` });
    t.is(exit.signal, 'SIGKILL', `the crash point was not reached: ${exit.stdout}${exit.stderr}`);
    await runToEnd(work);
    t.deepEqual(committed(work), reference);
  });
}

test.serial(
  "crash › with the file store, killed between writing a checkpoint's temporary file and renaming it: that checkpoint never existed",
  async (t) => {
    const work = await workDir('file-store-write');
    const exit = await runChild(work, { CRASH_TEST_STORE: 'file', SLUICE_CRASH_POINT: 'checkpoint-write:4' });
    t.is(exit.signal, 'SIGKILL');
    t.true(readdirSync(join(work, 'checkpoints')).some((f) => f.endsWith('.tmp')));
    const report = (await runToEnd(work, { CRASH_TEST_STORE: 'file' })) as { checkpoints?: { restoredFrom?: number } };
    t.is(report.checkpoints?.restoredFrom, 3);
    t.deepEqual(committed(work), reference);
  },
);

test.serial(
  'crash › killed in the middle of a checkpoint write (half the blob stored): the torn checkpoint is skipped for the one before',
  async (t) => {
    const work = await workDir('torn-write');
    const exit = await runChild(work, { CRASH_TEST_TORN_WRITE: '4' });
    t.is(exit.signal, 'SIGKILL');
    const report = (await runToEnd(work)) as { checkpoints?: { restoredFrom?: number; skipped?: { id: number; reason: string }[] } };
    t.is(report.checkpoints?.skipped?.[0]?.id, 4);
    t.is(report.checkpoints?.restoredFrom, 3);
    t.deepEqual(committed(work), reference);
  },
);

test.serial(
  'crash › a corrupt newest checkpoint whose output was committed: restored from the one before, the later commits are rolled back',
  async (t) => {
    const work = await workDir('corrupt-latest');
    // Checkpoints 1 to 5 stored, 1 to 4 committed; the process dies before committing 5.
    const exit = await runChild(work, { SLUICE_CRASH_POINT: 'before-commit:5' });
    t.is(exit.signal, 'SIGKILL');
    const db = new Database(join(work, 'checkpoints.db'));
    try {
      for (const id of [4, 5]) {
        const { data } = db.prepare('SELECT data FROM sluice_checkpoints WHERE id = ?').get(id) as { data: Buffer };
        for (let i = data.length - 8; i < data.length; i++) data[i] = data[i]! ^ 0xff; // flipped bits in the payload
        db.prepare('UPDATE sluice_checkpoints SET data = ? WHERE id = ?').run(data, id);
      }
    } finally {
      db.close();
    }
    const report = (await runToEnd(work)) as { checkpoints?: { restoredFrom?: number; skipped?: { id: number }[] } };
    t.deepEqual(
      report.checkpoints?.skipped?.map((s) => s.id),
      [5, 4],
    );
    t.is(report.checkpoints?.restoredFrom, 3);
    t.deepEqual(committed(work), reference);
  },
);

test.serial('crash › a sink that throws during commit fails the run; the restart commits that transaction once', async (t) => {
  const work = await workDir('commit-throws');
  const exit = await runChild(work, { CRASH_TEST_COMMIT_THROWS: '3' });
  t.is(exit.code, 1);
  t.regex(exit.stdout, /SLUICE_ERR_CHECKPOINT_FAILED.*injected commit failure/);
  await runToEnd(work);
  t.deepEqual(committed(work), reference);
});
