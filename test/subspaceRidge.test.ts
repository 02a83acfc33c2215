// The ridge ρ‖W‖²_F of lowRank and aso (src/models/autoRidge.ts): closed-form special cases against an
// independent ml-matrix solve, agreement of the two solvers of each model to 1e-8 in objective,
// stationarity with the ridge gradient, scale invariance of 'auto', ridge: 0 = the unregularised
// objective, forced iteration caps, validation; both models converge at their School defaults. Seeded data.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Matrix, solve } from 'ml-matrix';
import { MultiTaskData, type Mat } from '../src/index.js';
import { lowRank, lowRankObjective } from '../src/models/lowRank.js';
import { aso, asoObjective } from '../src/models/aso.js';
import { AUTO_RIDGE_FACTOR } from '../src/models/autoRidge.js';
import { QuadraticLoss, lossScaleFactor, multiTaskLoss } from '../src/datafits/quadratic.js';
import { loadSchool, defaultSchoolPath } from '../bench/schoolData.js';
import { lowRankProblem, relDiff } from './helpers/lowrankData.js';

/**
 * The per-task ridge regression with intercepts, solved independently with ml-matrix: w_t solves
 * (s_t X̃_tᵀX̃_t + ρI) w = s_t X̃_tᵀỹ_t on the centred task data (the minimiser of L + ρ‖W‖²_F).
 */
function ridgeByTask(data: MultiTaskData, rho: number): Mat {
  const { d, T } = data;
  const W = new Float64Array(d * T);
  for (let t = 0; t < T; t++) {
    const { X, y } = data.task(t);
    const n = y.length, s = lossScaleFactor('mean', n, T);
    const Xm = new Matrix(Array.from({ length: n }, (_, i) => Array.from(X.data.subarray(i * d, (i + 1) * d))));
    const ym = Matrix.columnVector(Array.from(y));
    // centre the columns and y (the intercept is unpenalised)
    const xc = Xm.clone().subRowVector(Xm.mean('column'));
    const yc = ym.clone().sub(ym.mean());
    const A = xc.transpose().mmul(xc).mul(s).add(Matrix.eye(d).mul(rho));
    const w = solve(A, xc.transpose().mmul(yc).mul(s));
    for (let j = 0; j < d; j++) W[j * T + t] = w.get(j, 0);
  }
  return { rows: d, cols: T, data: W };
}

function maxRel(a: Mat, b: Mat): number {
  let m = 0, s = 0;
  for (let k = 0; k < a.data.length; k++) {
    m = Math.max(m, Math.abs(a.data[k]! - b.data[k]!));
    s = Math.max(s, Math.abs(b.data[k]!));
  }
  return m / s;
}

/** The data with every design entry × a and every response × c. */
function scaledData(data: MultiTaskData, a: number, c: number): MultiTaskData {
  return MultiTaskData.fromTasks(Array.from({ length: data.T }, (_, t) => {
    const { X, y } = data.task(t);
    return { X: { rows: X.rows, cols: X.cols, data: X.data.map((v) => a * v) }, y: y.map((v) => c * v) };
  }));
}

// per-task designs with fewer rows than features in some tasks: the unregularised infimum is not attained
const deficient = lowRankProblem({ d: 12, T: 6, r: 2, n: [8, 10, 9, 30, 7, 11], seed: 41, noise: 0.3, offset: 0.5 });
const planted = lowRankProblem({ d: 20, T: 10, r: 3, n: 40, seed: 42, noise: 0.1, offset: 0.5 });

describe('ridge: closed-form special cases (an independent ml-matrix solve)', () => {
  test('lowRank with rank = min(d, T) is per-task ridge regression, both solvers, to 1e-8', () => {
    const { data } = lowRankProblem({ d: 6, T: 4, r: 1, n: [5, 9, 4, 12], seed: 43, noise: 0.5, offset: 1 });
    for (const ridge of [1e-3, 0.5]) {
      const ref = ridgeByTask(data, ridge);
      for (const solver of ['projected-gradient', 'grassmann'] as const) {
        const fit = lowRank(data, { rank: 4, ridge, tol: 1e-12, maxIter: 100000, solver });
        assert.ok(fit.converged, `${solver} ρ = ${ridge}: ${fit.status}`);
        assert.ok(maxRel(fit.W, ref) < 1e-8, `${solver} ρ = ${ridge}: W off by ${maxRel(fit.W, ref)}`);
      }
    }
  });

  test('aso with h = d (Θ spans everything, U = 0) is per-task ridge regression with ρ, both solvers, to 1e-8', () => {
    const { data } = lowRankProblem({ d: 4, T: 6, r: 1, n: [5, 9, 4, 12, 6, 7], seed: 44, noise: 0.5, offset: 1 });
    for (const ridge of [1e-3, 0.5]) {
      const ref = ridgeByTask(data, ridge);
      for (const solver of ['alternating', 'grassmann'] as const) {
        const fit = aso(data, { lambda: 0.7, h: 4, ridge, tol: 1e-12, maxIter: 1000, solver });
        assert.ok(fit.converged, `${solver} ρ = ${ridge}: ${fit.status}`);
        assert.ok(maxRel(fit.W, ref) < 1e-8, `${solver} ρ = ${ridge}: W off by ${maxRel(fit.W, ref)}`);
      }
    }
  });
});

describe('ridge: stationarity and two independent solvers', () => {
  test('lowRank: projected gradient and Grassmann L-BFGS reach the same fixed point (objective to 1e-8)', () => {
    for (const [name, p] of [['planted', planted], ['rank-deficient tasks', deficient]] as const) {
      const tol = 1e-10;
      const a = lowRank(p.data, { rank: 2, tol, maxIter: 200000 });
      const b = lowRank(p.data, { rank: 2, tol, solver: 'grassmann' });
      assert.ok(a.converged && b.converged, `${name}: ${a.status} / ${b.status}`);
      assert.equal(a.options.ridge, b.options.ridge);
      assert.ok(a.options.ridge > 0);
      assert.ok(relDiff(a.objective, b.objective) < 1e-8, `${name}: ${a.objective} vs ${b.objective}`);
      assert.equal(a.objective, lowRankObjective(p.data, a.W, { rank: 2, ridge: a.options.ridge }, a.intercepts));
    }
  });

  test('aso: the alternation and Grassmann L-BFGS reach the same objective to 1e-8; the certificate includes 2ρW', () => {
    for (const [name, p] of [['planted', planted], ['rank-deficient tasks', deficient]] as const) {
      const tol = 1e-10;
      const a = aso(p.data, { lambda: 0.2, h: 2, tol, maxIter: 200000, seed: 3 });
      const b = aso(p.data, { lambda: 0.2, h: 2, tol, solver: 'grassmann', seed: 3 });
      assert.ok(a.converged && b.converged, `${name}: ${a.status} / ${b.status}`);
      assert.ok(relDiff(a.objective, b.objective) < 1e-8, `${name}: ${a.objective} vs ${b.objective}`);
      assert.equal(b.objective, asoObjective(p.data, b.U, b.V, b.Theta, { lambda: 0.2, ridge: b.options.ridge }, b.intercepts));
      // the certificate is ‖∇L + 2λU + 2ρW‖_F: dropping the ridge gradient changes it by about 2ρ‖W‖_F
      const loss = new QuadraticLoss(p.data);
      const R = new Float64Array(loss.residualSize), G = new Float64Array(p.d * p.T);
      loss.residual(b.W.data, R);
      loss.gradient(R, G);
      let full = 0;
      for (let k = 0; k < G.length; k++) full += (G[k]! + 2 * 0.2 * b.U.data[k]! + 2 * b.options.ridge * b.W.data[k]!) ** 2;
      assert.ok(Math.abs(Math.sqrt(full) - b.certificate) <= 1e-6 * tol * b.gradientScale + 1e-8 * b.certificate);
    }
  });

  test("the unregularised infimum is not attained on rank-deficient tasks; 'auto' converges with bounded W", () => {
    const free = lowRank(deficient.data, { rank: 2, ridge: 0, maxIter: 3000, solver: 'grassmann' });
    const auto = lowRank(deficient.data, { rank: 2, solver: 'grassmann' });
    assert.equal(auto.status, 'converged');
    const norm = (m: Mat) => Math.hypot(...m.data);
    assert.ok(norm(auto.W) < norm(free.W), `‖W‖: auto ${norm(auto.W)}, ridge 0 ${norm(free.W)}`);
  });
});

describe("ridge: 'auto', 0 and validation", () => {
  test("'auto' resolves to 1e-6·L (the documented default), reported in options; data × (a, c) gives W × c/a", () => {
    const { data } = planted;
    const L = new QuadraticLoss(data).lipschitz();
    const base = lowRank(data, { rank: 2, tol: 1e-10, solver: 'grassmann' });
    assert.equal(AUTO_RIDGE_FACTOR, 1e-6);
    assert.equal(base.options.ridge, AUTO_RIDGE_FACTOR * L);
    const baseAso = aso(data, { lambda: 0.2, h: 2, tol: 1e-10, seed: 1, solver: 'grassmann' });
    assert.equal(baseAso.options.ridge, AUTO_RIDGE_FACTOR * L);
    for (const [a, c] of [[1e3, 1e3], [1e-2, 10]] as const) {
      const S = scaledData(data, a, c);
      const fit = lowRank(S, { rank: 2, tol: 1e-10, solver: 'grassmann' });
      assert.ok(relDiff(fit.options.ridge, a * a * base.options.ridge) < 1e-10, `ρ ${fit.options.ridge} vs ${a * a * base.options.ridge}`);
      const Wb: Mat = { ...base.W, data: base.W.data.map((v) => (v * c) / a) };
      assert.ok(maxRel(fit.W, Wb) < 1e-7, `lowRank (${a}, ${c}): ${maxRel(fit.W, Wb)}`);
      const fa = aso(S, { lambda: 0.2 * a * a, h: 2, tol: 1e-10, seed: 1, solver: 'grassmann' });
      const Wa: Mat = { ...baseAso.W, data: baseAso.W.data.map((v) => (v * c) / a) };
      assert.ok(maxRel(fa.W, Wa) < 1e-7, `aso (${a}, ${c}): ${maxRel(fa.W, Wa)}`);
    }
  });

  test('ridge: 0 is the unregularised objective (the loss alone for lowRank; L + λ‖U‖² for aso)', () => {
    const { data } = planted;
    const fit = lowRank(data, { rank: 2, ridge: 0 });
    assert.equal(fit.options.ridge, 0);
    assert.equal(fit.objective, multiTaskLoss(data, fit.W, fit.intercepts, 'mean'));
    const fa = aso(data, { lambda: 0.2, h: 2, ridge: 0 });
    assert.equal(fa.options.ridge, 0);
    assert.equal(fa.objective, asoObjective(data, fa.U, fa.V, fa.Theta, { lambda: 0.2 }, fa.intercepts));
    let u2 = 0;
    for (const v of fa.U.data) u2 += v * v;
    assert.ok(relDiff(fa.objective, multiTaskLoss(data, fa.W, fa.intercepts, 'mean') + 0.2 * u2) < 1e-12);
  });

  test('forced to the iteration cap with the default ridge: converged false with a finite certificate', () => {
    const { data } = deficient;
    for (const fit of [
      lowRank(data, { rank: 2, maxIter: 3, tol: 1e-14 }),
      lowRank(data, { rank: 2, maxIter: 3, tol: 1e-14, solver: 'grassmann' }),
      aso(data, { lambda: 0.1, h: 2, maxIter: 3, tol: 1e-14 }),
      aso(data, { lambda: 0.1, h: 2, maxIter: 3, tol: 1e-14, solver: 'grassmann' }),
    ]) {
      assert.equal(fit.converged, false);
      assert.equal(fit.status, 'max-iterations');
      assert.ok(Number.isFinite(fit.certificate) && fit.certificate > 0);
      assert.ok(fit.options.ridge > 0);
    }
  });

  test('bad ridge values raise errors naming ridge and the model', () => {
    const { data } = planted;
    assert.throws(() => lowRank(data, { rank: 2, ridge: -1 }), (e: Error) => e instanceof RangeError && /lowRank: ridge/.test(e.message));
    assert.throws(() => lowRank(data, { rank: 2, ridge: NaN }), /ridge/);
    assert.throws(() => aso(data, { lambda: 1, h: 2, ridge: 'big' as never }), (e: Error) => e instanceof TypeError && /aso: ridge.*'auto'/.test(e.message));
    assert.throws(() => aso(data, { lambda: 1, h: 2, ridge: Infinity }), /ridge/);
    assert.throws(() => lowRankObjective(data, lowRank(data, { rank: 1, maxIter: 1 }).W, { ridge: -1 }), /ridge/);
  });
});

describe('School at the defaults (skipped without the School CSV)', () => {
  const path = defaultSchoolPath();
  test('lowRank rank 3 and aso h = 3, λ = 0.1 converge at their defaults', { skip: existsSync(path) ? false : `no School CSV at ${path}` }, () => {
    const school = loadSchool(path)!;
    const lr = lowRank(school, { rank: 3 });
    assert.equal(lr.status, 'converged', `lowRank: ${lr.status} after ${lr.iterations}, certificate ${lr.certificate / lr.gradientScale}`);
    const as = aso(school, { lambda: 0.1, h: 3 });
    assert.equal(as.status, 'converged', `aso: ${as.status} after ${as.iterations}, certificate ${as.certificate / as.gradientScale}`);
  });
});
