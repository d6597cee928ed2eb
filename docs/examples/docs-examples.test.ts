import test from 'ava';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ErrorCodes } from '@sluice/sdk';
import * as backpressure from './backpressure.js';
import * as checks from './checks.js';
import * as composite from './composite.js';
import * as connectors from './connectors.js';
import * as errorPolicy from './error-policy.js';
import * as firstPipeline from './first-pipeline.js';
import * as graph from './graph.js';
import * as injection from './injection.js';
import * as lifecycle from './lifecycle.js';
import * as runtimeErrors from './runtime-errors.js';
import * as stageKinds from './stage-kinds.js';

// Compiled to test/dist-docs/, so the repository root is two levels up.
const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));
const examplesDir = join(root, 'docs', 'examples');

const round2 = (x: number) => Math.round(x * 100) / 100;
const bySymbol = <T extends { symbol: string }>(xs: T[]) => [...xs].sort((a, b) => a.symbol.localeCompare(b.symbol));

test('first-pipeline › per-symbol trades, volume, sector and VWAP match a direct computation', async (t) => {
  const sectors: Record<string, string> = { AAPL: 'Technology', MSFT: 'Technology', XOM: 'Energy' };
  const expected = new Map<string, { symbol: string; sector: string; trades: number; volume: number; pv: number }>();
  for (const tick of firstPipeline.ticks) {
    if (tick.size <= 0 || tick.price <= 0) continue;
    const e = expected.get(tick.symbol) ?? { symbol: tick.symbol, sector: sectors[tick.symbol]!, trades: 0, volume: 0, pv: 0 };
    e.trades++;
    e.volume += tick.size;
    e.pv += tick.price * tick.size;
    expected.set(tick.symbol, e);
  }
  const want = [...expected.values()].map(({ pv, ...e }) => ({ ...e, vwap: round2(pv / e.volume) }));
  const got = await firstPipeline.main();
  t.deepEqual(bySymbol(got), bySymbol(want));
  t.is(got.length, 3);
});

test('stage-kinds › every kind of stage gives what a plain loop over the orders gives', async (t) => {
  const fills = stageKinds.orders.flatMap((o, position) =>
    o.fills.filter((f) => f.size > 0).map((f) => ({ order: o.id, symbol: o.symbol, price: f.price, size: f.size, position })),
  );
  const large = fills
    .filter((f) => f.price * f.size >= 1000)
    .map((f) => `${f.order} ${f.symbol} ${f.price * f.size} on ${f.symbol === 'AAPL' ? 'XNAS' : 'XNYS'} (order #${f.position})`);
  large.push(`${large.length} large of ${fills.length} fills`);

  const best = new Map<string, (typeof fills)[number]>();
  for (const f of fills) if (!best.has(f.symbol) || f.price > best.get(f.symbol)!.price) best.set(f.symbol, f);

  const running = new Map<string, { fills: number; size: number }>();
  const volume = fills.map((f) => {
    const r = running.get(f.symbol) ?? { fills: 0, size: 0 };
    const next = { fills: r.fills + 1, size: r.size + f.size };
    running.set(f.symbol, next);
    return { symbol: f.symbol, ...next };
  });

  const got = await stageKinds.main();
  t.deepEqual(got.large, large);
  t.deepEqual([...got.best].sort(), [...best.values()].map((f) => `${f.symbol} ${f.price} (${f.order})`).sort());
  t.deepEqual(got.volume, volume);
  t.deepEqual(got.segments, { orders: ['fills', 'valid', 'priced'], venue: ['venue', 'large', 'best', 'volume'] });
});

test('connectors › a dropped feed, a back-off and a failed write still deliver every record once, in order', async (t) => {
  const got = await connectors.main();
  t.deepEqual(got.lines, connectors.ticks.map((x) => `${x.symbol} ${x.price}`));
  t.is(got.recordsRead, connectors.ticks.length);
  t.is(got.feedOpens, 2);
  t.is(got.sinkCalls[0], 'open audit');
  const failedAt = got.sinkCalls.indexOf('write failed: disconnected');
  t.true(failedAt > 0);
  t.is(got.sinkCalls[failedAt + 1], 'open audit');
  t.deepEqual(got.sinkCalls.slice(-2), ['flush', 'close']);
  const written = got.sinkCalls.filter((c) => /^write \d+$/.test(c)).reduce((n, c) => n + Number(c.slice(6)), 0);
  t.is(written, connectors.ticks.length);
});

test('graph › edges override from:, a union reads both sources, a fan-out copies to every reader', async (t) => {
  const block = (xs: graph.Trade[]) => xs.filter((x) => x.size >= 100).map((x) => x.id).sort();
  const got = await graph.main();
  t.deepEqual(got.pipeline1, block(graph.nyse));
  t.deepEqual(got.pipeline2, block([...graph.nyse, ...graph.lse]));
  t.deepEqual(got.audit, graph.nyse.map((x) => x.id).sort());
  t.deepEqual(got.segments, { nyse: [], lse: [], block: ['block'] });
});

test('composite › the composite cleans and prices, its stages are named <composite>/<stage> and fuse with the reader', async (t) => {
  const want = composite.ticks
    .filter((x) => x.size > 0 && x.price > 0)
    .map((x) => ({ ...x, notional: x.price * x.size }))
    .filter((x) => x.notional >= 10_000);
  const got = await composite.main();
  t.deepEqual(got.out, want);
  t.deepEqual(got.stages, ['clean/valid', 'clean/priced', 'large']);
  t.deepEqual(got.segments, { ticks: ['clean/valid', 'clean/priced', 'large'] });
});

test('injection › providers and a parent container inject the same services by class and by token', async (t) => {
  const sectors: Record<string, string> = { AAPL: 'Technology', XOM: 'Energy' };
  const want = injection.ticks.filter((x) => x.size >= 10).map((x) => ({ ...x, sector: sectors[x.symbol] ?? 'Unknown' }));
  const got = await injection.main();
  t.deepEqual(got.withProviders, want);
  t.deepEqual(got.withContainer, want);
});

test('checks › each broken pipeline is refused at build time with its error code, naming the culprit', async (t) => {
  const expected: Record<string, [code: string, mentions: string]> = {
    'unknown input': ['SLUICE_ERR_GRAPH_UNKNOWN_INPUT', 'Misread'],
    cycle: ['SLUICE_ERR_GRAPH_CYCLE', 'a -> b -> a'],
    'duplicate name': ['SLUICE_ERR_GRAPH_DUPLICATE_NAME', 'Positive'],
    'no stage method': ['SLUICE_ERR_GRAPH_UNKNOWN_KIND', 'NoMethod'],
    'not decorated': ['SLUICE_ERR_GRAPH_UNKNOWN_KIND', 'NotDecorated'],
    'no consumer': ['SLUICE_ERR_GRAPH_NO_CONSUMER', 'Valid'],
    'no source': ['SLUICE_ERR_GRAPH_EMPTY', 'no source'],
    'key required': ['SLUICE_ERR_GRAPH_KEY_REQUIRED', 'Count'],
    'option on the wrong kind': ['SLUICE_ERR_INVALID_OPTION', 'Concurrent'],
    'option out of range': ['SLUICE_ERR_INVALID_OPTION', 'NoConcurrency'],
    'bad pipeline option': ['SLUICE_ERR_INVALID_OPTION', 'batchSize'],
    'service not provided': ['SLUICE_ERR_INJECTION_FAILED', 'RefData'],
    'session window without merge': ['SLUICE_ERR_INVALID_OPTION', '@Window on TradeSessions'],
    'retry with no attempts': ['SLUICE_ERR_INVALID_OPTION', '@OnError on NoAttempts'],
  };
  const got = await checks.main();
  t.deepEqual(
    got.map((f) => f.case),
    Object.keys(expected),
  );
  const concepts = readFileSync(join(root, 'docs', 'concepts.md'), 'utf8');
  const reference = readFileSync(join(root, 'docs', 'reference', 'errors.md'), 'utf8');
  for (const f of got) {
    const [code, mentions] = expected[f.case]!;
    t.is(f.code, code, f.case);
    t.true(f.message.includes(mentions), `${f.case}: ${f.message}`);
    // The messages quoted in the docs are the engine's real ones.
    t.true(concepts.includes(f.message), `docs/concepts.md does not quote the current message for '${f.case}': ${f.message}`);
    t.true(reference.includes(f.message), `docs/reference/errors.md does not quote the current message for '${f.case}': ${f.message}`);
  }
});

test('runtime-errors › failures while running reject run() with their codes, and the reference quotes each message', async (t) => {
  const expected: Record<string, [code: string, mentions: string]> = {
    'bad duration': ['SLUICE_ERR_INVALID_DURATION', '"1 second"'],
    'stage throws': ['SLUICE_ERR_STAGE_FAILED', 'position 2'],
    'source read throws': ['SLUICE_ERR_SOURCE_FAILED', 'HTTP 500 from the feed'],
    'sink write throws': ['SLUICE_ERR_SINK_FAILED', 'unique constraint violated'],
    'onStart throws': ['SLUICE_ERR_LIFECYCLE_FAILED', 'WarmCache'],
    'started twice': ['SLUICE_ERR_INVALID_STATE', 'already started'],
    aborted: ['SLUICE_ERR_ABORTED', "'prices'"],
  };
  const got = await runtimeErrors.main();
  t.deepEqual(
    got.map((f) => f.case),
    Object.keys(expected),
  );
  const reference = readFileSync(join(root, 'docs', 'reference', 'errors.md'), 'utf8');
  for (const f of got) {
    const [code, mentions] = expected[f.case]!;
    t.is(f.code, code, f.case);
    t.true(f.message.includes(mentions), `${f.case}: ${f.message}`);
    t.true(reference.includes(f.message), `docs/reference/errors.md does not quote the current message for '${f.case}': ${f.message}`);
  }
});

test('docs › the error reference has a section for every code in ErrorCodes, and no other', (t) => {
  const reference = readFileSync(join(root, 'docs', 'reference', 'errors.md'), 'utf8');
  const documented = [...reference.matchAll(/^### (SLUICE_ERR_[A-Z_]+)$/gm)].map((m) => m[1]).sort();
  t.deepEqual(documented, Object.values(ErrorCodes).sort());
});

test('backpressure › a slow sink pauses the source; the channel never holds more than its capacity', async (t) => {
  const got = await backpressure.main();
  t.is(got.received, backpressure.COUNT);
  t.true(got.inOrder);
  t.is(got.channel.capacity, backpressure.CAPACITY);
  t.true(got.channel.maxFill <= backpressure.CAPACITY, `maxFill ${got.channel.maxFill}`);
  t.true(got.channel.blockedWrites > 0);
  t.is(got.channel.fill, 0);
  t.is(got.source.records, backpressure.COUNT);
  t.is(got.source.batches, backpressure.COUNT / backpressure.BATCH);
  t.true(got.source.pausedCount > 0);
  // The source never got further ahead of the sink than the channel plus the one batch it waits to write.
  t.true(got.maxAhead <= backpressure.CAPACITY + backpressure.BATCH, `maxAhead ${got.maxAhead}`);
  t.true(got.maxAhead < backpressure.COUNT);
});

test('lifecycle › hooks run in order around the records; stop() drains; an AbortSignal cancels', async (t) => {
  const log = await lifecycle.hookOrder();
  t.deepEqual(log.slice(0, 5), ['numbers: onStart', 'numbers: open', 'doubled: onStart', 'printer: onStart', 'printer: open']);
  t.deepEqual(log.slice(-6), ['printer: flush', 'printer: close', 'printer: onStop', 'doubled: onStop', 'numbers: close', 'numbers: onStop']);
  const middle = log.slice(5, -6);
  t.deepEqual(
    middle.filter((l) => l.startsWith('numbers: read')),
    ['numbers: read 1,2', 'numbers: read 3'],
  );
  const written = middle.filter((l) => l.startsWith('printer: write')).flatMap((l) => l.slice('printer: write '.length).split(',').map(Number));
  t.deepEqual(written, [2, 4, 6]);

  const stopped = await lifecycle.stopGracefully();
  t.is(stopped.state, 'stopped');
  t.true(stopped.received >= 1000);
  t.true(stopped.noGaps);

  const cancelled = await lifecycle.cancelWithSignal();
  t.is(cancelled.code, 'SLUICE_ERR_ABORTED');
});

test("error-policy › 'fail' stops at the first bad line, 'skip' drops and counts, 'dead-letter' keeps the record and error", async (t) => {
  const good = (l: string) => /^[A-Z]+,\d+(\.\d+)?$/.test(l);
  const badAt = errorPolicy.lines.flatMap((l, i) => (good(l) ? [] : [i]));
  const goodSymbols = errorPolicy.lines.filter(good).map((l) => l.split(',')[0]);
  const got = await errorPolicy.main();
  t.is(got.fail.failure.code, 'SLUICE_ERR_STAGE_FAILED');
  t.true(got.fail.failure.message.includes(`position ${badAt[0]}`));
  t.true(got.fail.failure.message.includes('ParseOrFail'));
  t.deepEqual(got.skip.kept, goodSymbols);
  t.is(got.skip.skipped, badAt.length);
  t.deepEqual(got.deadLetter.parsed, goodSymbols);
  t.deepEqual(
    got.deadLetter.deadLetters.map((d) => [d.stage, d.position, d.value]),
    badAt.map((i) => ['parsed', i, errorPolicy.lines[i]]),
  );
  for (const d of got.deadLetter.deadLetters) t.true(d.error.includes(String(d.value)));
});

// ---- the docs quote the examples exactly ----

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'examples' ? [] : markdownFiles(join(dir, e.name))) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
}

interface Block {
  doc: string;
  lang: string;
  body: string;
  /** The HTML comment on the line before the fence, if any. */
  comment: string | undefined;
}

function blocks(): Block[] {
  const out: Block[] = [];
  for (const file of markdownFiles(join(root, 'docs'))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^```(\w*)\s*$/.exec(lines[i]!);
      if (open === null) continue;
      const end = lines.indexOf('```', i + 1);
      if (end < 0) throw new Error(`${file}: unclosed code block at line ${i + 1}`);
      const before = i > 0 ? /^<!--\s*(.*?)\s*-->$/.exec(lines[i - 1]!) : null;
      out.push({ doc: relative(root, file), lang: open[1]!, body: lines.slice(i + 1, end).join('\n') + '\n', comment: before?.[1] });
      i = end;
    }
  }
  return out;
}

const exampleFiles = readdirSync(examplesDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

test('docs › every ```ts block marked "// file: docs/examples/<name>.ts" is identical to that file', (t) => {
  const quoted = blocks().filter((b) => b.lang === 'ts' && b.body.startsWith('// file: '));
  t.true(quoted.length > 0);
  for (const b of quoted) {
    const path = /^\/\/ file: (\S+)/.exec(b.body)![1]!;
    const actual = readFileSync(join(root, path), 'utf8');
    t.is(b.body, actual, `${b.doc} quotes ${path}, but the block differs from the file`);
  }
});

test('docs › every example file names itself on its first line and is quoted by some page', (t) => {
  const quoted = new Set(blocks().filter((b) => b.lang === 'ts' && b.body.startsWith('// file: ')).map((b) => /^\/\/ file: (\S+)/.exec(b.body)![1]));
  for (const f of exampleFiles) {
    const path = `docs/examples/${f}`;
    t.true(readFileSync(join(examplesDir, f), 'utf8').startsWith(`// file: ${path}\n`), `${path} must start with "// file: ${path}"`);
    t.true(quoted.has(path), `${path} is not quoted by any page in docs/`);
  }
});

test('docs › output blocks marked "<!-- output of docs/examples/<name>.ts -->" are what the example prints', async (t) => {
  const outputs = blocks().filter((b) => b.comment?.startsWith('output of ') === true);
  t.true(outputs.length > 0);
  for (const b of outputs) {
    const path = b.comment!.slice('output of '.length);
    const compiled = join(here, path.replace(/^docs\/examples\//, '').replace(/\.ts$/, '.js'));
    const { stdout } = await promisify(execFile)(process.execPath, [compiled], { cwd: root });
    t.is(b.body, stdout, `${b.doc}: the output shown for ${path} is not what it prints now`);
  }
});
