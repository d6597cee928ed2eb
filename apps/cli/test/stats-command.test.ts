import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createPipeline, fromGenerator, toCallback } from '@sluice/core';
import { MonitoringServer } from '@sluice/monitoring';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const sluice = (args: string[]) =>
  promisify(execFile)(process.execPath, [main, ...args]).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

async function running(token?: string) {
  const pipeline = createPipeline({
    name: 'numbers-to-sink',
    components: [
      fromGenerator(
        function* () {
          for (let i = 0; ; i++) yield i;
        },
        { name: 'numbers' },
      ),
      toCallback(() => new Promise((r) => setTimeout(r, 1)), { name: 'out', from: 'numbers' }),
    ],
  });
  const server = new MonitoringServer({ port: 0, token, log: () => undefined });
  await server.attach(pipeline);
  await pipeline.start();
  return { url: server.url, stop: async () => (await pipeline.stop(), await server.detach()) };
}

test('stats › prints the table of a running pipeline, and --json its snapshot with the name', async (t) => {
  const p = await running();
  t.teardown(p.stop);
  const table = await sluice(['stats', p.url]);
  t.is(table.code, 0, table.stderr);
  t.regex(table.stdout, /^numbers-to-sink\s+running/m);
  t.regex(table.stdout, /^out\s/m);
  const json = await sluice(['stats', p.url, '--json']);
  const snapshot = JSON.parse(json.stdout) as { pipeline: string; state: string; sources: Record<string, { records: number }> };
  t.is(snapshot.pipeline, 'numbers-to-sink');
  t.is(snapshot.state, 'running');
  t.true(snapshot.sources.numbers!.records > 0);
});

test('stats › a token the server asks for; clear errors for a wrong URL and a server that is not there', async (t) => {
  const p = await running('s3cret');
  t.teardown(p.stop);
  const refused = await sluice(['stats', p.url]);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /asks for a token: pass --token or set SLUICE_TOKEN/);
  t.is((await sluice(['stats', p.url, '--token', 's3cret', '--json'])).code, 0);
  const notUrl = await sluice(['stats', 'nowhere']);
  t.regex(notUrl.stderr, /"nowhere" is not a URL/);
  const down = await sluice(['stats', 'http://127.0.0.1:9']);
  t.is(down.code, 1);
  t.regex(down.stderr, /cannot reach http:\/\/127\.0\.0\.1:9 .*is the pipeline running with @sluice\/monitoring\?/);
});

test('install › npm links the sluice command (node_modules/.bin/sluice) to the committed entry', async (t) => {
  const bin = fileURLToPath(new URL('../../../node_modules/.bin/sluice', import.meta.url));
  const { stdout } = await promisify(execFile)(bin, ['--help']);
  t.regex(stdout, /^Usage: sluice /m);
});

test('help › every command has --help', async (t) => {
  const help = await sluice(['--help']);
  for (const usage of [
    'run [options] <file>',
    'replay [options] <file>',
    'validate [options] <file>',
    'graph [options] <file>',
    'stats [options] <url>',
    'create',
  ])
    t.true(help.stdout.includes(usage), usage);
  const expected: [string[], RegExp][] = [
    [['run'], /--duration <duration>[\s\S]*--port <port>[\s\S]*--no-dashboard/],
    [['replay'], /--from-checkpoint <id>[\s\S]*--dead-letters <jsonl>[\s\S]*--from-time <time>[\s\S]*--json[\s\S]*--duration/],
    [['validate'], /--json/],
    [['graph'], /--format <format>/],
    [['stats'], /--token <token>/],
    [['create', 'plugin'], /--name <package>/],
  ];
  for (const [command, option] of expected) {
    const r = await sluice([...command, '--help']);
    t.regex(r.stdout, new RegExp(`^Usage: sluice ${command.join(' ')} `, 'm'), command.join(' '));
    t.regex(r.stdout, option, command.join(' '));
  }
});
