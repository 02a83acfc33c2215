// Runs every compiled test file under build/test with node's built-in test runner, then (without a
// filter) the kernel tests and a few model tests a second time with the JavaScript kernels forced
// (MTLEARN_KERNELS=js), so the fallback backend stays tested.
// Usage: node scripts/run-tests.mjs [substring-filter]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}
const filter = process.argv[2];
const all = walk('build/test').sort();
const files = all.filter((f) => !filter || f.includes(filter));
if (files.length === 0) {
  console.error('no test files found under build/test');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
if (r.status !== 0 || filter) process.exit(r.status ?? 1);

// second pass: the JavaScript fallback kernels
const fallback = ['/blas', '/sharedDesign', '/svd', '/eig', '/groupLasso.test', '/traceNorm.test', '/meanRegularized.test', '/lowRank.test'];
const again = all.filter((f) => fallback.some((s) => f.replaceAll('\\', '/').includes(s)));
console.log(`\n# again with MTLEARN_KERNELS=js: ${again.length} files`);
const r2 = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...again], {
  stdio: 'inherit', env: { ...process.env, MTLEARN_KERNELS: 'js' },
});
process.exit(r2.status ?? 1);
