import test from 'ava';
import * as files from './files.js';

test('files › good lines become committed output, each bad line a dead letter naming the file, the line and why', async (t) => {
  const got = await files.main();
  t.is(got.records, 4);
  t.is(got.deadLettered, 3);
  t.deepEqual(got.files, ['notional-000000000001.jsonl']);
  t.deepEqual(
    got.output.map((l) => JSON.parse(l) as unknown),
    [
      { symbol: 'AAPL', notional: 19050 },
      { symbol: 'AAPL', notional: 9535 },
      { symbol: 'XOM', notional: 3552 },
      { symbol: 'MSFT', notional: 4106 },
    ],
  );
  t.is(got.deadLetters.length, 3);
  t.true(got.deadLetters[0]!.startsWith('ticks.jsonl line 3: field "size" must be an integer number  <-  '));
  t.true(got.deadLetters[1]!.startsWith('ticks.jsonl line 4: invalid JSON: '));
  t.true(got.deadLetters[2]!.startsWith('ticks.jsonl line 5: field "venue" is not a field of Tick  <-  '));
  t.true(got.deadLetters.every((d, i) => d.endsWith(files.lines[i + 2]!)));
});

test('files › after a crash, recover + seek leave every record in the committed output exactly once', async (t) => {
  t.deepEqual(await files.crashAndRecover(), ['prices-000000000001.jsonl: 190.5 190.7', 'prices-000000000002.jsonl: 118.4 410.6']);
});
