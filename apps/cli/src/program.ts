import { Command } from 'commander';
import { statsCommand } from './commands/stats.js';

/** The `sluice` command and its subcommands. */
export function buildProgram(): Command {
  const program = new Command('sluice')
    .description('Run, check and watch Sluice pipelines')
    .version('0.1.0')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  statsCommand(program);
  return program;
}
