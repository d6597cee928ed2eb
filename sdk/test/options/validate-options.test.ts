import test from 'ava';
import { ErrorCodes, OnErrorOptionsSchema, SluiceError, StageOptionsSchema, validateOptions, WindowOptionsSchema } from '@sluice/sdk';

const where = { decorator: '@Stage', target: 'Enrich' };

test('validateOptions › accepts valid stage options, including functions and name lists', (t) => {
  const options = { name: 'enriched', from: ['a', 'b'], concurrency: 8, ordered: false, key: (v: { s: string }) => v.s };
  t.is(validateOptions(StageOptionsSchema, options, where), options);
});

test('validateOptions › names the decorator, the class, each option and the rule', (t) => {
  const err = t.throws(() => validateOptions(StageOptionsSchema, { name: 'x', concurrency: 0, key: 'symbol', colour: 'red' }, where));
  t.true(SluiceError.is(err, ErrorCodes.INVALID_OPTION));
  t.regex(err.message, /^@Stage on Enrich: /);
  t.regex(err.message, /option "concurrency" must not be less than 1 \(rule: min\)/);
  t.regex(err.message, /option "key" must be a function \(rule: isFunction\)/);
  t.regex(err.message, /option "colour" is not a known option/);
});

test('validateOptions › a missing or malformed name is reported', (t) => {
  t.throws(() => validateOptions(StageOptionsSchema, {} as never, where), { message: /option "name"/ });
  t.throws(() => validateOptions(StageOptionsSchema, { name: 'has space' }, where), { message: /option "name" .*\(rule: matches\)/ });
  t.throws(() => validateOptions(StageOptionsSchema, { name: 'x', from: [] as string[] }, where), { message: /option "from"/ });
});

test('validateOptions › window options need exactly one window kind and valid durations', (t) => {
  const w = { decorator: '@Window', target: 'Candles' };
  t.notThrows(() => validateOptions(WindowOptionsSchema, { tumbling: '1s', lateness: '500ms', time: 'event' }, w));
  t.notThrows(() => validateOptions(WindowOptionsSchema, { sliding: { size: '10s', slide: '1s' } }, w));
  t.throws(() => validateOptions(WindowOptionsSchema, { time: 'event' }, w), {
    message: /exactly one of tumbling, sliding, session, count/,
  });
  t.throws(() => validateOptions(WindowOptionsSchema, { tumbling: '1s', session: { gap: '5s' } }, w), { message: /exactly one/ });
  t.throws(() => validateOptions(WindowOptionsSchema, { tumbling: '1 second' }, w), { message: /option "tumbling" must be a duration/ });
  t.throws(() => validateOptions(WindowOptionsSchema, { sliding: { size: '10s', slide: 'x' } }, w), {
    message: /option "sliding.slide" must be a duration/,
  });
});

test('validateOptions › nested error-policy options are checked with their path', (t) => {
  const w = { decorator: '@OnError', target: 'Enrich' };
  t.notThrows(() =>
    validateOptions(OnErrorOptionsSchema, { retry: { attempts: 3, backoff: 'exponential', delay: '10ms' }, then: 'dead-letter' }, w),
  );
  const err = t.throws(() => validateOptions(OnErrorOptionsSchema, { retry: { attempts: 0, backoff: 'linear' }, then: 'ignore' }, w));
  t.regex(err.message, /option "retry.attempts" must not be less than 1/);
  t.regex(err.message, /option "retry.backoff" must be one of the following values: fixed, exponential/);
  t.regex(err.message, /option "then"/);
});
