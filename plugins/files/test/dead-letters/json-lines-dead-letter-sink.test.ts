import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonLinesDeadLetterSink, JsonLinesSource, readDeadLetters } from '@sluice/files';
import type { DeadLetter } from '@sluice/sdk';
import { runSource, tempDir } from '../helpers.js';

test('JsonLinesDeadLetterSink › dead letters written one per line read back equal, across runs appending to the same file', async (t) => {
  const dir = tempDir(t);
  const input = join(dir, 'ticks.jsonl');
  writeFileSync(input, '{"a":1}\n{oops\n{"a":2}\nnot json\n');
  const { deadLetters } = await runSource(new JsonLinesSource(input));
  t.is(deadLetters.length, 2);

  const path = join(dir, 'dl', 'dead-letters.jsonl');
  const sink = new JsonLinesDeadLetterSink(path);
  sink.open();
  sink.write(deadLetters.slice(0, 1));
  sink.write(deadLetters.slice(1));
  sink.flush();
  sink.close();
  const strip = (d: DeadLetter) => ({ ...d, error: { ...d.error, stack: undefined } });
  t.deepEqual((await readDeadLetters(path)).map(strip), deadLetters.map(strip));

  // A second run appends; values JSON cannot hold are kept as text.
  const again = new JsonLinesDeadLetterSink(path);
  const odd: DeadLetter = {
    stage: 's',
    value: 10n,
    position: 3,
    eventTime: 5,
    error: { name: 'Error', message: 'big' },
    attempts: 2,
    time: 1,
  };
  again.write([odd]);
  again.flush();
  again.close();
  const all = await readDeadLetters(path);
  t.is(all.length, 3);
  t.deepEqual(all[2], { ...odd, value: '10' });
  t.is(all[0]!.value, '{oops');
  t.is(all[0]!.error.message, 'ticks.jsonl line 2: invalid JSON: ' + deadLetters[0]!.error.message.split('invalid JSON: ')[1]);
});

test('readDeadLetters › a line that is not a dead letter is an error naming the file and the line', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'x.jsonl');
  writeFileSync(path, '{"stage":"s","error":{"name":"E","message":"m"},"value":1}\n\n{"nope":1}\n');
  await t.throwsAsync(readDeadLetters(path), { message: /x\.jsonl line 3: not a dead letter/ });
  writeFileSync(path, '{');
  await t.throwsAsync(readDeadLetters(path), { message: /x\.jsonl line 1: not JSON/ });
});
