import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const example = fileURLToPath(new URL('../../../plugins/example', import.meta.url));
const replayPlugin = fileURLToPath(new URL('../test/fixtures/replay-plugin.mjs', import.meta.url));

const sluice = (args: string[]) =>
  promisify(execFile)(process.execPath, [main, ...args]).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

/** ExampleTicks (10) -> NoThirds (throws on multiples of 3; its entry has no onError) -> JsonLinesOut, with `top` at the top of the file. */
function file(top: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-defaults-'));
  const path = join(dir, 'thirds.yaml');
  writeFileSync(
    path,
    `name: thirds
plugins: ['${example}', '${replayPlugin}']
${top}
components:
  - { class: ExampleTicks, settings: { count: 10 } }
  - class: NoThirds
  - { class: JsonLinesOut, from: checked, settings: { file: '${join(dir, 'out.jsonl')}' } }
monitoring: { terminal: false }
`,
  );
  return { path, out: join(dir, 'out.jsonl') };
}

test("error defaults › the file's onError is the policy of a stage that declares none", async (t) => {
  const failing = file('');
  const failed = await sluice(['run', failing.path]);
  t.is(failed.code, 1, 'without a default, the first multiple of 3 fails the run');
  t.regex(failed.stderr, /multiple of 3/);

  const { path, out } = file('onError: { then: dead-letter }');
  const ran = await sluice(['run', path]);
  t.is(ran.code, 0, ran.stderr);
  const ns = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { n: number }).n);
  t.deepEqual(ns, [1, 2, 4, 5, 7, 8]);
});

test("error defaults › a default the engine refuses is reported at the file's onError line", async (t) => {
  const { path } = file('onError: { then: explode }');
  const r = await sluice(['validate', path]);
  t.is(r.code, 1);
  t.regex(r.stderr, /thirds\.yaml:3:\d+: .*then/);
  t.regex(
    (await sluice(['validate', file('onError: dead-letter').path])).stderr,
    /thirds\.yaml:3:\d+: .*expected an object of @OnError options/,
  );
});

test('plugins › two plugins binding a strategy under the same name are refused, naming both', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-strategies-'));
  const path = join(dir, 'limits.yaml');
  const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
  writeFileSync(
    path,
    `name: limits
plugins: ['${example}', '${join(fixtures, 'limiter-plugin.mjs')}', '${join(fixtures, 'limiter-plugin-b.mjs')}']
components:
  - { class: ExampleTicks, settings: { count: 3 } }
  - { class: JsonLinesOut, from: ticks, settings: { file: '${join(dir, 'out.jsonl')}' } }
`,
  );
  const r = await sluice(['validate', path]);
  t.is(r.code, 1);
  t.regex(r.stderr, /limits\.yaml:2:\d+: strategy "fixed" \(RATE_LIMITER\) is bound by two plugins, limiter-a and limiter-b/);
});

test("plugins › a plugin's strategy is picked by name in a component's options", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-strategies-'));
  const path = join(dir, 'limited.yaml');
  const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
  const out = join(dir, 'out.jsonl');
  writeFileSync(
    path,
    `name: limited
plugins: ['${example}', '${join(fixtures, 'limiter-plugin.mjs')}']
components:
  - { class: ExampleTicks, settings: { count: 3 } }
  - { class: JsonLinesOut, from: ticks, settings: { file: '${out}' }, options: { rateLimit: { strategy: fixed } } }
monitoring: { terminal: false }
`,
  );
  const r = await sluice(['run', path]);
  t.is(r.code, 0, r.stderr);
  t.is(readFileSync(out, 'utf8').trim().split('\n').length, 3);
  const unknown = join(dir, 'unknown.yaml');
  writeFileSync(unknown, readFileSync(path, 'utf8').replace('strategy: fixed', 'strategy: fixd'));
  const refused = await sluice(['validate', unknown]);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /unknown\.yaml:5:\d+: .*fixd/);
});
