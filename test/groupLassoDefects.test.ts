/**
 * The three BCD defects of issue #11, each as a test that failed before the fix:
 * 1. a warm start with screening off on a design with a zero (or, once centred, constant) column;
 * 2. per-task designs whose column scales differ between tasks (the row step must not use the largest
 *    task's curvature for every task);
 * 3. BCD forced at λ = ρ = 0 (plain least squares) must minimise and certify.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, solve } from 'ml-matrix';
import { MultiTaskData, groupLasso, groupLassoLambdaMax, rowNorm, type GroupLassoFit } from '../src/index.js';
import { sharedProblem, mulberry32, gaussian } from './helpers/random.js';
import { negGradient } from './helpers/gradient.js';

/** Largest KKT violation relative to λ: ‖V_j − 2ρw^j‖_{q*} ≤ λ and ⟨z, w^j⟩ = λ‖w^j‖_q. */
function kktViolation(data: MultiTaskData, fit: GroupLassoFit): number {
  const { d, T } = data;
  const { lambda, q, ridge, lossScale } = fit.options;
  const V = negGradient(data, fit.W, fit.intercepts, lossScale);
  const norm = rowNorm(q, T);
  const z = new Float64Array(T);
  let worst = 0;
  for (let j = 0; j < d; j++) {
    for (let t = 0; t < T; t++) z[t] = V[j * T + t]! - 2 * ridge * fit.W.data[j * T + t]!;
    worst = Math.max(worst, (norm.dualNorm(z, 0, T) - lambda) / lambda);
    let ip = 0;
    for (let t = 0; t < T; t++) ip += z[t]! * fit.W.data[j * T + t]!;
    const wn = norm.norm(fit.W.data, j * T, T);
    worst = Math.max(worst, Math.abs(ip - lambda * wn) / (lambda * Math.max(1, wn)));
  }
  return worst;
}

/** Per-task designs (n_t from 11 to 62) with column scales 10^U(−range, range) drawn per task and feature. */
function scaledPerTask(d: number, T: number, seed: number, range = 1.5): MultiTaskData {
  const u = mulberry32(seed), g = gaussian(mulberry32(seed + 1));
  const B = new Float64Array(d * T);
  for (let j = 0; j < 5; j++) for (let t = 0; t < T; t++) B[j * T + t] = g();
  const tasks = [];
  for (let t = 0; t < T; t++) {
    const n = 11 + Math.floor(52 * u());
    const scale = Float64Array.from({ length: d }, () => Math.pow(10, range * (2 * u() - 1)));
    const X = new Float64Array(n * d), y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const x = g() * scale[j]!;
        X[i * d + j] = x;
        s += x * B[j * T + t]! / scale[j]!;
      }
      y[i] = s + 0.1 * g();
    }
    tasks.push({ X: { rows: n, cols: d, data: X }, y });
  }
  return MultiTaskData.fromTasks(tasks);
}

describe('groupLasso BCD defects (issue #11)', () => {
  for (const fitIntercept of [false, true]) {
    test(`warm start, screening off, ${fitIntercept ? 'constant' : 'zero'} column: the row is cleared and the fit certified`, () => {
      const { data: base } = sharedProblem(60, 12, 4, 3, 21);
      const { n, d, T } = base;
      const X = Float64Array.from(base.X!);
      for (let i = 0; i < n; i++) X[i * d + 5] = fitIntercept ? 3 : 0; // column 5: constant / zero
      const data = MultiTaskData.fromShared({ rows: n, cols: d, data: X }, { rows: n, cols: T, data: base.Y! });
      const lambda = 0.1 * groupLassoLambdaMax(data, { q: 2, fitIntercept });
      const W0 = new Float64Array(d * T);
      for (let t = 0; t < T; t++) W0[5 * T + t] = 1 + t;
      const fit = groupLasso(data, {
        lambda, q: 2, fitIntercept, screening: false, tol: 1e-10, warmStart: { rows: d, cols: T, data: W0 },
      });
      assert.equal(fit.status, 'converged');
      assert.ok(fit.gap <= 1e-10 * fit.objectiveAtZero, `gap ${fit.gap}`);
      for (let t = 0; t < T; t++) assert.equal(fit.W.data[5 * T + t], 0);
      const cold = groupLasso(data, { lambda, q: 2, fitIntercept, tol: 1e-10 });
      assert.ok(Math.abs(fit.objective - cold.objective) <= 1e-9 * fit.objectiveAtZero);
    });
  }

  test('per-task column scales differing between tasks (d = 38, T = 8, q = 1, ridge 0.034, λ = 1e-4·λ_max): BCD converges and agrees with FISTA', () => {
    const data = scaledPerTask(38, 8, 5, 2.5);
    const lambda = 1e-4 * groupLassoLambdaMax(data, { q: 1 });
    const fit = groupLasso(data, { lambda, q: 1, ridge: 0.034, solver: 'bcd' });
    assert.equal(fit.status, 'converged', `BCD stopped after ${fit.iterations} epochs with gap ${fit.gap}`);
    assert.ok(fit.gap <= 1e-6 * fit.objectiveAtZero);
    const ref = groupLasso(data, { lambda, q: 1, ridge: 0.034, solver: 'fista', tol: 1e-8, maxIter: 200000 });
    assert.ok(ref.converged, 'FISTA reference converged');
    // both certified: the objectives differ by at most the sum of the gaps
    assert.ok(Math.abs(fit.objective - ref.objective) <= fit.gap + ref.gap + 1e-12 * fit.objectiveAtZero,
      `BCD ${fit.objective} vs FISTA ${ref.objective}`);
  });

  for (const [q, tol] of [[2, 1e-10], [Infinity, 1e-10], [3, 1e-8]] as const) {
    test(`per-task column scales differing between tasks, q = ${q}: BCD certified at tol ${tol} with KKT`, () => {
      const data = scaledPerTask(20, 6, 9);
      const lambda = 0.01 * groupLassoLambdaMax(data, { q });
      const fit = groupLasso(data, { lambda, q, solver: 'bcd', tol, maxIter: 20000 });
      assert.equal(fit.status, 'converged', `stopped after ${fit.iterations} epochs with gap ${fit.gap / fit.objectiveAtZero}`);
      assert.ok(kktViolation(data, fit) < (tol < 1e-9 ? 1e-5 : 1e-3), `KKT ${kktViolation(data, fit)}`);
    });
  }

  for (const [n, d] of [[80, 15], [20, 40]] as const) {
    test(`solver 'bcd' forced at λ = ρ = 0 minimises least squares (n = ${n}, d = ${d})`, () => {
      const { data } = sharedProblem(n, d, 3, 5, 33);
      const T = 3;
      const fit = groupLasso(data, { lambda: 0, solver: 'bcd', fitIntercept: false, tol: 1e-9, maxIter: 200000 });
      assert.equal(fit.status, 'converged');
      assert.equal(fit.certificateKind, 'fixed-point-residual');
      // F* from the normal equations (n > d) or 0 (d > n: an interpolating solution exists)
      let Fstar = 0;
      if (n > d) {
        const X = new Matrix(n, d), Y = new Matrix(n, T);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < d; j++) X.set(i, j, data.X![i * d + j]!);
          for (let t = 0; t < T; t++) Y.set(i, t, data.Y![i * T + t]!);
        }
        const Wls = solve(X, Y);
        const R = Y.sub(X.mmul(Wls));
        Fstar = R.to1DArray().reduce((a, r) => a + r * r, 0) / (2 * n);
      }
      assert.ok(fit.objective - Fstar <= 1e-7 * fit.objectiveAtZero, `F − F* = ${fit.objective - Fstar}`);
    });
  }
});

describe('groupLasso options', () => {
  test('an unknown or misspelt option key is a RangeError naming the closest valid one', () => {
    const { data } = sharedProblem(20, 5, 2, 2, 1);
    assert.throws(() => groupLasso(data, { lambda: 0.1, lamda: 1 } as never), /unknown option 'lamda'.*lambda/);
    assert.throws(() => groupLasso(data, { lambda: 0.1, screenig: false } as never), /screening/);
  });
});
