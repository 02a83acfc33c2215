// Tests of the joint feature projection model (src/models/featureProjection.ts): the Stiefel
// constraint at every iterate, monotone history, the objective against an independent evaluation,
// the h = d reduction to mean-regularized form B, and recovery of a planted subspace. All data seeded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, solve } from 'ml-matrix';
import { MultiTaskData, meanRegularized, type Mat } from '../src/index.js';
import {
  featureProjection, featureProjectionObjective, initialProjection, checkFeatureProjectionOptions,
} from '../src/models/featureProjection.js';
import {
  featureProjectionLowRank, featureProjectionLowRankObjective, checkFeatureProjectionLowRankOptions,
} from '../src/models/featureProjectionLowRank.js';
import { traceNorm } from '../src/models/traceNorm.js';
import { lowRankProblem, relDiff } from './helpers/lowrankData.js';
import { plantedSubspace, principalAngleCosines, testMse } from './helpers/featureData.js';
import { relatedTasks } from './helpers/taskRelationsData.js';
import { loadSchool } from '../bench/schoolData.js';

/** (1/T) Σ_t (1/n_t)‖y_t − X_t P v_t − b_t‖² + λ‖ΔW‖² + μ‖w₀‖² with plain loops. */
function independentObjective(data: MultiTaskData, P: Mat, w0: Float64Array, dW: Mat, b: Float64Array, lambda: number, mu: number): number {
  const { d, T } = data;
  const h = P.cols;
  let L = 0;
  for (let t = 0; t < T; t++) {
    const { X, y } = data.task(t);
    let sse = 0;
    for (let i = 0; i < y.length; i++) {
      let p = b[t]!;
      for (let k = 0; k < h; k++) {
        let z = 0;
        for (let j = 0; j < d; j++) z += X.data[i * d + j]! * P.data[j * h + k]!;
        p += z * (w0[k]! + dW.data[k * T + t]!);
      }
      sse += (y[i]! - p) ** 2;
    }
    L += sse / (T * y.length);
  }
  let dev = 0, sh = 0;
  for (const v of dW.data) dev += v * v;
  for (const v of w0) sh += v * v;
  return L + lambda * dev + mu * sh;
}

/** max |PᵀP − I| for P d×h. */
function orthError(P: Mat): number {
  const { rows: d, cols: h } = P;
  let e = 0;
  for (let a = 0; a < h; a++) for (let c = 0; c < h; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += P.data[j * h + a]! * P.data[j * h + c]!;
    e = Math.max(e, Math.abs(s - (a === c ? 1 : 0)));
  }
  return e;
}

/** Independent ridge per task: min (1/n)‖y − Xw‖² + α‖w‖² (normal equations by ml-matrix). */
function ridgeW(data: MultiTaskData, alpha: number): Mat {
  const { d, T } = data;
  const W = new Float64Array(d * T);
  for (let t = 0; t < T; t++) {
    const { X, y } = data.task(t);
    const Xm = Matrix.from1DArray(X.rows, d, X.data);
    const A = Xm.transpose().mmul(Xm).div(X.rows).add(Matrix.eye(d).mul(alpha));
    const rhs = Xm.transpose().mmul(Matrix.columnVector(Array.from(y))).div(X.rows);
    const w = solve(A, rhs);
    for (let j = 0; j < d; j++) W[j * T + t] = w.get(j, 0);
  }
  return { rows: d, cols: T, data: W };
}

const planted = plantedSubspace({ d: 20, T: 10, h: 3, n: 15, seed: 3, noise: 1e-3 });

describe('featureProjection', () => {
  test('PᵀP = I_h after every iteration, the history never increases, objective matches an independent evaluation', () => {
    const { data } = relatedTasks({ d: 8, T: 5, n: [12, 20, 9, 15, 30], seed: 4, offsets: true });
    for (const [h, fitIntercept, mu] of [[3, false, 0], [2, true, 0.1], [5, true, 0]] as const) {
      const fit = featureProjection(data, { h, lambda: 0.05, mu, fitIntercept, maxIter: 200 });
      assert.ok(fit.history.length >= 2);
      for (const e of fit.history) assert.ok(e.orthogonalityError <= 1e-10, `iteration ${e.iteration}: ${e.orthogonalityError}`);
      for (let k = 1; k < fit.history.length; k++) {
        const a = fit.history[k - 1]!.objective, b = fit.history[k]!.objective;
        assert.ok(b <= a * (1 + 1e-12), `h=${h}: iteration ${k}: ${b} > ${a}`);
      }
      assert.ok(orthError(fit.P) <= 1e-10);
      const ref = independentObjective(data, fit.P, fit.w0, fit.dW, fit.intercepts, 0.05, mu);
      assert.ok(relDiff(fit.objective, ref) <= 1e-10, `${fit.objective} vs ${ref}`);
      assert.ok(relDiff(fit.history[fit.history.length - 1]!.objective, ref) <= 1e-10);
      // W = P(w₀1ᵀ + ΔW)
      const { d, T } = data;
      for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) {
        let s = 0;
        for (let k = 0; k < h; k++) s += fit.P.data[j * h + k]! * (fit.w0[k]! + fit.dW.data[k * T + t]!);
        assert.ok(Math.abs(s - fit.W.data[j * T + t]!) <= 1e-12 * (1 + Math.abs(s)));
      }
      assert.ok(!fitIntercept ? fit.intercepts.every((v) => v === 0) : true);
    }
  });

  test('with h = d and μ = 0 the optimum equals mean-regularized form B', () => {
    const perTask = relatedTasks({ d: 6, T: 4, n: 15, seed: 8 }).data;
    const sharedData = relatedTasks({ d: 5, T: 3, n: 25, seed: 9, shared: true, missing: 0.2, offsets: true }).data;
    for (const [data, fitIntercept] of [[perTask, false], [sharedData, true]] as const) {
      const fit = featureProjection(data, { h: data.d, lambda: 0.02, fitIntercept });
      const mr = meanRegularized(data, { form: 'B', lambda: 0.02, mu: 0, lossScale: 'task-mean', fitIntercept });
      assert.ok(relDiff(fit.objective, mr.objective) <= 1e-8, `${fit.objective} vs ${mr.objective}`);
      for (let k = 0; k < fit.W.data.length; k++) assert.ok(Math.abs(fit.W.data[k]! - mr.W.data[k]!) <= 1e-6 * (1 + Math.abs(mr.W.data[k]!)));
    }
  });

  test('planted subspace: span(P) is recovered and the test error beats independent ridge', () => {
    const fit = featureProjection(planted.train, { h: 3, lambda: 1e-4, tol: 1e-8, maxIter: 2000 });
    assert.equal(fit.converged, true);
    const cos = principalAngleCosines(fit.P, planted.B);
    const maxAngle = Math.acos(Math.min(1, cos[cos.length - 1]!));
    assert.ok(maxAngle < 1e-2, `largest principal angle ${maxAngle}`);
    const mse = testMse(planted.test, fit.W, fit.intercepts);
    let bestRidge = Infinity;
    for (const alpha of [1e-4, 1e-3, 1e-2, 1e-1, 1]) {
      bestRidge = Math.min(bestRidge, testMse(planted.test, ridgeW(planted.train, alpha), new Float64Array(planted.T)));
    }
    assert.ok(mse < bestRidge / 10, `featureProjection test MSE ${mse} vs best ridge ${bestRidge}`);
    assert.ok(fit.certificate <= 1e-4, `Riemannian gradient norm ${fit.certificate}`);
  });

  test('seeded, reproducible start; ties are broken by the seed', () => {
    const a = featureProjection(planted.train, { h: 3, lambda: 1e-3, maxIter: 5 });
    const b = featureProjection(planted.train, { h: 3, lambda: 1e-3, maxIter: 5 });
    assert.deepEqual(Array.from(a.P.data), Array.from(b.P.data));
    // X_t = I_4 for every task: Σ_t X_tᵀX_t = T·I, every eigenvalue ties
    const eye = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
    const tied = MultiTaskData.fromTasks([{ X: eye, y: [1, 2, 3, 4] }, { X: eye, y: [2, 1, 0, 1] }]);
    const p1 = initialProjection(tied, 2, { seed: 1 });
    const p1b = initialProjection(tied, 2, { seed: 1 });
    const p2 = initialProjection(tied, 2, { seed: 2 });
    assert.deepEqual(Array.from(p1), Array.from(p1b));
    assert.notDeepEqual(Array.from(p1), Array.from(p2));
    // a user-supplied start at the true subspace stays there
    const fromTruth = featureProjection(planted.train, { h: 3, lambda: 1e-4, initialP: planted.B, maxIter: 50 });
    const cosT = principalAngleCosines(fromTruth.P, planted.B);
    assert.ok(Math.acos(Math.min(1, cosT[cosT.length - 1]!)) < 1e-2);
    for (const Pt of [p1, p2]) {
      const P: Mat = { rows: 4, cols: 2, data: new Float64Array(8) };
      for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) P.data[j * 2 + i] = Pt[i * 4 + j]!;
      assert.ok(orthError(P) <= 1e-12);
    }
  });

  test('maxIter exhaustion is reported as converged: false; objective evaluator and options validate', () => {
    const fit = featureProjection(planted.train, { h: 3, lambda: 1e-4, maxIter: 2, tol: 0 });
    assert.equal(fit.converged, false);
    assert.equal(fit.iterations, 2);
    assert.ok(relDiff(featureProjectionObjective(planted.train, fit, { lambda: 1e-4 }), fit.objective) <= 1e-12);
    const D = planted.train;
    assert.throws(() => checkFeatureProjectionOptions({ h: 0, lambda: 1 }, D), /h: expected an integer in \[1, 20\]/);
    assert.throws(() => checkFeatureProjectionOptions({ h: 21, lambda: 1 }, D), RangeError);
    assert.throws(() => checkFeatureProjectionOptions({ h: 2, lambda: -1 }, D), /lambda/);
    assert.throws(() => checkFeatureProjectionOptions({ h: 2, lambda: 1, mu: NaN }, D), /mu/);
    assert.throws(() => checkFeatureProjectionOptions({ h: 2, lambda: 1, seed: 1.5 }, D), /seed/);
    assert.throws(() => checkFeatureProjectionOptions({ h: 2, lambda: 1, innerSteps: 0 }, D), /innerSteps/);
    assert.throws(() => checkFeatureProjectionOptions({ h: 2, lambda: 1, initialP: { rows: 20, cols: 3, data: new Float64Array(60) } }, D), /initialP/);
    assert.throws(() => checkFeatureProjectionOptions(undefined as unknown as { h: number; lambda: number }, D), TypeError);
    const o = checkFeatureProjectionOptions({ h: 2, lambda: 1 }, D);
    assert.deepEqual([o.mu, o.seed, o.lossScale, o.fitIntercept], [0, 0, 'task-mean', false]);
    assert.throws(() => featureProjectionObjective(D, { P: fit.P, w0: [1], dW: fit.dW }, { lambda: 1 }), /w0/);
  });
});

describe('featureProjectionLowRank', () => {
  const lr = lowRankProblem({ d: 10, T: 8, r: 2, n: 20, seed: 21, noise: 0.05 });

  test('with h = d it reaches the trace-norm optimum on the original features', () => {
    const lambda = 0.05;
    const fit = featureProjectionLowRank(lr.data, { h: lr.d, lambda });
    const tn = traceNorm(lr.data, { lambda, lossScale: 'task-mean', fitIntercept: false, tol: 1e-11, maxIter: 50000 });
    assert.ok(relDiff(fit.objective, tn.objective) <= 1e-6, `${fit.objective} vs ${tn.objective}`);
  });

  test('PᵀP = I_h at every iterate, monotone history, objective evaluator, low rank', () => {
    for (const [h, fitIntercept, ridge] of [[4, false, 0], [3, true, 0.01]] as const) {
      const fit = featureProjectionLowRank(lr.data, { h, lambda: 0.05, ridge, fitIntercept, maxIter: 100 });
      for (const e of fit.history) assert.ok(e.orthogonalityError <= 1e-10);
      for (let k = 1; k < fit.history.length; k++) {
        assert.ok(fit.history[k]!.objective <= fit.history[k - 1]!.objective * (1 + 1e-12), `iteration ${k}`);
      }
      assert.ok(orthError(fit.P) <= 1e-10);
      const again = featureProjectionLowRankObjective(lr.data, fit, { lambda: 0.05, ridge }, fit.intercepts);
      assert.ok(relDiff(again, fit.objective) <= 1e-12);
      assert.ok(relDiff(fit.history[fit.history.length - 1]!.objective, fit.objective) <= 1e-9);
      assert.ok(fit.rank <= h);
    }
    assert.throws(() => checkFeatureProjectionLowRankOptions({ h: 11, lambda: 1 }, lr.data), /h: expected an integer in \[1, 10\]/);
    assert.throws(() => checkFeatureProjectionLowRankOptions({ h: 2, lambda: 1, ridge: -1 }, lr.data), /ridge/);
    assert.throws(() => checkFeatureProjectionLowRankOptions({ h: 2, lambda: 1, innerTol: -1 }, lr.data), /innerTol/);
  });
});

/** ‖(I − PPᵀ)∇L(PV)Vᵀ‖_F from the raw data (task-mean scale) with plain loops. */
function independentProjectionGradient(data: MultiTaskData, P: Mat, V: Mat, b: Float64Array): number {
  const { d, T } = data;
  const h = P.cols;
  const G = new Float64Array(d * h); // ∇L(W) Vᵀ, ∇_t L = −2/(T n_t) X_tᵀ(y_t − X_t P v_t − b_t)
  for (let t = 0; t < T; t++) {
    const { X, y } = data.task(t);
    for (let i = 0; i < y.length; i++) {
      let r = y[i]! - b[t]!;
      for (let j = 0; j < d; j++) for (let k = 0; k < h; k++) r -= X.data[i * d + j]! * P.data[j * h + k]! * V.data[k * T + t]!;
      for (let j = 0; j < d; j++) for (let k = 0; k < h; k++) G[j * h + k]! += (-2 / (T * y.length)) * X.data[i * d + j]! * r * V.data[k * T + t]!;
    }
  }
  const PtG = new Float64Array(h * h);
  for (let a = 0; a < h; a++) for (let c = 0; c < h; c++) for (let j = 0; j < d; j++) PtG[a * h + c]! += P.data[j * h + a]! * G[j * h + c]!;
  let s = 0;
  for (let j = 0; j < d; j++) for (let c = 0; c < h; c++) {
    let v = G[j * h + c]!;
    for (let a = 0; a < h; a++) v -= P.data[j * h + a]! * PtG[a * h + c]!;
    s += v * v;
  }
  return Math.sqrt(s);
}

describe('featureProjection: Grassmann L-BFGS (the default solver)', () => {
  const { data } = relatedTasks({ d: 10, T: 6, n: [14, 22, 11, 16, 30, 18], seed: 9, offsets: true });
  test('the certificate is the Riemannian gradient, small at the solution, equal to an independent recomputation', () => {
    for (const [h, fitIntercept, mu] of [[3, false, 0], [2, true, 0.05]] as const) {
      const fit = featureProjection(data, { h, lambda: 0.05, mu, fitIntercept, tol: 1e-9 });
      assert.equal(fit.status, 'converged');
      assert.ok(fit.certificate <= 1e-6 * fit.history[0]!.certificate);
      const ref = independentProjectionGradient(data, fit.P, fit.V, fit.intercepts);
      assert.ok(Math.abs(ref - fit.certificate) <= 1e-6 * fit.history[0]!.certificate, `${fit.certificate} vs ${ref}`);
    }
  });
  test('objective ≤ the block coordinate descent at the same certificate tolerance', () => {
    for (const seed of [1, 2]) {
      const D = relatedTasks({ d: 8, T: 5, n: 20, seed, offsets: true }).data;
      const fast = featureProjection(D, { h: 3, lambda: 0.1, tol: 1e-8 });
      const old = featureProjection(D, { h: 3, lambda: 0.1, tol: 1e-8, solver: 'alternating', maxIter: 20000 });
      assert.ok(fast.converged && old.converged);
      assert.ok(fast.objective <= old.objective * (1 + 1e-10), `${fast.objective} > ${old.objective}`);
    }
  });
  test('forced to its iteration cap: converged false, status max-iterations, the finite certificate', () => {
    const fit = featureProjection(data, { h: 3, lambda: 0.05, maxIter: 3, tol: 1e-12 });
    assert.equal(fit.converged, false);
    assert.equal(fit.status, 'max-iterations');
    assert.equal(fit.iterations, 3);
    assert.ok(Number.isFinite(fit.certificate) && fit.certificate > 0);
    assert.equal(fit.certificate, fit.history.at(-1)!.certificate);
  });
  test('School (h = 5, λ = 0.1) converges at the defaults', (t) => {
    const school = loadSchool();
    if (!school) {
      t.skip('../shared/data/school absent');
      return;
    }
    const fit = featureProjection(school, { h: 5, lambda: 0.1 });
    assert.equal(fit.status, 'converged');
    assert.ok(Number.isFinite(fit.certificate));
  });
});

test('featureProjection on data × 1e78 (λ × 1e156): the same fit, objective × 1e156, a finite certificate (#13)', () => {
  const { data } = relatedTasks({ d: 8, T: 5, n: 20, seed: 3, offsets: true });
  const c = 1e78;
  const big = MultiTaskData.fromTasks(data.tasks.map((v) => ({
    X: { rows: v.n, cols: data.d, data: Float64Array.from(v.X, (x) => x * c) }, y: Float64Array.from(v.y, (x) => x * c),
  })));
  const ref = featureProjection(data, { h: 3, lambda: 0.1, tol: 1e-8 });
  const fit = featureProjection(big, { h: 3, lambda: 0.1 * c * c, tol: 1e-8 });
  assert.equal(fit.status, 'converged');
  assert.ok(Number.isFinite(fit.certificate));
  assert.ok(relDiff(fit.objective / (c * c), ref.objective) <= 1e-9, `${fit.objective / (c * c)} vs ${ref.objective}`);
  for (let k = 0; k < ref.W.data.length; k++) assert.ok(Math.abs(fit.W.data[k]! - ref.W.data[k]!) <= 1e-5 * (1 + Math.abs(ref.W.data[k]!)));
});
