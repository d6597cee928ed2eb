// Removes every build output, so a build starts from nothing (a compiled test of a deleted
// source file would otherwise still run).
import { readdirSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outputs = ['dist', 'dist-test', 'dist-docs'];
const skip = new Set(['node_modules', '.git']);

function walk(dir, depth) {
  if (depth > 3) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || skip.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (outputs.includes(entry.name)) rmSync(path, { recursive: true, force: true });
    else walk(path, depth + 1);
  }
  // A build-info file left beside a deleted output would make tsc -b skip the rebuild.
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.tsbuildinfo')) rmSync(join(dir, entry.name), { force: true });
  }
}

if (existsSync(root)) walk(root, 0);
