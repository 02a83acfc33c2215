import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as math from 'mathjs';
import { Matrix, QrDecomposition } from 'ml-matrix';
import {
  MultiTaskData, groupLasso, groupLassoLambdaMax, groupLassoObjective, rowNorm, type Mat, type GroupLassoFit,
} from '../src/index.js';
import { sharedProblem, perTaskProblem, mulberry32, gaussian } from './helpers/random.js';
import { loadSchool } from '../bench/schoolData.js';
import { negGradient } from './helpers/gradient.js';

const QS = [1, 1.5, 2, 3, Infinity];

/**
 * KKT for row j with z = V_j − 2ρ w^j: z ∈ λ ∂‖w^j‖_q  ⟺  ‖z‖_{q*} ≤ λ and ⟨z, w^j⟩ = λ‖w^j‖_q.
 * Returns the largest violation relative to λ.
 */
function kktViolation(data: MultiTaskData, fit: GroupLassoFit): number {
  const { d, T } = data;
  const { lambda, q, ridge, lossScale } = fit.options;
  const V = negGradient(data, fit.W, fit.intercepts, lossScale);
  const norm = rowNorm(q, T);
  const z = new Float64Array(T);
  let worst = 0;
  for (let j = 0; j < d; j++) {
    for (let t = 0; t < T; t++) z[t] = V[j * T + t]! - 2 * ridge * fit.W.data[j * T + t]!;
    const dual = norm.dualNorm(z, 0, T);
    worst = Math.max(worst, (dual - lambda) / lambda);
    let ip = 0;
    for (let t = 0; t < T; t++) ip += z[t]! * fit.W.data[j * T + t]!;
    const wn = norm.norm(fit.W.data, j * T, T);
    worst = Math.max(worst, Math.abs(ip - lambda * wn) / (lambda * Math.max(1, wn)));
  }
  return worst;
}

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1e-300, Math.abs(a), Math.abs(b));
}

describe('groupLasso: optimality certificates', () => {
  for (const q of QS) {
    test(`q = ${q}: duality gap ≤ tol and KKT row by row (shared design)`, () => {
      const { data } = sharedProblem(80, 30, 6, 4, 11, 1, 2);
      const lmax = groupLassoLambdaMax(data, { q });
      const fit = groupLasso(data, { lambda: 0.1 * lmax, q, tol: 1e-10 });
      assert.ok(fit.converged, 'converged');
      assert.ok(fit.gap <= 1e-10 * fit.objectiveAtZero, `gap ${fit.gap}`);
      assert.ok(kktViolation(data, fit) < 1e-7, `KKT violation ${kktViolation(data, fit)}`);
    });
  }
  test('ridge > 0: gap certificate and KKT', () => {
    const { data } = perTaskProblem([30, 45, 25], 20, 3, 5);
    const lmax = groupLassoLambdaMax(data, { q: 2 });
    for (const solver of ['bcd', 'fista'] as const) {
      const fit = groupLasso(data, { lambda: 0.2 * lmax, q: 2, ridge: 0.05, tol: 1e-14, solver, maxIter: 100000 });
      assert.ok(fit.converged);
      assert.ok(kktViolation(data, fit) < 1e-7, `${solver} KKT ${kktViolation(data, fit)}`);
    }
  });
});

describe('groupLasso: FISTA and BCD agree', () => {
  const problems = [
    { name: 'shared', make: () => sharedProblem(60, 25, 5, 3, 1).data },
    { name: 'per-task', make: () => perTaskProblem([20, 35, 50, 28], 40, 5, 2).data },
    { name: 'shared n<d', make: () => sharedProblem(30, 60, 4, 5, 3).data },
  ];
  for (const p of problems) {
    for (const q of QS) {
      test(`${p.name}, q = ${q}, lossScale mean/sum`, () => {
        const data = p.make();
        for (const lossScale of ['mean', 'sum'] as const) {
          const lmax = groupLassoLambdaMax(data, { q, lossScale });
          const a = groupLasso(data, { lambda: 0.05 * lmax, q, lossScale, solver: 'bcd', tol: 1e-9 });
          const b = groupLasso(data, { lambda: 0.05 * lmax, q, lossScale, solver: 'fista', tol: 1e-9, maxIter: 50000 });
          assert.ok(a.converged && b.converged, `converged bcd=${a.converged} fista=${b.converged}`);
          assert.ok(relDiff(a.objective, b.objective) < 1e-6, `objectives ${a.objective} vs ${b.objective}`);
        }
      });
    }
  }
});

describe('groupLasso: closed-form cases', () => {
  test('W = 0 at λ_max and W ≠ 0 at 0.99·λ_max, every q and loss scale', () => {
    const { data } = perTaskProblem([25, 30, 40], 15, 3, 9);
    for (const q of QS) {
      for (const lossScale of ['mean', 'sum', 'task-mean'] as const) {
        const lmax = groupLassoLambdaMax(data, { q, lossScale });
        const at = groupLasso(data, { lambda: lmax, q, lossScale, tol: 1e-10 });
        assert.equal(at.nonzeroRows, 0, `q=${q} ${lossScale}: W must be 0 at λ_max`);
        const below = groupLasso(data, { lambda: 0.99 * lmax, q, lossScale, tol: 1e-10 });
        assert.ok(below.nonzeroRows > 0, `q=${q} ${lossScale}: W must be non-zero at 0.99 λ_max`);
      }
    }
  });

  test('orthogonal design: exact block soft-thresholding (q = 2) and soft-thresholding (q = 1)', () => {
    const n = 64, d = 8, T = 5;
    const g = gaussian(mulberry32(4));
    const A = new Matrix(n, d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) A.set(i, j, g());
    const Q = new QrDecomposition(A).orthogonalMatrix; // n×n, first d columns orthonormal
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X[i * d + j] = Math.sqrt(n) * Q.get(i, j); // XᵀX = n I
    const Y = new Float64Array(n * T);
    for (let k = 0; k < Y.length; k++) Y[k] = 3 * g();
    const data = MultiTaskData.fromShared({ rows: n, cols: d, data: X }, { rows: n, cols: T, data: Y });
    // 'mean' loss: ½‖W − Z‖² + const with Z = XᵀY / n
    const Z = new Float64Array(d * T);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) Z[j * T + t]! += (X[i * d + j]! * Y[i * T + t]!) / n;
    const lambda = 0.7;
    const fit2 = groupLasso(data, { lambda, q: 2, fitIntercept: false, tol: 1e-14 });
    for (let j = 0; j < d; j++) {
      let nz = 0;
      for (let t = 0; t < T; t++) nz += Z[j * T + t]! ** 2;
      const shrink = Math.max(0, 1 - lambda / Math.sqrt(nz));
      for (let t = 0; t < T; t++) assert.ok(Math.abs(fit2.W.data[j * T + t]! - shrink * Z[j * T + t]!) < 1e-9);
    }
    const fit1 = groupLasso(data, { lambda, q: 1, fitIntercept: false, tol: 1e-14 });
    for (let k = 0; k < d * T; k++) {
      const z = Z[k]!;
      const expect = Math.sign(z) * Math.max(0, Math.abs(z) - lambda);
      assert.ok(Math.abs(fit1.W.data[k]! - expect) < 1e-9);
    }
  });
});

describe('groupLasso: data layouts', () => {
  test('shared X with NaN in Y equals per-task data from the observed rows', () => {
    const { data } = sharedProblem(70, 20, 4, 3, 21, 1, 1);
    const Y = Float64Array.from(data.Y!);
    const rand = mulberry32(3);
    for (let k = 0; k < Y.length; k++) if (rand() < 0.3) Y[k] = NaN;
    const masked = MultiTaskData.fromShared({ rows: 70, cols: 20, data: data.X! }, { rows: 70, cols: 4, data: Y });
    const perTask = masked.toTasks();
    for (const q of [1, 2]) {
      for (const fitIntercept of [true, false]) {
        const lmax = groupLassoLambdaMax(masked, { q, fitIntercept });
        assert.ok(relDiff(lmax, groupLassoLambdaMax(perTask, { q, fitIntercept })) < 1e-12);
        const a = groupLasso(masked, { lambda: 0.1 * lmax, q, fitIntercept, tol: 1e-12 });
        const b = groupLasso(perTask, { lambda: 0.1 * lmax, q, fitIntercept, tol: 1e-12 });
        assert.ok(relDiff(a.objective, b.objective) < 1e-9, `${a.objective} vs ${b.objective}`);
        // the masked objective equals the per-task objective at the same W
        const pa = groupLassoObjective(masked, a.W, { lambda: 0.1 * lmax, q }, a.intercepts);
        const pb = groupLassoObjective(perTask, a.W, { lambda: 0.1 * lmax, q }, a.intercepts);
        assert.ok(relDiff(pa, pb) < 1e-13);
        for (let k = 0; k < a.W.data.length; k++) assert.ok(Math.abs(a.W.data[k]! - b.W.data[k]!) < 1e-5);
      }
    }
  });

  test('shared X equals per-task data with X replicated', () => {
    const { data } = sharedProblem(50, 15, 3, 3, 8);
    const perTask = data.toTasks();
    const lmax = groupLassoLambdaMax(data);
    const a = groupLasso(data, { lambda: 0.05 * lmax, tol: 1e-12 });
    const b = groupLasso(perTask, { lambda: 0.05 * lmax, tol: 1e-12 });
    assert.ok(relDiff(a.objective, b.objective) < 1e-10);
    for (let t = 0; t < 3; t++) assert.ok(Math.abs(a.intercepts[t]! - b.intercepts[t]!) < 1e-6);
  });

  test('warm start reaches the same solution as a cold start', () => {
    const { data } = perTaskProblem([40, 40, 40, 40], 30, 4, 13);
    for (const solver of ['bcd', 'fista'] as const) {
      const lmax = groupLassoLambdaMax(data);
      const cold = groupLasso(data, { lambda: 0.1 * lmax, solver, tol: 1e-11 });
      const other = groupLasso(data, { lambda: 0.3 * lmax, solver, tol: 1e-11 });
      const warm = groupLasso(data, { lambda: 0.1 * lmax, solver, tol: 1e-11, warmStart: other.W });
      assert.ok(relDiff(cold.objective, warm.objective) < 1e-9);
      for (let k = 0; k < cold.W.data.length; k++) assert.ok(Math.abs(cold.W.data[k]! - warm.W.data[k]!) < 1e-4);
    }
  });
});

describe('groupLasso: objective evaluator', () => {
  test('agrees with an independent mathjs computation', () => {
    const { data } = perTaskProblem([7, 9, 5], 4, 2, 17);
    const g = gaussian(mulberry32(99));
    const W: Mat = { rows: 4, cols: 3, data: Float64Array.from({ length: 12 }, () => g()) };
    const b = [0.3, -1.2, 2];
    for (const q of [1, 2, 3, Infinity]) {
      for (const lossScale of ['sum', 'mean', 'task-mean'] as const) {
        const lambda = 0.37, ridge = 0.11;
        const ours = groupLassoObjective(data, W, { lambda, q, ridge, lossScale }, b);
        let ref = 0;
        const Wm = math.matrix(Array.from({ length: 4 }, (_, j) => Array.from(W.data.subarray(j * 3, j * 3 + 3))));
        for (let t = 0; t < 3; t++) {
          const { X, y } = data.task(t);
          const Xm = math.matrix(Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * 4, i * 4 + 4))));
          const wt = math.column(Wm, t);
          const pred = math.add(math.multiply(Xm, wt), b[t]!) as math.Matrix;
          const r = math.subtract(math.reshape(math.matrix(Array.from(y)), [y.length, 1]), pred) as math.Matrix;
          const sse = Number(math.sum(math.dotPow(r, 2)));
          const s = lossScale === 'sum' ? 0.5 : lossScale === 'mean' ? 1 / (2 * y.length) : 1 / (3 * y.length);
          ref += s * sse;
        }
        for (let j = 0; j < 4; j++) {
          const row = math.row(Wm, j);
          ref += lambda * Number(math.norm(math.flatten(row) as math.Matrix, q === Infinity ? 'inf' : q));
        }
        ref += ridge * Number(math.sum(math.dotPow(Wm, 2)));
        assert.ok(relDiff(ours, ref) < 1e-12, `q=${q} ${lossScale}: ${ours} vs ${ref}`);
      }
    }
  });

  test('the fit reports the evaluator value at its W and intercepts', () => {
    const { data } = perTaskProblem([20, 30], 10, 2, 6);
    const fit = groupLasso(data, { lambda: 0.05, q: 2 });
    assert.equal(fit.objective, groupLassoObjective(data, fit.W, { lambda: 0.05, q: 2 }, fit.intercepts));
  });
});

describe('groupLasso: inputs and validation', () => {
  test('inputs are unchanged after a fit (byte for byte)', () => {
    const X = [[1, 2, 0.5], [0, 1, 2], [3, 1, 1], [2, 2, 2], [1, 0, 1]];
    const y = [1, 2, 3, 4, 5];
    const Xf = new Float64Array([1, 0, 2, 1, 0, 3, 1, 1, 2, 0, 1, 1]);
    const yf = new Float64Array([1, -1, 0, 2]);
    const Xcopy = JSON.stringify(X), ycopy = JSON.stringify(y);
    const Xfcopy = Float64Array.from(Xf), yfcopy = Float64Array.from(yf);
    const data = MultiTaskData.fromTasks([{ X, y }, { X: { rows: 4, cols: 3, data: Xf }, y: yf }]);
    const warm: Mat = { rows: 3, cols: 2, data: new Float64Array([0.1, 0.2, 0, 0, 0.3, 0.1]) };
    const warmCopy = Float64Array.from(warm.data);
    groupLasso(data, { lambda: 0.01, warmStart: warm });
    groupLasso(data, { lambda: 0.01, warmStart: warm, solver: 'fista' });
    assert.equal(JSON.stringify(X), Xcopy);
    assert.equal(JSON.stringify(y), ycopy);
    assert.deepEqual(Buffer.from(Xf.buffer), Buffer.from(Xfcopy.buffer));
    assert.deepEqual(Buffer.from(yf.buffer), Buffer.from(yfcopy.buffer));
    assert.deepEqual(Buffer.from(warm.data.buffer), Buffer.from(warmCopy.buffer));
  });

  test('each validation error is raised with its message', () => {
    const ok = { X: [[1, 2], [3, 4]], y: [1, 2] };
    assert.throws(() => MultiTaskData.fromTasks([]), { name: 'RangeError', message: /at least one task/ });
    assert.throws(() => MultiTaskData.fromTasks([ok, { X: [[1, 2, 3]], y: [1] }]), { name: 'RangeError', message: /tasks\[1\]\.X: task 1 has 1×3, expected 1×2/ });
    assert.throws(() => MultiTaskData.fromTasks([ok, { X: [[1, 2]], y: [1, 2] }]), { name: 'RangeError', message: /task 1 has X 1×2 but y of length 2; expected length 1/ });
    assert.throws(() => MultiTaskData.fromTasks([ok, { X: [[1, NaN]], y: [1] }]), { name: 'RangeError', message: /task 1.*NaN/ });
    assert.throws(() => MultiTaskData.fromTasks([ok, { X: [[1, Infinity]], y: [1] }]), { name: 'RangeError', message: /Infinity/ });
    assert.throws(() => MultiTaskData.fromTasks([ok, { X: [[1, 2]], y: [NaN] }]), { name: 'RangeError', message: /tasks\[1\]\.y: task 1, entry 0 is NaN/ });
    assert.throws(() => MultiTaskData.fromTasks([ok, { X: [], y: [] }]), { name: 'RangeError', message: /task 1 is empty/ });
    assert.throws(() => MultiTaskData.fromTasks([{ X: [[]], y: [1] }]), { name: 'RangeError', message: /0 features/ });
    assert.throws(() => MultiTaskData.fromTasks([ok, { X: [[1, 2], [3]], y: [1, 2] }]), { name: 'TypeError', message: /row 1 has 1 entries, expected 2/ });
    assert.throws(() => MultiTaskData.fromShared([[1, 2], [3, 4]], [[1, NaN], [2, NaN]]), { name: 'RangeError', message: /column 1 \(task 1\) has no observed value/ });
    assert.throws(() => MultiTaskData.fromShared([[1, 2], [3, 4]], [[1], [2], [3]]), { name: 'RangeError', message: /Y: has 3×1, expected 2×1/ });
    assert.throws(() => MultiTaskData.fromShared([[1, 2], [3, 4]], [[1, Infinity], [2, 1]]), { name: 'RangeError', message: /task 1\) is Infinity/ });
    assert.throws(() => MultiTaskData.fromShared({ rows: 0, cols: 2, data: new Float64Array(0) }, [] as number[]), { name: 'RangeError', message: /X: 0 rows/ });
    const data = MultiTaskData.fromTasks([ok, ok]);
    assert.throws(() => groupLasso(data, { lambda: -1 }), { name: 'RangeError', message: /lambda: expected a finite number ≥ 0, got -1/ });
    assert.throws(() => groupLasso(data, { lambda: 1, q: 0.5 }), { name: 'RangeError', message: /q: expected a number ≥ 1, got 0.5/ });
    assert.throws(() => groupLasso(data, { lambda: 1, lossScale: 'avg' as never }), { name: 'RangeError', message: /lossScale/ });
    assert.throws(() => groupLasso(data, { lambda: 1, solver: 'newton' as never }), { name: 'RangeError', message: /solver/ });
    assert.throws(() => groupLasso(data, { lambda: 1, warmStart: { rows: 2, cols: 3, data: new Float64Array(6) } }), { name: 'RangeError', message: /warmStart: expected a d×T = 2×2 matrix, got 2×3/ });
    assert.throws(() => groupLasso(data, { lambda: 1, maxIter: 1.5 }), { name: 'RangeError', message: /maxIter/ });
    const fit = groupLasso(data, { lambda: 0.01 });
    assert.throws(() => fit.predict([[1, 2, 3]], 0), { name: 'RangeError', message: /X: has 1×3, expected 1×2/ });
    assert.throws(() => fit.predict([[1, 2]], 2), { name: 'RangeError', message: /task: expected an integer in \[0, 2\)/ });
  });

  test('maxIter reached: converged = false with the final gap reported', () => {
    const { data } = sharedProblem(60, 40, 5, 6, 31);
    for (const solver of ['bcd', 'fista'] as const) {
      const fit = groupLasso(data, { lambda: 0.01 * groupLassoLambdaMax(data), solver, maxIter: 2, tol: 1e-14 });
      assert.equal(fit.converged, false);
      assert.ok(fit.gap > 1e-14 * fit.objectiveAtZero && Number.isFinite(fit.gap));
      assert.ok(fit.iterations <= 2);
    }
  });

  test('predict returns X w_t + b_t', () => {
    const { data } = perTaskProblem([30, 30], 5, 2, 41);
    const fit = groupLasso(data, { lambda: 0.01 });
    const { X } = data.task(1);
    const p = fit.predict(X, 1);
    for (let i = 0; i < X.rows; i++) {
      let s = fit.intercepts[1]!;
      for (let j = 0; j < 5; j++) s += X.data[i * 5 + j]! * fit.W.data[j * 2 + 1]!;
      assert.ok(Math.abs(p[i]! - s) < 1e-12);
    }
  });
});

describe('groupLasso: School data', () => {
  const school = loadSchool();
  test('fits the 139 School tasks with a certificate', { skip: school ? false : 'school.csv not found (../shared/data/school/school.csv)' }, () => {
    const data = school!;
    assert.equal(data.T, 139);
    for (const q of [2, 1]) {
      const lmax = groupLassoLambdaMax(data, { q });
      const fit = groupLasso(data, { lambda: 0.1 * lmax, q, tol: 1e-6 });
      assert.ok(fit.converged, `q=${q} converged`);
      assert.ok(fit.gap <= 1e-6 * fit.objectiveAtZero, `q=${q} gap ${fit.gap}`);
      assert.ok(kktViolation(data, fit) < 1e-2, `q=${q} KKT ${kktViolation(data, fit)}`);
    }
  });
});

describe('groupLasso: prepared-data cache', () => {
  test('fits sharing a data object equal fits on fresh copies, whatever the order of options', () => {
    const { data } = sharedProblem(300, 60, 5, 4, 61, 1, 1);
    const copy = () => MultiTaskData.fromShared({ rows: 300, cols: 60, data: data.X! }, { rows: 300, cols: 5, data: data.Y! });
    const lmax = groupLassoLambdaMax(data);
    const seq = [
      { lambda: 0.5 * lmax }, { lambda: 0.05 * lmax, fitIntercept: false }, { lambda: 0.02 * lmax, q: 1 },
      { lambda: 0.05 * lmax, lossScale: 'sum' as const }, { lambda: 0.01 * lmax }, { lambda: 0.3 * lmax },
    ];
    for (const o of seq) {
      const shared = groupLasso(data, { ...o, tol: 1e-12 });
      const fresh = groupLasso(copy(), { ...o, tol: 1e-12 });
      assert.ok(relDiff(shared.objective, fresh.objective) < 1e-10, `${JSON.stringify(o)}: ${shared.objective} vs ${fresh.objective}`);
      assert.equal(shared.nonzeroRows, fresh.nonzeroRows);
    }
  });
});
