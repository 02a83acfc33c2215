// Tests of convex multi-task feature learning (src/models/featureLearning.ts): the objective against an
// independent evaluation (plain loops + ml-matrix SVD), the W step's normal equations, monotone
// history per ε, the duality gap, and the equivalence with the trace-norm model. All data seeded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, inverse } from 'ml-matrix';
import { MultiTaskData, type Mat } from '../src/index.js';
import {
  featureLearning, featureLearningObjective, featureLearningWStep, checkFeatureLearningOptions,
} from '../src/models/featureLearning.js';
import { traceNorm, traceNormObjective } from '../src/models/traceNorm.js';
import { lossScaleFactor } from '../src/datafits/quadratic.js';
import { lowRankProblem, mlSingularValues, relDiff } from './helpers/lowrankData.js';
import { gaussian, mulberry32 } from './helpers/random.js';

type Scale = 'sum' | 'mean' | 'task-mean';

/** L(W, b) + γ(Σσ)² with plain loops and ml-matrix singular values. */
function independentObjective(data: MultiTaskData, W: Mat, b: Float64Array, gamma: number, lossScale: Scale): number {
  const { d, T } = data;
  let L = 0;
  for (let t = 0; t < T; t++) {
    const { X, y } = data.task(t);
    let sse = 0;
    for (let i = 0; i < y.length; i++) {
      let p = b[t]!;
      for (let j = 0; j < d; j++) p += X.data[i * d + j]! * W.data[j * T + t]!;
      sse += (y[i]! - p) ** 2;
    }
    L += lossScaleFactor(lossScale, y.length, T) * sse;
  }
  const nuc = mlSingularValues(W).reduce((a, c) => a + c, 0);
  return L + gamma * nuc * nuc;
}

const small = lowRankProblem({ d: 12, T: 6, r: 2, n: 20, seed: 11, noise: 0.1, offset: 0.5 });
const shared = lowRankProblem({ d: 10, T: 5, r: 2, n: 40, seed: 12, noise: 0.1, shared: true });

describe('featureLearning', () => {
  test('objective at the returned W equals L + γ‖W‖²_* evaluated independently', () => {
    for (const [data, lossScale] of [[small.data, 'mean'], [shared.data, 'sum'], [small.data, 'task-mean']] as const) {
      const gamma = lossScale === 'sum' ? 2 : 0.02;
      const fit = featureLearning(data, { gamma, lossScale });
      const ref = independentObjective(data, fit.W, fit.intercepts, gamma, lossScale);
      assert.ok(relDiff(fit.objective, ref) <= 1e-6, `${lossScale}: ${fit.objective} vs ${ref}`);
      assert.ok(relDiff(featureLearningObjective(data, fit.W, { gamma, lossScale }, fit.intercepts), ref) <= 1e-10);
      assert.equal(fit.converged, true);
    }
  });

  test('the W step solves its normal equations (s_t X_tᵀ(y_t − X_t w_t − b_t) = γ D⁻¹ w_t)', () => {
    const g = gaussian(mulberry32(5));
    for (const data of [small.data, shared.data]) {
      const { d, T } = data;
      // random SPD D with trace 1
      const A = Matrix.from1DArray(d, d, Array.from({ length: d * d }, () => g()));
      let Dm = A.mmul(A.transpose()).add(Matrix.eye(d).mul(0.1));
      Dm = Dm.div(Dm.trace());
      const D: Mat = { rows: d, cols: d, data: Float64Array.from(Dm.to1DArray()) };
      const gamma = 0.05;
      const { W, intercepts } = featureLearningWStep(data, D, { gamma, lossScale: 'mean' });
      const Dinv = inverse(Dm);
      for (let t = 0; t < T; t++) {
        const { X, y } = data.task(t);
        const s = lossScaleFactor('mean', y.length, T);
        const lhs = new Float64Array(d), scale = new Float64Array(d);
        for (let i = 0; i < y.length; i++) {
          let r = y[i]! - intercepts[t]!;
          for (let j = 0; j < d; j++) r -= X.data[i * d + j]! * W.data[j * T + t]!;
          for (let j = 0; j < d; j++) {
            lhs[j]! += s * X.data[i * d + j]! * r;
            scale[j]! += s * Math.abs(X.data[i * d + j]! * y[i]!);
          }
        }
        let res = 0, sc = 0;
        for (let j = 0; j < d; j++) {
          let p = 0;
          for (let k = 0; k < d; k++) p += Dinv.get(j, k) * W.data[k * T + t]!;
          res = Math.max(res, Math.abs(lhs[j]! - gamma * p));
          sc = Math.max(sc, scale[j]!);
        }
        assert.ok(res <= 1e-10 * sc, `task ${t}: residual ${res} (scale ${sc})`);
      }
    }
  });

  test('the smoothed objective never increases for fixed ε, and the duality gap is small', () => {
    const fit = featureLearning(small.data, { gamma: 0.02, solver: 'alternating' });
    assert.ok(fit.history.length > 2);
    for (let k = 1; k < fit.history.length; k++) {
      const a = fit.history[k - 1]!, b = fit.history[k]!;
      if (a.epsilon !== b.epsilon) {
        assert.ok(b.epsilon < a.epsilon);
        continue;
      }
      assert.ok(b.objective <= a.objective * (1 + 1e-12), `iteration ${b.iteration}: ${b.objective} > ${a.objective}`);
    }
    assert.equal(fit.epsilon, 1e-8);
    assert.equal(fit.certificateKind, 'duality-gap');
    assert.ok(fit.gap <= 5e-4 * fit.objective, `gap ${fit.gap} vs objective ${fit.objective}`);
    // D: trace 1, eigenpairs consistent with the features
    const { d } = small;
    let tr = 0;
    for (let i = 0; i < d; i++) tr += fit.D.data[i * d + i]!;
    assert.ok(Math.abs(tr - 1) <= 1e-12);
    assert.ok(Math.abs(fit.features.values.reduce((a, c) => a + c, 0) - 1) <= 1e-12);
    const V = fit.features.vectors;
    for (let k = 0; k < d; k++) {
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += fit.D.data[i * d + j]! * V.data[j * d + k]!;
        assert.ok(Math.abs(s - fit.features.values[k]! * V.data[i * d + k]!) <= 1e-12);
      }
    }
    // the learned features concentrate on the planted rank 2
    assert.ok(fit.features.values[0]! + fit.features.values[1]! > 0.9);
  });

  test('W is (near-)optimal for traceNorm with λ = 2γ‖W‖_*', () => {
    for (const data of [small.data, shared.data]) {
      const gamma = 0.02;
      const fit = featureLearning(data, { gamma });
      const nuc = fit.singularValues.reduce((a, c) => a + c, 0);
      const lambda = 2 * gamma * nuc;
      const tn = traceNorm(data, { lambda, tol: 1e-10, maxIter: 50000 });
      const atFl = traceNormObjective(data, fit.W, { lambda }, fit.intercepts);
      assert.ok(relDiff(atFl, tn.objective) <= 1e-4, `trace-norm objective at featureLearning's W ${atFl} vs refit ${tn.objective}`);
      // and the refit's W is near-optimal for featureLearning
      const flAtTn = featureLearningObjective(data, tn.W, { gamma }, tn.intercepts);
      assert.ok(relDiff(flAtTn, fit.objective) <= 1e-4);
    }
  });

  test("'auto' takes ADMM when the loss prefers residuals (few rows per task) and agrees with FISTA to 1e-8", () => {
    // 2·d·T = 160 > 96 rows: the loss is evaluated from residuals, yet ADMM's d×d systems are cheap
    const { data } = lowRankProblem({ d: 10, T: 8, r: 2, n: 12, seed: 23, noise: 0.2, offset: 0.5 });
    const auto = featureLearning(data, { gamma: 0.05, tol: 1e-11 });
    const admm = featureLearning(data, { gamma: 0.05, tol: 1e-11, solver: 'admm' });
    const fista = featureLearning(data, { gamma: 0.05, tol: 1e-11, solver: 'fista', maxIter: 200000 });
    assert.deepEqual(auto.W.data, admm.W.data);
    assert.equal(auto.iterations, admm.iterations);
    assert.ok(auto.converged && fista.converged, `${auto.status} / ${fista.status}`);
    assert.ok(relDiff(auto.objective, fista.objective) < 1e-8, `${auto.objective} vs ${fista.objective}`);
  });

  test('maxIter exhaustion is reported as converged: false', () => {
    const fit = featureLearning(small.data, { gamma: 0.02, maxIter: 3 });
    assert.equal(fit.converged, false);
    assert.equal(fit.iterations, 3);
    assert.ok(Number.isFinite(fit.objective));
  });

  test('options are validated with the argument name and range', () => {
    assert.throws(() => checkFeatureLearningOptions({ gamma: 0 }), /gamma/);
    assert.throws(() => checkFeatureLearningOptions({ gamma: -1 }), RangeError);
    assert.throws(() => checkFeatureLearningOptions({ gamma: 1, epsilon: 0 }), /epsilon/);
    assert.throws(() => checkFeatureLearningOptions({ gamma: 1, epsilonMin: 1 }), /epsilonMin/);
    assert.throws(() => checkFeatureLearningOptions({ gamma: 1, epsilonDecay: 1 }), /epsilonDecay/);
    assert.throws(() => checkFeatureLearningOptions({ gamma: 1, maxIter: 1.5 }), /maxIter/);
    assert.throws(() => checkFeatureLearningOptions({ gamma: 1, fitIntercept: 'yes' as unknown as boolean }), TypeError);
    assert.throws(() => checkFeatureLearningOptions(null as unknown as { gamma: number }), TypeError);
    const o = checkFeatureLearningOptions({ gamma: 1 });
    assert.deepEqual([o.epsilon, o.epsilonMin, o.lossScale, o.fitIntercept], [1e-3, 1e-8, 'mean', true]);
  });
});
