/**
 * `npm run bench`: runs every benchmark in this folder in sequence (each prints its table and writes
 * bench/results/<name>.json). Pass `--quick` for the smaller problem set, or names to run a subset:
 * `npm run bench -- kernels groupLasso`.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const skip = new Set(['run.js', 'util.js', 'schoolData.js']);
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('--'));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.js') && !skip.has(f))
  .filter((f) => names.length === 0 || names.includes(f.replace(/\.js$/, '')))
  .sort();
for (const f of files) {
  console.log(`\n=== bench/${f.replace(/\.js$/, '.ts')} ===`);
  const mod = (await import(pathToFileURL(`${here}/${f}`).href)) as { main?: (argv?: string[]) => unknown };
  if (typeof mod.main === 'function') await mod.main(args.filter((a) => a.startsWith('--')));
}
