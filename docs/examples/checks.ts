// file: docs/examples/checks.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, toArray, type PipelineOptions } from '@sluice/core';
import { OnError, SluiceError, Stage, Window, type Aggregator, type Enricher, type Filter } from '@sluice/sdk';

type Tick = { symbol: string; size: number };
const ticks = () => fromArray<Tick>([{ symbol: 'AAPL', size: 100 }], { name: 'ticks' });
const out = (from: string) => toArray<unknown>([], { name: 'out', from });

@Stage({ name: 'valid', from: 'ticks' })
class Valid implements Filter<Tick> {
  filter(t: Tick) {
    return t.size > 0;
  }
}

@Stage({ name: 'valid', from: 'tiks' }) // typo in from:
class Misread implements Filter<Tick> {
  filter(t: Tick) {
    return t.size > 0;
  }
}

@Stage({ name: 'valid', from: 'ticks' }) // the name 'valid' is taken
class Positive implements Filter<Tick> {
  filter(t: Tick) {
    return t.size > 0;
  }
}

@Stage({ name: 'a', from: ['ticks', 'b'] })
class A implements Filter<Tick> {
  filter() {
    return true;
  }
}

@Stage({ name: 'b', from: 'a' })
class B implements Filter<Tick> {
  filter() {
    return true;
  }
}

@Stage({ name: 'oops', from: 'ticks' })
class NoMethod {}

class NotDecorated {
  filter() {
    return true;
  }
}

@Stage({ name: 'count', from: 'ticks' }) // no key:
class Count implements Aggregator<Tick, number, number> {
  create() {
    return 0;
  }
  add(n: number) {
    return n + 1;
  }
  result(n: number) {
    return n;
  }
}

@Stage({ name: 'valid', from: 'ticks', concurrency: 8 }) // concurrency on a filter
class Concurrent implements Filter<Tick> {
  filter(t: Tick) {
    return t.size > 0;
  }
}

@Stage({ name: 'enriched', from: 'ticks', concurrency: 0 }) // must be at least 1
class NoConcurrency implements Enricher<Tick, Tick> {
  enrich(t: Tick) {
    return t;
  }
}

class RefData {
  sector(symbol: string) {
    return symbol;
  }
}

@Stage({ name: 'enriched', from: 'ticks' })
class Enrich implements Enricher<Tick, string> {
  constructor(private readonly refData: RefData) {}
  enrich(t: Tick) {
    return this.refData.sector(t.symbol);
  }
}

// Session windows merge sessions that a record bridges: the aggregator needs merge().
@Stage({ name: 'sessions', from: 'ticks', key: (t: Tick) => t.symbol })
@Window({ session: { gap: '1s' } })
class TradeSessions implements Aggregator<Tick, number, number> {
  create() {
    return 0;
  }
  add(n: number) {
    return n + 1;
  }
  result(n: number) {
    return n;
  }
}

@Stage({ name: 'valid', from: 'ticks' })
@OnError({ retry: { attempts: 0, delay: '100ms' }, then: 'dead-letter' })
class NoAttempts implements Filter<Tick> {
  filter(t: Tick) {
    return t.size > 0;
  }
}

/** Each case is a pipeline with one mistake; createPipeline reports it before anything runs. */
const cases: Record<string, () => PipelineOptions> = {
  'unknown input': () => ({ components: [ticks(), Misread, out('valid')] }),
  cycle: () => ({ components: [ticks(), A, B, out('b')] }),
  'duplicate name': () => ({ components: [ticks(), Valid, Positive, out('valid')] }),
  'no stage method': () => ({ components: [ticks(), NoMethod, out('oops')] }),
  'not decorated': () => ({ components: [ticks(), NotDecorated, out('ticks')] }),
  'no consumer': () => ({ components: [ticks(), Valid, out('ticks')] }),
  'no source': () => ({ components: [Valid, out('valid')] }),
  'key required': () => ({ components: [ticks(), Count, out('count')] }),
  'option on the wrong kind': () => ({ components: [ticks(), Concurrent, out('valid')] }),
  'option out of range': () => ({ components: [ticks(), NoConcurrency, out('enriched')] }),
  'bad pipeline option': () => ({ components: [ticks(), Valid, out('valid')], batchSize: 0 }),
  'service not provided': () => ({ components: [ticks(), Enrich, out('enriched')] }),
  'session window without merge': () => ({ components: [ticks(), TradeSessions, out('sessions')] }),
  'retry with no attempts': () => ({ components: [ticks(), NoAttempts, out('valid')] }),
};

export async function main(): Promise<{ case: string; code: string; message: string }[]> {
  const found: { case: string; code: string; message: string }[] = [];
  for (const [name, options] of Object.entries(cases)) {
    try {
      createPipeline(options());
      found.push({ case: name, code: 'none', message: 'built without error' });
    } catch (err) {
      if (!SluiceError.is(err)) throw err;
      found.push({ case: name, code: err.code, message: err.message });
    }
  }
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const f of await main()) console.log(`${f.case}: ${f.code}\n  ${f.message}`);
}
