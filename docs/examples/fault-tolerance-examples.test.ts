import test from 'ava';
import * as checkpoints from './checkpoints.js';
import * as replayDeadLetters from './replay-dead-letters.js';

test('checkpoints › killed at tick 1,700 and restarted, the committed candles are those of a run that never crashed', async (t) => {
  const lines = await checkpoints.main();
  t.is(lines[0], "run 1: crashed (Pipeline 'pipeline' was cancelled through its AbortSignal); 6 checkpoints stored; 42 candles committed");
  t.is(lines[1], 'run 2: completed; restored checkpoint 6, read 1500 ticks; 90 candles committed');
  t.is(lines[2], 'same candles as a run that never crashed: true (90 candles, none twice, none lost)');
});

test('replay-dead-letters › the records the first parser rejected are replayed after the fix, and only they', async (t) => {
  t.deepEqual(await replayDeadLetters.main(), [
    `dead letter from 'parsed' at position 1: size must be a number, got "7"`,
    `dead letter from 'parsed' at position 3: size must be a number, got "1"`,
    'run with parser v1: AAPL 0: 5, MSFT 0: 2',
    'replay with parser v2: AAPL 0: 7, AAPL 1000: 1',
  ]);
});
