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
