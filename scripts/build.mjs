// Compiles apps/, libs/, migrations/, scripts/ and bench/ to dist/ (or the folder given with
// --out, which tests use to run the real worker as a process of its own) with swc
// (aliases rewritten to relative paths), then copies the non-code assets the
// built code reads at run time (seed CSV, templates).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

const ASSET_EXTENSIONS = new Set(['.csv', '.liquid', '.json', '.html', '.txt', '.css']);

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : 'dist';
if (!out) throw new Error('--out needs a folder');
rmSync(out, { recursive: true, force: true });
const sources = ['apps', 'libs', 'migrations', 'scripts', 'bench'].filter((dir) => existsSync(dir));
execFileSync(
  'npx',
  ['swc', ...sources, '-d', out, '--config-file', '.swcrc', '--ignore', '**/*.spec.ts', '--quiet'],
  { stdio: 'inherit' },
);
for (const source of ['apps', 'libs']) {
  for (const path of files(source)) {
    if (!ASSET_EXTENSIONS.has(extname(path))) continue;
    mkdirSync(dirname(join(out, path)), { recursive: true });
    cpSync(path, join(out, path));
  }
}
