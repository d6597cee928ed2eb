import type { Command } from 'commander';
import { monitoring, terminalStats, type MonitoringServerOptions } from '@sluice/monitoring';
import { parseDuration, type PipelineStats } from '@sluice/sdk';
import type { SluiceModule } from '@sluice/core';
import { CliError } from '../cli-error.js';
import type { LoadedPipeline } from '../pipeline-file/load-pipeline-file.js';
import { redact } from '../pipeline-file/substitute-env.js';

/** The options `run` and `replay` share: how long, and where the dashboard is. */
export interface RunningOptions {
  duration?: string;
  port?: string;
  dashboard: boolean;
}

/** Adds `--duration`, `--port` and `--no-dashboard` to a command that runs a pipeline. */
export function runningOptions(command: Command): Command {
  return command
    .option('--duration <duration>', "stop gracefully after this long ('10s', '2m')")
    .option('--port <port>', 'serve the monitoring dashboard and endpoints on this port (0: any free port)')
    .option('--no-dashboard', "no monitoring server, even if the file's monitoring section asks for one");
}

/**
 * The modules a command-line run attaches: the terminal table (unless the file turns it off, or
 * stdout is for a JSON summary) and the monitoring server (with --port or the file's port).
 */
export function runModules(loaded: LoadedPipeline, options: RunningOptions, json = false): SluiceModule[] {
  const modules: SluiceModule[] = [];
  if (loaded.spec.monitoring?.terminal !== false && !json) modules.push(terminalStats());
  const server = monitoringServerOptions(loaded, options);
  if (server !== undefined) modules.push(monitoring(server));
  return modules;
}

/** The monitoring server's options when the run serves one (--port or the file's port, not --no-dashboard). */
export function monitoringServerOptions(loaded: LoadedPipeline, options: RunningOptions): MonitoringServerOptions | undefined {
  const port = options.port === undefined ? undefined : portOf(options.port);
  const m = loaded.spec.monitoring;
  if (!options.dashboard || (port === undefined && m?.port === undefined)) return undefined;
  return {
    port: port ?? m?.port,
    ...(m?.host !== undefined && { host: m.host }),
    ...(m?.token !== undefined && { token: m.token }),
    log: (line) => console.error(redact(line, loaded.secrets)),
  };
}

/** `--duration` in ms, or undefined without it. */
export function durationOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    const ms = parseDuration((/^\d+$/.test(text) ? Number(text) : text) as never, '--duration');
    if (ms > 0) return ms;
  } catch {
    // reported below, in the CLI's words
  }
  throw new CliError(`--duration: ${JSON.stringify(text)}, expected a positive duration such as 10s or 500ms`);
}

function portOf(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new CliError(`--port: ${JSON.stringify(text)}, expected a port number (0-65535)`);
  return port;
}

/** Records the run sent to the dead letters: sources' undecodable payloads and stages' failures. */
export function deadLettered(stats: PipelineStats): number {
  const sources = Object.values(stats.sources).reduce((n, s) => n + s.deadLettered, 0);
  return Object.values(stats.stages).reduce((n, s) => n + s.deadLettered, sources);
}

/** Where the run's dead letters went, for the last line of a run (nothing when there were none). */
export function deadLetterNote(loaded: LoadedPipeline, stats: PipelineStats): string | undefined {
  const n = deadLettered(stats);
  if (n === 0) return undefined;
  return loaded.deadLetterFile !== undefined
    ? `sluice: ${n} dead letters appended to ${loaded.deadLetterFile}`
    : `sluice: ${n} dead letters were not kept: add deadLetters: { file: dead-letters.jsonl } to ${loaded.file} to keep them for a replay`;
}
