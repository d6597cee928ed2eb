import test, { type ExecutionContext } from 'ava';
import { Container, createPipeline, defineSource, fromArray, fromPush, toArray, type SluiceModule } from '@sluice/core';
import {
  ErrorCodes,
  Injectable,
  OVERFLOW_POLICY,
  Source,
  SluiceError,
  Stage,
  type ErrorCode,
  type Mapper,
  type OverflowDecision,
  type OverflowOptions,
  type OverflowPolicy,
  type PushEmitter,
  type PushSourceConnector,
  type SourceConnector,
} from '@sluice/sdk';

const range = (from: number, to: number, step = 1) => Array.from({ length: Math.ceil((to - from) / step) }, (_, i) => from + i * step);

/**
 * A burst of 100 records (0..99) pushed before the pipeline reads anything, into a buffer of 10:
 * which records are kept and which dropped depends on the policy alone.
 */
async function burst(overflow: OverflowOptions, modules: SluiceModule[] = []) {
  const out: number[] = [];
  const dropped: number[] = [];
  const answers: boolean[] = [];
  const stats = await createPipeline({
    components: [
      fromPush<number>(
        (emitter) => {
          for (let i = 0; i < 100; i++) answers.push(emitter.emit(i));
          emitter.end();
        },
        { name: 'feed', overflow },
      ),
      toArray(out, { name: 'out', from: 'feed' }),
      toArray(dropped, { name: 'dropped', from: 'feed:dropped' }),
    ],
    modules,
  }).run();
  return { out, dropped, answers, source: stats.sources.feed!, side: stats.sources['feed:dropped']! };
}

test('overflow › drop-newest keeps the first records and drops the ones pushed into the full buffer', async (t) => {
  const { out, dropped, answers, source } = await burst({ policy: 'drop-newest', buffer: 10, droppedBuffer: 100 });
  t.deepEqual(out, range(0, 10));
  t.deepEqual(dropped, range(10, 100));
  t.true(answers.every(Boolean), 'the engine took every record (dropping is its business)');
  t.like(source, {
    pushed: 100,
    records: 10,
    dropped: { 'drop-newest': 90 },
    refused: 0,
    bufferFill: 0,
    maxBufferFill: 10,
    bufferCapacity: 10,
  });
});

test('overflow › drop-oldest keeps the newest records and drops the oldest, in order', async (t) => {
  const { out, dropped, source, side } = await burst({ policy: 'drop-oldest', buffer: 10, droppedBuffer: 100 });
  t.deepEqual(out, range(90, 100));
  t.deepEqual(dropped, range(0, 90));
  t.like(source, { pushed: 100, records: 10, dropped: { 'drop-oldest': 90 }, lostDropped: 0 });
  t.is(side.records, 90);
});

test('overflow › sample keeps 1 in `every` of the records pushed into the full buffer, each replacing the oldest', async (t) => {
  const { out, dropped, source } = await burst({ policy: 'sample', every: 4, buffer: 10, droppedBuffer: 100 });
  // 0..9 fill the buffer; of 10..99 (pushed while full) 10, 14, 18 … 98 are kept: 23 records, of
  // which the last 10 remain; the 23 kept pushed out 0..9 and the first 13 kept.
  t.deepEqual(out, range(62, 99, 4));
  t.like(source, { pushed: 100, records: 10, dropped: { 'drop-oldest': 23, 'drop-newest': 67 } });
  const kept = range(10, 99, 4);
  t.deepEqual(
    dropped.filter((v) => !kept.includes(v) && v >= 10),
    range(10, 100).filter((v) => !kept.includes(v)),
    'the records not sampled are dropped as they come',
  );
  t.deepEqual(
    dropped.filter((v) => v < 10 || kept.includes(v)),
    [...range(0, 10), ...kept.slice(0, 13)],
    'each kept record pushes out the oldest',
  );
  t.deepEqual(
    [...out, ...dropped].sort((a, b) => a - b),
    range(0, 100),
  );
});

test('overflow › block refuses what does not fit; a producer that ignores the answer keeps memory bounded', async (t) => {
  const { out, dropped, answers, source } = await burst({ policy: 'block', buffer: 10 });
  t.deepEqual(out, range(0, 10));
  t.deepEqual(dropped, []);
  t.deepEqual(answers, [...Array<boolean>(10).fill(true), ...Array<boolean>(90).fill(false)]);
  t.like(source, { pushed: 10, records: 10, refused: 90, dropped: {}, maxBufferFill: 10 });
});

test('overflow › a dropped output that falls behind holds droppedBuffer records; the rest are counted, not lost silently', async (t) => {
  const { dropped, source, side } = await burst({ policy: 'drop-newest', buffer: 10, droppedBuffer: 5 });
  t.deepEqual(dropped, range(10, 15));
  t.like(source, { dropped: { 'drop-newest': 90 }, lostDropped: 85 });
  t.is(side.records + source.lostDropped!, 90);
});

test('overflow › without a reader of <source>:dropped, dropped records are only counted', async (t) => {
  const out: number[] = [];
  const stats = await createPipeline({
    components: [
      fromPush<number>((e) => (e.emitAll(range(0, 30)), e.end()), { name: 'feed', overflow: { policy: 'drop-newest', buffer: 8 } }),
      toArray(out, { name: 'out', from: 'feed' }),
    ],
  }).run();
  t.deepEqual(out, range(0, 8));
  t.like(stats.sources.feed, { pushed: 30, dropped: { 'drop-newest': 22 } });
  t.false('lostDropped' in stats.sources.feed!);
  t.false('feed:dropped' in stats.sources);
});

test('overflow › emitAll under block takes the records that fit and says how many', async (t) => {
  let taken = -1;
  const out: number[] = [];
  const stats = await createPipeline({
    components: [
      fromPush<number>((e) => ((taken = e.emitAll(range(0, 12))), e.end()), { name: 'feed', overflow: { policy: 'block', buffer: 5 } }),
      toArray(out, { name: 'out', from: 'feed' }),
    ],
  }).run();
  t.is(taken, 5);
  t.deepEqual(out, range(0, 5));
  t.like(stats.sources.feed, { pushed: 5, refused: 7 });
});

test('overflow › a push source without overflow blocks, with a buffer of 10 000', async (t) => {
  const out: number[][] = [];
  const stats = await createPipeline({
    components: [fromPush<number[]>((e) => (e.emit([1, 2]), e.end()), { name: 'feed' }), toArray(out, { name: 'out', from: 'feed' })],
  }).run();
  t.deepEqual(out, [[1, 2]], 'a record may be an array');
  t.like(stats.sources.feed, { pushed: 1, refused: 0, bufferCapacity: 10_000, dropped: {} });
});

// A plugin's policy: drop the first record of an overload, then keep the newest.
class KeepFirst implements OverflowPolicy {
  decide(overflowed: number): OverflowDecision {
    return overflowed === 0 ? 'drop-newest' : 'drop-oldest';
  }
}

const KeepFirstModule: SluiceModule = {
  name: 'keep-first',
  providers: [
    {
      provide: OVERFLOW_POLICY,
      useValue: {
        name: 'keep-first',
        create: (o: OverflowOptions) => {
          if (o.options !== undefined && typeof o.options.strict !== 'boolean') throw new Error('option "strict" must be a boolean');
          return new KeepFirst();
        },
      },
    },
  ],
};

test('overflow › a module binds its own policy by name and overflow.policy picks it', async (t) => {
  const { out, dropped, source } = await burst({ policy: 'keep-first', buffer: 10, droppedBuffer: 100 }, [KeepFirstModule]);
  t.deepEqual(out, range(90, 100));
  t.deepEqual(dropped, [10, ...range(0, 10), ...range(11, 90)]);
  t.like(source, { dropped: { 'drop-newest': 1, 'drop-oldest': 89 } });
});

test('overflow › a binding under a built-in name replaces it, and a policy from a parent container is found', async (t) => {
  const replacing: SluiceModule = {
    providers: [{ provide: OVERFLOW_POLICY, useValue: { name: 'drop-newest', create: () => ({ decide: () => 'drop-oldest' }) } }],
  };
  const replaced = await burst({ policy: 'drop-newest', buffer: 10 }, [replacing]);
  t.deepEqual(replaced.out, range(90, 100));

  const parent = new Container();
  parent.bind(OVERFLOW_POLICY).toConstantValue({ name: 'from-parent', create: () => new KeepFirst() });
  const out: number[] = [];
  await createPipeline({
    components: [
      fromPush<number>((e) => (e.emitAll(range(0, 20)), e.end()), { name: 'feed', overflow: { policy: 'from-parent', buffer: 4 } }),
      toArray(out, { name: 'out', from: 'feed' }),
    ],
    container: parent,
  }).run();
  t.deepEqual(out, range(16, 20));
});

test('overflow › a @Source class is a push source because it implements subscribe(), built through the container', async (t) => {
  @Injectable()
  class Feed {
    readonly ticks = [3, 1, 4, 1, 5];
  }
  @Source({ name: 'ticks', overflow: { policy: 'drop-oldest', buffer: 3 } })
  class Ticks implements PushSourceConnector<number> {
    unsubscribed = 0;
    constructor(private readonly feed: Feed) {}
    subscribe(emitter: PushEmitter<number>) {
      for (const t of this.feed.ticks) emitter.emit(t);
      emitter.end();
    }
    unsubscribe() {
      this.unsubscribed++;
    }
  }
  @Stage({ name: 'lost', from: 'ticks:dropped' })
  class Lost implements Mapper<number, string> {
    map(v: number) {
      return `lost ${v}`;
    }
  }
  const out: number[] = [];
  const lost: string[] = [];
  const stats = await createPipeline({
    components: [Ticks, Lost, toArray(out, { name: 'out', from: 'ticks' }), toArray(lost, { name: 'lost-out', from: 'lost' })],
    providers: [Feed],
  }).run();
  t.deepEqual(out, [4, 1, 5]);
  t.deepEqual(lost, ['lost 3', 'lost 1']);
  t.is(stats.stages.lost!.recordsIn, 2);
});

const refused = (t: ExecutionContext, build: () => unknown, code: ErrorCode = ErrorCodes.INVALID_OPTION): string => {
  const err = t.throws(build);
  t.true(SluiceError.is(err), String(err));
  t.is((err as SluiceError).code, code);
  return err.message;
};

const pushWith =
  (overflow: unknown, modules: SluiceModule[] = []) =>
  () =>
    createPipeline({
      components: [
        fromPush<number>(() => undefined, { name: 'feed', overflow: overflow as OverflowOptions }),
        toArray([], { name: 'out', from: 'feed' }),
      ],
      modules,
    });

test('overflow › an unknown policy or bad options are refused at build time, naming the source, the option and the rule', (t) => {
  t.is(
    refused(t, pushWith({ policy: 'drop-random' }, [KeepFirstModule])),
    "overflow of source 'feed' (source definition 'feed'): policy 'drop-random' is not bound in the container (bound: block, drop-oldest, drop-newest, sample, keep-first); a module or plugin binds one with { provide: OVERFLOW_POLICY, useValue: { name, create } }",
  );
  t.is(
    refused(t, pushWith({ policy: 'sample' })),
    "overflow of source 'feed' (source definition 'feed'): policy 'sample' refused its options: option \"every\" is required: keep 1 record in every N (an integer >= 2) while the buffer is full",
  );
  t.is(
    refused(t, pushWith({ policy: 'drop-oldest', every: 3 })),
    "overflow of source 'feed' (source definition 'feed'): policy 'drop-oldest' refused its options: option \"every\" applies only to policy 'sample', not 'drop-oldest'",
  );
  t.regex(
    refused(t, pushWith({ policy: 'keep-first', options: { strict: 'yes' } }, [KeepFirstModule])),
    /policy 'keep-first' refused its options: option "strict" must be a boolean$/,
  );
  t.is(
    refused(t, pushWith({ policy: 'block', buffer: 0 })),
    'defineSource on source definition \'feed\': option "overflow.buffer" must not be less than 1 (rule: min)',
  );
  t.regex(refused(t, pushWith({ policy: 'block', buffer: 2.5 })), /option "overflow.buffer" must be an integer number \(rule: isInt\)/);
  t.regex(refused(t, pushWith({ policy: 'sample', every: 1 })), /option "overflow.every" must not be less than 2 \(rule: min\)/);
  t.regex(
    refused(t, pushWith({ policy: 'block', size: 10 })),
    /option "overflow.size" is not a known option \(rule: whitelistValidation\)/,
  );
  t.regex(refused(t, pushWith({ buffer: 10 })), /option "overflow.policy" must be a string \(rule: isString\)/);
  t.regex(
    refused(t, pushWith({ policy: 'bad' }, [{ providers: [{ provide: OVERFLOW_POLICY, useValue: { name: 'bad', create: () => ({}) } }] }])),
    /policy 'bad': create\(\) must return an object with a decide\(overflowed\) method/,
  );
});

test('overflow › overflow on a pull source, and <source>:dropped of a pull source or a stage, are refused', (t) => {
  t.is(
    refused(t, () =>
      createPipeline({
        components: [fromArray([1], { name: 'n', overflow: { policy: 'drop-oldest' } }), toArray([], { name: 'out', from: 'n' })],
      }),
    ),
    'defineSource on source definition \'n\': option "overflow" applies only to push sources (with subscribe()); a pull source (with read()) is paused by backpressure and never overflows',
  );
  @Source({ name: 'pulled', overflow: { policy: 'block' } })
  class Pulled implements SourceConnector<number> {
    read(): number[] {
      return [];
    }
  }
  t.regex(
    refused(t, () => createPipeline({ components: [Pulled, toArray([], { name: 'out', from: 'pulled' })] })),
    /^@Source on Pulled: option "overflow" applies only to push sources/,
  );
  t.is(
    refused(
      t,
      () =>
        createPipeline({
          components: [
            fromArray([1], { name: 'n' }),
            toArray([], { name: 'out', from: 'n' }),
            toArray([], { name: 'd', from: 'n:dropped' }),
          ],
        }),
      ErrorCodes.GRAPH_UNKNOWN_INPUT,
    ),
    "Sink 'd' (sink definition 'd') reads from 'n:dropped', the dropped-records output of 'n', a pull source: backpressure pauses it, so it never drops records (only push sources, with subscribe(), have an overflow policy)",
  );
  @Stage({ name: 'double', from: 'n' })
  class Double implements Mapper<number, number> {
    map(v: number) {
      return v * 2;
    }
  }
  t.regex(
    refused(
      t,
      () =>
        createPipeline({
          components: [
            fromArray([1], { name: 'n' }),
            Double,
            toArray([], { name: 'out', from: 'double' }),
            toArray([], { name: 'd', from: 'double:dropped' }),
          ],
        }),
      ErrorCodes.GRAPH_UNKNOWN_INPUT,
    ),
    /reads from 'double:dropped', the dropped-records output of 'double', which is a stage; only push sources drop records$/,
  );
  t.regex(
    refused(
      t,
      () => createPipeline({ components: [fromPush(() => undefined, { name: 'p' }), toArray([], { name: 'out', from: 'q:dropped' })] }),
      ErrorCodes.GRAPH_UNKNOWN_INPUT,
    ),
    /reads from 'q:dropped', which no source, stage or composite provides/,
  );
});

test('overflow › a source with both read() and subscribe() is refused', (t) => {
  const both = { read: () => [], subscribe: () => undefined };
  t.is(
    refused(
      t,
      () => createPipeline({ components: [defineSource({ name: 'x' }, both as never), toArray([], { name: 'out', from: 'x' })] }),
      ErrorCodes.GRAPH_UNKNOWN_KIND,
    ),
    "Source 'x' (source definition 'x') implements both read() (a pull source) and subscribe() (a push source); a source is exactly one of them",
  );
});

test('overflow › a plugin policy that decides something else fails the source, not the producer', async (t) => {
  const odd: SluiceModule = {
    providers: [{ provide: OVERFLOW_POLICY, useValue: { name: 'odd', create: () => ({ decide: () => 'drop-middle' }) } }],
  };
  const answers: boolean[] = [];
  const err = await t.throwsAsync(
    createPipeline({
      components: [
        fromPush<number>(
          (e) => {
            for (let i = 0; i < 5; i++) answers.push(e.emit(i));
          },
          { name: 'feed', overflow: { policy: 'odd', buffer: 2 } },
        ),
        toArray([], { name: 'out', from: 'feed' }),
      ],
      modules: [odd],
    }).run(),
  );
  t.true(SluiceError.is(err, ErrorCodes.SOURCE_FAILED));
  t.regex(err.message, /Source 'feed' .* policy 'odd' decided "drop-middle"; a decision is 'wait', 'drop-newest' or 'drop-oldest'/);
  t.deepEqual(answers, [true, true, false, false, false]);
});
