import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import test from 'ava';
import { MonitoringServer } from '@sluice/monitoring';
import { get, smallPipeline } from './helpers.js';

async function withServer(options: { token?: string }, body: (base: string) => Promise<void>): Promise<void> {
  const { pipeline } = smallPipeline([]);
  const server = new MonitoringServer({ port: 0, log: () => {}, ...options });
  await server.attach(pipeline);
  try {
    await body(server.url);
  } finally {
    await server.detach();
  }
}

test('token › every route needs it: 401 without or with a wrong one, 200 with the header or ?token=', async (t) => {
  await withServer({ token: 'abc-123' }, async (base) => {
    for (const path of ['metrics', 'stats', 'graph', '', 'vendor/uplot.iife.min.js', 'events']) {
      const none = await get(base + path);
      t.is(none.status, 401, path);
      t.is(none.headers['www-authenticate'], 'Bearer realm="sluice"');
      t.is((await get(base + path, { headers: { Authorization: 'Bearer wrong' } })).status, 401, path);
      t.is((await get(base + path + '?token=abc-1234')).status, 401, path);
    }
    for (const path of ['metrics', 'stats', 'graph', '', 'vendor/uplot.iife.min.js']) {
      t.is((await get(base + path, { headers: { Authorization: 'Bearer abc-123' } })).status, 200, path);
      t.is((await get(base + path + '?token=abc-123')).status, 200, path);
    }
  });
});

test('static › serves the dashboard page, the uPlot files with their content types, and 404 for the rest', async (t) => {
  await withServer({}, async (base) => {
    const index = await get(base);
    t.is(index.status, 200);
    t.is(index.headers['content-type'], 'text/html; charset=utf-8');
    t.is(index.body, readFileSync(new URL('../dashboard/index.html', import.meta.url), 'utf8'));
    t.is((await get(base + 'dashboard/index.html')).body, index.body);
    const require = createRequire(import.meta.url);
    const js = await get(base + 'vendor/uplot.iife.min.js');
    t.is(js.status, 200);
    t.is(js.headers['content-type'], 'text/javascript; charset=utf-8');
    t.is(js.body, readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'));
    const css = await get(base + 'vendor/uPlot.min.css');
    t.is(css.status, 200);
    t.is(css.headers['content-type'], 'text/css; charset=utf-8');
    for (const path of [
      'nope',
      'vendor/other.js',
      'dashboard/missing.js',
      'dashboard/',
      'dashboard/..%2fpackage.json',
      'dashboard/%2e%2e/package.json',
      'dashboard/..%5cpackage.json',
      'dashboard/%00',
    ]) {
      t.is((await get(base + path)).status, 404, path);
    }
  });
});

test('methods › HEAD answers like GET without a body; other methods get 405 with Allow', async (t) => {
  await withServer({}, async (base) => {
    const head = await get(base + 'metrics', { method: 'HEAD' });
    t.is(head.status, 200);
    t.is(head.body, '');
    t.true(Number(head.headers['content-length']) > 0);
    const events = await get(base + 'events', { method: 'HEAD' });
    t.is(events.status, 200);
    t.regex(String(events.headers['content-type']), /^text\/event-stream/);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await get(base + 'stats', { method });
      t.is(res.status, 405, method);
      t.is(res.headers.allow, 'GET, HEAD');
    }
  });
});
