import test from 'ava';
import { createPipeline, fromArray, replayDeadLetters, toArray, type PipelineOptions } from '@sluice/core';
import {
  ErrorCodes,
  OnError,
  SluiceError,
  Stage,
  Window,
  type Aggregator,
  type DeadLetter,
  type DeadLetterSink,
  type Mapper,
  type WindowResult,
} from '@sluice/sdk';

interface Tick {
  symbol: string;
  ts: number;
  size: number | string;
}

const ticks: Tick[] = [
  { symbol: 'A', ts: 100, size: 5 },
  { symbol: 'A', ts: 200, size: '7' }, // a string: the parser's bug
  { symbol: 'B', ts: 300, size: 2 },
  { symbol: 'A', ts: 1_100, size: '1' },
  { symbol: 'B', ts: 1_200, size: 4 },
];

/** The parse stage; `lenient` is the fix (accept sizes sent as strings). */
function parseStage(lenient: boolean) {
  @Stage({ name: 'parsed', from: 'ticks' })
  @OnError({ then: 'dead-letter' })
  class Parse implements Mapper<Tick, { symbol: string; ts: number; size: number }> {
    map(t: Tick) {
      if (typeof t.size !== 'number' && !lenient) throw new TypeError(`size must be a number, got ${JSON.stringify(t.size)}`);
      return { symbol: t.symbol, ts: t.ts, size: Number(t.size) };
    }
  }
  return Parse;
}

@Stage({ name: 'volume', from: 'parsed', key: (t: { symbol: string }) => t.symbol })
@Window({ tumbling: '1s' })
class Volume implements Aggregator<{ size: number }, number, number> {
  create() {
    return 0;
  }
  add(v: number, t: { size: number }) {
    return v + t.size;
  }
  result(v: number) {
    return v;
  }
}

class CollectingSink implements DeadLetterSink {
  readonly written: DeadLetter[] = [];
  flushed = false;
  closed = false;
  write(batch: readonly DeadLetter[]) {
    this.written.push(...batch);
  }
  flush() {
    this.flushed = true;
  }
  close() {
    this.closed = true;
  }
}

const options = (lenient: boolean, out: WindowResult<number>[], deadLetters?: DeadLetterSink): PipelineOptions => ({
  components: [
    fromArray(ticks, { name: 'ticks', eventTime: (t: Tick) => t.ts }),
    parseStage(lenient),
    Volume,
    toArray(out, { name: 'out', from: 'volume' }),
  ],
  deadLetters,
});

test('dead letters › go to the configured sink too, with the stage, position, event time and error; flushed and closed at the end', async (t) => {
  const sink = new CollectingSink();
  const p = createPipeline(options(false, [], sink));
  await p.run();
  t.is(sink.written.length, 2);
  t.like(sink.written[0], {
    stage: 'parsed',
    position: 1,
    eventTime: 200,
    value: ticks[1],
    error: { name: 'TypeError', message: 'size must be a number, got "7"' },
    attempts: 1,
  });
  t.true(sink.flushed && sink.closed);
  t.deepEqual(p.deadLetters.records(), sink.written);
});

test('dead letters › replayed after the fix into the stage that rejected them, they reach the windows with their event time', async (t) => {
  const out: WindowResult<number>[] = [];
  const p = createPipeline(options(false, out));
  await p.run();
  t.deepEqual(
    out.map((r) => `${String(r.key)}@${r.start}=${r.value}`),
    ['A@0=5', 'B@0=2', 'B@1000=4'],
  );
  const replayed: WindowResult<number>[] = [];
  const stats = await replayDeadLetters(options(true, replayed), p.deadLetters.records()).run();
  t.deepEqual(
    replayed.map((r) => `${String(r.key)}@${r.start}=${r.value}`),
    ['A@0=7', 'A@1000=1'],
  );
  t.is(stats.sources.ticks!.records, 0); // the pipeline's own source read nothing
  t.is(stats.sources['dead-letters/parsed']!.records, 2);
});

test('dead letters › a replay into a stage the pipeline does not have, or of a source, is refused with why', (t) => {
  const dl = (stage: string): DeadLetter => ({
    stage,
    value: 1,
    position: 0,
    eventTime: undefined,
    error: { name: 'Error', message: 'x' },
    attempts: 1,
    time: 0,
  });
  const unknown = t.throws(() => replayDeadLetters(options(true, []), [dl('nope')]));
  t.true(SluiceError.is(unknown, ErrorCodes.INVALID_OPTION));
  t.is(unknown.message, "Dead letters of 'nope' cannot be replayed: this pipeline has no stage of that name");
  const source = t.throws(() => replayDeadLetters(options(true, []), [dl('ticks')]));
  t.regex(
    source.message,
    /^Dead letters of source 'ticks' .* are payloads it could not decode; they cannot be fed to a stage: fix the input and read it again$/,
  );
});
