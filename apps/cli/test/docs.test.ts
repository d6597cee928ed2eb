import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Blocks preceded by `<!-- quotes <path> -->`: each must equal the file it quotes. */
function quotes(doc: string): { path: string; body: string }[] {
  const lines = readFileSync(root + doc, 'utf8').split('\n');
  const out: { path: string; body: string }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const marker = /^<!-- quotes (\S+) -->$/.exec(lines[i - 1]!);
    if (marker === null || !lines[i]!.startsWith('```')) continue;
    const end = lines.indexOf('```', i + 1);
    out.push({ path: marker[1]!, body: lines.slice(i + 1, end).join('\n') + '\n' });
  }
  return out;
}

for (const doc of ['docs/pipeline-file.md', 'docs/plugin-authoring.md', 'docs/nats.md']) {
  test(`docs › ${doc} quotes its example files exactly`, (t) => {
    const q = quotes(doc);
    t.true(q.length > 0);
    for (const { path, body } of q) t.is(body, readFileSync(root + path, 'utf8'), path);
  });
}
