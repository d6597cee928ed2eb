import test from 'ava';
import { MonitoringServer } from '@sluice/monitoring';
import type { LifecycleEvent, PipelineGraph, PipelineStats } from '@sluice/sdk';
import { smallPipeline } from './helpers.js';
import { SseClient } from './sse-client.js';

test('/events › sends the graph and a stats snapshot on connect, then lifecycle and stats events of the run', async (t) => {
  const { pipeline } = smallPipeline([]);
  const server = new MonitoringServer({ port: 0, interval: 10, log: () => {} });
  await server.attach(pipeline);
  const client = new SseClient(server.url + 'events');
  try {
    await client.waitFor((e) => e.length >= 2);
    t.is(client.status, 200);
    t.deepEqual(
      client.events.slice(0, 2).map((e) => e.event),
      ['graph', 'stats'],
    );
    t.deepEqual(client.events[0]!.data as PipelineGraph, JSON.parse(JSON.stringify(pipeline.graph())));
    t.is((client.events[1]!.data as PipelineStats).state, 'created');
    await pipeline.run();
    await client.waitFor((e) => e.some((x) => x.event === 'lifecycle' && (x.data as LifecycleEvent).state === 'stopped'));
    const states = client.events.filter((e) => e.event === 'lifecycle').map((e) => (e.data as LifecycleEvent).state);
    t.true(states.includes('running'), states.join());
    t.true(states.includes('stopped'), states.join());
  } finally {
    await server.detach();
    await client.waitFor(() => false); // until the stream ends
    client.close();
  }
  // The final stats of the run (sent when the server is detached) reach the client before the stream ends.
  const stats = client.events.filter((e) => e.event === 'stats').map((e) => e.data as PipelineStats);
  t.is(stats.at(-1)!.sources.numbers!.records, 1000);
  t.true(client.ended);
});

test('/events › forwards at most one stats event per interval, however many the pipeline emits', async (t) => {
  const { pipeline } = smallPipeline([]);
  const server = new MonitoringServer({ port: 0, interval: '1h', log: () => {} });
  await server.attach(pipeline);
  const client = new SseClient(server.url + 'events');
  try {
    await client.waitFor((e) => e.length >= 2);
    const bus = pipeline.events as unknown as { emit(name: string, payload: unknown): void };
    for (let i = 0; i < 50; i++) bus.emit('stats', { ...pipeline.stats(), uptimeMs: i });
    bus.emit('lifecycle', { pipeline: 'demo', state: 'running', at: 0 });
    await client.waitFor((e) => e.some((x) => x.event === 'lifecycle'));
    t.is(client.events.filter((e) => e.event === 'stats').length, 1, 'only the snapshot on connect within the interval');
  } finally {
    await server.detach();
    await client.waitFor(() => false); // until the stream ends
    client.close();
  }
});

test('/events › rate-limits stage:error to 20 per second per connection and reports what it held back', async (t) => {
  const { pipeline } = smallPipeline([]);
  const server = new MonitoringServer({ port: 0, log: () => {} });
  await server.attach(pipeline);
  const client = new SseClient(server.url + 'events');
  try {
    await client.waitFor((e) => e.length >= 2);
    const bus = pipeline.events as unknown as { emit(name: string, payload: unknown): void };
    for (let i = 0; i < 100; i++) {
      bus.emit('stage:error', { stage: 'doubled', error: { name: 'Error', message: `boom ${i}` }, attempt: 1, decision: 'skip', at: i });
    }
    bus.emit('lifecycle', { pipeline: 'demo', state: 'running', at: 0 });
    await client.waitFor((e) => e.some((x) => x.event === 'lifecycle'));
    const errors = client.events.filter((e) => e.event === 'stage:error');
    t.true(errors.length <= 20, String(errors.length));
    t.true(errors.length >= 1);
    t.is((errors[0]!.data as { error: { message: string } }).error.message, 'boom 0');
    t.is((errors[0]!.data as { heldBack?: number }).heldBack, undefined);
    // The next second's first error carries the count of those held back.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    bus.emit('stage:error', { stage: 'doubled', error: { name: 'Error', message: 'later' }, attempt: 1, decision: 'skip', at: 1 });
    await client.waitFor((e) =>
      e.some((x) => x.event === 'stage:error' && (x.data as { error: { message: string } }).error.message === 'later'),
    );
    const later = client.events.find(
      (x) => x.event === 'stage:error' && (x.data as { error: { message: string } }).error.message === 'later',
    )!;
    t.is((later.data as { heldBack?: number }).heldBack, 100 - errors.length);
  } finally {
    await server.detach();
    await client.waitFor(() => false); // until the stream ends
    client.close();
  }
});
