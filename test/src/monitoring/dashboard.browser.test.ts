// The live dashboard of @sluice/monitoring in a real browser, on real running pipelines.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MonitoringServer } from '@sluice/monitoring';
import test from 'ava';
import type { Page } from 'playwright-core';
import { launchChromium } from './headless-chromium.js';
import { tradingPipeline } from './trading-pipeline.js';
import { STAGE_COUNT, widePipeline } from './wide-pipeline.js';

const SCREENSHOT = fileURLToPath(new URL('../../../docs/img/dashboard.png', import.meta.url));
const WAIT = { timeout: 60_000 };

/** The server's address without a query (`server.url` may carry the token). */
function base(url: string): URL {
  const u = new URL(url);
  u.search = '';
  u.hash = '';
  u.pathname = '/';
  return u;
}

/** Resolves when `expression` (evaluated in the page, again and again) is true. */
async function until(page: Page, expression: string): Promise<void> {
  await page.waitForFunction(expression, undefined, WAIT);
}

/** An expression for a number attribute of a node of the graph. */
const nodeNumber = (node: string, attribute: string) =>
  `Number(document.querySelector('svg [data-node=${JSON.stringify(node)}]')?.getAttribute(${JSON.stringify(attribute)}))`;

/** Resolves once the page has received more than `n` stats snapshots, with how many it has. */
async function snapshotsAfter(page: Page, n: number): Promise<number> {
  await until(page, `Number(document.body.dataset.snapshots ?? 0) > ${n}`);
  return Number(await page.locator('body').getAttribute('data-snapshots'));
}

test.serial('dashboard › draws the running pipeline and updates it from its stats', async (t) => {
  const { pipeline, counts } = tradingPipeline();
  const server = new MonitoringServer({ port: 0, log: () => undefined });
  await server.attach(pipeline);
  await pipeline.start();
  const chromium = await launchChromium();
  try {
    const page = await chromium.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(base(server.url).href);

    // Every node of the graph is drawn, the side output dashed with its label.
    const nodes = pipeline.graph().nodes;
    for (const node of nodes) await page.locator(`svg [data-node="${node.name}"]`).waitFor(WAIT);
    t.is(await page.locator('svg [data-node]').count(), nodes.length);
    t.is(await page.locator('path.edge.side[data-output="late"]').count(), 1);
    t.is(await page.locator(`#nodes tbody tr`).count(), nodes.length);

    // The header shows the pipeline's name, its state and the connection.
    await until(page, `document.getElementById('pipeline-name')?.textContent === ${JSON.stringify(pipeline.name)}`);
    await until(page, `document.getElementById('state')?.textContent === 'running'`);
    await until(page, `document.getElementById('conn')?.dataset.status === 'live'`);

    // A node's counter rises from one snapshot to the next, and its rate (records a second) is shown.
    const total = () => page.locator('svg [data-node="ticks"]').getAttribute('data-total').then(Number);
    await until(page, `${nodeNumber('ticks', 'data-total')} > 0`);
    const before = await total();
    const seen = await snapshotsAfter(page, 0);
    await snapshotsAfter(page, seen);
    await until(page, `${nodeNumber('ticks', 'data-total')} > ${before}`);
    t.true((await total()) > before);
    await until(
      page,
      String.raw`/^[\d.]+[kMG]?\/s$/.test(document.querySelector('svg [data-node="ticks"] [data-rate]')?.textContent ?? '')`,
    );
    t.regex((await page.locator('#total-rate').textContent()) ?? '', /\d/);

    // Enough snapshots for the charts to show a trend, then the picture for the docs.
    await snapshotsAfter(page, 8);
    // 'stream' when the pipeline publishes periodic stats events, 'poll' while it does not.
    t.log(`stats came by ${await page.locator('body').getAttribute('data-stats-via')}`);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    t.deepEqual(pageErrors, []);
    t.true(counts.alerts > 0);
  } finally {
    await chromium.close();
    await pipeline.stop();
    await server.detach();
  }
});

test.serial('dashboard › draws 50 stages, and with a token only for requests that carry it', async (t) => {
  const pipeline = widePipeline();
  const token = 'dashboard-test-token';
  const server = new MonitoringServer({ port: 0, token, log: () => undefined });
  await server.attach(pipeline);
  await pipeline.start();
  const chromium = await launchChromium();
  try {
    const root = base(server.url);
    for (const path of ['/', '/graph', '/stats']) {
      const refused = await fetch(new URL(path, root));
      t.true(refused.status === 401 || refused.status === 403, `${path} without the token: ${refused.status}`);
      await refused.body?.cancel();
    }

    const page = await chromium.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${root.href}?token=${token}`);
    const nodes = pipeline.graph().nodes;
    for (const node of nodes) await page.locator(`svg [data-node="${node.name}"]`).waitFor(WAIT);
    t.is(await page.locator('svg [data-node].role-stage').count(), STAGE_COUNT);
    t.is(STAGE_COUNT, 50);
    await until(page, `document.getElementById('conn')?.dataset.status === 'live'`);
    await until(page, `${nodeNumber('merge', 'data-total')} > 0`);
    // Labels stay readable: the graph is not shrunk below its readable scale to fit.
    const box = await page.locator('svg [data-node="merge"] .name').boundingBox();
    t.true(box !== null && box.height >= 9, `node name ${box?.height}px high`);
    t.deepEqual(pageErrors, []);
  } finally {
    await chromium.close();
    await pipeline.stop();
    await server.detach();
  }
});

test.serial('dashboard › says when the stream drops and reconnects when the server is back', async (t) => {
  const pipeline = widePipeline();
  const first = new MonitoringServer({ port: 0, log: () => undefined });
  await first.attach(pipeline);
  await pipeline.start();
  const port = Number(new URL(first.url).port);
  let second: MonitoringServer | undefined;
  const chromium = await launchChromium();
  try {
    const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(base(first.url).href);
    await until(page, `document.getElementById('conn')?.dataset.status === 'live'`);

    await first.detach();
    await until(page, `document.getElementById('conn')?.dataset.status !== 'live'`);
    t.regex((await page.locator('#conn-text').textContent()) ?? '', /reconnecting|disconnected/);

    second = new MonitoringServer({ port, log: () => undefined });
    await second.attach(pipeline);
    const seen = await snapshotsAfter(page, 0);
    await until(page, `document.getElementById('conn')?.dataset.status === 'live'`);
    await snapshotsAfter(page, seen);
    t.is(await page.locator('svg [data-node]').count(), pipeline.graph().nodes.length);
  } finally {
    await chromium.close();
    await pipeline.stop();
    await first.detach();
    await second?.detach();
  }
});
