import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asoConvex, clusteredConvex } from '../src/index.js';
import { perTaskProblem } from './helpers/random.js';

// Zhou, Chen & Ye (NIPS 2011): the convex relaxations of clustered MTL (M in task space, T×T) and of
// ASO (M in feature space, d×d) have the same optimal value for h = k, because for fixed W both
// minimisations over M depend only on the non-zero singular values of W.
test('convex ASO with h = k and convex clustered MTL reach the same optimal objective', () => {
  const { data } = perTaskProblem([30, 25, 35, 28, 32, 26], 8, 3, 77);
  for (const [rho1, rho2, k] of [[0.5, 0.2, 2], [1, 1.5, 3]] as const) {
    const a = asoConvex(data, { rho1, rho2, h: k, tol: 1e-9, maxIter: 200000 });
    const c = clusteredConvex(data, { rho1, rho2, k, tol: 1e-9, maxIter: 200000 });
    assert.ok(a.converged && c.converged, `converged aso=${a.converged} clustered=${c.converged}`);
    const rel = Math.abs(a.objective - c.objective) / Math.abs(c.objective);
    assert.ok(rel < 1e-6, `ρ1=${rho1} ρ2=${rho2} k=${k}: ${a.objective} vs ${c.objective} (rel ${rel})`);
  }
});

// The structured solver (exact alternation with the closed-form M-step, accelerated) against the
// generic joint FISTA, the reduced duality gap against a tight reference, and the iteration cap.
const fits = [
  { name: 'asoConvex', run: (o: { solver?: 'alternating' | 'fista'; tol?: number; maxIter?: number }) => asoConvex(perTaskProblem([20, 25, 18, 22, 30], 7, 2, 5).data, { rho1: 0.4, rho2: 0.3, h: 2, ...o }) },
  { name: 'clusteredConvex', run: (o: { solver?: 'alternating' | 'fista'; tol?: number; maxIter?: number }) => clusteredConvex(perTaskProblem([20, 25, 18, 22, 30, 16], 6, 2, 9).data, { rho1: 0.6, rho2: 0.2, k: 2, ...o }) },
];
for (const f of fits) {
  test(`${f.name}: the alternation equals the joint FISTA to 1e-8 and reports status`, () => {
    const alt = f.run({ tol: 1e-12 });
    const fi = f.run({ solver: 'fista', tol: 1e-11, maxIter: 300000 });
    assert.ok(alt.converged && alt.status === 'converged', `${alt.status} ${alt.certificate}`);
    assert.ok(fi.converged, `fista ${fi.certificate}`);
    let diff = 0, scale = 0;
    for (let i = 0; i < alt.W.data.length; i++) { diff = Math.max(diff, Math.abs(alt.W.data[i]! - fi.W.data[i]!)); scale = Math.max(scale, Math.abs(fi.W.data[i]!)); }
    assert.ok(diff <= 1e-8 * scale, `max |ΔW| ${diff} vs scale ${scale}`);
    assert.ok(Math.abs(alt.objective - fi.objective) <= 1e-12 * Math.abs(fi.objective));
    assert.ok(alt.iterations < fi.iterations);
  });

  test(`${f.name}: the reduced duality gap upper-bounds the suboptimality of early iterates`, () => {
    const best = f.run({ tol: 1e-13, maxIter: 5000 });
    for (const maxIter of [0, 1, 2, 4]) {
      const early = f.run({ tol: 0, maxIter });
      const sub = early.objective - best.objective;
      assert.ok(sub >= -1e-12 * Math.abs(best.objective), `maxIter ${maxIter}: ${early.objective} below the optimum ${best.objective}`);
      assert.ok(sub <= early.gap * (1 + 1e-9) + 1e-13 * Math.abs(best.objective), `maxIter ${maxIter}: suboptimality ${sub} > gap ${early.gap}`);
    }
    assert.ok(best.gap <= 1e-10 * best.objectiveAtZero, `gap at the optimum ${best.gap}`);
  });

  test(`${f.name}: a capped run reports converged: false, status max-iterations and a finite certificate`, () => {
    for (const solver of ['alternating', 'fista'] as const) {
      const fit = f.run({ solver, tol: 1e-15, maxIter: 1 });
      assert.equal(fit.converged, false);
      assert.equal(fit.status, 'max-iterations');
      assert.equal(fit.iterations, 1);
      assert.ok(Number.isFinite(fit.certificate) && fit.certificate > 0);
    }
  });
}
