import test from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { ERROR_STRATEGY, ErrorCodes, OnError, SluiceError, Stage, type Mapper, type OnErrorOptions } from '@sluice/sdk';

function build(onError: OnErrorOptions, providers: never[] = []) {
  @Stage({ name: 'parsed', from: 'lines' })
  @OnError(onError)
  class Parse implements Mapper<string, string> {
    map(s: string) {
      return s;
    }
  }
  return () =>
    createPipeline({
      components: [fromArray(['a'], { name: 'lines' }), Parse, toArray([], { name: 'out', from: 'parsed' })],
      providers,
    });
}

const refused: [string, OnErrorOptions, string][] = [
  ['attempts below 1', { retry: { attempts: 0 } }, `option "retry.attempts" must not be less than 1 (rule: min)`],
  ['a bad duration', { retry: { attempts: 2, delay: 'soon' } }, `option "retry.delay" must be a duration`],
  [
    'an unknown retry option',
    { retry: { attempts: 2, tries: 3 } as never },
    `option "retry.tries" is not a known option (rule: whitelistValidation)`,
  ],
  [
    'an empty retryOn',
    { retry: { attempts: 2, retryOn: [] } },
    `option "retry.retryOn" must be a non-empty array of error names or codes, or a function (error) => boolean (rule: isErrorMatcher)`,
  ],
  [
    'a breaker without whileOpen',
    { breaker: { failures: 3, window: '1s', cooldown: '1s' } as never },
    `option "breaker.whileOpen" must be one of the following values: dead-letter, pause (rule: isIn)`,
  ],
  [
    'a breaker with 0 failures',
    { breaker: { failures: 0, window: '1s', cooldown: '1s', whileOpen: 'pause' } },
    `option "breaker.failures" must not be less than 1 (rule: min)`,
  ],
  [
    'an unknown then',
    { then: 'retry' as never },
    `option "then" must be one of the following values: dead-letter, skip, fail (rule: isIn)`,
  ],
  [
    'retry and strategy together',
    { retry: { attempts: 2 }, strategy: 'retry' },
    `give either "retry" (the built-in retry strategy) or "strategy" (a strategy bound by name), not both`,
  ],
  ['options without a strategy', { options: { attempts: 2 } }, `option "options" configures a named strategy: add strategy: '<name>'`],
  [
    'maxDelay below delay',
    { retry: { attempts: 2, delay: '1s', maxDelay: '10ms' } },
    `option "retry.maxDelay" (10ms) must not be less than "retry.delay" (1s)`,
  ],
  [
    'an unknown strategy',
    { strategy: 'retry-after' },
    `strategy 'retry-after' is not bound in the container (bound: retry, dead-letter, skip, fail); a module or plugin binds one with { provide: ERROR_STRATEGY, useValue: { name, create } }`,
  ],
  [
    'bad options for the retry strategy by name',
    { strategy: 'retry', options: { attempts: 'many' } },
    `strategy 'retry' refused its options: option "attempts" must be an integer from 1 to 1000, got many`,
  ],
];

for (const [what, onError, message] of refused) {
  test(`@OnError options › ${what} is refused at build time, naming the class, the stage, the option and the rule`, (t) => {
    const err = t.throws(build(onError));
    t.true(SluiceError.is(err, ErrorCodes.INVALID_OPTION), String(err));
    t.true(err!.message.startsWith(`@OnError on Parse (stage 'parsed'): `), err!.message);
    t.true(err!.message.includes(message), err!.message);
  });
}

test("@OnError options › a plugin strategy's create() refusing its options is reported with the stage", (t) => {
  const strict = {
    name: 'strict',
    create: () => {
      throw new Error('option "limit" is required');
    },
  };
  const err = t.throws(build({ strategy: 'strict' }, [{ provide: ERROR_STRATEGY, useValue: strict }] as never[]));
  t.is(err!.message, `@OnError on Parse (stage 'parsed'): strategy 'strict' refused its options: option "limit" is required`);
  t.like((err as SluiceError).details, { class: 'Parse', stage: 'parsed', option: 'options' });
});

test('@OnError options › valid retry, breaker and strategy options build', (t) => {
  t.notThrows(
    build({
      retry: {
        attempts: 5,
        backoff: 'exponential',
        delay: '10ms',
        maxDelay: '1s',
        jitter: true,
        deadline: '5s',
        retryOn: ['ETIMEDOUT', 'RateLimited'],
      },
      breaker: { failures: 5, window: '10s', cooldown: '1s', whileOpen: 'pause' },
      then: 'dead-letter',
    }),
  );
  t.notThrows(build({ retry: { attempts: 2, retryOn: (e) => e instanceof TypeError } }));
  t.notThrows(build({ strategy: 'skip' }));
});
