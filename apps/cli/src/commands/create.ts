import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';

// The templates ship beside dist/ in the CLI's package.
const TEMPLATES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');
// npm's rule for package names (lower case, an optional scope).
const PACKAGE_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** Every file of a template folder, relative to it. */
async function templateFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await templateFiles(dir, rel)));
    else out.push(rel);
  }
  return out.sort();
}

async function sdkVersion(): Promise<string> {
  // The SDK this CLI runs with: a plugin built against it passes the host's major check.
  const pkg = join(dirname(fileURLToPath(import.meta.resolve('@sluice/sdk'))), '..', 'package.json');
  return (JSON.parse(await readFile(pkg, 'utf8')) as { version: string }).version;
}

/**
 * Writes a plugin package from the template into `dir` (which must not exist, or be empty):
 * package.json, tsconfig.json, src/ with a source, a stage and a sink, a pipeline.yaml that
 * uses them, and a README with the next commands. Returns the files written.
 */
export async function createPlugin(dir: string, name?: string): Promise<string[]> {
  const target = resolve(dir);
  const packageName = name ?? basename(target);
  if (!PACKAGE_NAME.test(packageName)) {
    throw new CliError(
      `${JSON.stringify(packageName)} is not a valid npm package name (lower case letters, digits, - . _ ~, an optional @scope/); give one with --name`,
    );
  }
  if (existsSync(target) && (await readdir(target)).length > 0) {
    throw new CliError(`${dir} exists and is not empty: choose a new folder`);
  }
  const shown = relative(process.cwd(), target) || '.';
  const values: Record<string, string> = {
    name: packageName,
    dir: shown,
    pipelineName: packageName.replace(/^@/, '').replace(/[^A-Za-z0-9_.-]/g, '-'),
    sdkVersion: await sdkVersion(),
  };
  const source = join(TEMPLATES, 'plugin');
  const written: string[] = [];
  for (const file of await templateFiles(source)) {
    const text = (await readFile(join(source, file), 'utf8')).replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? `{{${key}}}`);
    const out = join(target, file.replace(/\.tmpl$/, ''));
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, text);
    written.push(relative(process.cwd(), out));
  }
  return written;
}

/** `sluice create plugin <dir>`: a new plugin package from the template. */
export function createCommand(program: Command): void {
  const create = program.command('create').description('start something new from a template');
  create
    .command('plugin')
    .description('write a plugin package (a source, a stage, a sink, a pipeline file) into a new folder')
    .argument('<dir>', 'the folder to create (new, or empty)')
    .option('--name <package>', 'the npm package name (default: the folder name)')
    .action(async (dir: string, options: { name?: string }) => {
      const files = await createPlugin(dir, options.name);
      const shown = relative(process.cwd(), resolve(dir)) || '.';
      process.stdout.write(
        [
          `created ${files.length} files in ${shown}:`,
          ...files.map((f) => `  ${f}`),
          '',
          'next:',
          `  npx tsc -p ${shown}                          # build src/ -> dist/`,
          `  npx sluice validate ${shown}/pipeline.yaml`,
          `  npx sluice run ${shown}/pipeline.yaml`,
          '',
        ].join('\n'),
      );
    });
}
