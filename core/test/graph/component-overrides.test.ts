import test, { type ExecutionContext } from 'ava';
import { createPipeline, defineSink, fromArray, toArray, type ComponentOverride } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import { RATE_LIMITER, SluiceError, Stage, type Filter, type Mapper, type RateLimiter } from '@sluice/sdk';
import { runOnClock } from '../strategies/run-on-clock.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

@Stage({ name: 'inverse', from: 'numbers' })
class Inverse implements Mapper<number, number> {
  map(n: number): number {
    if (n % 10 === 0) throw new Error(`no inverse of ${n}`);
    return 1 / n;
  }
}

@Stage({ name: 'evens', from: 'numbers' })
class Evens implements Filter<number> {
  filter(n: number): boolean {
    return n % 2 === 0;
  }
}

// What a pipeline file would hold: plain data, strategies picked by name.
const config = JSON.parse(`{
  "overrides": {
    "out": { "options": { "rateLimit": { "strategy": "token-bucket", "options": { "rate": "100/s", "burst": 10 } } } },
    "inverse": { "onError": { "then": "dead-letter" } }
  }
}`) as { overrides: Record<string, ComponentOverride> };

test('overrides › a rate limiter and an error strategy picked by name from plain data apply as if declared', async (t) => {
  const clock = new VirtualClock(0);
  const writes: number[] = [];
  const out = defineSink<number>(
    { name: 'out', from: 'inverse' },
    {
      write(batch) {
        for (const _ of batch) writes.push(clock.now());
      },
    },
  );
  const pipeline = createPipeline({
    components: [fromArray(range(100), { name: 'numbers' }), Inverse, out],
    clock,
    overrides: config.overrides,
  });
  const stats = await runOnClock(pipeline, clock);
  // 0, 10, ..., 90 have no inverse: dead-lettered by the override's error strategy, not failing the run.
  t.is(pipeline.deadLetters.size, 10);
  t.is(stats.sinks.out!.records, 90);
  t.is(stats.sinks.out!.limit, 100);
  // 10 at once, then 100/s: the 90th record is written at (90 - 10) * 10 ms.
  t.is(writes.at(-1), 800);
});

test('overrides › a strategy a module binds is picked by name from an override', async (t) => {
  const clock = new VirtualClock(0);
  class OnePerTenMs implements RateLimiter {
    readonly limit = 100;
    readonly maxPermits = 1;
    private next = 0;
    acquire(_permits: number, now: number): number {
      if (now < this.next) return this.next - now;
      this.next = now + 10;
      return 0;
    }
  }
  const collected: number[] = [];
  const pipeline = createPipeline({
    components: [fromArray(range(20), { name: 'numbers' }), Evens, toArray(collected, { name: 'out', from: 'evens' })],
    providers: [{ provide: RATE_LIMITER, useValue: { name: 'one-per-10ms', create: () => new OnePerTenMs() } }],
    overrides: { out: { options: { rateLimit: { strategy: 'one-per-10ms' } } } },
    clock,
  });
  const stats = await runOnClock(pipeline, clock);
  t.deepEqual(collected, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  t.is(stats.sinks.out!.limit, 100);
  t.is(clock.now(), 90);
});

function buildError(t: ExecutionContext, overrides: Record<string, unknown>): SluiceError {
  const err = t.throws(() =>
    createPipeline({
      components: [fromArray(range(3), { name: 'numbers' }), Evens, toArray([], { name: 'out', from: 'evens' })],
      overrides: overrides as Record<string, ComponentOverride>,
    }),
  );
  t.true(SluiceError.is(err), String(err));
  return err as SluiceError;
}

test('overrides › a bad option in an override is refused, naming the override, the component and the option', (t) => {
  const err = buildError(t, { evens: { options: { concurency: 4 } } });
  t.is(err.code, 'SLUICE_ERR_INVALID_OPTION');
  t.regex(err.message, /@Stage \(with the pipeline's overrides for 'evens'\) on Evens: option "concurency" is not a known option/);
});

test('overrides › an unknown strategy named in an override is refused with the names that are bound', (t) => {
  const err = buildError(t, { out: { options: { rateLimit: { strategy: 'leaky' } } } });
  t.regex(err.message, /rateLimit of sink 'out'.*strategy 'leaky' is not bound in the container \(bound: token-bucket, sliding-window/);
});

test('overrides › an override of a name no component has is refused, listing the components', (t) => {
  const err = buildError(t, { evnes: { options: { channelCapacity: 4 } } });
  t.regex(err.message, /overrides name 'evnes', but no component has that name \(components: numbers, evens, out\)/);
});

test('overrides › onError on a sink, a changed name or from, and unknown keys are refused', (t) => {
  t.regex(buildError(t, { out: { onError: { then: 'skip' } } }).message, /'out', but it is not a stage, so "onError" does not apply/);
  t.regex(buildError(t, { evens: { options: { name: 'odds' } } }).message, /"options.name" cannot be overridden/);
  t.regex(buildError(t, { evens: { options: { from: 'x' } } }).message, /use the pipeline's edges/);
  t.regex(buildError(t, { evens: { window: {} } }).message, /"window" is not known \(an override takes "options" and "onError"\)/);
  t.regex(buildError(t, { evens: 3 }).message, /overrides for 'evens': must be an object/);
});
