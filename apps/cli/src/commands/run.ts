import type { Command } from 'commander';
import { monitoring, terminalStats } from '@sluice/monitoring';
import { parseDuration } from '@sluice/sdk';
import type { SluiceModule } from '@sluice/core';
import { CliError } from '../cli-error.js';
import { loadPipelineFile } from '../pipeline-file/load-pipeline-file.js';
import { redact } from '../pipeline-file/substitute-env.js';
import { runWithSignals } from '../run-with-signals.js';

interface RunOptions {
  duration?: string;
  port?: string;
  dashboard: boolean;
}

/**
 * `sluice run <file>`: builds and runs the pipeline with live terminal stats (and the monitoring
 * server when asked); SIGINT/SIGTERM drain it gracefully with a final checkpoint, a second one cancels.
 */
export function runCommand(program: Command): void {
  program
    .command('run')
    .description('run a pipeline file until its input ends, --duration passes or SIGINT/SIGTERM (drains, takes a final checkpoint)')
    .argument('<file>', 'the pipeline file (.yaml, .yml or .json)')
    .option('--duration <duration>', "stop gracefully after this long ('10s', '2m')")
    .option('--port <port>', 'serve the monitoring dashboard and endpoints on this port (0: any free port)')
    .option('--no-dashboard', "no monitoring server, even if the file's monitoring section asks for one")
    .action(async (file: string, options: RunOptions) => {
      const durationMs = options.duration === undefined ? undefined : durationOf(options.duration);
      const port = options.port === undefined ? undefined : portOf(options.port);
      const loaded = await loadPipelineFile(file);
      const m = loaded.spec.monitoring;
      const modules: SluiceModule[] = [];
      if (m?.terminal !== false) modules.push(terminalStats());
      if (options.dashboard && (port !== undefined || m?.port !== undefined)) {
        modules.push(
          monitoring({
            port: port ?? m?.port,
            ...(m?.host !== undefined && { host: m.host }),
            ...(m?.token !== undefined && { token: m.token }),
            log: (line) => console.error(redact(line, loaded.secrets)),
          }),
        );
      }
      const pipeline = loaded.build(modules);

      await runWithSignals(pipeline, (err) => loaded.locate(err), durationMs);
    });
}

function durationOf(text: string): number {
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
