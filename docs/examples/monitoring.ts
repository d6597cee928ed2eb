// file: docs/examples/monitoring.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromGenerator, toCallback } from '@sluice/core';
import { monitoring } from '@sluice/monitoring';
import { Stage, type Bottleneck, type Enricher, type LifecycleEvent, type Mapper, type PipelineStats } from '@sluice/sdk';

interface Order {
  id: number;
  symbol: string;
}

@Stage({ name: 'parsed', from: 'orders' })
class Parsed implements Mapper<Order, Order> {
  map(o: Order) {
    return { ...o, symbol: o.symbol.toUpperCase() };
  }
}

// A pricing service that answers in 2 ms, 4 calls at once: about 2,000 orders a second, far
// less than the source offers. This stage is the bottleneck, and the engine says so.
@Stage({ name: 'priced', from: 'parsed', concurrency: 4, channelCapacity: 256 })
class Priced implements Enricher<Order, Order & { price: number }> {
  async enrich(o: Order) {
    await new Promise((r) => setTimeout(r, 2));
    return { ...o, price: 100 + (o.id % 7) };
  }
}

/** Runs the pipeline with the monitoring server on a free port until the engine names a bottleneck, reads /metrics, and stops. */
export async function main(log: (line: string) => void = console.log) {
  const plugin = monitoring({ port: 0, log });
  let written = 0;
  const pipeline = createPipeline({
    name: 'orders',
    components: [
      fromGenerator(
        function* () {
          for (let id = 0; ; id++) yield { id, symbol: id % 2 === 0 ? 'aapl' : 'msft' };
        },
        { name: 'orders' },
      ),
      Parsed,
      Priced,
      toCallback((batch) => void (written += batch.length), { name: 'ledger', from: 'priced' }),
    ],
    modules: [plugin],
  });

  const lifecycle: LifecycleEvent['state'][] = [];
  pipeline.events.on('lifecycle', (e) => lifecycle.push(e.state));
  const found = new Promise<Bottleneck>((resolve) =>
    pipeline.events.on('bottleneck', (e) => {
      if (e.current !== undefined) resolve(e.current);
    }),
  );
  let last: PipelineStats | undefined;
  pipeline.events.on('stats', (s) => (last = s));

  await pipeline.start();
  const bottleneck = await found;
  log(bottleneck.message);
  const metrics = await (await fetch(`${plugin.server.url}metrics`)).text();
  await pipeline.stop();
  return { bottleneck, metrics, lifecycle, written, last: last! };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
