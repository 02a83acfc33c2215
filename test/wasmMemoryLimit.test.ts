/**
 * The kernels' memory full: fits go on (the products fall back to the JavaScript kernels, large
 * operands to the heap) instead of throwing `WebAssembly.Memory.grow(): Maximum memory size exceeded`.
 * A synchronous loop of fits on fresh data objects fills the memory, because the blocks of collected
 * arrays are returned by finalizers that run only between tasks (found at 264 fits of 2000×500×5 with
 * the 4 GiB limit). The child process caps the memory at 32 MiB (`MTLEARN_WASM_MEMORY_MB`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const INDEX = new URL('../src/index.js', import.meta.url).href;
const RANDOM = new URL('./helpers/random.js', import.meta.url).href;
const RUNTIME = new URL('../src/linalg/wasm/runtime.js', import.meta.url).href;

const CHILD = `
const m = await import(${JSON.stringify(INDEX)});
const r = await import(${JSON.stringify(RANDOM)});
const rt = await import(${JSON.stringify(RUNTIME)});
const [n, d, T] = [1500, 300, 5];
const prob = r.sharedProblem(n, d, T, 30, 7, 1, 0);
const lmax = m.groupLassoLambdaMax(prob.data, { q: 2, fitIntercept: false });
const out = [];
for (let k = 0; k < 14; k++) {
  const D = m.MultiTaskData.fromShared({ rows: n, cols: d, data: prob.data.X }, { rows: n, cols: T, data: prob.data.Y });
  const fit = m.groupLasso(D, { lambda: 0.1 * lmax, q: 2, fitIntercept: false, tol: 1e-10 });
  const ref = m.groupLassoObjective(D, fit.W, { lambda: 0.1 * lmax, q: 2 }, fit.intercepts);
  out.push({ converged: fit.converged, objective: fit.objective, gap: fit.certificate, ref });
}
console.log(JSON.stringify({ fits: out, memoryMiB: rt.wasm === null ? 0 : rt.wasm.memory.buffer.byteLength / 2 ** 20, shared: rt.wasm?.shared ?? false }));
`;

test('with the kernels\' memory capped and full, fits on fresh data objects still converge to the same objective', (t) => {
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
    encoding: 'utf8', env: { ...process.env, MTLEARN_WASM_MEMORY_MB: '32', MTLEARN_KERNELS: 'wasm' },
  });
  assert.equal(res.status, 0, res.stderr);
  const { fits, memoryMiB, shared } = JSON.parse(res.stdout.trim().split('\n').pop()!) as {
    fits: { converged: boolean; objective: number; gap: number; ref: number }[]; memoryMiB: number; shared: boolean;
  };
  if (!shared) {
    t.skip('WebAssembly shared memory unavailable: nothing lives in the kernels\' memory');
    return;
  }
  // the cap was reached (so the later fits ran with the memory full) and never exceeded
  assert.ok(memoryMiB <= 32 && memoryMiB > 24, `memory ${memoryMiB} MiB`);
  const F0 = fits[0]!.objective;
  for (const [k, f] of fits.entries()) {
    assert.ok(f.converged, `fit ${k} not converged`);
    assert.equal(f.objective, f.ref, `fit ${k}: reported objective ≠ evaluator`);
    // every fit is certified within 1e-10·F(0)-scale gaps of the same optimum
    assert.ok(Math.abs(f.objective - F0) <= f.gap + fits[0]!.gap + 1e-12 * Math.abs(F0), `fit ${k}: ${f.objective} vs ${F0}`);
  }
});
