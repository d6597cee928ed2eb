import test from 'ava';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvSource, JsonLinesSource } from '@sluice/files';
import type { SourceConnector } from '@sluice/sdk';
import { handContext, readAll } from '../helpers.js';

// A line of a generated file: a record, a blank line, a malformed line, or an oversize one.
const lineArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ n: fc.integer(), s: fc.string({ maxLength: 40, unit: 'grapheme' }) }).map((r) => ({ kind: 'ok' as const, r })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'blank' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bad' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'huge' as const }) },
);

type GenLine = { kind: 'ok'; r: { n: number; s: string } } | { kind: 'blank' | 'bad' | 'huge' };

function jsonl(lines: GenLine[], crlf: boolean): string {
  const eol = crlf ? '\r\n' : '\n';
  return lines
    .map((l) => (l.kind === 'ok' ? JSON.stringify(l.r) : l.kind === 'blank' ? '' : l.kind === 'bad' ? '{"n":' : `"${'h'.repeat(300)}"`))
    .join(eol);
}

function csv(lines: GenLine[], crlf: boolean): string {
  const eol = crlf ? '\r\n' : '\n';
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const body = lines.map((l) =>
    l.kind === 'ok' ? `${l.r.n},${q(l.r.s)}` : l.kind === 'blank' ? '' : l.kind === 'bad' ? '1,2,3' : `1,${'h'.repeat(300)}`,
  );
  return ['n,s', ...body].join(eol);
}

/**
 * Reads the whole file once, noting the position after every batch; then for random cut points
 * opens a fresh source, seeks to the recorded position and checks that the rest comes back in
 * exactly the same batches, with the same dead letters.
 */
async function checkSeek(make: () => SourceConnector<unknown>, bytes: Buffer, max: number, cuts: number[]): Promise<void> {
  const first = make();
  const ctx = handContext();
  await first.open!(ctx);
  const whole = await readAll(first, max);
  await first.close!();
  for (const cut of cuts) {
    const k = cut % (whole.batches.length + 1); // resume after k batches (0 = from a position taken before any read)
    const source = make();
    const c2 = handContext();
    await source.open!(c2);
    const position = k === 0 ? source.position!() : whole.positions[k - 1];
    await source.seek!(position);
    const rest = await readAll(source, max);
    await source.close!();
    if (JSON.stringify(rest.batches) !== JSON.stringify(whole.batches.slice(k))) {
      throw new Error(`after seek to ${String(position)} (batch ${k}) the batches differ`);
    }
    if (JSON.stringify(rest.positions) !== JSON.stringify(whole.positions.slice(k))) throw new Error(`positions differ after batch ${k}`);
    // The dead letters after the cut are those of the whole run whose line lies after it.
    let firstLine = 1;
    for (let i = 0; i < (position as number); i++) if (bytes[i] === 0x0a) firstLine++;
    const tail = (position as number) >= bytes.length ? [] : ctx.dead.filter((d) => d.position >= firstLine);
    if (JSON.stringify(c2.dead) !== JSON.stringify(tail)) throw new Error(`dead letters differ after batch ${k}`);
  }
}

for (const [format, size, runs] of [
  ['jsonl', 60, 150],
  ['csv', 60, 150],
  // Files of several read chunks (64 KiB), so that batches straddle chunk boundaries.
  ['jsonl', 4000, 8],
  ['csv', 4000, 8],
] as const) {
  test(`seek › ${format}, up to ${size} lines: after seek(position()) the records, batches and dead letters are exactly those of an uninterrupted run`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-files-seek-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { maxLength: size, minLength: size / 2 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: size > 100 ? 500 : 7 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        async (lines, crlf, finalNewline, max, cuts) => {
          const path = join(dir, `f${run++}.${format}`);
          const text = (format === 'jsonl' ? jsonl(lines as GenLine[], crlf) : csv(lines as GenLine[], crlf)) + (finalNewline ? '\n' : '');
          writeFileSync(path, text);
          const bytes = Buffer.from(text);
          const make = () =>
            format === 'jsonl'
              ? new JsonLinesSource(path, { maxRecordBytes: 200 })
              : new CsvSource(path, { maxRecordBytes: 200, types: { n: 'integer' } });
          await checkSeek(make, bytes, max, cuts);
        },
      ),
      { numRuns: runs },
    );
    t.pass();
  });
}

test('seek › positions are byte offsets just after the last record; seek(0) is the first record; a position inside a line is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-files-seek-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'p.csv');
  writeFileSync(path, 'a\n1\n2\n3\n');
  const source = new CsvSource(path, { types: { a: 'integer' } });
  await source.open(handContext());
  t.is(source.position(), 2); // after the header
  t.deepEqual(await source.read(2), [{ a: 1 }, { a: 2 }]);
  t.is(source.position(), 6);
  await source.seek(0);
  t.deepEqual(await source.read(10), [{ a: 1 }, { a: 2 }, { a: 3 }]);
  await t.throwsAsync(source.seek(5), { message: /not the start of a line/ });
  await t.throwsAsync(source.seek(1), { message: /inside the header/ });
  await t.throwsAsync(source.seek(99), { message: /the file has 8 bytes/ });
  await t.throwsAsync(source.seek('x'), { message: /byte offset/ });
  await source.close();
});

test('seek › a seek before open takes effect at open, and opening again resumes where the source stood', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-files-seek-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'p.jsonl');
  writeFileSync(path, '1\n2\n3\n4\n');
  const source = new JsonLinesSource<number>(path);
  await source.seek(4);
  await source.open(handContext());
  t.deepEqual(await source.read(1), [3]);
  await source.close();
  await source.open(handContext()); // as after a reconnect
  t.deepEqual(await source.read(10), [4]);
  await t.throwsAsync(async () => source.read(10), { code: 'SLUICE_ERR_END_OF_STREAM' });
  await source.close();
});
