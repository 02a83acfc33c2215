// Runs one TypeScript entry (an example or the demo) without compiling the whole project: esbuild
// bundles the entry and the sources it imports into build/run/<entry>.mjs (npm packages stay
// external and load from node_modules), then the bundle runs in this process with the remaining
// arguments. Type checking stays with `npm run compile` / `npm test`.
// Usage: node scripts/run-ts.mjs examples/demo.ts [args…]
import { build } from 'esbuild';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = process.argv[2];
if (!entry || !entry.endsWith('.ts')) {
  console.error('usage: node scripts/run-ts.mjs <entry.ts> [args…]');
  process.exit(2);
}
const rel = relative(root, resolve(entry));
const outfile = join(root, 'build', 'run', rel.replace(/\.ts$/, '.mjs'));
await build({
  entryPoints: [resolve(entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
// the entry sees its own arguments as process.argv.slice(2)
process.argv.splice(1, 2, outfile);
await import(pathToFileURL(outfile).href);
