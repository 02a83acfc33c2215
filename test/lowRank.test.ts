// Tests of the rank-constrained model (src/models/lowRank.ts): feasibility, fixed-point certificate,
// first-order conditions on the rank-r manifold (ml-matrix SVD), recovery, evaluator. Seeded data.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SingularValueDecomposition } from 'ml-matrix';
import { MultiTaskData, type Mat } from '../src/index.js';
import { lowRank, lowRankObjective, type LowRankFit } from '../src/models/lowRank.js';
import { lossScaleFactor, multiTaskLoss } from '../src/datafits/quadratic.js';
import { lowRankProblem, mlSingularValues, relDiff, toML } from './helpers/lowrankData.js';
import { gaussian, mulberry32 } from './helpers/random.js';

/** ∇L(W, b) + 2ρW from the raw data: column t is −2 s_t X_tᵀ(y_t − X_t w_t − b_t) + 2ρ w_t. */
function gradient(data: MultiTaskData, W: Mat, b: Float64Array, lossScale: 'sum' | 'mean' | 'task-mean', rho = 0): Mat {
  const { d, T } = data;
  const G = new Float64Array(d * T);
  for (let t = 0; t < T; t++) {
    const { X, y } = data.task(t);
    const c = -2 * lossScaleFactor(lossScale, y.length, T);
    for (let i = 0; i < y.length; i++) {
      let r = y[i]! - b[t]!;
      for (let j = 0; j < d; j++) r -= X.data[i * d + j]! * W.data[j * T + t]!;
      for (let j = 0; j < d; j++) G[j * T + t]! += c * X.data[i * d + j]! * r;
    }
  }
  for (let k = 0; k < d * T; k++) G[k]! += 2 * rho * W.data[k]!;
  return { rows: d, cols: T, data: G };
}

/**
 * First-order conditions on the manifold of rank-r matrices at W = U_r Σ V_rᵀ: U_rᵀ∇L = 0 and
 * ∇L V_r = 0 (∇L + 2ρW with the fit's ridge). Returns max(‖U_rᵀG‖_F, ‖G V_r‖_F) / ‖∇L(0, b₀)‖_F.
 */
function manifoldStationarity(data: MultiTaskData, fit: LowRankFit): number {
  const r = fit.options.rank;
  const G = toML(gradient(data, fit.W, fit.intercepts, fit.options.lossScale, fit.options.ridge));
  const svd = new SingularValueDecomposition(toML(fit.W));
  const Ur = svd.leftSingularVectors.subMatrix(0, data.d - 1, 0, r - 1);
  const Vr = svd.rightSingularVectors.subMatrix(0, data.T - 1, 0, r - 1);
  return Math.max(Ur.transpose().mmul(G).norm('frobenius'), G.mmul(Vr).norm('frobenius')) / fit.gradientScale;
}

const planted = (noise = 0.1, seed = 2) => lowRankProblem({ d: 40, T: 15, r: 3, n: 30, seed, noise, offset: 0.5 });

describe('lowRank: feasibility and certificate', () => {
  for (const accelerate of [false, true]) {
    test(`accelerate = ${accelerate}: rank ≤ r, fixed-point residual ≤ tol, stationary on the rank-r manifold`, () => {
      const { data } = planted();
      const tol = 1e-8;
      const fit = lowRank(data, { rank: 3, tol, accelerate, solver: 'projected-gradient' });
      assert.ok(fit.converged, `not converged after ${fit.iterations}`);
      assert.equal(fit.certificateKind, 'fixed-point-residual');
      assert.equal(fit.local, true);
      assert.ok(fit.certificate <= tol * fit.gradientScale);
      assert.ok(fit.rank <= 3);
      assert.ok(mlSingularValues(fit.W)[3]! <= 1e-10 * mlSingularValues(fit.W)[0]!, 'rank ≤ 3 by ml-matrix');
      const st = manifoldStationarity(data, fit);
      assert.ok(st < 1e-6, `manifold stationarity ${st}`);
      assert.equal(fit.objective, lowRankObjective(data, fit.W, { rank: 3, ridge: fit.options.ridge }, fit.intercepts));
    });
  }

  test('plain projected gradient never increases the objective', () => {
    const { data } = planted(0.5, 7);
    const fit = lowRank(data, { rank: 2, tol: 1e-9, accelerate: false, solver: 'projected-gradient' });
    for (let i = 1; i < fit.history.length; i++) {
      const a = fit.history[i - 1]!.objective, b = fit.history[i]!.objective;
      assert.ok(b <= a * (1 + 1e-12) + 1e-15, `history ${i}: ${b} > ${a}`);
    }
  });

  test('plain and accelerated reach the same local solution on a planted problem', () => {
    const { data } = planted();
    const a = lowRank(data, { rank: 3, tol: 1e-9, accelerate: false, solver: 'projected-gradient' });
    const b = lowRank(data, { rank: 3, tol: 1e-9, accelerate: true, solver: 'projected-gradient' });
    assert.ok(relDiff(a.objective, b.objective) < 1e-7, `${a.objective} vs ${b.objective}`);
  });

  test('residual and Gram backends reach the same fixed point', () => {
    const { data } = lowRankProblem({ d: 10, T: 8, r: 2, n: 60, seed: 14, shared: true, offset: 1 });
    const a = lowRank(data, { rank: 2, tol: 1e-10, backend: 'residual', accelerate: true, solver: 'projected-gradient' });
    const b = lowRank(data, { rank: 2, tol: 1e-10, backend: 'gram', accelerate: true, solver: 'projected-gradient' });
    assert.ok(a.converged && b.converged);
    assert.ok(relDiff(a.objective, b.objective) < 1e-9, `${a.objective} vs ${b.objective}`);
  });

  test('non-convergence is reported', () => {
    const { data } = planted();
    const fit = lowRank(data, { rank: 3, tol: 1e-14, maxIter: 4 });
    assert.equal(fit.converged, false);
    assert.equal(fit.iterations, 4);
  });
});

describe('lowRank: solutions', () => {
  test('noiseless planted rank-3 problem: W* is recovered', () => {
    const p = lowRankProblem({ d: 40, T: 15, r: 3, n: 30, seed: 5, noise: 0 });
    // ridge 0: the unregularised model, whose minimiser is W* exactly
    const fit = lowRank(p.data, { rank: 3, tol: 1e-10, accelerate: true, fitIntercept: false, ridge: 0, solver: 'projected-gradient' });
    let err = 0, nrm = 0;
    for (let k = 0; k < p.W.data.length; k++) {
      err += (fit.W.data[k]! - p.W.data[k]!) ** 2;
      nrm += p.W.data[k]! ** 2;
    }
    assert.ok(Math.sqrt(err / nrm) < 1e-5, `relative error ${Math.sqrt(err / nrm)}`);
    assert.equal(fit.rank, 3);
  });

  test('rank = min(d, T): the constraint is inactive and W is the (ridge) least-squares solution', () => {
    const { data } = lowRankProblem({ d: 5, T: 3, r: 1, n: [30, 25, 40], seed: 9 });
    for (const ridge of [0, 'auto', 0.3] as const) {
      const fit = lowRank(data, { rank: 3, tol: 1e-11, ridge });
      assert.ok(fit.converged);
      const G = gradient(data, fit.W, fit.intercepts, 'mean', fit.options.ridge);
      assert.ok(Math.max(...G.data.map(Math.abs)) < 1e-8 * fit.gradientScale, `ridge ${ridge}`);
    }
  });

  test('a warm start of higher rank is projected; rank = 1 gives a rank-one W', () => {
    const { data, d, T } = planted();
    const rnd = gaussian(mulberry32(4));
    const W0: Mat = { rows: d, cols: T, data: Float64Array.from({ length: d * T }, () => rnd()) };
    const fit = lowRank(data, { rank: 1, warmStart: W0, tol: 1e-8 });
    assert.ok(fit.converged);
    assert.equal(fit.rank, 1);
  });
});

describe('lowRank: objective evaluator', () => {
  test('the loss from the raw data when rank(W) ≤ r, +∞ above', () => {
    const { data, d, T } = planted();
    const rnd = gaussian(mulberry32(12));
    const a = Float64Array.from({ length: d }, () => rnd()), c = Float64Array.from({ length: T }, () => rnd());
    const W1: Mat = { rows: d, cols: T, data: Float64Array.from({ length: d * T }, (_, k) => a[Math.floor(k / T)]! * c[k % T]!) };
    const b = Float64Array.from({ length: T }, () => rnd());
    for (const lossScale of ['sum', 'mean', 'task-mean'] as const) {
      const ref = multiTaskLoss(data, W1, b, lossScale);
      assert.equal(lowRankObjective(data, W1, { rank: 1, lossScale }, b), ref);
      assert.equal(lowRankObjective(data, W1, { lossScale }, b), ref);
    }
    const Wfull: Mat = { rows: d, cols: T, data: Float64Array.from({ length: d * T }, () => rnd()) };
    assert.equal(lowRankObjective(data, Wfull, { rank: 3 }), Infinity);
    assert.ok(Number.isFinite(lowRankObjective(data, Wfull, { rank: 15 })));
  });
});

describe('lowRank: validation', () => {
  test('bad options raise errors naming the option', () => {
    const { data } = planted();
    assert.throws(() => lowRank(data, undefined as never), TypeError);
    assert.throws(() => lowRank(data, {} as never), /rank/);
    assert.throws(() => lowRank(data, { rank: 0 }), /rank.*\[1, 15\]/);
    assert.throws(() => lowRank(data, { rank: 16 }), /rank/);
    assert.throws(() => lowRank(data, { rank: 2.5 }), /rank/);
    assert.throws(() => lowRank(data, { rank: 2, tol: -1 }), /tol/);
    assert.throws(() => lowRank(data, { rank: 2, accelerate: 1 as never }), /accelerate/);
    assert.throws(() => lowRank(data, { rank: 2, backend: 'fast' as never }), /backend/);
    assert.throws(() => lowRank(data, { rank: 2, warmStart: { rows: 40, cols: 14, data: new Float64Array(560) } }), /warmStart/);
    assert.throws(() => lowRankObjective(data, { rows: 40, cols: 15, data: new Float64Array(600) }, { rank: 0 }), /rank/);
  });
});

describe("lowRank: solver 'grassmann' (L-BFGS on the column space)", () => {
  test('converges to a stationary point on the rank-r manifold with the same fixed point as projected gradient', () => {
    for (const seed of [2, 5]) {
      const { data } = planted(0.1, seed);
      const tol = 1e-9;
      const fast = lowRank(data, { rank: 3, tol, solver: 'grassmann' });
      const old = lowRank(data, { rank: 3, tol, maxIter: 100000, solver: 'projected-gradient' });
      assert.equal(fast.status, 'converged');
      assert.ok(fast.certificate <= tol * fast.gradientScale);
      assert.ok(fast.rank <= 3);
      const st = manifoldStationarity(data, fast);
      assert.ok(st < 1e-7, `manifold stationarity ${st}`);
      assert.ok(old.converged);
      assert.ok(fast.objective <= old.objective * (1 + 1e-10), `${fast.objective} > ${old.objective}`);
      assert.equal(fast.objective, lowRankObjective(data, fast.W, { rank: 3, ridge: fast.options.ridge }, fast.intercepts));
    }
  });
  test('forced to its iteration cap: converged false, status max-iterations, the finite certificate', () => {
    const { data } = planted();
    const fit = lowRank(data, { rank: 3, tol: 1e-12, maxIter: 2, solver: 'grassmann' });
    assert.equal(fit.converged, false);
    assert.equal(fit.status, 'max-iterations');
    assert.equal(fit.iterations, 2);
    assert.ok(Number.isFinite(fit.certificate) && fit.certificate > 1e-12 * fit.gradientScale);
  });
});
