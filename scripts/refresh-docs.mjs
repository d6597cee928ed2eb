// Rewrites, in every docs/**/*.md page, each ```ts block that starts with
// "// file: docs/examples/<name>.ts" with the file's current text, and each block marked
// <!-- output of docs/examples/<name>.ts --> with what the compiled example prints now.
// The docs test fails when either drifts; this is how to bring them back in line.
// Usage: npm run build && node scripts/refresh-docs.mjs
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pages = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'examples' ? [] : pages(join(dir, e.name))) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );

for (const page of pages(join(root, 'docs'))) {
  const lines = readFileSync(page, 'utf8').split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (open === null) {
      out.push(lines[i]);
      continue;
    }
    const end = lines.indexOf('```', i + 1);
    const body = lines.slice(i + 1, end);
    const marker = i > 0 ? /^<!--\s*output of (\S+)\s*-->$/.exec(lines[i - 1]) : null;
    const file = /^\/\/ file: (\S+)/.exec(body[0] ?? '');
    let next = body;
    if (open[1] === 'ts' && file !== null) next = readFileSync(join(root, file[1]), 'utf8').replace(/\n$/, '').split('\n');
    else if (marker !== null) {
      const compiled = join(root, 'test/dist-docs', marker[1].replace(/^docs\/examples\//, '').replace(/\.ts$/, '.js'));
      next = execFileSync(process.execPath, [compiled], { cwd: root, encoding: 'utf8' }).replace(/\n$/, '').split('\n');
    }
    out.push(lines[i], ...next, '```');
    i = end;
  }
  const text = out.join('\n');
  if (text !== lines.join('\n')) {
    writeFileSync(page, text);
    console.log(`refreshed ${page.slice(root.length)}`);
  }
}
