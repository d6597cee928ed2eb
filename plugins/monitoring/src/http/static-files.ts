import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's `dashboard/` folder (this file is `dist/http/static-files.js`). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));

const require = createRequire(import.meta.url);

/** The vendored browser files, by the name they are served under in `/vendor/`. */
export const VENDOR_FILES: Readonly<Record<string, string>> = {
  'uplot.iife.min.js': require.resolve('uplot/dist/uPlot.iife.min.js'),
  'uPlot.min.css': resolve(dirname(require.resolve('uplot/dist/uPlot.iife.min.js')), 'uPlot.min.css'),
};

/**
 * The file under `root` that a request path (already stripped of its route prefix, still
 * percent-encoded) names, or undefined when it escapes `root`, is not a regular file, or is
 * malformed. Guards against `..`, encoded separators and NUL bytes.
 */
export async function resolveUnder(root: string, encodedPath: string): Promise<string | undefined> {
  let rel: string;
  try {
    rel = decodeURIComponent(encodedPath);
  } catch {
    return undefined;
  }
  if (rel.length === 0 || rel.includes('\0') || rel.includes('\\')) return undefined;
  const base = resolve(root);
  const file = resolve(base, '.' + sep + rel);
  if (!file.startsWith(base + sep)) return undefined;
  try {
    const s = await stat(file);
    return s.isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a file to serve, or undefined when it cannot be read. */
export async function readServed(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}
