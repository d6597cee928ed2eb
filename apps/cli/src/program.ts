import { Command } from 'commander';
import { createCommand } from './commands/create.js';
import { graphCommand } from './commands/graph.js';
import { replayCommand } from './commands/replay.js';
import { runCommand } from './commands/run.js';
import { statsCommand } from './commands/stats.js';
import { validateCommand } from './commands/validate.js';

/** The `sluice` command and its subcommands. */
export function buildProgram(): Command {
  const program = new Command('sluice')
    .description('Run, check and watch Sluice pipelines')
    .version('0.1.0')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  runCommand(program);
  replayCommand(program);
  validateCommand(program);
  graphCommand(program);
  statsCommand(program);
  createCommand(program);
  return program;
}
