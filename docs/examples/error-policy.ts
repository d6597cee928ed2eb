// file: docs/examples/error-policy.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { OnError, SluiceError, Stage, type Mapper } from '@sluice/sdk';

export interface Tick {
  symbol: string;
  price: number;
}

export const lines = ['AAPL,189.5', 'MSFT,oops', 'XOM,118.4', ',12', 'IBM,151.2'];

/** Parses 'SYMBOL,PRICE'; throws on anything else. */
export function parseTick(line: string): Tick {
  const [symbol, price] = line.split(',');
  if (!symbol || price === undefined || !Number.isFinite(Number(price))) throw new Error(`cannot parse "${line}"`);
  return { symbol, price: Number(price) };
}

// No @OnError: the default is then: 'fail'. The first bad line fails the pipeline.
@Stage({ name: 'parsed', from: 'lines' })
class ParseOrFail implements Mapper<string, Tick> {
  map(line: string) {
    return parseTick(line);
  }
}

// 'skip': bad lines are dropped and counted in stats().stages.parsed.skipped.
@Stage({ name: 'parsed', from: 'lines' })
@OnError({ then: 'skip' })
class ParseOrSkip implements Mapper<string, Tick> {
  map(line: string) {
    return parseTick(line);
  }
}

// 'dead-letter': bad lines go to pipeline.deadLetters, with the error and the position.
@Stage({ name: 'parsed', from: 'lines' })
@OnError({ then: 'dead-letter' })
class ParseOrDeadLetter implements Mapper<string, Tick> {
  map(line: string) {
    return parseTick(line);
  }
}

type ParseStage = typeof ParseOrFail | typeof ParseOrSkip | typeof ParseOrDeadLetter;

function build(stage: ParseStage, out: Tick[]) {
  return createPipeline({ components: [fromArray(lines, { name: 'lines' }), stage, toArray(out, { name: 'out', from: 'parsed' })] });
}

export async function main() {
  // fail
  const failed: Tick[] = [];
  let failure = { code: 'none', message: '' };
  try {
    await build(ParseOrFail, failed).run();
  } catch (err) {
    if (!SluiceError.is(err)) throw err;
    failure = { code: err.code, message: err.message };
  }

  // skip
  const kept: Tick[] = [];
  const skipStats = await build(ParseOrSkip, kept).run();

  // dead-letter
  const parsed: Tick[] = [];
  const pipeline = build(ParseOrDeadLetter, parsed);
  await pipeline.run();
  const deadLetters = pipeline.deadLetters.records().map((d) => ({ stage: d.stage, value: d.value, position: d.position, error: d.error.message }));

  return {
    fail: { failure },
    skip: { kept: kept.map((t) => t.symbol), skipped: skipStats.stages.parsed!.skipped },
    deadLetter: { parsed: parsed.map((t) => t.symbol), deadLetters },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.dir(await main(), { depth: null });
