import test from 'ava';
import { Container, createPipeline, fromArray, toArray, type SluiceModule } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import {
  ERROR_STRATEGY,
  OnError,
  Stage,
  type Enricher,
  type ErrorDecision,
  type ErrorStrategy,
  type ErrorStrategyProvider,
  type Mapper,
  type StageFailure,
} from '@sluice/sdk';
import { runOnClock } from './run-on-clock.js';

/** An error that says how long to wait, like an HTTP 429 with Retry-After. */
class RateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limited, retry after ${retryAfterMs} ms`);
    this.name = 'RateLimited';
  }
}

/** A plugin's strategy: waits as long as the error says, up to `attempts`; anything else gives up with the stage's `then`. */
class RetryAfter implements ErrorStrategy {
  constructor(
    private readonly attempts: number,
    private readonly then: 'dead-letter' | 'skip' | 'fail',
  ) {}
  decide(f: StageFailure): ErrorDecision {
    return f.error instanceof RateLimited && f.attempt < this.attempts ? { retryInMs: f.error.retryAfterMs } : this.then;
  }
}

const retryAfter: ErrorStrategyProvider = {
  name: 'retry-after',
  create(options, ctx) {
    if (typeof options.attempts !== 'number') throw new Error('option "attempts" must be a number');
    return new RetryAfter(options.attempts, ctx.then);
  },
};

/** What a plugin ships: a module that binds its strategy by name. */
const RateLimitPlugin: SluiceModule = { name: 'rate-limit', providers: [{ provide: ERROR_STRATEGY, useValue: retryAfter }] };

test('named strategy › a plugin module binds a strategy by name and @OnError({ strategy }) picks it (sync and enrich)', async (t) => {
  const clock = new VirtualClock(0);
  const calls: [string, number][] = [];
  let quota = 2;
  const call = (v: string) => {
    calls.push([v, clock.now()]);
    if (v === 'limited' && quota-- > 0) throw new RateLimited(250);
    if (v === 'broken') throw new Error('broken');
    return v.toUpperCase();
  };
  @Stage({ name: 'mapped', from: 'items' })
  @OnError({ strategy: 'retry-after', options: { attempts: 5 }, then: 'dead-letter' })
  class Mapped implements Mapper<string, string> {
    map(v: string) {
      return call(v);
    }
  }
  @Stage({ name: 'looked', from: 'items', concurrency: 2 })
  @OnError({ strategy: 'retry-after', options: { attempts: 5 }, then: 'dead-letter' })
  class Looked implements Enricher<string, string> {
    async enrich(v: string) {
      return call(v);
    }
  }
  for (const [stage, name] of [
    [Mapped, 'mapped'],
    [Looked, 'looked'],
  ] as const) {
    calls.length = 0;
    quota = 2;
    const out: string[] = [];
    const p = createPipeline({
      modules: [RateLimitPlugin],
      components: [fromArray(['a', 'limited', 'broken', 'b'], { name: 'items' }), stage, toArray(out, { name: 'out', from: name })],
      clock,
    });
    const start = clock.now();
    await runOnClock(p, clock);
    t.deepEqual(out, ['A', 'LIMITED', 'B'], name);
    t.deepEqual(
      calls.filter(([v]) => v === 'limited').map(([, time]) => time - start),
      [0, 250, 500],
      name,
    );
    t.deepEqual(
      p.deadLetters.records().map((d) => [d.value, d.attempts]),
      [['broken', 1]],
      name,
    );
  }
});

test('named strategy › the built-ins are bound by name too, and a module may replace one', async (t) => {
  const skipAll: ErrorStrategyProvider = { name: 'dead-letter', create: () => ({ decide: () => 'skip' }) };
  @Stage({ name: 'mapped', from: 'items' })
  @OnError({ then: 'dead-letter' })
  class Mapped implements Mapper<string, string> {
    map(v: string): string {
      throw new Error(v);
    }
  }
  const plain = createPipeline({ components: [fromArray(['a'], { name: 'items' }), Mapped, toArray([], { name: 'out', from: 'mapped' })] });
  await plain.run();
  t.is(plain.deadLetters.size, 1);
  const replaced = createPipeline({
    modules: [{ providers: [{ provide: ERROR_STRATEGY, useValue: skipAll }] }],
    components: [fromArray(['a'], { name: 'items' }), Mapped, toArray([], { name: 'out', from: 'mapped' })],
  });
  const stats = await replaced.run();
  t.is(replaced.deadLetters.size, 0);
  t.is(stats.stages.mapped!.skipped, 1);
});

test('named strategy › a strategy bound in a parent container is found by name too', async (t) => {
  const parent = new Container();
  parent
    .bind(ERROR_STRATEGY)
    .toConstantValue({ name: 'always-skip', create: () => ({ decide: () => 'skip' }) } satisfies ErrorStrategyProvider);
  @Stage({ name: 'mapped', from: 'items' })
  @OnError({ strategy: 'always-skip' })
  class Mapped implements Mapper<string, string> {
    map(v: string): string {
      throw new Error(v);
    }
  }
  const stats = await createPipeline({
    container: parent,
    components: [fromArray(['a', 'b'], { name: 'items' }), Mapped, toArray([], { name: 'out', from: 'mapped' })],
  }).run();
  t.is(stats.stages.mapped!.skipped, 2);
});
