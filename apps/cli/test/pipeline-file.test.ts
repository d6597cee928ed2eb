import test, { type ExecutionContext } from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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

/** Writes `text` as a pipeline file in a new temp dir; returns its path. */
function pipelineFile(text: string, name = 'pipeline.yaml'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sluice-cli-')), name);
  writeFileSync(file, text);
  return file;
}

/** A valid file of the example plugin (by path: temp dirs have no node_modules), with `extra` lines. */
const valid = (extra = '') => `name: ticks
plugins:
  - ${example}
components:
  - class: ExampleTicks
    settings:
      count: 4
  - class: EvenTicks
  - class: JsonLinesOut
    settings:
      file: /dev/null
${extra}`;

/** Runs `validate` and checks the one-line error names the file, line and column, and says `message`. */
async function refuses(t: ExecutionContext, text: string, line: number, column: number, message: RegExp) {
  const file = pipelineFile(text);
  const r = await sluice(['validate', file]);
  t.is(r.code, 1);
  t.true(r.stderr.startsWith(`sluice: ${file}:${line}:${column}: `), r.stderr);
  t.regex(r.stderr, message);
  t.is(r.stderr.trim().split('\n').length, 1, 'one line');
  const json = await sluice(['validate', file, '--json']);
  t.is(json.code, 1);
  const out = JSON.parse(json.stdout) as { ok: boolean; errors: { file: string; line: number; column: number; message: string }[] };
  t.false(out.ok);
  t.like(out.errors[0], { file, line, column });
}

test('validate › a valid file: exit 0 and "ok: <name>, N nodes" (and --json)', async (t) => {
  const file = pipelineFile(valid());
  const r = await sluice(['validate', file]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, 'ok: ticks, 3 nodes\n');
  const json = await sluice(['validate', file, '--json']);
  t.deepEqual(JSON.parse(json.stdout), { ok: true, name: 'ticks', nodes: 3, errors: [] });
});

test('validate › a JSON file is read the same way', async (t) => {
  const spec = {
    name: 'ticks',
    plugins: [example],
    components: [{ class: 'ExampleTicks' }, { class: 'EvenTicks' }, { class: 'JsonLinesOut', settings: { file: '/dev/null' } }],
  };
  const r = await sluice(['validate', pipelineFile(JSON.stringify(spec, null, 2), 'p.json')]);
  t.is(r.code, 0, r.stderr);
});

test('validate › an unknown key points at the key', async (t) => {
  await refuses(t, valid('batchsize: 10\n'), 12, 1, /unknown key "batchsize" in the file, expected one of name, plugins, components/);
});

test('validate › an unknown key in a component points at it', async (t) => {
  await refuses(
    t,
    valid().replace('  - class: EvenTicks', '  - class: EvenTicks\n    form: ticks'),
    9,
    5,
    /unknown key "form" in "components\.1", expected one of class, name, from/,
  );
});

test('validate › a wrong type points at the value', async (t) => {
  await refuses(t, valid('batchSize: lots\n'), 12, 12, /"batchSize" is string "lots", expected an integer of at least 1/);
});

test('validate › an unknown class names the ones the plugins have', async (t) => {
  await refuses(
    t,
    valid().replace('class: EvenTicks', 'class: OddTicks'),
    8,
    12,
    /unknown class "OddTicks", expected one of .*ExampleTicks, EvenTicks, JsonLinesOut/,
  );
});

test('validate › a package that is not installed is named, with the file', async (t) => {
  const file = pipelineFile(valid().replace(example, "'@acme/no-such-plugin'"));
  const r = await sluice(['validate', file]);
  t.is(r.code, 1);
  t.true(r.stderr.startsWith(`sluice: ${file}:3:5: plugin "@acme/no-such-plugin" not found`), r.stderr);
  t.true(r.stderr.includes(`not installed where ${file} is`));
});

test('validate › a module that does not export a plugin says what is expected', async (t) => {
  await refuses(
    t,
    valid().replace(example, join(fixtures, 'not-a-plugin.mjs')),
    3,
    5,
    /is not a Sluice plugin, expected its module to export `plugin`/,
  );
});

test('validate › a plugin built for another SDK major names both majors', async (t) => {
  const text = valid().replace(`  - ${example}`, `  - ${example}\n  - ${join(fixtures, 'future-sdk-plugin.mjs')}`);
  await refuses(t, text, 4, 5, /plugin from-the-future@9\.0\.0 was built for SDK major 99, expected SDK major 0/);
});

test('validate › two plugins exporting the same component name: both are named', async (t) => {
  const text = valid().replace(`  - ${example}`, `  - ${example}\n  - ${join(fixtures, 'same-name-plugin.mjs')}`);
  await refuses(t, text, 4, 5, /component "EvenTicks" is exported by two plugins, @sluice\/example-plugin and same-name/);
});

test('validate › an unset environment variable is named at its line', async (t) => {
  await refuses(
    t,
    valid().replace('file: /dev/null', 'file: ${SLUICE_TEST_UNSET}'),
    11,
    13,
    /environment variable SLUICE_TEST_UNSET is not set/,
  );
});

test('validate › an option core refuses is mapped to the line of its component', async (t) => {
  const text = valid().replace('  - class: EvenTicks', '  - class: EvenTicks\n    options:\n      concurrency: -3');
  await refuses(t, text, 9, 5, /@Stage .*EvenTicks.*concurrency/);
});

test('validate › values from the environment are used and never echoed', async (t) => {
  const secret = 's3cr3t-value-xyz';
  const file = pipelineFile(valid('batchSize: ${SLUICE_TEST_SECRET}\n'));
  const r = await sluice(['validate', file], { SLUICE_TEST_SECRET: secret });
  t.is(r.code, 1);
  t.regex(r.stderr, /"batchSize" is string "\*\*\*", expected an integer/);
  t.false(r.stderr.includes(secret));
  const json = await sluice(['validate', file, '--json'], { SLUICE_TEST_SECRET: secret });
  t.false(json.stdout.includes(secret));
  t.regex(json.stdout, /\*\*\*/);
  // Used: the value reaches the component (here, the sink's file).
  const out = join(mkdtempSync(join(tmpdir(), 'sluice-cli-')), 'out.jsonl');
  const ok = await sluice(['run', pipelineFile(valid().replace('file: /dev/null', 'file: ${SLUICE_TEST_OUT}'))], { SLUICE_TEST_OUT: out });
  t.is(ok.code, 0, ok.stderr);
  t.false(ok.stdout.includes(out) || ok.stderr.includes(out));
});

test('validate › settings a class refuses point at its settings', async (t) => {
  await refuses(t, valid().replace('count: 4', 'count: -1'), 6, 5, /ExampleTicks: settings\.count must be a non-negative integer, got -1/);
});

test('validate › nested sections and list items are checked at their own line and column', async (t) => {
  await refuses(
    t,
    valid('checkpoints: { store: file, dri: x }\n'),
    12,
    29,
    /unknown key "dri" in "checkpoints", expected one of store, dir, interval, mode/,
  );
  await refuses(
    t,
    valid('checkpoints: { store: disk }\n'),
    12,
    23,
    /"checkpoints\.store" is string "disk", expected 'memory', 'file' or 'nats-kv'/,
  );
  await refuses(
    t,
    valid().replace(`  - ${example}`, `  - ${example}\n  - 3`),
    4,
    5,
    /"plugins\.1" is number 3, expected a list of package names or paths/,
  );
  await refuses(
    t,
    valid().replace('  - class: EvenTicks', '  - from: ticks'),
    8,
    5,
    /"components\.1" has no "class", expected a class name/,
  );
});

test('validate › a plugin that throws while loading is named, with its message', async (t) => {
  await refuses(
    t,
    valid().replace(example, join(fixtures, 'throwing-plugin.mjs')),
    3,
    5,
    /failed to load: the plugin cannot start: no licence key/,
  );
});
