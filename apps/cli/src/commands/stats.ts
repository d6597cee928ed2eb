import type { Command } from 'commander';
import type { PipelineStats } from '@sluice/sdk';
import { formatStatsTable } from '@sluice/monitoring';
import { CliError } from '../cli-error.js';

interface StatsOptions {
  token?: string;
  json?: boolean;
  watch?: boolean;
  interval: string;
}

/** `sluice stats <url>`: reads a running pipeline's monitoring endpoint. */
export function statsCommand(program: Command): void {
  program
    .command('stats')
    .description("print a running pipeline's stats, read from its monitoring endpoint (@sluice/monitoring)")
    .argument('<url>', 'the monitoring server, e.g. http://127.0.0.1:9464')
    .option('--token <token>', 'bearer token, when the server has one (or SLUICE_TOKEN)')
    .option('--json', 'print the snapshot as JSON (one line; with --watch, one line per interval)')
    .option('--watch', 'print again every interval until Ctrl-C')
    .option('--interval <ms>', 'with --watch: ms between two reads', '1000')
    .action(async (url: string, options: StatsOptions) => {
      const interval = Number(options.interval);
      if (!Number.isInteger(interval) || interval < 100)
        throw new CliError(`--interval: ${JSON.stringify(options.interval)} must be a whole number of ms, at least 100`);
      const token = options.token ?? process.env.SLUICE_TOKEN;
      let previous: PipelineStats | undefined;
      for (;;) {
        const { name, stats } = await readStats(url, token);
        if (options.json === true) process.stdout.write(JSON.stringify({ pipeline: name, ...stats }) + '\n');
        else process.stdout.write(formatStatsTable(stats, previous, { pipeline: name, columns: process.stdout.columns }).join('\n') + '\n');
        if (options.watch !== true) return;
        previous = stats;
        await new Promise((r) => setTimeout(r, interval));
      }
    });
}

/** GETs `<url>/stats` and `<url>/graph` (for the pipeline's name); every failure is a `CliError` that says what to check. */
export async function readStats(url: string, token: string | undefined): Promise<{ name: string; stats: PipelineStats }> {
  let base: URL;
  try {
    base = new URL(url.endsWith('/') ? url : `${url}/`);
  } catch {
    throw new CliError(`stats: ${JSON.stringify(url)} is not a URL (e.g. http://127.0.0.1:9464)`);
  }
  const get = async (path: string): Promise<unknown> => {
    const target = new URL(path, base);
    let res: Response;
    try {
      res = await fetch(target, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        `stats: cannot reach ${target.origin} (${cause?.code ?? cause?.message ?? String(err)}): is the pipeline running with @sluice/monitoring?`,
      );
    }
    if (res.status === 401) throw new CliError(`stats: ${target.origin} asks for a token: pass --token or set SLUICE_TOKEN`);
    if (!res.ok) throw new CliError(`stats: ${target.href} answered ${res.status} ${res.statusText}`);
    return res.json();
  };
  const [stats, graph] = await Promise.all([get('stats'), get('graph')]);
  const name = (graph as { pipeline?: unknown }).pipeline;
  return { name: typeof name === 'string' ? name : 'pipeline', stats: stats as PipelineStats };
}
