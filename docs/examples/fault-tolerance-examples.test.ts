import test from 'ava';
import * as checkpoints from './checkpoints.js';

test('checkpoints › killed at tick 1,700 and restarted, the committed candles are those of a run that never crashed', async (t) => {
  const lines = await checkpoints.main();
  t.is(lines[0], "run 1: crashed (Pipeline 'pipeline' was cancelled through its AbortSignal); 6 checkpoints stored; 42 candles committed");
  t.is(lines[1], 'run 2: completed; restored checkpoint 6, read 1500 ticks; 90 candles committed');
  t.is(lines[2], 'same candles as a run that never crashed: true (90 candles, none twice, none lost)');
});
