// Row BCD for the models of tasks ordered in time (#12): the exact row solve of the temporal group lasso
// against its optimality condition, its conjugate by Fenchel–Young, and the BCD route against FISTA run
// to 1e-12 on per-task designs of very different scales; the gap bounds the suboptimality; capped runs
// report converged: false; warm starts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TemporalRow } from '../src/solvers/temporalRow.js';
import { temporalGroupLasso, temporalGroupLassoObjective } from '../src/models/temporalGroupLasso.js';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { groupLassoLambdaMax } from '../src/models/groupLasso.js';
import { perTaskProblem } from './helpers/random.js';
import { mulberry32, gaussian } from './helpers/random.js';

const maxAbs = (x: Float64Array): number => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxDiff = (a: Float64Array, b: Float64Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

/** Per-task designs scaled by 1, 30, 0.05, 5 (and repeated), tasks in time order. */
function scaledProblem(T: number, d: number, seed: number): MultiTaskData {
  const base = perTaskProblem(Array.from({ length: T }, (_, t) => 20 + ((7 * t) % 23)), d, 3, seed);
  const scales = [1, 30, 0.05, 5];
  return MultiTaskData.fromTasks(base.data.tasks.map((tk, t) => ({
    X: { rows: tk.n, cols: d, data: tk.X.map((x) => x * scales[t % 4]!) }, y: Float64Array.from(tk.y),
  })));
}

describe('TemporalRow: the exact row solve and the conjugate', () => {
  const g = gaussian(mulberry32(5));
  const T = 9;
  // A u = (diag(L) + 2λ₁ + 2λ₂HHᵀ) u
  const applyA = (r: TemporalRow, L: Float64Array, u: Float64Array): Float64Array => Float64Array.from(u, (x, t) => {
    let v = (L[t]! + 2 * r.lambda1) * x;
    if (t > 0) v += 2 * r.lambda2 * (x - u[t - 1]!);
    if (t + 1 < T) v += 2 * r.lambda2 * (x - u[t + 1]!);
    return v;
  });
  for (const [l1, l2, l3] of [[0.1, 0.5, 1], [0, 2, 1], [0.3, 0, 0.5], [0.2, 1, 0], [0, 0.01, 3]] as const) {
    it(`λ = (${l1}, ${l2}, ${l3}): Au − c + λ₃u/‖u‖ = 0 (or ‖c‖ ≤ λ₃ and u = 0); P*(z) ≥ zᵀu − P(u), equal at u*`, () => {
      const r = new TemporalRow(l1, l2, l3, T);
      for (let trial = 0; trial < 20; trial++) {
        const L = Float64Array.from({ length: T }, (_, t) => (t % 3 === 0 ? 0 : Math.abs(g()) * [1, 900, 0.0025][trial % 3]!));
        const c = Float64Array.from({ length: T }, () => 2 * g() * (trial % 2 ? 5 : 0.3));
        const u = new Float64Array(T);
        r.solveRow(c, L, u, trial % 4 === 0 ? 0.7 : 0);
        const nu = Math.hypot(...u), nc = Math.hypot(...c);
        if (nu === 0) { assert.ok(nc <= l3 * (1 + 1e-12)); continue; }
        const Au = applyA(r, L, u);
        const res = Au.map((x, t) => x - c[t]! + (l3 * u[t]!) / nu);
        assert.ok(maxAbs(res) <= 1e-10 * (1 + maxAbs(c)), `residual ${maxAbs(res)}`);
      }
      // Fenchel–Young at random z and u; equality at the maximiser
      const work = new Float64Array(T);
      for (let trial = 0; trial < 20; trial++) {
        const z = Float64Array.from({ length: T }, () => g());
        const a = Math.min(1, 0.999 * r.feasibleScale(z, 0));
        const conj = r.conjugate(z, 0, a, work);
        const ustar = Float64Array.from(work);
        if (!Number.isFinite(conj)) continue;
        for (let k = 0; k < 10; k++) {
          const u = Float64Array.from({ length: T }, () => g());
          const zu = u.reduce((s, x, t) => s + a * z[t]! * x, 0);
          assert.ok(conj >= zu - r.value(u, 0) - 1e-12 * (1 + Math.abs(conj)));
        }
        const zs = ustar.reduce((s, x, t) => s + a * z[t]! * x, 0);
        assert.ok(Math.abs(conj - (zs - r.value(ustar, 0))) <= 1e-12 * (1 + conj));
        // u* ∈ ∂P*(αz): a small move of u* does not raise zᵀu − P(u)
        const up = Float64Array.from(ustar, (x) => x * 1.001 + 1e-4);
        const zp = up.reduce((s, x, t) => s + a * z[t]! * x, 0);
        assert.ok(zp - r.value(up, 0) <= conj + 1e-12 * (1 + conj));
      }
    });
  }
});

describe('temporal group lasso by row BCD (#12)', () => {
  const data = scaledProblem(8, 6, 41);
  const lm = groupLassoLambdaMax(data, { q: 2 });
  for (const [l1, l2, f3] of [[0.01, 0.1, 0.1], [0, 0.5, 0.2], [0.05, 0, 0.3], [0.02, 1, 0]] as const) {
    const o = { lambda1: l1, lambda2: l2, lambda3: f3 * lm };
    it(`λ = (${l1}, ${l2}, ${f3}·λ_max), task scales 1, 30, 0.05, 5: agrees with FISTA at 1e-12; gap certificate`, () => {
      const b = temporalGroupLasso(data, { ...o, tol: 1e-12, maxIter: 20000 });
      assert.equal(b.options.solver, 'bcd');
      assert.equal(b.certificateKind, 'duality-gap');
      assert.equal(b.status, 'converged', `gap ${b.certificate} after ${b.iterations}`);
      const a = temporalGroupLasso(data, { ...o, solver: 'fista', tol: 1e-12, maxIter: 400000 });
      assert.equal(a.options.solver, 'fista');
      const scale = 1 + maxAbs(a.W.data);
      assert.ok(maxDiff(a.W.data, b.W.data) <= 1e-8 * scale, `W differ by ${maxDiff(a.W.data, b.W.data)} (FISTA ${a.status})`);
      const F = temporalGroupLassoObjective(data, b.W, o, b.intercepts);
      assert.ok(Math.abs(F - b.objective) <= 1e-10 * F);
      assert.ok(b.objective <= a.objective + 1e-10 * a.objective);
    });
  }
  it('the gap of early iterates bounds their suboptimality; a capped run reports converged: false', () => {
    const o = { lambda1: 0.01, lambda2: 0.3, lambda3: 0.1 * lm };
    const best = temporalGroupLasso(data, { ...o, tol: 1e-13, maxIter: 20000 });
    for (const maxIter of [1, 2, 4, 7]) {
      const r = temporalGroupLasso(data, { ...o, tol: 1e-14, maxIter });
      assert.equal(r.converged, false);
      assert.equal(r.status, 'max-iterations');
      assert.ok(Number.isFinite(r.certificate) && r.certificate > 0);
      assert.equal(r.iterations, maxIter);
      assert.ok(r.objective - best.objective <= r.certificate * (1 + 1e-9), `${r.objective - best.objective} > gap ${r.certificate}`);
    }
  });
  it('a warm start at the solution stops at the first check; W = 0 at λ_max; named errors', () => {
    const o = { lambda1: 0.01, lambda2: 0.3, lambda3: 0.1 * lm, tol: 1e-9 };
    const a = temporalGroupLasso(data, o);
    const w = temporalGroupLasso(data, { ...o, warmStart: a.W });
    assert.ok(w.converged && w.iterations === 0);
    assert.ok(maxDiff(a.W.data, w.W.data) === 0);
    const z = temporalGroupLasso(data, { lambda1: 0.01, lambda2: 0.3, lambda3: lm * (1 + 1e-9) });
    assert.ok(z.converged && maxAbs(z.W.data) === 0);
    assert.throws(() => temporalGroupLasso(data, { lambda3: 1, solver: 'cd' as never }), /solver: expected one of 'bcd', 'fista'/);
  });
});
