// PENDING: needs the checkpoint engine (createPipeline's `checkpoints` option, FileCheckpointStore,
// SLUICE_CRASH_POINT), which is on main but not on this branch's base. After merging main, move this
// folder to plugins/files/test/e2e/ (the test tsconfig and the ava glob then pick it up). It passed
// against main 2d54bc5 in a scratch merge: 8 tests (kill -9 at before-checkpoint-write, after-pre-commit,
// before-commit, the 1st and 5th time; a replay from an older checkpoint): every record committed once.
import test from 'ava';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileSink } from '@sluice/files';
import { tempDir } from '../helpers.js';
import { COUNT } from './files-run.js';

const script = fileURLToPath(new URL('./files-run.js', import.meta.url));

function run(dir: string, env: Record<string, string>) {
  return new Promise<{ stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    const child = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ stdout, stderr, code, signal }));
  });
}

/** The committed output: the final files in name order. */
function committed(dir: string): string[] {
  const sink = new FileSink({ dir: join(dir, 'out'), name: 'ticks' });
  return sink.committedFiles().flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as string),
  );
}

const want = Array.from({ length: COUNT }, (_, i) => i)
  .filter((i) => i % 97 !== 96)
  .map((i) => `${i} ${['AAPL', 'MSFT', 'NVDA'][i % 3]!} ${1 + (i % 7)}`);

test('files e2e › an uninterrupted checkpointed run commits every record once; the malformed lines are dead letters', async (t) => {
  const dir = tempDir(t);
  const done = await run(dir, {});
  t.is(done.code, 0, done.stderr);
  t.deepEqual(committed(dir), want);
  t.regex(done.stdout, new RegExp(`"deadLettered":${Math.floor(COUNT / 97)}`));
});

for (const point of ['before-checkpoint-write', 'after-pre-commit', 'before-commit']) {
  for (const nth of [1, 5]) {
    test(`files e2e › killed at ${point}:${nth}, restarted: every record in the committed output once, in order`, async (t) => {
      const dir = tempDir(t);
      const crashed = await run(dir, { SLUICE_CRASH_POINT: `${point}:${nth}` });
      t.is(crashed.signal, 'SIGKILL', crashed.stderr + crashed.stdout);
      t.true(committed(dir).length < want.length);
      const done = await run(dir, {});
      t.is(done.code, 0, done.stderr);
      if (nth > 1) t.regex(done.stdout, /"restoredFrom":\d+/);
      t.deepEqual(committed(dir), want);
    });
  }
}

test('files e2e › a finished run replayed from an older checkpoint ends with every record once', async (t) => {
  const dir = tempDir(t);
  const first = await run(dir, {});
  t.is(first.code, 0, first.stderr);
  const stored = JSON.parse(/done (.*)/.exec(first.stdout)![1]!) as { lastId: number };
  const older = stored.lastId - 2; // retain 3: the oldest kept
  const replay = await run(dir, { RESTORE: String(older) });
  t.is(replay.code, 0, replay.stderr);
  t.regex(replay.stdout, new RegExp(`"restoredFrom":${older}`));
  t.deepEqual(committed(dir), want);
});
