import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const example = fileURLToPath(new URL('../../../plugins/example', import.meta.url));
const replayPlugin = join(fixtures, 'replay-plugin.mjs');

const sluice = (args: string[]) =>
  promisify(execFile)(process.execPath, [main, ...args]).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

const tempDir = () => mkdtempSync(join(tmpdir(), 'sluice-replay-'));
const ns = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { n: number }).n);

/** ExampleTicks (10) -> NoThirds (rejects multiples of 3, dead-lettered) -> JsonLinesOut, checkpoints on disk. */
function thirds(dir: string) {
  const file = join(dir, 'thirds.yaml');
  writeFileSync(
    file,
    `name: thirds
plugins: ['${example}', '${replayPlugin}']
components:
  - { class: ExampleTicks, settings: { count: 10 } }
  - { class: NoThirds, onError: { then: dead-letter } }
  - { class: JsonLinesOut, from: checked, settings: { file: '${join(dir, 'out.jsonl')}' } }
checkpoints: { store: file, dir: checkpoints, interval: 1h }
monitoring: { terminal: false }
`,
  );
  return file;
}

/** TimedTicks (n = 0..9 at n seconds) -> JsonLinesOut. */
function timed(dir: string) {
  const file = join(dir, 'timed.yaml');
  writeFileSync(
    file,
    `name: timed
plugins: ['${example}', '${replayPlugin}']
components:
  - class: TimedTicks
  - { class: JsonLinesOut, from: timed, settings: { file: '${join(dir, 'out.jsonl')}' } }
monitoring: { terminal: false }
`,
  );
  return file;
}

const letter = (n: number) =>
  JSON.stringify({
    stage: 'checked',
    value: { n, symbol: 'AAPL', price: 100 },
    position: n,
    error: { name: 'Error', message: 'x' },
    attempts: 1,
  });

test('replay --dead-letters › re-feeds the records into the stage that rejected them and counts those that fail again', async (t) => {
  const dir = tempDir();
  const file = thirds(dir);
  const letters = join(dir, 'dead-letters.jsonl');
  writeFileSync(letters, [1, 3, 4].map(letter).join('\n') + '\n');
  const r = await sluice(['replay', file, '--dead-letters', letters]);
  t.is(r.code, 0, r.stderr);
  // The source is quiet: only the replayed records reach the sink, 3 is rejected again.
  t.deepEqual(ns(join(dir, 'out.jsonl')), [1, 4]);
  t.regex(r.stdout, /replayed 3 dead letters from .*dead-letters\.jsonl: 1 failed again/);
});

test('replay --dead-letters --json › a one-line JSON summary', async (t) => {
  const dir = tempDir();
  const letters = join(dir, 'dead-letters.jsonl');
  writeFileSync(letters, [2, 6].map(letter).join('\n') + '\n');
  const r = await sluice(['replay', thirds(dir), '--dead-letters', letters, '--json']);
  t.is(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout.trim()) as Record<string, unknown>;
  t.like(summary, { pipeline: 'thirds', mode: 'dead-letters', replayed: 2, failedAgain: 1, recordsWritten: 1 });
});

test('replay --dead-letters › a line that is not a dead letter fails naming the file and line', async (t) => {
  const dir = tempDir();
  const letters = join(dir, 'dead-letters.jsonl');
  writeFileSync(letters, `${letter(1)}\n{"value": 1}\n`);
  const r = await sluice(['replay', thirds(dir), '--dead-letters', letters]);
  t.is(r.code, 1);
  t.regex(r.stderr, /dead-letters\.jsonl line 2: not a dead letter/);
});

test('replay --dead-letters › a missing file is a clear error', async (t) => {
  const dir = tempDir();
  const r = await sluice(['replay', thirds(dir), '--dead-letters', join(dir, 'none.jsonl')]);
  t.is(r.code, 1);
  t.regex(r.stderr, /none\.jsonl: cannot read the dead-letter file \(ENOENT\)/);
});

test('replay --from-checkpoint › restores the checkpoint a run took', async (t) => {
  const dir = tempDir();
  const file = thirds(dir);
  const run = await sluice(['run', file]);
  t.is(run.code, 0, run.stderr);
  const r = await sluice(['replay', file, '--from-checkpoint', '1', '--json']);
  t.is(r.code, 0, r.stderr);
  // The checkpoint was taken at the end of input: nothing is left to read.
  t.like(JSON.parse(r.stdout.trim()) as Record<string, unknown>, { mode: 'checkpoint', checkpoint: 1, recordsRead: 0 });
});

test("replay --from-checkpoint › an id the store does not hold fails with core's message naming the ids", async (t) => {
  const dir = tempDir();
  const file = thirds(dir);
  t.is((await sluice(['run', file])).code, 0);
  const r = await sluice(['replay', file, '--from-checkpoint', '99']);
  t.is(r.code, 1);
  t.regex(r.stderr, /thirds\.yaml:\d+:\d+: .*checkpoint 99 \(checkpoints\.restore\) is not in the store; it holds 1/);
});

test('replay --from-checkpoint › a file without a checkpoints section is an error', async (t) => {
  const r = await sluice(['replay', timed(tempDir()), '--from-checkpoint', '1']);
  t.is(r.code, 1);
  t.regex(r.stderr, /timed\.yaml: --from-checkpoint needs a 'checkpoints' section/);
});

test('replay --from-checkpoint › an id that is not a number is an error', async (t) => {
  const r = await sluice(['replay', thirds(tempDir()), '--from-checkpoint', 'latest']);
  t.is(r.code, 1);
  t.regex(r.stderr, /--from-checkpoint: "latest", expected a checkpoint id/);
});

test('replay --from-time › an ISO date-time starts the sources at that event time', async (t) => {
  const dir = tempDir();
  const r = await sluice(['replay', timed(dir), '--from-time', '1970-01-01T00:00:04Z', '--json']);
  t.is(r.code, 0, r.stderr);
  t.deepEqual(ns(join(dir, 'out.jsonl')), [4, 5, 6, 7, 8, 9]);
  t.like(JSON.parse(r.stdout.trim()) as Record<string, unknown>, { mode: 'time', fromTime: 4000, recordsWritten: 6 });
});

test('replay --from-time › epoch milliseconds', async (t) => {
  const dir = tempDir();
  const r = await sluice(['replay', timed(dir), '--from-time', '7000']);
  t.is(r.code, 0, r.stderr);
  t.deepEqual(ns(join(dir, 'out.jsonl')), [7, 8, 9]);
});

test('replay --from-time › a source without eventTime is an error naming it', async (t) => {
  const r = await sluice(['replay', thirds(tempDir()), '--from-time', '2024-01-02T09:30:00Z']);
  t.is(r.code, 1);
  t.regex(
    r.stderr,
    /thirds\.yaml:\d+:\d+: Source 'ticks' \(class ExampleTicks\): option "startAt" gives an event time, but the source has no eventTime/,
  );
});

test('replay --from-time › a value that is not a time is an error', async (t) => {
  const r = await sluice(['replay', timed(tempDir()), '--from-time', 'yesterday']);
  t.is(r.code, 1);
  t.regex(r.stderr, /--from-time: "yesterday", expected an ISO date-time .* or epoch milliseconds/);
});

test('replay › none of the modes is an error', async (t) => {
  const r = await sluice(['replay', timed(tempDir())]);
  t.is(r.code, 1);
  t.regex(r.stderr, /expected one of --from-checkpoint <id>, --dead-letters <jsonl> or --from-time <time>/);
});

test('replay › several modes are an error', async (t) => {
  const r = await sluice(['replay', timed(tempDir()), '--from-time', '0', '--from-checkpoint', '1']);
  t.is(r.code, 1);
  t.regex(r.stderr, /--from-checkpoint and --from-time given, expected only one/);
});

test('deadLetters › run appends the rejected records to the file’s deadLetters file; replaying it (moved aside) appends those that fail again', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'kept.yaml');
  writeFileSync(
    file,
    `name: kept
plugins: ['${example}', '${replayPlugin}']
components:
  - { class: ExampleTicks, settings: { count: 10 } }
  - { class: NoThirds, onError: { then: dead-letter } }
  - { class: JsonLinesOut, from: checked, settings: { file: '${join(dir, 'out.jsonl')}' } }
deadLetters: { file: dlq.jsonl }
monitoring: { terminal: false }
`,
  );
  const dlq = join(dir, 'dlq.jsonl');
  const run = await sluice(['run', file]);
  t.is(run.code, 0, run.stderr);
  t.deepEqual(ns(join(dir, 'out.jsonl')), [1, 2, 4, 5, 7, 8]);
  const letters = readFileSync(dlq, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { stage: string; value: { n: number }; error: { message: string } });
  t.deepEqual(
    letters.map((l) => [l.stage, l.value.n, l.error.message]),
    [0, 3, 6, 9].map((n) => ['checked', n, `tick ${n} is a multiple of 3`]),
  );
  t.regex(run.stderr, new RegExp(`sluice: 4 dead letters appended to .*dlq\\.jsonl`));

  // Replaying the file the pipeline appends to is refused: it would read what it writes.
  const same = await sluice(['replay', file, '--dead-letters', dlq]);
  t.is(same.code, 1);
  t.regex(same.stderr, /is the pipeline's own deadLetters\.file, .* move it aside first/);

  // Moved aside and replayed (the stage still rejects them): all four fail again, and are kept again.
  const aside = join(dir, 'dlq-1.jsonl');
  writeFileSync(aside, readFileSync(dlq));
  writeFileSync(dlq, '');
  const replay = await sluice(['replay', file, '--dead-letters', aside, '--json']);
  t.is(replay.code, 0, replay.stderr);
  const summary = JSON.parse(replay.stdout) as { replayed: number; failedAgain: number; failedAgainTo: string };
  t.like(summary, { replayed: 4, failedAgain: 4, failedAgainTo: dlq });
  t.deepEqual(
    readFileSync(dlq, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { value: { n: number } }).value.n),
    [0, 3, 6, 9],
  );
});

test('deadLetters › without a deadLetters file, run says the dead letters were not kept and how to keep them; a bad section is located', async (t) => {
  const dir = tempDir();
  const file = thirds(dir);
  const run = await sluice(['run', file]);
  t.is(run.code, 0, run.stderr);
  t.regex(run.stderr, /sluice: 4 dead letters were not kept: add deadLetters: \{ file: dead-letters\.jsonl \} to .*thirds\.yaml/);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, readFileSync(file, 'utf8') + 'deadLetters: { path: x.jsonl }\n');
  const r = await sluice(['validate', bad]);
  t.is(r.code, 1);
  t.regex(r.stderr, /bad\.yaml:9:16: unknown key "path" in "deadLetters", expected one of file/);
});

test('replay › --duration stops a replay by itself (here of an unbounded source from a checkpoint)', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'endless.yaml');
  writeFileSync(
    file,
    `name: endless
plugins: ['${example}']
components:
  - class: ExampleTicks
  - class: EvenTicks
  - { class: JsonLinesOut, settings: { file: '${join(dir, 'out.jsonl')}' } }
checkpoints: { store: file, dir: checkpoints, interval: 1h }
monitoring: { terminal: false }
`,
  );
  // The first run stops by itself too, with its final checkpoint.
  const first = await sluice(['run', file, '--duration', '300ms']);
  t.is(first.code, 0, first.stderr);
  const written = ns(join(dir, 'out.jsonl')).length;
  const id = Number(/(\d+)\.bin$/.exec(readdirSync(join(dir, 'checkpoints')).sort().at(-1)!)![1]);
  const r = await sluice(['replay', file, '--from-checkpoint', String(id), '--duration', '300ms', '--json']);
  t.is(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as { recordsRead: number; recordsWritten: number };
  t.true(summary.recordsRead > 0);
  // It went on from the checkpoint: the even ticks continue without a gap or a repeat.
  const all = ns(join(dir, 'out.jsonl'));
  t.is(all.length, written + summary.recordsWritten);
  t.deepEqual(
    all,
    all.map((_, i) => 2 * i),
  );
  const bad = await sluice(['replay', file, '--from-checkpoint', String(id), '--duration', 'soon']);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /--duration: "soon", expected a positive duration/);
});
