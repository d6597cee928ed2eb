import test from 'ava';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const example = fileURLToPath(new URL('../../../plugins/example', import.meta.url));

const sluice = (args: string[], env: Record<string, string> = {}) =>
  promisify(execFile)(process.execPath, [main, ...args], { env: { ...process.env, ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

const tempDir = () => mkdtempSync(join(tmpdir(), 'sluice-cli-'));
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { n: number });

test('run › a bounded pipeline of the example plugin writes the expected JSON lines and exits 0', async (t) => {
  const out = join(tempDir(), 'out.jsonl');
  // The fixture names the plugin by package name: resolved from the fixture's folder.
  const r = await sluice(['run', join(fixtures, 'ticks.yaml')], { OUT_FILE: out });
  t.is(r.code, 0, r.stderr);
  t.deepEqual(
    lines(out).map((l) => l.n),
    [0, 2, 4, 6, 8],
  );
  t.regex(r.stdout, /example-ticks .*10 records read, 5 written/);
});

test('run › a plugin loaded from a local path', async (t) => {
  const dir = tempDir();
  const out = join(dir, 'out.jsonl');
  const file = join(dir, 'odd.yaml');
  writeFileSync(
    file,
    `name: odd
plugins: ['${example}', '${join(fixtures, 'local-plugin.mjs')}']
components:
  - { class: ExampleTicks, settings: { count: 6 } }
  - class: OddTicks
  - { class: JsonLinesOut, from: odd, settings: { file: '${out}' } }
monitoring: { terminal: false }
`,
  );
  const r = await sluice(['run', file]);
  t.is(r.code, 0, r.stderr);
  t.deepEqual(
    lines(out).map((l) => l.n),
    [1, 3, 5],
  );
});

test('run › SIGTERM on an unbounded run drains, takes a final checkpoint and exits 0', async (t) => {
  const dir = tempDir();
  const out = join(dir, 'out.jsonl');
  const file = join(dir, 'unbounded.yaml');
  writeFileSync(
    file,
    `name: unbounded
plugins: ['${example}']
components:
  - class: ExampleTicks
  - class: EvenTicks
  - { class: JsonLinesOut, settings: { file: '${out}' } }
checkpoints: { store: file, dir: checkpoints, interval: 1h }
`,
  );
  const child = spawn(process.execPath, [main, 'run', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Waits for output rather than for a time: the run is under way once the sink has written.
  while (!existsSync(out) || statSync(out).size === 0) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGTERM');
  t.is(await exited, 0, stderr);
  t.regex(stderr, /SIGTERM: draining/);
  // The interval is an hour: the checkpoint there is the final one that the stop took.
  t.true(
    readdirSync(join(dir, 'checkpoints')).some((f) => f.startsWith('checkpoint-')),
    'a final checkpoint',
  );
  // Drained: every line is whole, and the even ticks come in order without a gap.
  const ns = lines(out).map((l) => l.n);
  t.deepEqual(
    ns,
    ns.map((_, i) => 2 * i),
  );
});

test('run › a second SIGTERM during the drain cancels: exit 1, saying so', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'slow.yaml');
  // A slow sink behind a big channel: the drain after the first signal has thousands of batches to write.
  writeFileSync(
    file,
    `name: slow
plugins: ['${example}', '${join(fixtures, 'slow-sink-plugin.mjs')}']
components:
  - class: ExampleTicks
  - class: SlowSink
batchSize: 10
channelCapacity: 100000
`,
  );
  const child = spawn(process.execPath, [main, 'run', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const until = async (what: string, done: () => boolean) => {
    for (const deadline = Date.now() + 60_000; !done(); await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${what}; stdout: ${stdout}\nstderr: ${stderr}`);
    }
  };
  // The live stats (a line per second off a terminal) say the pipeline runs and its signal handlers are in place.
  await until('live stats', () => /slow/.test(stdout));
  child.kill('SIGTERM');
  await until('drain message', () => /SIGTERM: draining/.test(stderr));
  child.kill('SIGTERM');
  t.is(await exited, 1, stderr);
  t.regex(stderr, /SIGTERM: cancelling/);
  t.regex(stderr, /cancelled by a second SIGTERM/);
});

test('run › a failing option exits 1 with the located error; a bad --duration is refused', async (t) => {
  const r = await sluice(['run', join(fixtures, 'ticks.yaml')]);
  t.is(r.code, 1);
  t.regex(r.stderr, /ticks\.yaml:15:13: environment variable OUT_FILE is not set/);
  const d = await sluice(['run', join(fixtures, 'ticks.yaml'), '--duration', 'soon'], { OUT_FILE: '/dev/null' });
  t.is(d.code, 1);
  t.regex(d.stderr, /--duration: "soon", expected a positive duration/);
});

test('graph › mermaid (the default) and dot', async (t) => {
  const env = { OUT_FILE: '/dev/null' };
  const mermaid = await sluice(['graph', join(fixtures, 'ticks.yaml')], env);
  t.is(mermaid.code, 0, mermaid.stderr);
  t.is(
    mermaid.stdout,
    [
      'flowchart LR',
      '  n0(["ticks (source)"])',
      '  n1["even (stage: filter)"]',
      '  n2[("out (sink)")]',
      '  n0 --> n1',
      '  n1 --> n2',
      '',
    ].join('\n'),
  );
  const dot = await sluice(['graph', join(fixtures, 'ticks.yaml'), '--format', 'dot'], env);
  t.is(dot.code, 0, dot.stderr);
  t.regex(dot.stdout, /^digraph "example-ticks" \{/);
  t.regex(dot.stdout, /"ticks" \[label="ticks \(source\)", shape=ellipse\];/);
  t.regex(dot.stdout, /"even" -> "out";/);
  const bad = await sluice(['graph', join(fixtures, 'ticks.yaml'), '--format', 'png'], env);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /--format: "png", expected mermaid or dot/);
});

test('run › "name" renames nodes; the same class can serve twice under two names', async (t) => {
  const dir = tempDir();
  const out = join(dir, 'out.jsonl');
  const file = join(dir, 'renamed.yaml');
  writeFileSync(
    file,
    `name: renamed
plugins: ['${example}']
components:
  - { class: ExampleTicks, name: feed, settings: { count: 8 } }
  - { class: EvenTicks, name: evens, from: feed }
  - { class: EvenTicks, name: evens-again, from: evens }
  - { class: JsonLinesOut, name: file-out, from: evens-again, settings: { file: '${out}' } }
monitoring: { terminal: false }
`,
  );
  const graph = await sluice(['graph', file, '--format', 'dot']);
  t.is(graph.code, 0, graph.stderr);
  t.regex(graph.stdout, /"feed" -> "evens";\n  "evens" -> "evens-again";\n  "evens-again" -> "file-out";/);
  const r = await sluice(['run', file]);
  t.is(r.code, 0, r.stderr);
  t.deepEqual(
    lines(out).map((l) => l.n),
    [0, 2, 4, 6],
  );
});

test('run › --port serves the monitoring dashboard (and --no-dashboard turns it off)', async (t) => {
  const env = { OUT_FILE: join(tempDir(), 'out.jsonl') };
  const r = await sluice(['run', join(fixtures, 'ticks.yaml'), '--port', '0'], env);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /http:\/\/127\.0\.0\.1:\d+/);
  const off = await sluice(['run', join(fixtures, 'ticks.yaml'), '--port', '0', '--no-dashboard'], env);
  t.is(off.code, 0, off.stderr);
  t.notRegex(off.stderr, /http:\/\//);
});

test('run › a pipeline that fails while running exits 1 with the error at its component', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'fails.yaml');
  writeFileSync(
    file,
    `name: fails
plugins: ['${example}']
components:
  - { class: ExampleTicks, settings: { count: 4 } }
  - class: EvenTicks
  - { class: JsonLinesOut, settings: { file: '${join(dir, 'no-such-dir', 'out.jsonl')}' } }
monitoring: { terminal: false }
`,
  );
  const r = await sluice(['run', file]);
  t.is(r.code, 1);
  t.true(r.stderr.startsWith(`sluice: ${file}:6:7: Sink 'out' (class JsonLinesOut) failed to write: ENOENT`), r.stderr);
});
