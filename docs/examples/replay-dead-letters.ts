// file: docs/examples/replay-dead-letters.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, replayDeadLetters, toArray, type PipelineOptions } from '@sluice/core';
import { OnError, Stage, Window, type Aggregator, type DeadLetter, type DeadLetterSink, type Mapper, type WindowResult } from '@sluice/sdk';

interface RawTick {
  symbol: string;
  ts: number;
  size: number | string;
}
interface Tick {
  symbol: string;
  ts: number;
  size: number;
}

const feed: RawTick[] = [
  { symbol: 'AAPL', ts: 100, size: 5 },
  { symbol: 'AAPL', ts: 200, size: '7' }, // one venue sends sizes as strings
  { symbol: 'MSFT', ts: 300, size: 2 },
  { symbol: 'AAPL', ts: 1_100, size: '1' },
];

/** Version 1 of the parser rejects string sizes; version 2 (the fix) accepts them. */
function parser(version: 1 | 2) {
  @Stage({ name: 'parsed', from: 'feed' })
  @OnError({ then: 'dead-letter' })
  class Parse implements Mapper<RawTick, Tick> {
    map(t: RawTick): Tick {
      if (typeof t.size !== 'number' && version === 1) throw new TypeError(`size must be a number, got ${JSON.stringify(t.size)}`);
      return { symbol: t.symbol, ts: t.ts, size: Number(t.size) };
    }
  }
  return Parse;
}

@Stage({ name: 'volume', from: 'parsed', key: (t: Tick) => t.symbol })
@Window({ tumbling: '1s' })
class Volume implements Aggregator<Tick, number, number> {
  create() {
    return 0;
  }
  add(sum: number, t: Tick) {
    return sum + t.size;
  }
  result(sum: number) {
    return sum;
  }
}

/** A dead-letter sink that prints; `JsonLinesDeadLetterSink` of @sluice/files keeps them in a file. */
class PrintDeadLetters implements DeadLetterSink {
  constructor(private readonly lines: string[]) {}
  write(batch: readonly DeadLetter[]) {
    for (const dl of batch) this.lines.push(`dead letter from '${dl.stage}' at position ${dl.position}: ${dl.error.message}`);
  }
}

export async function main() {
  const lines: string[] = [];
  const pipelineWith = (version: 1 | 2, out: WindowResult<number>[]): PipelineOptions => ({
    components: [fromArray(feed, { name: 'feed', eventTime: (t: RawTick) => t.ts }), parser(version), Volume, toArray(out, { name: 'out', from: 'volume' })],
    deadLetters: new PrintDeadLetters(lines),
  });
  const show = (rs: WindowResult<number>[]) => rs.map((r) => `${String(r.key)} ${r.start}: ${r.value}`).join(', ');

  const first: WindowResult<number>[] = [];
  const run = createPipeline(pipelineWith(1, first));
  await run.run();
  lines.push(`run with parser v1: ${show(first)}`);

  // After the fix: only the rejected records go again, into the stage that rejected them.
  const replayed: WindowResult<number>[] = [];
  await replayDeadLetters(pipelineWith(2, replayed), run.deadLetters.records()).run();
  lines.push(`replay with parser v2: ${show(replayed)}`);
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) for (const line of await main()) console.log(line);
