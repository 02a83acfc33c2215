// Tests of the trace-norm model (src/models/traceNorm.ts): certificates, KKT, λ_max, rank recovery,
// the objective evaluator against mathjs / ml-matrix, closed forms and cross-checks. All data seeded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as math from 'mathjs';
import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { MultiTaskData, groupLasso, type Mat } from '../src/index.js';
import {
  traceNorm, traceNormGap, traceNormLambdaMax, traceNormObjective, type TraceNormFit,
} from '../src/models/traceNorm.js';
import { lossScaleFactor } from '../src/datafits/quadratic.js';
import { lowRankProblem, mlSingularValues, principalCosines, relDiff, toML } from './helpers/lowrankData.js';
import { gaussian, mulberry32 } from './helpers/random.js';
import { negGradient as negGradientData } from './helpers/gradient.js';

/** −∇L(W, b) from the raw data, as a d×T Mat. */
const negGradient = (data: MultiTaskData, W: Mat, b: Float64Array, lossScale: 'sum' | 'mean' | 'task-mean'): Mat =>
  ({ rows: data.d, cols: data.T, data: negGradientData(data, W, b, lossScale) });

/**
 * KKT of min L + λ‖W‖_* + ρ‖W‖²: Z = −∇L − 2ρW must satisfy ‖Z‖₂ ≤ λ and ⟨Z, W⟩ = λ‖W‖_*
 * (Z ∈ λ∂‖W‖_*). Returns the worst violation relative to λ (singular values by ml-matrix).
 */
function kktViolation(data: MultiTaskData, fit: TraceNormFit): number {
  const { lambda, ridge, lossScale } = fit.options;
  const Z = negGradient(data, fit.W, fit.intercepts, lossScale);
  for (let k = 0; k < Z.data.length; k++) Z.data[k]! -= 2 * ridge * fit.W.data[k]!;
  const sZ = mlSingularValues(Z)[0]!;
  const nuc = mlSingularValues(fit.W).reduce((a, b) => a + b, 0);
  let ip = 0;
  for (let k = 0; k < Z.data.length; k++) ip += Z.data[k]! * fit.W.data[k]!;
  return Math.max((sZ - lambda) / lambda, Math.abs(ip - lambda * nuc) / (lambda * Math.max(1, nuc)));
}

const small = () => lowRankProblem({ d: 30, T: 12, r: 2, n: [25, 30, 18, 40, 22, 35, 28, 30, 26, 33, 20, 31], seed: 3, offset: 1 });
const smallShared = () => lowRankProblem({ d: 25, T: 10, r: 2, n: 60, seed: 4, shared: true, offset: -2 });

describe('traceNorm: certificates', () => {
  for (const [name, make] of [['per-task', small], ['shared design', smallShared]] as const) {
    for (const ridge of [0, 0.05]) {
      test(`${name}, ridge = ${ridge}: duality gap ≤ tol·F(0) and KKT`, () => {
        const { data } = make();
        const lmax = traceNormLambdaMax(data);
        const tol = 1e-9;
        const fit = traceNorm(data, { lambda: 0.2 * lmax, ridge, tol });
        assert.ok(fit.converged, 'converged');
        assert.equal(fit.certificateKind, 'duality-gap');
        assert.ok(fit.gap <= tol * fit.objectiveAtZero, `gap ${fit.gap} > ${tol * fit.objectiveAtZero}`);
        assert.ok(fit.gap >= 0);
        const v = kktViolation(data, fit);
        assert.ok(v < 1e-4, `KKT violation ${v}`);
        // the reported objective is the exported evaluator's value
        assert.equal(fit.objective, traceNormObjective(data, fit.W, fit.options, fit.intercepts));
        // the intercepts are optimal: mean residual of each task is 0
        for (let t = 0; t < data.T; t++) {
          const { X, y } = data.task(t);
          const pred = fit.predict(X, t);
          let m = 0;
          for (let i = 0; i < y.length; i++) m += y[i]! - pred[i]!;
          assert.ok(Math.abs(m / y.length) < 1e-8, `task ${t}: mean residual ${m / y.length}`);
        }
      });
    }
  }

  test('the gap is large away from the optimum and its dual is a lower bound', () => {
    const { data } = small();
    const lmax = traceNormLambdaMax(data);
    const opt = traceNorm(data, { lambda: 0.3 * lmax, tol: 1e-10 });
    const early = traceNorm(data, { lambda: 0.3 * lmax, tol: 0, maxIter: 2 });
    assert.equal(early.converged, false);
    assert.equal(early.iterations, 2);
    assert.ok(early.certificate > 1e3 * opt.certificate, `early gap ${early.certificate}, optimal gap ${opt.certificate}`);
    // weak duality: primal(early) − gap(early) ≤ optimal value
    assert.ok(early.objective - early.gap <= opt.objective + 1e-9 * opt.objectiveAtZero);
  });

  test('traceNormGap with ρ > 0: exact line maximisation beats α = 1 and a grid of α', () => {
    const rnd = gaussian(mulberry32(9));
    for (let trial = 0; trial < 20; trial++) {
      const k = 1 + Math.floor(Math.abs(rnd()) * 5);
      const sV = Float64Array.from({ length: k }, () => Math.abs(rnd()) * 3).sort().reverse();
      const B = Math.abs(rnd()) + 0.1, A = rnd() + 1, lambda = Math.abs(rnd()) + 0.1, ridge = Math.abs(rnd()) * 0.5 + 0.01;
      const res = traceNormGap(B, A, sV, 1, 1, lambda, ridge);
      const D = (a: number) => a * A - a * a * B - sV.reduce((s, x) => s + Math.max(a * x - lambda, 0) ** 2, 0) / (4 * ridge);
      assert.ok(Math.abs(res.dual - D(res.alpha)) < 1e-12 * Math.max(1, Math.abs(res.dual)));
      for (let a = 0; a <= 5; a += 0.01) assert.ok(D(a) <= res.dual + 1e-12, `α = ${a}: ${D(a)} > ${res.dual}`);
    }
  });
});

describe('traceNorm: solver behaviour', () => {
  test('FISTA with and without restart reach the same objective (1e-6 relative)', () => {
    const { data } = lowRankProblem({ d: 60, T: 20, r: 3, n: 30, seed: 5 });
    const lambda = 0.15 * traceNormLambdaMax(data);
    const a = traceNorm(data, { lambda, restart: true, tol: 1e-9 });
    const b = traceNorm(data, { lambda, restart: false, tol: 1e-9 });
    assert.ok(a.converged && b.converged);
    assert.ok(relDiff(a.objective, b.objective) < 1e-6, `${a.objective} vs ${b.objective}`);
    assert.equal(a.rank, b.rank);
  });

  for (const solver of ['auto', 'admm'] as const) {
    // 'admm': the warm start also starts its scaled dual (U = −∇f(W₀)/ρ); from U = 0 it took 70 iterations against 50 cold
    test(`warm start reaches the same solution in fewer iterations (solver ${solver})`, () => {
      const { data } = small();
      const lmax = traceNormLambdaMax(data);
      const cold = traceNorm(data, { lambda: 0.1 * lmax, tol: 1e-9, solver });
      const prev = traceNorm(data, { lambda: 0.12 * lmax, tol: 1e-9, solver });
      const warm = traceNorm(data, { lambda: 0.1 * lmax, tol: 1e-9, warmStart: prev.W, solver });
      assert.ok(warm.converged);
      assert.ok(relDiff(cold.objective, warm.objective) < 1e-8);
      assert.ok(warm.iterations <= cold.iterations, `${warm.iterations} > ${cold.iterations}`);
    });
  }

  test('residual and Gram backends: same solution, both certified (per-task, shared, shared with missing)', () => {
    const rnd = mulberry32(77);
    const sh = lowRankProblem({ d: 12, T: 6, r: 2, n: 80, seed: 12, shared: true, offset: 1 }).data;
    const Y: number[][] = [];
    for (let i = 0; i < 80; i++) Y.push(Array.from({ length: 6 }, (_, t) => (rnd() < 0.15 ? NaN : sh.Y![i * 6 + t]!)));
    const masked = MultiTaskData.fromShared(sh.task(0).X, Y);
    const perTask = lowRankProblem({ d: 10, T: 8, r: 2, n: [40, 60, 35, 50, 45, 70, 38, 52], seed: 13, offset: 2 }).data;
    for (const data of [perTask, sh, masked]) {
      for (const ridge of [0, 0.02]) {
        const lambda = 0.15 * traceNormLambdaMax(data);
        const a = traceNorm(data, { lambda, ridge, tol: 1e-10, backend: 'residual' });
        const b = traceNorm(data, { lambda, ridge, tol: 1e-10, backend: 'gram' });
        assert.ok(a.converged && b.converged);
        assert.ok(a.gap <= 1e-10 * a.objectiveAtZero && b.gap <= 1e-10 * b.objectiveAtZero);
        assert.ok(relDiff(a.objective, b.objective) < 1e-9, `${data.kind}: ${a.objective} vs ${b.objective}`);
        assert.ok(kktViolation(data, b) < 1e-4, `KKT (gram) ${kktViolation(data, b)}`);
      }
    }
  });

  test('non-convergence is reported', () => {
    const { data } = small();
    const fit = traceNorm(data, { lambda: 0.01 * traceNormLambdaMax(data), tol: 1e-15, maxIter: 5 });
    assert.equal(fit.converged, false);
    assert.equal(fit.iterations, 5);
    assert.ok(Number.isFinite(fit.objective));
  });

  test('λ = ρ = 0: least squares with the fixed-point residual as certificate', () => {
    const { data } = lowRankProblem({ d: 5, T: 3, r: 1, n: 40, seed: 6 });
    const fit = traceNorm(data, { lambda: 0, tol: 1e-10 });
    assert.equal(fit.certificateKind, 'fixed-point-residual');
    assert.ok(fit.converged);
    assert.ok(Number.isNaN(fit.gap));
    const G = negGradient(data, fit.W, fit.intercepts, 'mean');
    assert.ok(Math.max(...G.data.map(Math.abs)) < 1e-7);
  });
});

describe('traceNorm: λ_max and rank', () => {
  test('W = 0 at λ_max, rank ≥ 1 at 0.99·λ_max', () => {
    for (const make of [small, smallShared]) {
      const { data } = make();
      const lmax = traceNormLambdaMax(data);
      const at = traceNorm(data, { lambda: lmax });
      assert.equal(at.rank, 0);
      assert.ok(at.W.data.every((v) => v === 0), 'W = 0');
      assert.ok(at.converged);
      const below = traceNorm(data, { lambda: 0.99 * lmax, tol: 1e-10 });
      assert.ok(below.rank >= 1, `rank ${below.rank}`);
    }
  });

  test('λ_max is σ_max of the gradient at W = 0 with optimal intercepts (ml-matrix SVD)', () => {
    const { data } = small();
    for (const lossScale of ['sum', 'mean', 'task-mean'] as const) {
      const b0 = Float64Array.from({ length: data.T }, (_, t) => {
        const y = data.task(t).y;
        return y.reduce((a, v) => a + v, 0) / y.length;
      });
      const G = negGradient(data, { rows: data.d, cols: data.T, data: new Float64Array(data.d * data.T) }, b0, lossScale);
      const ref = mlSingularValues(G)[0]!;
      assert.ok(relDiff(traceNormLambdaMax(data, { lossScale }), ref) < 1e-12);
    }
  });

  test('seeded low-rank problem (d = 100, T = 50, rank 3, n = 40 per task): fitted rank is 3', () => {
    const p = lowRankProblem({ d: 100, T: 50, r: 3, n: 40, seed: 1, noise: 0.1 });
    const fit = traceNorm(p.data, { lambda: 0.1 * traceNormLambdaMax(p.data) });
    assert.ok(fit.converged);
    assert.equal(fit.rank, 3);
    assert.equal(fit.singularValues.length, 50);
    assert.ok(fit.singularValues[3]! <= 1e-10 * fit.singularValues[0]!, `σ_4 = ${fit.singularValues[3]}`);
    // the fitted column space is the planted one: top-3 left singular vectors (ml-matrix) vs Θ*
    const U = new SingularValueDecomposition(toML(fit.W)).leftSingularVectors;
    const U3 = U.subMatrix(0, 99, 0, 2).transpose();
    const cos = principalCosines({ rows: 3, cols: 100, data: Float64Array.from(U3.to1DArray()) }, p.Theta);
    assert.ok(cos[2]! > 0.95, `principal cosines ${cos}`);
  });
});

describe('traceNorm: objective evaluator', () => {
  test('equals an independent mathjs computation (nuclear norm by ml-matrix) to 1e-10', () => {
    const rnd = gaussian(mulberry32(21));
    const perTask = lowRankProblem({ d: 6, T: 4, r: 2, n: [7, 9, 5, 8], seed: 8 }).data;
    const X = Array.from({ length: 10 }, () => Array.from({ length: 6 }, () => rnd()));
    const Y = Array.from({ length: 10 }, (_, i) => Array.from({ length: 4 }, (_, t) => ((i + t) % 5 === 0 ? NaN : rnd())));
    const shared = MultiTaskData.fromShared(X, Y);
    for (const data of [perTask, shared]) {
      for (const lossScale of ['sum', 'mean', 'task-mean'] as const) {
        const W: Mat = { rows: 6, cols: 4, data: Float64Array.from({ length: 24 }, () => rnd()) };
        const b = Float64Array.from({ length: 4 }, () => rnd());
        const lambda = 0.7, ridge = 0.3;
        const Wm = math.matrix(Array.from({ length: 6 }, (_, j) => Array.from(W.data.subarray(j * 4, j * 4 + 4))));
        let ref = 0;
        for (let t = 0; t < 4; t++) {
          const { X: Xt, y } = data.task(t);
          const Xm = math.matrix(Array.from({ length: Xt.rows }, (_, i) => Array.from(Xt.data.subarray(i * 6, i * 6 + 6))));
          const pred = math.add(math.multiply(Xm, math.column(Wm, t)), b[t]!) as math.Matrix;
          const r = math.subtract(math.reshape(math.matrix(Array.from(y)), [y.length, 1]), pred) as math.Matrix;
          ref += lossScaleFactor(lossScale, y.length, 4) * Number(math.sum(math.dotPow(r, 2)));
        }
        const nuc = new SingularValueDecomposition(new Matrix(Wm.toArray() as number[][])).diagonal.reduce((a, v) => a + v, 0);
        ref += lambda * nuc + ridge * Number(math.sum(math.dotPow(Wm, 2)));
        const got = traceNormObjective(data, W, { lambda, ridge, lossScale }, b);
        assert.ok(relDiff(got, ref) < 1e-10, `${lossScale}: ${got} vs ${ref}`);
      }
    }
  });

  test('fit.objective equals traceNormObjective on a per-task array input', () => {
    const { data } = small();
    const tasks = Array.from({ length: data.T }, (_, t) => data.task(t));
    const fit = traceNorm(tasks, { lambda: 0.3 * traceNormLambdaMax(tasks), lossScale: 'sum' });
    assert.ok(relDiff(fit.objective, traceNormObjective(data, fit.W, { lambda: fit.options.lambda, lossScale: 'sum' }, fit.intercepts)) < 1e-14);
  });
});

describe('traceNorm: closed forms and cross-checks', () => {
  test('T = 1, orthogonal design: ‖W‖_* = ‖w‖₂ and w = z(1 − λ/‖z‖)₊ with z = Xᵀy/n', () => {
    const n = 40, d = 8;
    const rnd = gaussian(mulberry32(33));
    const G = new Matrix(n, d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) G.set(i, j, rnd());
    const Q = new QrDecomposition(G).orthogonalMatrix.subMatrix(0, n - 1, 0, d - 1).mul(Math.sqrt(n)); // XᵀX = nI
    const y = Float64Array.from({ length: n }, () => rnd());
    const X: Mat = { rows: n, cols: d, data: Float64Array.from(Q.to1DArray()) };
    const data = MultiTaskData.fromTasks([{ X, y }]);
    const z = new Float64Array(d);
    for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) z[j]! += X.data[i * d + j]! * y[i]! / n;
    const zn = Math.hypot(...z);
    assert.ok(relDiff(traceNormLambdaMax(data, { fitIntercept: false }), zn) < 1e-12);
    for (const f of [0.2, 0.6]) {
      const lambda = f * zn;
      const fit = traceNorm(data, { lambda, fitIntercept: false, tol: 1e-13 });
      const shrink = Math.max(0, 1 - lambda / zn);
      for (let j = 0; j < d; j++) assert.ok(Math.abs(fit.W.data[j]! - z[j]! * shrink) < 1e-7, `j = ${j}`);
      assert.equal(fit.rank, 1);
      assert.ok(relDiff(fit.singularValues[0]!, Math.hypot(...fit.W.data)) < 1e-12);
    }
  });

  test('d = 1: ‖W‖_* = ‖w¹‖₂, so traceNorm equals the L1/L2 group lasso (BCD)', () => {
    const rnd = gaussian(mulberry32(44));
    const tasks = [12, 20, 15, 9].map((n) => ({
      X: { rows: n, cols: 1, data: Float64Array.from({ length: n }, () => rnd()) } as Mat,
      y: Float64Array.from({ length: n }, () => rnd() + 0.5),
    }));
    const data = MultiTaskData.fromTasks(tasks);
    const lambda = 0.3 * traceNormLambdaMax(data);
    const a = traceNorm(data, { lambda, ridge: 0.01, tol: 1e-12 });
    const b = groupLasso(data, { lambda, q: 2, ridge: 0.01, tol: 1e-12 });
    assert.ok(relDiff(a.objective, b.objective) < 1e-9, `${a.objective} vs ${b.objective}`);
    for (let t = 0; t < 4; t++) assert.ok(Math.abs(a.W.data[t]! - b.W.data[t]!) < 1e-6);
  });

  test('shared design and its per-task split give the same fit', () => {
    const { data } = smallShared();
    const lambda = 0.2 * traceNormLambdaMax(data);
    const a = traceNorm(data, { lambda, tol: 1e-10 });
    const b = traceNorm(data.toTasks(), { lambda, tol: 1e-10 });
    assert.ok(relDiff(a.objective, b.objective) < 1e-9);
  });
});

describe('traceNorm: validation', () => {
  test('bad options raise errors naming the option', () => {
    const { data } = small();
    assert.throws(() => traceNorm(data, null as never), TypeError);
    assert.throws(() => traceNorm(data, { lambda: -1 }), /lambda/);
    assert.throws(() => traceNorm(data, { lambda: NaN }), /lambda/);
    assert.throws(() => traceNorm(data, { lambda: 1, ridge: -0.1 }), /ridge/);
    assert.throws(() => traceNorm(data, { lambda: 1, lossScale: 'avg' as never }), /lossScale/);
    assert.throws(() => traceNorm(data, { lambda: 1, maxIter: 1.5 }), /maxIter/);
    assert.throws(() => traceNorm(data, { lambda: 1, restart: 'yes' as never }), /restart/);
    assert.throws(() => traceNorm(data, { lambda: 1, backend: 'qr' as never }), /backend/);
    assert.throws(() => traceNorm(data, { lambda: 1, warmStart: { rows: 2, cols: 2, data: new Float64Array(4) } }), /warmStart.*30×12/);
    assert.throws(() => traceNormObjective(data, { rows: 2, cols: 2, data: new Float64Array(4) }, { lambda: 1 }), /W/);
  });
});
