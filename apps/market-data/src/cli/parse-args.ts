import { parseDuration } from '@sluice/sdk';

/** The dashboard's port unless --port says otherwise (the OpenTelemetry Prometheus exporter's). */
export const DEFAULT_PORT = 9464;

/** What the command line asks for. */
export interface CliArgs {
  /** Stop after this many ms; undefined: run until Ctrl-C. */
  durationMs: number | undefined;
  /** Ticks per second; 0 = unpaced. */
  rate: number | undefined;
  seed: number | undefined;
  maxTicks: number | undefined;
  /** Port of the dashboard and /metrics (default 9464; 0 = any free port). */
  port: number;
  /** false with --no-dashboard. */
  dashboard: boolean;
  /** Where checkpoints and candle files go (default under .sluice/market-data); undefined with --no-state. */
  state: string | undefined | 'default';
  help: boolean;
}

export const USAGE = `Usage: node apps/market-data/dist/main.js [options]   (or: npm start -- [options])

  --duration <d>    stop after this long, e.g. 10s, 1m30s (default: run until Ctrl-C)
  --rate <n>        ticks per second outside bursts, e.g. 50000 or 200k (default 200k); 0 or max = unpaced
  --seed <n>        seed of the synthetic feed (default 42)
  --max-ticks <n>   end the feed after this many ticks
  --port <n>        port of the live dashboard and /metrics on 127.0.0.1 (default 9464; taken: any free port)
  --no-dashboard    do not serve the dashboard
  --state <dir>     checkpoints (SQLite) and candle files go here, and a new run resumes from the newest
                    checkpoint (default: .sluice/market-data/seed<seed>-rate<rate>)
  --no-state        no checkpoints, no candle files: everything in memory
  --help            show this text`;

/** Parses `--name value` and `--name=value`; throws an Error with a clear message on anything else. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = {
    durationMs: undefined,
    rate: undefined,
    seed: undefined,
    maxTicks: undefined,
    port: DEFAULT_PORT,
    dashboard: true,
    state: 'default',
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      args.help = true;
      continue;
    }
    if (arg === '--no-dashboard') {
      args.dashboard = false;
      continue;
    }
    if (arg === '--no-state') {
      args.state = undefined;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = () => {
      if (eq >= 0) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) throw new Error(`${name} needs a value`);
      return next;
    };
    switch (name) {
      case '--duration':
        args.durationMs = parseDuration(value(), '--duration');
        break;
      case '--rate':
        args.rate = parseCount(value(), name, true);
        break;
      case '--seed': {
        const v = value();
        const seed = Number(v);
        if (!Number.isInteger(seed)) throw new Error(`--seed: ${JSON.stringify(v)} is not an integer`);
        args.seed = seed;
        break;
      }
      case '--max-ticks':
        args.maxTicks = parseCount(value(), name, false);
        break;
      case '--state':
        args.state = value();
        break;
      case '--port': {
        const v = value();
        const port = Number(v);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: ${JSON.stringify(v)} is not a port (0 to 65535)`);
        args.port = port;
        break;
      }
      default:
        throw new Error(`unknown option ${JSON.stringify(arg)}; try --help`);
    }
  }
  return args;
}

/** A whole number, optionally with a k or m suffix (`200k`); `max` means 0 (unpaced) where allowed. */
function parseCount(text: string, name: string, allowMax: boolean): number {
  if (allowMax && text === 'max') return 0;
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.replace(/_/g, ''));
  const n = m === null ? Number.NaN : Number(m[1]) * ({ '': 1, k: 1e3, m: 1e6 } as Record<string, number>)[m[2]!.toLowerCase()]!;
  if (!Number.isInteger(n)) throw new Error(`${name}: ${JSON.stringify(text)} is not a whole number (e.g. 50000 or 200k)`);
  return n;
}
