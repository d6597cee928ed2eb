import test from 'ava';
import { PIPELINE_MONITOR, SluiceError } from '@sluice/sdk';
import { MonitoringServer, PROMETHEUS_CONTENT_TYPE, monitoring } from '@sluice/monitoring';
import { get, smallPipeline } from './helpers.js';

test('MonitoringServer › serves /stats and /graph as JSON of the attached pipeline', async (t) => {
  const { pipeline } = smallPipeline([]);
  const server = new MonitoringServer({ port: 0, log: () => {} });
  await pipeline.run();
  await server.attach(pipeline);
  try {
    const stats = await get(server.url + 'stats');
    t.is(stats.status, 200);
    t.regex(String(stats.headers['content-type']), /^application\/json/);
    t.deepEqual(JSON.parse(stats.body), JSON.parse(JSON.stringify(pipeline.stats())));
    const graph = await get(server.url + 'graph');
    t.is(graph.status, 200);
    t.deepEqual(JSON.parse(graph.body), JSON.parse(JSON.stringify(pipeline.graph())));
    const metrics = await get(server.url + 'metrics');
    t.is(metrics.status, 200);
    t.is(metrics.headers['content-type'], PROMETHEUS_CONTENT_TYPE);
  } finally {
    await server.detach();
  }
});

test('MonitoringServer › listens on 127.0.0.1 by default and logs the address once, without the token', async (t) => {
  const lines: string[] = [];
  const { pipeline } = smallPipeline([]);
  const server = new MonitoringServer({ port: 0, token: 's3cret', log: (l) => lines.push(l) });
  await server.attach(pipeline);
  try {
    t.regex(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    t.deepEqual(lines, [`Sluice dashboard: ${server.url}`]);
    t.false(lines.join('').includes('s3cret'));
  } finally {
    await server.detach();
  }
  t.throws(() => server.url, { message: /not listening/ });
});

test('monitoring() › binds the server under PIPELINE_MONITOR so that a run attaches and detaches it', async (t) => {
  const lines: string[] = [];
  const mod = monitoring({ port: 0, log: (l) => lines.push(l) });
  t.is(mod.name, '@sluice/monitoring');
  t.is(mod.providers[0].provide, PIPELINE_MONITOR);
  t.is(mod.providers[0].useValue, mod.server);
  const { pipeline, out } = smallPipeline([mod], 100);
  await pipeline.run();
  t.is(out.length, 75);
  t.is(lines.length, 1);
  t.regex(lines[0]!, /^Sluice dashboard: http:\/\/127\.0\.0\.1:\d+\/$/);
  t.throws(() => mod.server.url, { message: /not listening/ }, 'closed after the run');
});

test('MonitoringServer › refuses bad options with a message naming the option', (t) => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ port: -1 }, /option "port"/],
    [{ port: 70000 }, /option "port"/],
    [{ port: 1.5 }, /option "port"/],
    [{ port: '80' }, /option "port"/],
    [{ host: '' }, /option "host"/],
    [{ token: '' }, /option "token"/],
    [{ interval: 'soon' }, /option "interval"/],
    [{ interval: -5 }, /option "interval"/],
    [{ log: 'yes' }, /option "log"/],
  ];
  for (const [options, message] of cases) {
    const error = t.throws(() => new MonitoringServer(options as never), { message }, JSON.stringify(options));
    t.true(SluiceError.is(error), 'a SluiceError');
  }
});

test('MonitoringServer › attach fails naming host and port when the port is taken', async (t) => {
  const { pipeline } = smallPipeline([]);
  const first = new MonitoringServer({ port: 0, log: () => {} });
  await first.attach(pipeline);
  try {
    const port = Number(new URL(first.url).port);
    const second = new MonitoringServer({ port, log: () => {} });
    await t.throwsAsync(second.attach(pipeline), { message: new RegExp(`127\\.0\\.0\\.1:${port}.*EADDRINUSE`) });
  } finally {
    await first.detach();
  }
});
