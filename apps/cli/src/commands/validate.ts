import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { FileError } from '../pipeline-file/file-error.js';
import { loadPipelineFile } from '../pipeline-file/load-pipeline-file.js';

/** `sluice validate <file>`: loads the plugins, checks the file and builds the pipeline without running it. */
export function validateCommand(program: Command): void {
  program
    .command('validate')
    .description('check a pipeline file: load its plugins, check every key and build the pipeline, without running it')
    .argument('<file>', 'the pipeline file (.yaml, .yml or .json)')
    .option('--json', 'print { ok, name?, nodes?, errors: [{ file, line, column, message }] } on stdout')
    .action(async (file: string, options: { json?: boolean }) => {
      try {
        const loaded = await loadPipelineFile(file);
        const nodes = loaded.build().graph().nodes.length;
        if (options.json === true) process.stdout.write(JSON.stringify({ ok: true, name: loaded.spec.name, nodes, errors: [] }) + '\n');
        else process.stdout.write(`ok: ${loaded.spec.name}, ${nodes} nodes\n`);
      } catch (err) {
        if (options.json !== true || !(err instanceof CliError)) throw err;
        // Errors are already redacted: the JSON carries the same text as the one-line message.
        const error =
          err instanceof FileError
            ? { file: err.file, line: err.position.line, column: err.position.column, message: err.detail }
            : { file, line: 0, column: 0, message: err.message };
        process.stdout.write(JSON.stringify({ ok: false, errors: [error] }) + '\n');
        process.exitCode = 1;
      }
    });
}
