import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { loadPipelineFile } from '../pipeline-file/load-pipeline-file.js';
import { toDot, toMermaid } from './graph-format.js';

/** `sluice graph <file>`: prints the pipeline's graph as Mermaid or DOT. */
export function graphCommand(program: Command): void {
  program
    .command('graph')
    .description("print a pipeline file's graph (nodes with their role and kind, edges, side outputs dashed)")
    .argument('<file>', 'the pipeline file (.yaml, .yml or .json)')
    .option('--format <format>', 'mermaid or dot', 'mermaid')
    .action(async (file: string, options: { format: string }) => {
      if (options.format !== 'mermaid' && options.format !== 'dot') {
        throw new CliError(`--format: ${JSON.stringify(options.format)}, expected mermaid or dot`);
      }
      const loaded = await loadPipelineFile(file);
      const graph = loaded.build().graph();
      process.stdout.write(options.format === 'dot' ? toDot(graph, loaded.spec.name) : toMermaid(graph));
    });
}
