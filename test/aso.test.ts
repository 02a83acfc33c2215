// Tests of alternating structure optimisation (src/models/aso.ts): monotone objective, orthonormal Θ,
// planted subspace recovery, stationarity of both blocks, evaluator vs mathjs. Seeded data.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as math from 'mathjs';
import { SingularValueDecomposition } from 'ml-matrix';
import { MultiTaskData, type Mat } from '../src/index.js';
import { aso, asoObjective, type AsoFit } from '../src/models/aso.js';
import { lossScaleFactor } from '../src/datafits/quadratic.js';
import { lowRankProblem, orthonormalityError, principalCosines, relDiff, toML } from './helpers/lowrankData.js';
import { gaussian, mulberry32 } from './helpers/random.js';

/** ∇_W [L(W, b) + λ‖(I − ΘᵀΘ)W‖² + ρ‖W‖²] from the raw data with plain loops (ρ: the fit's resolved ridge). */
function gradientF(data: MultiTaskData, fit: AsoFit): Float64Array {
  const { d, T } = data;
  const { W, Theta, intercepts: b } = fit;
  const h = Theta.rows;
  const G = new Float64Array(d * T);
  for (let t = 0; t < T; t++) {
    const { X, y } = data.task(t);
    const c = -2 * lossScaleFactor(fit.options.lossScale, y.length, T);
    for (let i = 0; i < y.length; i++) {
      let r = y[i]! - b[t]!;
      for (let j = 0; j < d; j++) r -= X.data[i * d + j]! * W.data[j * T + t]!;
      for (let j = 0; j < d; j++) G[j * T + t]! += c * X.data[i * d + j]! * r;
    }
    // + 2λ (w_t − ΘᵀΘ w_t)
    const v = new Float64Array(h);
    for (let i = 0; i < h; i++) for (let j = 0; j < d; j++) v[i]! += Theta.data[i * d + j]! * W.data[j * T + t]!;
    for (let j = 0; j < d; j++) {
      let p = 0;
      for (let i = 0; i < h; i++) p += Theta.data[i * d + j]! * v[i]!;
      G[j * T + t]! += 2 * fit.options.lambda * (W.data[j * T + t]! - p) + 2 * fit.options.ridge * W.data[j * T + t]!;
    }
  }
  return G;
}

const planted = (seed = 1, noise = 0.1) => lowRankProblem({ d: 30, T: 16, r: 3, n: 30, seed, noise, offset: 1, specific: 0.02 });

describe('aso: alternating minimisation', () => {
  test('the objective never increases and the fit converges', () => {
    for (const [seed, lambda] of [[1, 1], [2, 0.1], [3, 0.5]] as const) {
      const { data } = planted(seed, 0.3);
      const fit = aso(data, { lambda, h: 2, seed, tol: 1e-7, solver: 'alternating' });
      assert.ok(fit.converged, `seed ${seed}: not converged in ${fit.iterations}`);
      assert.ok(fit.history.length === fit.iterations + 1);
      for (let i = 1; i < fit.history.length; i++) {
        const a = fit.history[i - 1]!.objective, b = fit.history[i]!.objective;
        assert.ok(b <= a + 1e-13 * Math.abs(a), `seed ${seed}, round ${i}: ${b} > ${a}`);
      }
      assert.ok(fit.history.at(-1)!.objective < fit.history[0]!.objective);
    }
  });

  test('Θ has orthonormal rows (1e-10), W = U + ΘᵀV, V = ΘW', () => {
    const { data, d, T } = planted();
    const fit = aso(data, { lambda: 1, h: 3 });
    assert.equal(fit.Theta.rows, 3);
    assert.equal(fit.Theta.cols, d);
    assert.ok(orthonormalityError(fit.Theta) < 1e-10, `‖ΘΘᵀ − I‖ = ${orthonormalityError(fit.Theta)}`);
    const Th = toML(fit.Theta), Wm = toML(fit.W);
    const V = Th.mmul(Wm);
    const W2 = toML(fit.U).add(Th.transpose().mmul(toML(fit.V)));
    for (let j = 0; j < d; j++) {
      for (let t = 0; t < T; t++) {
        assert.ok(Math.abs(W2.get(j, t) - Wm.get(j, t)) < 1e-12);
        if (j < 3) assert.ok(Math.abs(V.get(j, t) - fit.V.data[j * T + t]!) < 1e-12);
      }
    }
  });

  test('planted subspace is recovered (principal angles small)', () => {
    const p = planted(4);
    const fit = aso(p.data, { lambda: 1, h: 3, seed: 9 });
    const cos = principalCosines(fit.Theta, p.Theta);
    assert.ok(cos[2]! > 0.99, `principal cosines ${cos}`);
  });

  test('stationarity: ∇_W F = 0 at the final Θ, and Θ spans the top-h left singular vectors of W', () => {
    const { data, d } = planted(5);
    const tol = 1e-8;
    const fit = aso(data, { lambda: 0.5, h: 3, tol, maxIter: 5000 });
    assert.ok(fit.converged);
    assert.equal(fit.certificateKind, 'fixed-point-residual');
    assert.ok(fit.certificate <= tol * fit.gradientScale);
    const g = Math.hypot(...gradientF(data, fit));
    assert.ok(g <= 10 * tol * fit.gradientScale, `‖∇_W F‖ = ${g}`);
    const U = new SingularValueDecomposition(toML(fit.W)).leftSingularVectors.subMatrix(0, d - 1, 0, 2).transpose();
    const cos = principalCosines(fit.Theta, { rows: 3, cols: d, data: Float64Array.from(U.to1DArray()) });
    assert.ok(cos[2]! > 1 - 1e-10, `cosines ${cos}`);
  });

  test('same seed → identical fit; shared design equals its per-task split', () => {
    const { data } = lowRankProblem({ d: 12, T: 8, r: 2, n: 50, seed: 6, shared: true });
    const a = aso(data, { lambda: 0.3, h: 2, seed: 11 });
    const b = aso(data, { lambda: 0.3, h: 2, seed: 11 });
    assert.deepEqual(a.W.data, b.W.data);
    // the same ρ for both forms ('auto' reads a power-iteration estimate of each form's curvature)
    const c = aso(data.toTasks(), { lambda: 0.3, h: 2, seed: 11, ridge: a.options.ridge });
    assert.ok(relDiff(a.objective, c.objective) < 1e-9);
    // shared design with missing responses: same objective as the per-task form of its observed rows
    const X = data.task(0).X;
    const rnd = mulberry32(3);
    const Y: number[][] = [];
    for (let i = 0; i < 50; i++) Y.push(Array.from({ length: 8 }, (_, t) => (rnd() < 0.2 ? NaN : data.task(t).y[i]!)));
    const masked = MultiTaskData.fromShared(X, Y);
    const m1 = aso(masked, { lambda: 0.3, h: 2, seed: 11 });
    const m2 = aso(masked.toTasks(), { lambda: 0.3, h: 2, seed: 11, ridge: m1.options.ridge });
    assert.ok(relDiff(m1.objective, m2.objective) < 1e-9, `${m1.objective} vs ${m2.objective}`);
  });

  test('non-convergence is reported', () => {
    const { data } = planted();
    const fit = aso(data, { lambda: 1, h: 3, tol: 1e-15, maxIter: 2 });
    assert.equal(fit.converged, false);
    assert.equal(fit.iterations, 2);
  });
});

describe('aso: objective evaluator', () => {
  test('equals an independent mathjs computation; +∞ when ΘΘᵀ ≠ I', () => {
    const data = lowRankProblem({ d: 5, T: 3, r: 1, n: [6, 8, 7], seed: 7 }).data;
    const rnd = gaussian(mulberry32(8));
    const rows = (a: Float64Array, r: number, c: number) => Array.from({ length: r }, (_, i) => Array.from(a.subarray(i * c, i * c + c)));
    const Th = math.transpose(math.qr(math.matrix(rows(Float64Array.from({ length: 10 }, () => rnd()), 5, 2))).Q) as math.Matrix;
    const thetaRows = (Th.toArray() as number[][]).slice(0, 2);
    const Theta: Mat = { rows: 2, cols: 5, data: Float64Array.from(thetaRows.flat()) };
    const U: Mat = { rows: 5, cols: 3, data: Float64Array.from({ length: 15 }, () => rnd()) };
    const V: Mat = { rows: 2, cols: 3, data: Float64Array.from({ length: 6 }, () => rnd()) };
    const b = Float64Array.from({ length: 3 }, () => rnd());
    const lambda = 0.8;
    for (const lossScale of ['sum', 'mean', 'task-mean'] as const) {
      const Wm = math.add(math.matrix(rows(U.data, 5, 3)), math.multiply(math.transpose(math.matrix(thetaRows)), math.matrix(rows(V.data, 2, 3)))) as math.Matrix;
      let ref = 0;
      for (let t = 0; t < 3; t++) {
        const { X, y } = data.task(t);
        const pred = math.add(math.multiply(math.matrix(rows(X.data, X.rows, 5)), math.column(Wm, t)), b[t]!) as math.Matrix;
        const r = math.subtract(math.reshape(math.matrix(Array.from(y)), [y.length, 1]), pred) as math.Matrix;
        ref += lossScaleFactor(lossScale, y.length, 3) * Number(math.sum(math.dotPow(r, 2)));
      }
      ref += lambda * Number(math.sum(math.dotPow(math.matrix(rows(U.data, 5, 3)), 2)));
      const got = asoObjective(data, U, V, Theta, { lambda, lossScale }, b);
      assert.ok(relDiff(got, ref) < 1e-10, `${lossScale}: ${got} vs ${ref}`);
    }
    const bad: Mat = { rows: 2, cols: 5, data: Theta.data.map((v) => 1.01 * v) };
    assert.equal(asoObjective(data, U, V, bad, { lambda }), Infinity);
  });

  test('fit.objective is the evaluator at (U, V, Θ, b) and equals the last history entry', () => {
    const { data } = planted();
    const fit = aso(data, { lambda: 2, h: 2 });
    assert.equal(fit.objective, asoObjective(data, fit.U, fit.V, fit.Theta, fit.options, fit.intercepts));
    assert.ok(relDiff(fit.objective, fit.history.at(-1)!.objective) < 1e-10);
  });
});

describe('aso: validation', () => {
  test('bad options raise errors naming the option', () => {
    const { data } = planted();
    assert.throws(() => aso(data, 3 as never), TypeError);
    assert.throws(() => aso(data, { lambda: 0, h: 2 }), /lambda/);
    assert.throws(() => aso(data, { lambda: 1, h: 0 }), /\bh\b.*\[1, 16\]/);
    assert.throws(() => aso(data, { lambda: 1, h: 17 }), /\bh\b/);
    assert.throws(() => aso(data, { lambda: 1, h: 2, seed: 0.5 }), /seed/);
    assert.throws(() => aso(data, { lambda: 1, h: 2, fitIntercept: 'no' as never }), /fitIntercept/);
    assert.throws(() => asoObjective(data, { rows: 30, cols: 16, data: new Float64Array(480) }, { rows: 1, cols: 16, data: new Float64Array(16) },
      { rows: 2, cols: 30, data: new Float64Array(60) }, { lambda: 1 }), /V/);
  });
});

describe("aso: solver 'grassmann' (L-BFGS on the subspace)", () => {
  test('the certificate equals ‖∇_W F‖ recomputed from the raw data; objective ≤ the alternation at the same tolerance', () => {
    for (const [seed, lambda] of [[1, 1], [2, 0.1], [3, 0.5]] as const) {
      const { data } = planted(seed, 0.3);
      const tol = 1e-9;
      const fast = aso(data, { lambda, h: 2, seed, tol, solver: 'grassmann' });
      const old = aso(data, { lambda, h: 2, seed, tol, maxIter: 100000, solver: 'alternating' });
      assert.equal(fast.status, 'converged', `seed ${seed}: ${fast.status} after ${fast.iterations}`);
      assert.ok(old.converged);
      assert.ok(fast.certificate <= tol * fast.gradientScale);
      const G = gradientF(data, fast);
      let g2 = 0;
      for (const v of G) g2 += v * v;
      assert.ok(Math.abs(Math.sqrt(g2) - fast.certificate) <= 1e-6 * tol * fast.gradientScale + 1e-8 * fast.certificate,
        `${fast.certificate} vs ${Math.sqrt(g2)}`);
      assert.ok(fast.objective <= old.objective * (1 + 1e-10), `seed ${seed}: ${fast.objective} > ${old.objective}`);
      assert.ok(relDiff(fast.objective, asoObjective(data, fast.U, fast.V, fast.Theta, { lambda, ridge: fast.options.ridge }, fast.intercepts)) <= 1e-12);
    }
  });
  test('forced to its iteration cap: converged false, status max-iterations, the finite certificate', () => {
    const { data } = planted(1, 0.3);
    const fit = aso(data, { lambda: 0.1, h: 2, tol: 1e-12, maxIter: 2, solver: 'grassmann' });
    assert.equal(fit.converged, false);
    assert.equal(fit.status, 'max-iterations');
    assert.equal(fit.iterations, 2);
    assert.ok(Number.isFinite(fit.certificate) && fit.certificate > 1e-12 * fit.gradientScale);
  });
});
