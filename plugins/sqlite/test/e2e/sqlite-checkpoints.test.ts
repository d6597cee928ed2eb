// PENDING: needs the checkpoint engine (createPipeline's `checkpoints` option, SLUICE_CRASH_POINT),
// which is on main but not on this branch's base. After merging main, move this folder to
// plugins/sqlite/test/e2e/ (the test tsconfig and the ava glob then pick it up). It passed against
// main a45948e: 9 tests, every crash point, and a replay from an older checkpoint.
import test from 'ava';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { WindowResult } from '@sluice/sdk';
import { fixture, runChild } from '../fixtures/child.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { build, ticks } from './candles-run.js';

const run = fixture('../e2e/candles-run');

async function expected() {
  const volume: string[] = [];
  const raw: string[] = [];
  const p = build(undefined, {
    volume: { write: (b: readonly WindowResult<number>[]) => b.forEach((w) => volume.push(`${String(w.key)} ${w.start} ${w.value}`)) },
    raw: { write: (b: typeof ticks) => b.forEach((x) => raw.push(`${x.id} ${x.symbol} ${x.size}`)) },
  });
  await p.run();
  return { volume: volume.sort(), raw };
}

function table(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    return {
      volume: (db.prepare('SELECT symbol, start, volume FROM volume').all() as { symbol: string; start: number; volume: number }[])
        .map((r) => `${r.symbol} ${r.start} ${r.volume}`)
        .sort(),
      raw: (db.prepare('SELECT id, symbol, size FROM raw ORDER BY rowid').all() as { id: number; symbol: string; size: number }[]).map(
        (r) => `${r.id} ${r.symbol} ${r.size}`,
      ),
    };
  } finally {
    db.close();
  }
}

for (const point of ['before-checkpoint-write', 'after-pre-commit', 'before-commit', 'between-commits']) {
  for (const nth of [1, 4]) {
    test(`checkpointed pipeline on SQLite › killed at ${point}:${nth}, restarted: every row once`, async (t) => {
      const dir = tempDir(t);
      const want = await expected();
      const crashed = await runChildEnv(run, [dir], { SLUICE_CRASH_POINT: `${point}:${nth}` });
      t.is(crashed.signal, 'SIGKILL', crashed.stderr + crashed.stdout);
      const done = await runChildEnv(run, [dir], {});
      t.is(done.code, 0, done.stderr);
      // Killed before the first checkpoint was stored, the restart starts afresh; otherwise it restores one.
      if (!(nth === 1 && (point === 'before-checkpoint-write' || point === 'after-pre-commit'))) t.regex(done.stdout, /"restoredFrom":\d+/);
      const got = table(join(dir, 'out.db'));
      t.is(got.raw.length, ticks.length);
      t.deepEqual(got.raw, want.raw);
      t.deepEqual(got.volume, want.volume);
    });
  }
}

function runChildEnv(script: string, args: string[], env: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return runChild(script, args);
  } finally {
    process.env = saved;
  }
}

test('checkpointed pipeline on SQLite › a completed run replayed from an older checkpoint ends with every row once', async (t) => {
  const dir = tempDir(t);
  const want = await expected();
  const first = await runChildEnv(run, [dir], {});
  t.is(first.code, 0, first.stderr);
  const stored = JSON.parse(/done (.*)/.exec(first.stdout)![1]!) as { lastId: number };
  const older = stored.lastId - 2; // retain 3: the oldest kept
  const replay = await runChildEnv(run, [dir], { RESTORE: String(older) });
  t.is(replay.code, 0, replay.stderr);
  t.regex(replay.stdout, new RegExp(`"restoredFrom":${older}`));
  const got = table(join(dir, 'out.db'));
  t.deepEqual(got.raw, want.raw);
  t.deepEqual(got.volume, want.volume);
});
