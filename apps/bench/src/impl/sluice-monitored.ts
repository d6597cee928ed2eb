import { get } from 'node:http';
import { MonitoringServer } from '@sluice/monitoring';
import { Checksum } from '../workload/checksum.js';
import type { WorkloadVariant } from '../workload/workload-variant.js';
import { tickPipeline } from './sluice.js';

// `sluice` watched the way production watches it, harder: the monitoring server attached, a
// dashboard's event stream open (a `stats` snapshot every 1 s), and /metrics scraped every
// 250 ms (Prometheus usually scrapes every 15 s; SLUICE_BENCH_SCRAPE_MS changes it). Against `sluice-basic` (counters only) it is
// the whole cost of monitoring (issue #6 wants at most 5%). The scrapes run in this process, as
// a dashboard in a browser does not: reading the answers is counted here, which errs high.

const SCRAPE_EVERY_MS = Number(process.env.SLUICE_BENCH_SCRAPE_MS ?? 250);

export async function run(n: number, variant: WorkloadVariant): Promise<string> {
  const checksum = new Checksum();
  const server = new MonitoringServer({ port: 0, log: () => undefined });
  const pipeline = tickPipeline(n, variant, checksum, {}, 'detailed', [server]);
  await pipeline.start();
  const url = server.url;
  const drain = (path: string) =>
    get(url + path, (res) => {
      res.resume();
    }).on('error', () => undefined);
  const events = drain('events');
  const scraper = setInterval(() => drain('metrics'), SCRAPE_EVERY_MS);
  try {
    await pipeline.run();
  } finally {
    clearInterval(scraper);
    events.destroy();
  }
  return checksum.toString();
}
