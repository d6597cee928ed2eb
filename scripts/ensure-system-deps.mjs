// Makes sure the system programs that the tests drive for real are installed. As root it
// installs what is missing with apt-get; otherwise it stops with the package to install.
// A test never skips because a program is missing: this script fails first, loudly.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { programs } = JSON.parse(readFileSync(new URL('./system-deps.json', import.meta.url), 'utf8'));

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const missing = programs.filter((p) => !has(p.command));
if (missing.length === 0) process.exit(0);

const packages = [...new Set(missing.map((p) => p.package))];
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(
    `The tests need ${missing.map((p) => p.command).join(', ')}. Install them with:\n  sudo apt-get install -y ${packages.join(' ')}`,
  );
  process.exit(1);
}
console.log(`Installing ${packages.join(', ')} for the tests (apt-get)...`);
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
execFileSync('apt-get', ['install', '-y', '-qq', ...packages], {
  stdio: 'inherit',
  env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
});
const still = missing.filter((p) => !has(p.command));
if (still.length > 0) {
  console.error(`Still missing after apt-get: ${still.map((p) => `${p.command} (package ${p.package})`).join(', ')}`);
  process.exit(1);
}
