import test, { type ExecutionContext } from 'ava';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { ErrorCodes, OnError, SluiceError, Stage, Window, type Aggregator, type ErrorCode, type Filter, type Mapper } from '@sluice/sdk';

const src = () => fromArray([1, 2, 3], { name: 'numbers' });
const sink = (from: string) => toArray<unknown>([], { name: 'out', from });

function fails(t: ExecutionContext, code: ErrorCode, build: () => unknown, message: RegExp) {
  const err = t.throws(build);
  t.true(SluiceError.is(err, code), `expected ${code}, got ${(err as SluiceError).code}: ${err.message}`);
  t.regex(err.message, message);
}

test('graph › rejects an unknown input, naming the stage, its class and the missing name', (t) => {
  @Stage({ name: 'doubled', from: 'numbrs' })
  class Doubled implements Mapper<number, number> {
    map(n: number) {
      return n * 2;
    }
  }
  fails(
    t,
    ErrorCodes.GRAPH_UNKNOWN_INPUT,
    () => createPipeline({ components: [src(), Doubled, sink('doubled')] }),
    /Stage 'doubled' \(class Doubled\) reads from 'numbrs'.*known: numbers, doubled/,
  );
});

test('graph › rejects a cycle and spells it out', (t) => {
  @Stage({ name: 'a', from: ['numbers', 'c'] })
  class A implements Mapper<number, number> {
    map(n: number) {
      return n;
    }
  }
  @Stage({ name: 'b', from: 'a' })
  class B implements Mapper<number, number> {
    map(n: number) {
      return n;
    }
  }
  @Stage({ name: 'c', from: 'b' })
  class C implements Mapper<number, number> {
    map(n: number) {
      return n;
    }
  }
  fails(
    t,
    ErrorCodes.GRAPH_CYCLE,
    () => createPipeline({ components: [src(), A, B, C, sink('c')] }),
    /cycle: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)/,
  );
});

test('graph › rejects a duplicate name, naming both declarations', (t) => {
  @Stage({ name: 'numbers', from: 'numbers' })
  class Shadow implements Mapper<number, number> {
    map(n: number) {
      return n;
    }
  }
  fails(
    t,
    ErrorCodes.GRAPH_DUPLICATE_NAME,
    () => createPipeline({ components: [src(), Shadow, sink('numbers')] }),
    /Duplicate name 'numbers'.*class Shadow/,
  );
});

test('graph › rejects a class whose kind cannot be told', (t) => {
  class Plain {
    map(n: number) {
      return n;
    }
  }
  fails(
    t,
    ErrorCodes.GRAPH_UNKNOWN_KIND,
    () => createPipeline({ components: [src(), Plain, sink('numbers')] }),
    /class Plain carries none of @Stage, @Source, @Sink, @Composite/,
  );

  @Stage({ name: 'nothing', from: 'numbers' })
  class Nothing {}
  fails(
    t,
    ErrorCodes.GRAPH_UNKNOWN_KIND,
    () => createPipeline({ components: [src(), Nothing, sink('nothing')] }),
    /Stage 'nothing' \(class Nothing\) implements none of the stage methods/,
  );

  @Stage({ name: 'both', from: 'numbers' })
  class Both implements Filter<number>, Mapper<number, number> {
    filter() {
      return true;
    }
    map(n: number) {
      return n;
    }
  }
  fails(
    t,
    ErrorCodes.GRAPH_UNKNOWN_KIND,
    () => createPipeline({ components: [src(), Both, sink('both')] }),
    /several stage kinds \(filter, map\)/,
  );
  fails(
    t,
    ErrorCodes.GRAPH_UNKNOWN_KIND,
    () => createPipeline({ components: [src(), { name: 'x' } as never, sink('numbers')] }),
    /is not a pipeline component/,
  );
});

test('graph › rejects a source or stage with no consumer, since its records would be lost', (t) => {
  @Stage({ name: 'dangling', from: 'numbers' })
  class Dangling implements Mapper<number, number> {
    map(n: number) {
      return n;
    }
  }
  fails(
    t,
    ErrorCodes.GRAPH_NO_CONSUMER,
    () => createPipeline({ components: [src(), fromArray([1], { name: 'unused' }), sink('numbers')] }),
    /Source 'unused' .* has no consumer/,
  );
  fails(
    t,
    ErrorCodes.GRAPH_NO_CONSUMER,
    () => createPipeline({ components: [src(), Dangling, sink('numbers')] }),
    /Stage 'dangling' \(class Dangling\) has no consumer/,
  );
});

test('graph › rejects a pipeline without source, and stages or sinks without input', (t) => {
  fails(t, ErrorCodes.GRAPH_EMPTY, () => createPipeline({ components: [sink('x')] }), /no source/);
  @Stage({ name: 'orphan' })
  class Orphan implements Mapper<number, number> {
    map(n: number) {
      return n;
    }
  }
  fails(
    t,
    ErrorCodes.GRAPH_UNKNOWN_INPUT,
    () => createPipeline({ components: [src(), Orphan, sink('numbers'), toArray([], { name: 'o2', from: 'orphan' })] }),
    /Stage 'orphan' \(class Orphan\) declares no input/,
  );
});

test('graph › a keyed aggregate without key is rejected', (t) => {
  @Stage({ name: 'sum', from: 'numbers' })
  class Sum implements Aggregator<number, number, number> {
    create() {
      return 0;
    }
    add(a: number, n: number) {
      return a + n;
    }
    result(a: number) {
      return a;
    }
  }
  fails(
    t,
    ErrorCodes.GRAPH_KEY_REQUIRED,
    () => createPipeline({ components: [src(), Sum, sink('sum')] }),
    /@Stage on Sum: an aggregate stage needs a key/,
  );
});

test('options › a bad decorator option stops the build naming the class, option and rule', (t) => {
  @Stage({ name: 'slow', from: 'numbers', concurrency: -1 })
  class Slow {
    async enrich(n: number) {
      return n;
    }
  }
  fails(
    t,
    ErrorCodes.INVALID_OPTION,
    () => createPipeline({ components: [src(), Slow, sink('slow')] }),
    /@Stage on Slow: option "concurrency" must not be less than 1 \(rule: min\)/,
  );

  @Stage({ name: 'f', from: 'numbers', concurrency: 4 })
  class NotAsync implements Filter<number> {
    filter() {
      return true;
    }
  }
  fails(
    t,
    ErrorCodes.INVALID_OPTION,
    () => createPipeline({ components: [src(), NotAsync, sink('f')] }),
    /option "concurrency" applies only to enrich stages/,
  );

  @Stage({ name: 'g', from: 'numbers' })
  @OnError({ then: 'explode' as never })
  class BadPolicy implements Filter<number> {
    filter() {
      return true;
    }
  }
  fails(
    t,
    ErrorCodes.INVALID_OPTION,
    () => createPipeline({ components: [src(), BadPolicy, sink('g')] }),
    /@OnError on BadPolicy \(stage 'g'\): option "then"/,
  );

  fails(
    t,
    ErrorCodes.INVALID_OPTION,
    () => createPipeline({ components: [src(), sink('numbers')], batchSize: 0 }),
    /option "batchSize" must be an integer/,
  );
});

test('options › a session window without merge, and a retry that cannot run, are refused', (t) => {
  @Stage({ name: 'w', from: 'numbers', key: () => 1 })
  @Window({ session: { gap: '1s' } })
  class W implements Aggregator<number, number, number> {
    create() {
      return 0;
    }
    add(a: number, n: number) {
      return a + n;
    }
    result(a: number) {
      return a;
    }
  }
  fails(
    t,
    ErrorCodes.INVALID_OPTION,
    () => createPipeline({ components: [src(), W, sink('w')] }),
    /@Window on W: session windows merge when a record bridges two sessions: implement merge\(a, b\) on the aggregator/,
  );

  @Stage({ name: 'r', from: 'numbers' })
  @OnError({ retry: { attempts: 3, delay: '1s', maxDelay: '10ms' }, then: 'skip' })
  class R implements Filter<number> {
    filter() {
      return true;
    }
  }
  fails(
    t,
    ErrorCodes.INVALID_OPTION,
    () => createPipeline({ components: [src(), R, sink('r')] }),
    /@OnError on R \(stage 'r'\): option "retry.maxDelay" \(10ms\) must not be less than "retry.delay" \(1s\)/,
  );
});
