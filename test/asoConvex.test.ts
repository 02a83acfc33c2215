// Tests of convex ASO (src/models/asoConvex.ts): the constraint set, the fixed-point certificate,
// independent first-order optimality (mathjs inverse, ml-matrix eigendecomposition, bisection
// projection), global optimality against feasible perturbations, and the evaluator. Seeded data.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as math from 'mathjs';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { MultiTaskData, type Mat } from '../src/index.js';
import { asoConvex, asoConvexObjective, type AsoConvexFit } from '../src/models/asoConvex.js';
import { lossScaleFactor } from '../src/datafits/quadratic.js';
import { lowRankProblem, orthonormalityError, principalCosines, relDiff, toML } from './helpers/lowrankData.js';
import { gaussian, mulberry32 } from './helpers/random.js';

const planted = (seed = 1) => lowRankProblem({ d: 20, T: 12, r: 2, n: 25, seed, noise: 0.1, offset: 1 });

/** Symmetric eigendecomposition by ml-matrix: values and vectors (columns). */
function eigML(A: Matrix): { values: number[]; vectors: Matrix } {
  const e = new EigenvalueDecomposition(A, { assumeSymmetric: true });
  return { values: e.realEigenvalues, vectors: e.eigenvectorMatrix };
}

/** Projection onto {0 ⪯ M ⪯ I, tr M = h}: ml-matrix eigendecomposition + bisection on the shift θ. */
function projectRef(A: Matrix, h: number): Matrix {
  const S = A.add(A.transpose()).mul(0.5);
  const { values, vectors } = eigML(S);
  const clip = (th: number) => values.map((v) => Math.min(1, Math.max(0, v - th)));
  let lo = Math.min(...values) - 1, hi = Math.max(...values);
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (clip(mid).reduce((a, b) => a + b, 0) > h) lo = mid;
    else hi = mid;
  }
  const sig = clip(0.5 * (lo + hi));
  return vectors.mmul(Matrix.diag(sig)).mmul(vectors.transpose());
}

/** Gradients of the smooth part at the fit, through mathjs' matrix inverse and raw-data loops. */
function gradients(data: MultiTaskData, fit: AsoConvexFit): { gW: Matrix; gM: Matrix } {
  const { d, T } = data;
  const { eta, c } = fit;
  const K = new Matrix(math.inv(math.add(math.multiply(eta, math.identity(d)), math.matrix(toML(fit.M).to2DArray())) as math.Matrix).toArray() as number[][]);
  const W = toML(fit.W);
  const KW = K.mmul(W);
  const gW = KW.mul(2 * c);
  for (let t = 0; t < T; t++) {
    const { X, y } = data.task(t);
    const s = -2 * lossScaleFactor(fit.options.lossScale, y.length, T);
    for (let i = 0; i < y.length; i++) {
      let r = y[i]! - fit.intercepts[t]!;
      for (let j = 0; j < d; j++) r -= X.data[i * d + j]! * fit.W.data[j * T + t]!;
      for (let j = 0; j < d; j++) gW.set(j, t, gW.get(j, t) + s * X.data[i * d + j]! * r);
    }
  }
  return { gW, gM: KW.mmul(KW.transpose()).mul(-c) };
}

describe('asoConvex: constraint set and certificate', () => {
  for (const [rho1, rho2] of [[0.1, 0.1], [1, 0.1], [0.05, 0.5]] as const) {
    test(`ρ₁ = ${rho1}, ρ₂ = ${rho2} (η = ${rho2 / rho1}): 0 ⪯ M ⪯ I, tr M = h, fixed-point residual ≤ tol`, () => {
      const { data, d } = planted();
      const h = 2, tol = 1e-7;
      const fit = asoConvex(data, { rho1, rho2, h, tol });
      assert.ok(fit.converged, `not converged in ${fit.iterations}`);
      assert.equal(fit.certificateKind, 'fixed-point-residual');
      assert.ok(fit.certificate <= tol * fit.gradientScale);
      const Mm = toML(fit.M);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) assert.equal(fit.M.data[i * d + j], fit.M.data[j * d + i]);
      const { values } = eigML(Mm);
      for (const v of values) assert.ok(v >= -1e-10 && v <= 1 + 1e-10, `eigenvalue ${v}`);
      assert.ok(Math.abs(Mm.trace() - h) < 1e-10, `trace ${Mm.trace()}`);
      assert.ok(Math.abs(values.reduce((a, b) => a + b, 0) - h) < 1e-10);
      assert.equal(fit.eta, rho2 / rho1);
      assert.equal(fit.c, rho1 * fit.eta * (1 + fit.eta));
    });
  }

  test('first-order optimality checked independently (mathjs inverse, ml-matrix projection)', () => {
    const { data } = planted(3);
    const fit = asoConvex(data, { rho1: 0.2, rho2: 0.1, h: 2, tol: 1e-9 });
    assert.ok(fit.converged);
    const { gW, gM } = gradients(data, fit);
    assert.ok(gW.norm('frobenius') < 1e-7 * fit.gradientScale, `‖∇_W‖ = ${gW.norm('frobenius')}`);
    // M = P_C(M − t ∇_M) for every t > 0 at the optimum
    const M = toML(fit.M);
    for (const t of [0.1, 1, 10]) {
      const P = projectRef(M.sub(gM.clone().mul(t)), 2);
      const r = P.sub(M).norm('frobenius') / t;
      assert.ok(r < 1e-6 * fit.gradientScale, `t = ${t}: ‖M − P(M − t∇_M)‖/t = ${r}`);
    }
  });

  test('global optimality (convex problem): feasible perturbations never decrease the objective', () => {
    const { data, d, T } = planted(4);
    const params = { rho1: 0.1, rho2: 0.3, h: 3 };
    const fit = asoConvex(data, { ...params, tol: 1e-9 });
    const rnd = gaussian(mulberry32(17));
    for (let trial = 0; trial < 10; trial++) {
      const eps = trial < 5 ? 1e-3 : 1e-1;
      const W: Mat = { rows: d, cols: T, data: fit.W.data.map((v) => v + eps * rnd()) };
      const Mp = projectRef(toML(fit.M).add(Matrix.from1DArray(d, d, Array.from({ length: d * d }, () => eps * rnd()))), 3);
      const M: Mat = { rows: d, cols: d, data: Float64Array.from(Mp.add(Mp.transpose()).mul(0.5).to1DArray()) };
      const b = fit.intercepts.map((v) => v + eps * rnd());
      const F = asoConvexObjective(data, W, M, params, b);
      assert.ok(F >= fit.objective - 1e-10 * Math.abs(fit.objective), `trial ${trial}: ${F} < ${fit.objective}`);
    }
  });

  test('the learned subspace Θ (top-h eigenvectors of M) is orthonormal and close to the planted one', () => {
    const p = planted(5);
    const fit = asoConvex(p.data, { rho1: 0.1, rho2: 0.1, h: 2 });
    assert.ok(orthonormalityError(fit.Theta) < 1e-10);
    const cos = principalCosines(fit.Theta, p.Theta);
    assert.ok(cos[1]! > 0.9, `principal cosines ${cos}`);
  });

  test('non-convergence is reported', () => {
    const { data } = planted();
    const fit = asoConvex(data, { rho1: 0.1, rho2: 0.1, h: 2, tol: 1e-15, maxIter: 3 });
    assert.equal(fit.converged, false);
    assert.equal(fit.iterations, 3);
  });
});

describe('asoConvex: objective evaluator', () => {
  test('equals a direct mathjs computation with the matrix inverse; +∞ outside the constraint set', () => {
    const data = lowRankProblem({ d: 5, T: 3, r: 1, n: [6, 8, 7], seed: 7 }).data;
    const rnd = gaussian(mulberry32(8));
    const Q = math.qr(math.matrix(Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => rnd())))).Q as math.Matrix;
    const sig = [0.9, 0.6, 0.5, 0, 0]; // tr = 2
    const Mmath = math.multiply(math.multiply(Q, math.diag(sig)), math.transpose(Q)) as math.Matrix;
    const Marr = Mmath.toArray() as number[][];
    for (let i = 0; i < 5; i++) for (let j = 0; j < i; j++) Marr[i]![j] = Marr[j]![i]!; // exactly symmetric
    const M: Mat = { rows: 5, cols: 5, data: Float64Array.from(Marr.flat()) };
    const W: Mat = { rows: 5, cols: 3, data: Float64Array.from({ length: 15 }, () => rnd()) };
    const b = Float64Array.from({ length: 3 }, () => rnd());
    const rho1 = 0.7, rho2 = 0.2;
    const eta = rho2 / rho1, c = rho1 * eta * (1 + eta);
    const Wm = math.matrix(Array.from({ length: 5 }, (_, j) => Array.from(W.data.subarray(j * 3, j * 3 + 3))));
    const pen = Number(math.trace(math.multiply(math.multiply(math.transpose(Wm), math.inv(math.add(math.multiply(eta, math.identity(5)), math.matrix(Marr)) as math.Matrix)), Wm) as math.Matrix));
    for (const lossScale of ['sum', 'mean', 'task-mean'] as const) {
      let ref = c * pen;
      for (let t = 0; t < 3; t++) {
        const { X, y } = data.task(t);
        const Xm = math.matrix(Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * 5, i * 5 + 5))));
        const pred = math.add(math.multiply(Xm, math.column(Wm, t)), b[t]!) as math.Matrix;
        const r = math.subtract(math.reshape(math.matrix(Array.from(y)), [y.length, 1]), pred) as math.Matrix;
        ref += lossScaleFactor(lossScale, y.length, 3) * Number(math.sum(math.dotPow(r, 2)));
      }
      const got = asoConvexObjective(data, W, M, { rho1, rho2, h: 2, lossScale }, b);
      assert.ok(relDiff(got, ref) < 1e-10, `${lossScale}: ${got} vs ${ref}`);
    }
    assert.equal(asoConvexObjective(data, W, M, { rho1, rho2, h: 3 }, b), Infinity); // trace ≠ h
    const big: Mat = { rows: 5, cols: 5, data: M.data.map((v) => 2 * v) }; // eigenvalue 1.8 > 1
    assert.equal(asoConvexObjective(data, W, big, { rho1, rho2 }, b), Infinity);
    const asym: Mat = { rows: 5, cols: 5, data: Float64Array.from(M.data) };
    asym.data[1] = asym.data[1]! + 0.01;
    assert.equal(asoConvexObjective(data, W, asym, { rho1, rho2 }, b), Infinity);
  });

  test('fit.objective is the evaluator at (W, M, b)', () => {
    const { data } = planted();
    const fit = asoConvex(data, { rho1: 0.3, rho2: 0.3, h: 2, lossScale: 'sum' });
    const again = asoConvexObjective(data, fit.W, fit.M, { rho1: 0.3, rho2: 0.3, h: 2, lossScale: 'sum' }, fit.intercepts);
    assert.equal(fit.objective, again);
    assert.ok(Number.isFinite(fit.objective));
  });
});

describe('asoConvex: validation', () => {
  test('bad options raise errors naming the option', () => {
    const { data } = planted();
    assert.throws(() => asoConvex(data, null as never), TypeError);
    assert.throws(() => asoConvex(data, { rho1: 0, rho2: 1, h: 2 }), /rho1/);
    assert.throws(() => asoConvex(data, { rho1: 1, rho2: -1, h: 2 }), /rho2/);
    assert.throws(() => asoConvex(data, { rho1: 1, rho2: 1, h: 0 }), /\bh\b.*\[1, 20\]/);
    assert.throws(() => asoConvex(data, { rho1: 1, rho2: 1, h: 21 }), /\bh\b/);
    assert.throws(() => asoConvex(data, { rho1: 1, rho2: 1, h: 2, maxIter: -1 }), /maxIter/);
    assert.throws(() => asoConvexObjective(data, { rows: 20, cols: 12, data: new Float64Array(240) }, { rows: 3, cols: 3, data: new Float64Array(9) }, { rho1: 1, rho2: 1 }), /M.*20×20/);
  });
});
