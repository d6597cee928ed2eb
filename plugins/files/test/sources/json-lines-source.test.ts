import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IsInt, IsNumber, IsString, Min } from 'class-validator';
import { FileDecodeError, JsonLinesSource } from '@sluice/files';
import { tempDir, runSource } from '../helpers.js';

class Tick {
  @IsString()
  symbol!: string;

  @IsNumber()
  price!: number;

  @IsInt()
  @Min(0)
  size!: number;
}

test('JsonLinesSource › reads every line as a record, skipping blank lines, with CRLF endings and no final newline', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'ticks.jsonl');
  writeFileSync(path, '{"a":1}\r\n\n{"a":2}\n   \n[3]\n"four"');
  const { records, deadLetters, stats } = await runSource(new JsonLinesSource(path), { batchSize: 2 });
  t.deepEqual(records, [{ a: 1 }, { a: 2 }, [3], 'four']);
  t.deepEqual(deadLetters, []);
  t.is(stats.sources.file!.records, 4);
});

test('JsonLinesSource › every kind of decode failure goes to the dead letters with the file, the line and the reason; the rest flows on', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'ticks.jsonl');
  const lines = [
    '{"symbol":"AAPL","price":190.5,"size":100}', // 1 ok
    '{"symbol":"AAPL","price":190.6,', // 2 malformed JSON
    '{"symbol":"MSFT","price":410,"size":1.5}', // 3 size not an integer
    '{"symbol":"MSFT","price":"410","size":5}', // 4 price a string
    '{"symbol":"MSFT","size":5}', // 5 price missing
    '{"symbol":"XOM","price":118,"size":5,"venue":"X"}', // 6 unknown field
    `{"symbol":"${'Z'.repeat(300)}","price":1,"size":1}`, // 7 oversize
    '42', // 8 not an object
    '{"symbol":"XOM","price":118,"size":7}', // 9 ok
  ];
  writeFileSync(path, lines.join('\n') + '\n');
  const { records, deadLetters, stats } = await runSource(new JsonLinesSource(path, { recordClass: Tick, maxRecordBytes: 200 }));
  t.deepEqual(
    records.map((r) => [r instanceof Tick, r.symbol, r.size]),
    [
      [true, 'AAPL', 100],
      [true, 'XOM', 7],
    ],
  );
  t.is(stats.sources.file!.records, 2);
  t.is(stats.sources.file!.deadLettered, 7);
  t.deepEqual(
    deadLetters.map((d) => d.position),
    [2, 3, 4, 5, 6, 7, 8],
  );
  t.true(deadLetters.every((d) => d.stage === 'file' && d.error.name === 'FileDecodeError'));
  t.deepEqual(
    deadLetters.filter((d) => d.position !== 7).map((d) => d.value),
    lines.slice(1, 8).filter((_, i) => i !== 5),
  );
  const messages = deadLetters.map((d) => d.error.message);
  t.regex(messages[0]!, /^ticks\.jsonl line 2: invalid JSON: /);
  t.is(messages[1], 'ticks.jsonl line 3: field "size" must be an integer number');
  t.regex(messages[2]!, /^ticks\.jsonl line 4: field "price" must be a number/);
  t.regex(messages[3]!, /^ticks\.jsonl line 5: field "price" must be a number/);
  t.is(messages[4], 'ticks.jsonl line 6: field "venue" is not a field of Tick');
  t.is(
    messages[5],
    `ticks.jsonl line 7: line is ${lines[6]!.length} bytes, more than maxRecordBytes (200); the dead letter keeps its first 200 bytes`,
  );
  t.is(deadLetters[5]!.value, lines[6]!.slice(0, 200));
  t.is(messages[6], 'ticks.jsonl line 8: expected an object for Tick, got number');
});

test('JsonLinesSource › an oversize last line without a newline, and lines far longer than the read buffer, are handled', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'big.jsonl');
  const long = JSON.stringify({ s: 'x'.repeat(300_000) });
  writeFileSync(path, `${long}\n{"ok":1}\n${'y'.repeat(500_000)}`);
  const small = await runSource(new JsonLinesSource(path, { maxRecordBytes: 100_000 }));
  t.deepEqual(small.records, [{ ok: 1 }]);
  t.deepEqual(
    small.deadLetters.map((d) => [d.position, (d.value as string).length]),
    [
      [1, 100_000],
      [3, 100_000],
    ],
  );
  t.regex(small.deadLetters[1]!.error.message, /^big\.jsonl line 3: line is 500000 bytes/);
  const large = await runSource(new JsonLinesSource(path, { maxRecordBytes: 400_000 }));
  t.deepEqual(large.records, [JSON.parse(long), { ok: 1 }]);
  t.is(large.deadLetters.length, 1);
});

test('JsonLinesSource › a missing file fails the start naming the file; bad options are refused at construction', async (t) => {
  const dir = tempDir(t);
  const err = await t.throwsAsync(runSource(new JsonLinesSource(join(dir, 'nope.jsonl'))));
  t.regex(err!.message, /nope\.jsonl/);
  t.throws(() => new JsonLinesSource('x.jsonl', { maxRecordBytes: 0 }), { message: /option "maxRecordBytes" must not be less than 1/ });
  t.throws(() => new JsonLinesSource('x.jsonl', { follow: 'yes' as never }), { message: /follow/ });
  t.true(new FileDecodeError('a/b.jsonl', 'b.jsonl', 3, 'bad') instanceof Error);
});

test('JsonLinesSource › follow: true keeps reading lines appended to the file, and not a half-written last line', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'live.jsonl');
  writeFileSync(path, '{"n":1}\n');
  const source = new JsonLinesSource<{ n: number }>(path, { follow: true });
  const { handContext } = await import('../helpers.js');
  await source.open(handContext());
  t.deepEqual(await source.read(10), [{ n: 1 }]);
  t.deepEqual(await source.read(10), []);
  const { appendFileSync } = await import('node:fs');
  appendFileSync(path, '{"n":2}\n{"n":');
  t.deepEqual(await source.read(10), [{ n: 2 }]);
  t.deepEqual(await source.read(10), []);
  appendFileSync(path, '3}\n');
  t.deepEqual(await source.read(10), [{ n: 3 }]);
  t.is(source.position(), '{"n":1}\n{"n":2}\n{"n":3}\n'.length);
  await source.close();
});
