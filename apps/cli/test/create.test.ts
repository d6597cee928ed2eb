import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const readme = readFileSync(join(repo, 'README.md'), 'utf8');

type Result = { code: number; stdout: string; stderr: string };
const run = (cwd: string, file: string, args: string[]): Promise<Result> =>
  promisify(execFile)(process.execPath, [file, ...args], { cwd }).then(
    (r) => ({ code: 0, ...r }),
    (e: Result) => e,
  );
const sluice = (cwd: string, ...args: string[]) => run(cwd, main, args);

/**
 * A folder inside the clone (the README's walkthrough runs there: the new package finds
 * @sluice/sdk in the clone's node_modules), removed at the end. `tmp/` is git-ignored.
 */
function workspace(t: { teardown(fn: () => void): void }): string {
  mkdirSync(join(repo, 'tmp'), { recursive: true });
  const dir = mkdtempSync(join(repo, 'tmp', 'create-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The code block after a `<!-- walkthrough: what -->` marker of the README. */
function walkthrough(what: string): string {
  const at = readme.indexOf(`<!-- walkthrough: ${what} -->`);
  if (at < 0) throw new Error(`README has no walkthrough block "${what}"`);
  const block = /```\w*\n([\s\S]*?)```/.exec(readme.slice(at))!;
  return block[1]!;
}

interface Trade {
  seq: number;
  size: number;
  price: number;
  symbol: string;
}
const jsonLines = <T>(file: string): T[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as T);

test('create › the README walkthrough: create a plugin, build, run; add a stage of your own, rebuild, validate, graph, run', async (t) => {
  const cwd = workspace(t);
  const created = await sluice(cwd, 'create', 'plugin', 'my-plugin');
  t.is(created.code, 0, created.stderr);
  t.regex(created.stdout, /created 8 files in my-plugin/);
  t.regex(created.stdout, /npx sluice run my-plugin\/pipeline\.yaml/);

  const build = await run(cwd, tsc, ['-p', 'my-plugin']);
  t.is(build.code, 0, build.stdout + build.stderr);
  const first = await sluice(cwd, 'run', 'my-plugin/pipeline.yaml');
  t.is(first.code, 0, first.stderr);
  // The template's trades, computed here: size = (seq * 7919) % 1000 + 1, kept when >= 950.
  const big = Array.from({ length: 100_000 }, (_, seq) => seq).filter((seq) => ((seq * 7919) % 1000) + 1 >= 950);
  const trades = jsonLines<Trade>(join(cwd, 'big-trades.jsonl'));
  t.deepEqual(
    trades.map((r) => r.seq),
    big,
  );
  t.regex(first.stdout, /100000 records read, 5100 written/);

  // Your own stage, as the README tells.
  writeFileSync(join(cwd, 'my-plugin/src/notional.ts'), walkthrough('my-plugin/src/notional.ts'));
  const index = join(cwd, 'my-plugin/src/index.ts');
  const indexText = readFileSync(index, 'utf8');
  t.regex(indexText, /components: \{ SampleTrades, BigTrades, TradesFile \}/, 'the README names what index.ts holds');
  writeFileSync(
    index,
    `import { Notional } from './notional.js';\n` +
      indexText.replace(
        'components: { SampleTrades, BigTrades, TradesFile }',
        'components: { SampleTrades, BigTrades, Notional, TradesFile }',
      ),
  );
  const pipelineFile = join(cwd, 'my-plugin/pipeline.yaml');
  const yaml = readFileSync(pipelineFile, 'utf8');
  const sinkEntry = /  - class: TradesFile\n.*\n?/.exec(yaml)![0];
  writeFileSync(pipelineFile, yaml.replace(sinkEntry, walkthrough('my-plugin/pipeline.yaml components')));

  const rebuild = await run(cwd, tsc, ['-p', 'my-plugin']);
  t.is(rebuild.code, 0, rebuild.stdout + rebuild.stderr);
  const validated = await sluice(cwd, 'validate', 'my-plugin/pipeline.yaml');
  t.is(validated.code, 0, validated.stderr);
  t.is(validated.stdout.trim(), 'ok: my-plugin, 4 nodes');
  const graph = await sluice(cwd, 'graph', 'my-plugin/pipeline.yaml');
  t.is(graph.code, 0, graph.stderr);
  t.is(
    graph.stdout,
    [
      'flowchart LR',
      '  n0(["trades (source)"])',
      '  n1["big (stage: filter)"]',
      '  n2["notional (stage: map)"]',
      '  n3[("out (sink)")]',
      '  n0 --> n1',
      '  n1 --> n2',
      '  n2 --> n3',
      '',
    ].join('\n'),
  );
  const second = await sluice(cwd, 'run', 'my-plugin/pipeline.yaml');
  t.is(second.code, 0, second.stderr);
  const notional = jsonLines<{ symbol: string; notional: number }>(join(cwd, 'notional.jsonl'));
  t.deepEqual(
    notional,
    trades.map((r) => ({ symbol: r.symbol, notional: r.price * r.size })),
  );
});

test('create › a bad setting in the created pipeline is reported at its line by validate', async (t) => {
  const cwd = workspace(t);
  t.is((await sluice(cwd, 'create', 'plugin', 'p1')).code, 0);
  t.is((await run(cwd, tsc, ['-p', 'p1'])).code, 0);
  const file = join(cwd, 'p1/pipeline.yaml');
  const yaml = readFileSync(file, 'utf8').replace('minSize: 950', 'minSize: -1');
  writeFileSync(file, yaml);
  const line = yaml.split('\n').findIndex((l) => l.includes('minSize: -1')) + 1;
  const r = await sluice(cwd, 'validate', 'p1/pipeline.yaml');
  t.is(r.code, 1);
  t.regex(r.stderr, new RegExp(`p1/pipeline\\.yaml:${line}:\\d+: .*BigTrades: settings\\.minSize must be a positive number, got -1\n`));
  t.notRegex(r.stderr, /providers/, 'a constructor that refused its settings gets no hint about providers');
});

test('create › refuses a folder that is not empty and a name npm would refuse; --name sets the package name', async (t) => {
  const cwd = workspace(t);
  mkdirSync(join(cwd, 'taken'));
  writeFileSync(join(cwd, 'taken', 'x.txt'), 'x');
  const taken = await sluice(cwd, 'create', 'plugin', 'taken');
  t.is(taken.code, 1);
  t.regex(taken.stderr, /sluice: taken exists and is not empty: choose a new folder/);
  const bad = await sluice(cwd, 'create', 'plugin', 'My Plugin');
  t.is(bad.code, 1);
  t.regex(bad.stderr, /"My Plugin" is not a valid npm package name .* give one with --name/);
  const named = await sluice(cwd, 'create', 'plugin', 'My Plugin', '--name', '@acme/quotes');
  t.is(named.code, 0, named.stderr);
  const pkg = JSON.parse(readFileSync(join(cwd, 'My Plugin', 'package.json'), 'utf8')) as {
    name: string;
    dependencies: Record<string, string>;
  };
  t.is(pkg.name, '@acme/quotes');
  t.regex(pkg.dependencies['@sluice/sdk']!, /^\d+\.\d+\.\d+$/);
  t.regex(readFileSync(join(cwd, 'My Plugin', 'pipeline.yaml'), 'utf8'), /^name: acme-quotes$/m);
});
