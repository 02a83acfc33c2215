import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { groupLasso } from '../src/models/groupLasso.js';
import { traceNorm } from '../src/models/traceNorm.js';
import { rowNorm } from '../src/penalties/index.js';
import { path, checkPathOptions, selectColumns } from '../src/selection/path.js';
import { registerModel, defineModel, optionKeys, modelOf, findModel } from '../src/models/table.js';
import type { Mat } from '../src/types.js';
import { groupLassoStrongRule } from '../src/models/groupLassoStrongRule.js';
import type { GroupLassoOptions } from '../src/models/groupLasso.js';
import { sharedProblem, perTaskProblem, mulberry32, gaussian } from './helpers/random.js';

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

/** ‖∇_j L(W)‖_{q*} for every row, straight from a fresh loss. */
function gradRowNorms(data: MultiTaskData, W: Float64Array, q: number): Float64Array {
  const loss = new QuadraticLoss(data, {});
  const R = new Float64Array(loss.residualSize);
  const V = new Float64Array(data.d * data.T);
  loss.residual(W, R);
  loss.correlation(R, V);
  const norm = rowNorm(q, data.T);
  const out = new Float64Array(data.d);
  for (let j = 0; j < data.d; j++) out[j] = norm.dualNorm(V, j * data.T, data.T);
  return out;
}

function missing(data: MultiTaskData, frac: number): MultiTaskData {
  const Y = Float64Array.from(data.Y!);
  for (let k = 0; k < Y.length; k++) if (((k * 7919) % 101) / 101 < frac) Y[k] = NaN;
  return MultiTaskData.fromShared({ rows: data.n, cols: data.d, data: data.X! }, { rows: data.n, cols: data.T, data: Y });
}

describe('path (group lasso)', () => {
  const cases: [string, MultiTaskData, number][] = [
    ['shared, q = 2', sharedProblem(80, 40, 4, 5, 1).data, 2],
    ['shared with NaN, q = ∞', missing(sharedProblem(80, 30, 3, 4, 2).data, 0.2), Infinity],
    ['per-task, q = 2', perTaskProblem([30, 50, 40], 25, 4, 3).data, 2],
  ];
  for (const [name, data, q] of cases) {
    test(`${name}: W = 0 at λ_max, warm path equals cold fits, KKT holds on every row`, () => {
      const p = path(data, groupLasso, { nLambdas: 15, lambdaMinRatio: 0.02, strongRules: true }, { q, tol: 1e-10 });
      assert.equal(p.points.length, 15);
      assert.equal(p.paramName, 'lambda');
      assert.equal(p.model, 'groupLasso');
      assert.equal(p.points[0]!.lambda, p.lambdaMax);
      assert.equal(p.points[0]!.nonzeroRows, 0);
      assert.ok(p.points[0]!.W.data.every((v) => v === 0));
      assert.ok(p.points[p.points.length - 1]!.nonzeroRows > 0);
      let discarded = 0;
      for (const pt of p.points) {
        const cold = groupLasso(data, { lambda: pt.lambda, q, tol: 1e-10 });
        assert.ok(relDiff(pt.objective, cold.objective) <= 1e-7, `λ=${pt.lambda}: ${pt.objective} vs ${cold.objective}`);
        assert.ok(pt.converged);
        assert.ok(pt.certificate <= 1e-9 * cold.objectiveAtZero + 1e-14, `gap ${pt.certificate}`);
        // KKT of the full problem: every zero row has ‖∇_j L‖_{q*} ≤ λ (up to the solver tolerance)
        const g = gradRowNorms(data, pt.W.data, q);
        for (let j = 0; j < data.d; j++) {
          let zero = true;
          for (let t = 0; t < data.T; t++) if (pt.W.data[j * data.T + t] !== 0) zero = false;
          if (zero) assert.ok(g[j]! <= pt.lambda * (1 + 1e-4), `row ${j} zero but ‖∇_j‖ = ${g[j]} > λ = ${pt.lambda}`);
        }
        // rows that are clearly non-zero in the cold fit are non-zero on the path (never wrongly discarded)
        const T = data.T;
        for (let j = 0; j < data.d; j++) {
          let n2 = 0;
          for (let t = 0; t < T; t++) n2 += cold.W.data[j * T + t]! ** 2;
          if (Math.sqrt(n2) > 1e-6) {
            let m2 = 0;
            for (let t = 0; t < T; t++) m2 += pt.W.data[j * T + t]! ** 2;
            assert.ok(m2 > 0, `row ${j} non-zero at the solution but zero on the path at λ=${pt.lambda}`);
          }
        }
        discarded += pt.discarded;
        assert.equal(pt.fits > 1, pt.kktViolations > 0);
      }
      assert.ok(discarded > 0, 'the strong rule discarded nothing');
    });
  }

  test('strong-rule check: Gram form (shared, no missing) equals the residual form (per-task layout)', () => {
    const { data } = sharedProblem(70, 25, 4, 5, 21);
    const rule = groupLassoStrongRule;
    for (const opts of [{}, { ridge: 0.05, q: 3 }, { lossScale: 'sum', fitIntercept: false }] as Omit<GroupLassoOptions, 'lambda'>[]) {
      const a = rule.prepare(data, opts), b = rule.prepare(data.toTasks(), opts);
      const fit = groupLasso(data, { lambda: 0.05, ...opts });
      for (const W of [new Float64Array(25 * 4), fit.W.data]) {
        const sa = new Float64Array(25), sb = new Float64Array(25);
        const ga = a.check(W, 0.05, sa), gb = b.check(W, 0.05, sb);
        for (let j = 0; j < 25; j++) assert.ok(Math.abs(sa[j]! - sb[j]!) <= 1e-10 * (1 + sb[j]!), `score ${j}: ${sa[j]} vs ${sb[j]}`);
        assert.ok(Math.abs(ga - gb) <= 1e-10 * (1 + fit.objectiveAtZero), `gap ${ga} vs ${gb}`);
      }
    }
  });

  test('strong rules are opt-in (off by default: the default path discards nothing)', () => {
    const { data } = sharedProblem(60, 30, 3, 4, 5);
    const p = path(data, groupLasso, { nLambdas: 10, lambdaMinRatio: 0.05 }, { tol: 1e-10 });
    assert.equal(p.options.strongRules, false);
    assert.ok(p.points.every((pt) => pt.discarded === 0 && pt.fits === 1));
  });

  test('strong rules on and off give the same path', () => {
    const { data } = sharedProblem(60, 30, 3, 4, 5);
    const a = path(data, groupLasso, { nLambdas: 10, lambdaMinRatio: 0.05, strongRules: true }, { tol: 1e-10 });
    const b = path(data, groupLasso, { nLambdas: 10, lambdaMinRatio: 0.05, strongRules: false }, { tol: 1e-10 });
    for (let k = 0; k < 10; k++) {
      assert.ok(relDiff(a.points[k]!.objective, b.points[k]!.objective) <= 1e-8);
      assert.equal(b.points[k]!.discarded, 0);
    }
  });

  test('a strong-rule violation is re-added and refitted (correlated design)', () => {
    // correlated features make ‖∇_j L‖ move faster than slope 1 in λ, which the strong rule assumes;
    // this seeded problem has one violation along the path
    const g = gaussian(mulberry32(31));
    const n = 20, d = 10, T = 2;
    const z = Array.from({ length: n }, () => g());
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X[i * d + j] = z[i]! * (j < 5 ? 1 : -1) * 0.9 + g() * 0.5;
    const Y = new Float64Array(n * T);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < T; t++) Y[i * T + t] = 3 * X[i * d]! * (t ? 1 : -1) - 2 * X[i * d + 6]! + 2 * X[i * d + 3]! + 0.3 * g();
    }
    const data = MultiTaskData.fromShared({ rows: n, cols: d, data: X }, { rows: n, cols: T, data: Y });
    const p = path(data, groupLasso, { nLambdas: 30, lambdaMinRatio: 0.001, strongRules: true }, { tol: 1e-10 });
    let violations = 0;
    for (const pt of p.points) {
      violations += pt.kktViolations;
      assert.equal(pt.fits > 1, pt.kktViolations > 0);
      const cold = groupLasso(data, { lambda: pt.lambda, tol: 1e-10 });
      assert.ok(relDiff(pt.objective, cold.objective) <= 1e-7);
      assert.equal(pt.nonzeroRows, cold.nonzeroRows);
    }
    assert.ok(violations >= 1, 'expected at least one KKT violation on this problem');
  });
});

describe('path (trace norm) and options', () => {
  test('trace norm: rank 0 at λ_max, warm path equals cold fits', () => {
    const { data } = sharedProblem(50, 10, 5, 3, 4);
    const p = path(data, traceNorm, { nLambdas: 6, lambdaMinRatio: 0.05 }, { tol: 1e-10 });
    assert.equal(p.points[0]!.rank, 0);
    assert.ok(p.points[5]!.rank! > 0);
    for (const pt of p.points) {
      const cold = traceNorm(data, { lambda: pt.lambda, tol: 1e-10 });
      assert.ok(relDiff(pt.objective, cold.objective) <= 1e-7, `${pt.objective} vs ${cold.objective}`);
      assert.equal(pt.discarded, 0);
    }
  });

  test('model table', () => {
    assert.equal(modelOf(groupLasso)?.pathParam, 'lambda');
    assert.equal(findModel('traceNorm').fit, traceNorm);
    assert.equal(findModel('trace-norm').fit, traceNorm);
    assert.throws(() => findModel('nope'), /no model named 'nope'/);
    interface AlphaOptions { alpha: number; warmStart?: Mat | null }
    const custom = (d: MultiTaskData, o: AlphaOptions) => groupLasso(d, { lambda: o.alpha, ...(o.warmStart ? { warmStart: o.warmStart } : {}) });
    registerModel(defineModel<AlphaOptions, ReturnType<typeof custom>>({
      name: 'customAlpha', cliName: null, summary: 'test', fit: custom, pathParam: 'alpha',
      optionKeys: optionKeys<AlphaOptions>({ alpha: true, warmStart: true }), warmStart: true, taskWeights: false,
    }));
    const { data } = sharedProblem(30, 8, 2, 2, 6);
    const p = path(data, custom, { lambdas: [0.5, 0.1, 0.01] });
    assert.equal(p.paramName, 'alpha');
    assert.equal(p.points.length, 3);
    assert.throws(() => path(data, custom, { nLambdas: 3 }), /no λ_max for alpha/);
    assert.throws(() => registerModel({ ...findModel('traceNorm'), name: 'customAlpha' }), /already registered/);
  });

  test('checkPathOptions', () => {
    const o = checkPathOptions({ nLambdas: 3, lambdaMinRatio: 0.01 }, 2);
    assert.deepEqual(Array.from(o.lambdas).map((v) => +v.toPrecision(12)), [2, 0.2, 0.02]);
    assert.equal(checkPathOptions({}, 1).nLambdas, 100);
    assert.throws(() => checkPathOptions({ nLambdas: 0 }, 1), /nLambdas: expected an integer ≥ 1/);
    assert.throws(() => checkPathOptions({ lambdaMinRatio: 2 }, 1), /lambdaMinRatio: expected a number in \(0, 1\]/);
    assert.throws(() => checkPathOptions({ lambdas: [1, 2] }, 1), /lambdas: expected strictly decreasing/);
    assert.throws(() => checkPathOptions({ lambdas: [-1] }, 1), /lambdas: entry 0/);
    assert.throws(() => path(sharedProblem(10, 3, 2, 1, 1).data, 42 as never), /model: expected an exported model function/);
  });

  test('selectColumns keeps the chosen columns and the missing responses', () => {
    const data = missing(sharedProblem(20, 5, 2, 2, 8).data, 0.3);
    const sub = selectColumns(data, Int32Array.from([1, 4]), 2);
    assert.equal(sub.d, 2);
    assert.deepEqual(Array.from(sub.taskSizes), Array.from(data.taskSizes));
    assert.equal(sub.X![3 * 2 + 1], data.X![3 * 5 + 4]);
  });
});
