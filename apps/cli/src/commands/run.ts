import type { Command } from 'commander';
import { loadPipelineFile } from '../pipeline-file/load-pipeline-file.js';
import { runWithSignals } from '../run-with-signals.js';
import { runPartitioned } from '../scale-out/run-partitioned.js';
import { deadLetterNote, durationOf, runModules, runningOptions, type RunningOptions } from './run-options.js';

/**
 * `sluice run <file>`: builds and runs the pipeline with live terminal stats (and the monitoring
 * server when asked); SIGINT/SIGTERM drain it gracefully with a final checkpoint, a second one cancels.
 */
export function runCommand(program: Command): void {
  runningOptions(
    program
      .command('run')
      .description('run a pipeline file until its input ends, --duration passes or SIGINT/SIGTERM (drains, takes a final checkpoint)')
      .argument('<file>', 'the pipeline file (.yaml, .yml or .json)'),
  ).action(async (file: string, options: RunningOptions) => {
    const durationMs = durationOf(options.duration);
    const loaded = await loadPipelineFile(file);
    if (loaded.spec.scaleOut !== undefined) return runPartitioned(file, loaded, options, durationMs);
    const pipeline = loaded.build(runModules(loaded, options));
    const stats = await runWithSignals(pipeline, (err) => loaded.locate(err), durationMs);
    const note = deadLetterNote(loaded, stats);
    if (note !== undefined) console.error(note);
  });
}
