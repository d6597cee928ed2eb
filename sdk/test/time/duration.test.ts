import test from 'ava';
import { ErrorCodes, parseDuration, SluiceError } from '@sluice/sdk';

test('parseDuration › reads milliseconds, seconds, minutes, hours and compound strings', (t) => {
  t.is(parseDuration('250ms'), 250);
  t.is(parseDuration('1s'), 1000);
  t.is(parseDuration('5m'), 300_000);
  t.is(parseDuration('2h'), 7_200_000);
  t.is(parseDuration('1m30s'), 90_000);
  t.is(parseDuration('1.5s'), 1500);
  t.is(parseDuration('500us'), 0.5);
  t.is(parseDuration(42), 42);
});

test('parseDuration › rejects anything else with a message naming the option', (t) => {
  for (const bad of ['', '1', 'ms', '1 s', '1sec', '-1s', 'abc', Number.NaN, -5, Infinity]) {
    const err = t.throws(() => parseDuration(bad as string | number, 'window.lateness'));
    t.true(SluiceError.is(err, ErrorCodes.INVALID_DURATION), String(bad));
    t.true(err.message.startsWith('window.lateness:'), err.message);
  }
});
