// file: docs/examples/flow-settings.test.ts
import { readFileSync } from 'node:fs';
import test from 'ava';
import { createPipeline, defineSink, fromPush, type ComponentOverride } from '@sluice/core';
import { Stage, type Enricher } from '@sluice/sdk';

@Stage({ name: 'prices', from: 'feed', concurrency: 8 })
class Prices implements Enricher<number, number> {
  async enrich(n: number): Promise<number> {
    return n;
  }
}

test('flow-control.md › the settings block of "Picking strategies from settings" builds a pipeline with each strategy', (t) => {
  const page = readFileSync(new URL('../../docs/flow-control.md', import.meta.url), 'utf8');
  const section = page.slice(page.indexOf('## Picking strategies from settings'));
  const json = /```json\n([\s\S]*?)```/.exec(section)![1]!;
  const overrides = JSON.parse(json) as Record<string, ComponentOverride>;
  const pipeline = createPipeline({
    components: [fromPush<number>(() => undefined, { name: 'feed' }), Prices, defineSink<number>({ name: 'orders-api', from: 'prices' }, { write() {} })],
    overrides,
  });
  t.is(pipeline.stats().sinks['orders-api']!.limit, 10);
  t.is(pipeline.stats().sources.feed!.bufferCapacity, 50_000);
  t.is(pipeline.stats().stages.prices!.limit !== undefined, true);
});
