import test from 'ava';
import { Container } from 'inversify';
import { createPipeline, fromArray, registerComponents, toArray, type SluiceModule } from '@sluice/core';
import { ErrorCodes, Inject, Injectable, SluiceError, Stage, type Mapper } from '@sluice/sdk';

@Injectable()
class RefData {
  sector(symbol: string) {
    return symbol.startsWith('X') ? 'Energy' : 'Tech';
  }
}

const PREFIX = Symbol('prefix');

@Stage({ name: 'sector', from: 'symbols' })
class SectorOf implements Mapper<string, string> {
  constructor(
    private readonly refData: RefData,
    @Inject(PREFIX) private readonly prefix: string,
  ) {}
  map(symbol: string) {
    return `${this.prefix}${symbol}:${this.refData.sector(symbol)}`;
  }
}

const symbols = () => fromArray(['AAPL', 'XOM'], { name: 'symbols' });

test('injection › constructor parameters are resolved by class and by token from providers', async (t) => {
  const out: string[] = [];
  await createPipeline({
    components: [symbols(), SectorOf, toArray(out, { name: 'out', from: 'sector' })],
    providers: [RefData, { provide: PREFIX, useValue: '>' }],
  }).run();
  t.deepEqual(out, ['>AAPL:Tech', '>XOM:Energy']);
});

test('injection › modules bring components and providers, and may import other modules', async (t) => {
  const out: string[] = [];
  const services: SluiceModule = { name: 'services', providers: [RefData, { provide: PREFIX, useFactory: () => '*' }] };
  const stages: SluiceModule = { name: 'stages', imports: [services], components: [SectorOf] };
  await createPipeline({ modules: [stages], components: [symbols(), toArray(out, { name: 'out', from: 'sector' })] }).run();
  t.deepEqual(out, ['*AAPL:Tech', '*XOM:Energy']);
});

test('discovery › components registered in an application container are discovered, and its services injected', async (t) => {
  const out: string[] = [];
  const container = new Container();
  container.bind(RefData).toSelf().inSingletonScope();
  container.bind(PREFIX).toConstantValue('#');
  registerComponents(container, symbols(), SectorOf, toArray(out, { name: 'out', from: 'sector' }));
  await createPipeline({ container }).run();
  t.deepEqual(out, ['#AAPL:Tech', '#XOM:Energy']);
});

test('injection › a missing service fails the build naming the class', (t) => {
  const err = t.throws(() =>
    createPipeline({ components: [symbols(), SectorOf, toArray([], { name: 'out', from: 'sector' })], providers: [RefData] }),
  );
  t.true(SluiceError.is(err, ErrorCodes.INJECTION_FAILED));
  t.regex(err.message, /Could not build class SectorOf for 'sector'/);
});
