// Row BCD for the models of tasks ordered in time (#12): the exact row solve of the temporal group lasso
// against its optimality condition, its conjugate by Fenchel–Young, and the BCD route against FISTA run
// to 1e-12 on per-task designs of very different scales; the gap bounds the suboptimality; capped runs
// report converged: false; warm starts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TemporalRow } from '../src/solvers/temporalRow.js';
import { temporalGroupLasso, temporalGroupLassoObjective } from '../src/models/temporalGroupLasso.js';
import { fusedGroupLasso, fusedGroupLassoObjective } from '../src/models/fusedGroupLasso.js';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { groupLassoLambdaMax } from '../src/models/groupLasso.js';
import { perTaskProblem } from './helpers/random.js';
import { mulberry32, gaussian } from './helpers/random.js';
import { FusedRowSolver } from '../src/solvers/fusedRowSolve.js';
import { FusedGroupRowPenalty } from '../src/penalties/fusedGroupRow.js';
import { TaskLassos } from '../src/solvers/taskLasso.js';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { createBcdDatafit } from '../src/solvers/bcdDatafit.js';
import { bcd } from '../src/solvers/bcd.js';
import { weightedRowGap } from '../src/solvers/bcdGap.js';
import { WeightedGroupNormPenalty } from '../src/penalties/weightedGroupNorm.js';
import { multiLevelLasso, multiLevelLassoObjective } from '../src/models/multiLevelLasso.js';

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

describe('fused group lasso by row BCD (#12)', () => {
  const data = scaledProblem(8, 6, 43);
  for (const [l1, l2, l3] of [[0.02, 0.05, 0.1], [0, 0.2, 0.3], [0.1, 0.3, 0]] as const) {
    const o = { lambda1: l1, lambda2: l2, lambda3: l3 };
    it(`λ = (${l1}, ${l2}, ${l3}), task scales 1, 30, 0.05, 5: agrees with FISTA at 1e-12; gap certificate`, () => {
      const b = fusedGroupLasso(data, { ...o, tol: 1e-12, maxIter: 50000 });
      assert.equal(b.options.solver, 'bcd');
      assert.equal(b.certificateKind, 'duality-gap');
      assert.equal(b.status, 'converged', `gap ${b.certificate} after ${b.iterations}`);
      const a = fusedGroupLasso(data, { ...o, solver: 'fista', tol: 1e-12, maxIter: 400000 });
      const scale = 1 + maxAbs(a.W.data);
      assert.ok(maxDiff(a.W.data, b.W.data) <= 1e-8 * scale, `W differ by ${maxDiff(a.W.data, b.W.data)} (FISTA ${a.status})`);
      const F = fusedGroupLassoObjective(data, b.W, o, b.intercepts);
      assert.ok(Math.abs(F - b.objective) <= 1e-10 * F);
    });
  }
  it('the gap of early iterates bounds their suboptimality; capped runs; warm start; the seminorm case takes FISTA', () => {
    const o = { lambda1: 0.02, lambda2: 0.05, lambda3: 0.1 };
    const best = fusedGroupLasso(data, { ...o, tol: 1e-13, maxIter: 50000 });
    for (const maxIter of [1, 3, 6]) {
      const r = fusedGroupLasso(data, { ...o, tol: 1e-14, maxIter });
      assert.ok(!r.converged && r.status === 'max-iterations' && r.iterations === maxIter);
      assert.ok(Number.isFinite(r.certificate) && r.objective - best.objective <= r.certificate * (1 + 1e-9));
    }
    const w = fusedGroupLasso(data, { ...o, tol: 1e-9, warmStart: best.W });
    assert.ok(w.converged && w.iterations === 0);
    const tv = fusedGroupLasso(data, { lambda2: 0.1, lambda3: 0 });
    assert.equal(tv.options.solver, 'fista');
    assert.equal(tv.certificateKind, 'fixed-point-residual');
  });
});

describe('FusedRowSolver: the exact weighted row step', () => {
  it('with equal curvatures it is the exact prox B(S(TV(·))); with unequal ones its value is below FISTA on the row', () => {
    const g = gaussian(mulberry32(8));
    const T = 12;
    for (const [l1, l2, l3] of [[0.1, 0.3, 0.5], [0, 0.5, 0.2], [0.2, 0.1, 0], [0.05, 0, 0.3]] as const) {
      const h = new FusedGroupRowPenalty(l1, l2, l3, T), s = new FusedRowSolver(l1, l2, l3, T);
      for (let trial = 0; trial < 10; trial++) {
        const c = Float64Array.from({ length: T }, () => 3 * g());
        const Lv = 0.5 + trial;
        const prox = new Float64Array(T), u = new Float64Array(T);
        h.proxRow(Float64Array.from(c, (x) => x / Lv), 1 / Lv, 0, prox);
        if (maxAbs(prox) === 0) continue;
        s.solve(c, new Float64Array(T).fill(Lv), u);
        assert.ok(maxDiff(u, prox) <= 1e-10 * (1 + maxAbs(prox)), `${maxDiff(u, prox)}`);
        // unequal curvatures (one 0): the DP + secular solution is no worse than 20000 FISTA steps on the row
        const L = Float64Array.from({ length: T }, (_, t) => (t === 3 ? 0 : Math.abs(g()) * [1, 100, 0.01][t % 3]!));
        const m = (x: Float64Array): number => x.reduce((a, v, t) => a + (0.5 * L[t]! * v - c[t]!) * v, 0) + h.rowValue(x);
        const ref = new Float64Array(T), y = new Float64Array(T), prev = new Float64Array(T), z = new Float64Array(T);
        const Lm = Math.max(...L);
        let tk = 1;
        for (let it = 0; it < 20000; it++) {
          prev.set(ref);
          for (let t = 0; t < T; t++) z[t] = y[t]! - (L[t]! * y[t]! - c[t]!) / Lm;
          h.proxRow(z, 1 / Lm, 0, ref);
          const tn = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
          for (let t = 0; t < T; t++) y[t] = ref[t]! + ((tk - 1) / tn) * (ref[t]! - prev[t]!);
          tk = tn;
        }
        h.proxRow(c, 1, 0, z);
        if (maxAbs(z) === 0) { assert.ok(m(ref) >= -1e-12); continue; }
        s.solve(c, L, u);
        assert.ok(m(u) <= m(ref) + 1e-10 * (1 + Math.abs(m(ref))), `${m(u)} > ${m(ref)}`);
      }
    }
  });
});

describe('multi-level lasso stages task by task (#12)', () => {
  it('TaskLassos solves the weighted lasso stage as BCD does (scales 1, 30, 0.05, 5; a duplicated feature)', () => {
    const base = scaledProblem(6, 7, 47);
    // feature 6 := feature 2 in every task: singular per-task Hessians
    const data = MultiTaskData.fromTasks(base.tasks.map((tk) => {
      const X = Float64Array.from(tk.X);
      for (let i = 0; i < tk.n; i++) X[i * 7 + 6] = X[i * 7 + 2]!;
      return { X: { rows: tk.n, cols: 7, data: X }, y: Float64Array.from(tk.y) };
    }));
    const loss = new QuadraticLoss(data, { lossScale: 'mean', fitIntercept: true });
    const f = createBcdDatafit(loss);
    const lam = 0.05 * groupLassoLambdaMax(data, { q: 1 });
    const c = Float64Array.of(1, 0, 2, 1, Infinity, 0.5, 1);
    const h = new WeightedGroupNormPenalty(lam, 1, c, 6);
    const a = bcd(f, h, new Float64Array(42), { tolAbs: 1e-12, maxIter: 200000, screening: false });
    const W = new Float64Array(42);
    const r = new TaskLassos(f).solve(W, (j) => h.rowWeight(j), 1e-12, 200000);
    assert.ok(r.converged);
    const ga = weightedRowGap(f, a.W, h), gb = weightedRowGap(f, W, h);
    assert.ok(Math.abs(ga.primal - gb.primal) <= 1e-10 * ga.primal, `${ga.primal} vs ${gb.primal}`);
    assert.ok(gb.gap <= 1e-9 * gb.primal);
    assert.ok(maxAbs(W.subarray(4 * 6, 5 * 6)) === 0);
  });
  it('on per-task scales the fit converges to a certified stationary point, lower than the first stage; a capped run says so', () => {
    const data = scaledProblem(8, 6, 49);
    const lm = groupLassoLambdaMax(data, { q: 1 });
    const fit = multiLevelLasso(data, { lambda1: 0.1 * lm, lambda2: 0.1 * lm });
    assert.equal(fit.status, 'converged');
    assert.ok(fit.certificate <= 1e-6 * fit.gradientScale);
    assert.ok(fit.objective <= fit.stages[0]!.objective);
    assert.ok(Math.abs(multiLevelLassoObjective(data, fit.W, fit.options, fit.intercepts) - fit.objective) <= 1e-12 * fit.objective);
    const capped = multiLevelLasso(data, { lambda1: 0.1 * lm, lambda2: 0.1 * lm, maxIter: 3 });
    assert.ok(!capped.converged && capped.status === 'max-iterations' && Number.isFinite(capped.certificate));
  });
});
