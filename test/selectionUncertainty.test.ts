import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { groupLasso, groupLassoLambdaMax } from '../src/models/groupLasso.js';
import { traceNorm } from '../src/models/traceNorm.js';
import { fitWithUncertainty, checkUncertaintyOptions } from '../src/selection/uncertainty.js';
import { evaluateWeights } from '../src/selection/metrics.js';
import { registerModel, defineModel, optionKeys } from '../src/models/table.js';
import { mulberry32, gaussian } from './helpers/random.js';

/** Per-task problem with k shared true rows and task-specific noise levels; a large test set. */
function problem(seed: number, n: number, d: number, k: number, noises: number[]): { train: MultiTaskData; test: MultiTaskData } {
  const g = gaussian(mulberry32(seed));
  const T = noises.length;
  const B = new Float64Array(d * T);
  for (let j = 0; j < k; j++) for (let t = 0; t < T; t++) B[j * T + t] = g();
  const make = (m: number) => noises.map((s, t) => {
    const X = new Float64Array(m * d);
    for (let i = 0; i < X.length; i++) X[i] = g();
    const y = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let v = 0;
      for (let j = 0; j < k; j++) v += X[i * d + j]! * B[j * T + t]!;
      y[i] = v + s * g();
    }
    return { X: { rows: m, cols: d, data: X }, y };
  });
  return { train: MultiTaskData.fromTasks(make(n)), test: MultiTaskData.fromTasks(make(1000)) };
}

describe('fitWithUncertainty', () => {
  test('a task ten times noisier gets a larger σ; the other tasks\' test MSE improves; F is monotone', () => {
    for (const seed of [1, 2, 3]) {
      const { train, test: te } = problem(seed, 40, 30, 5, [5, 0.5, 0.5, 0.5]);
      const lambda = 0.1 * groupLassoLambdaMax(train);
      const uniform = groupLasso(train, { lambda, tol: 1e-9 });
      const u = fitWithUncertainty(train, groupLasso, { lambda, tol: 1e-9 });
      for (let t = 1; t < 4; t++) assert.ok(u.sigma[0]! > 3 * u.sigma[t]!, `σ = ${Array.from(u.sigma)}`);
      const a = evaluateWeights(uniform.W, uniform.intercepts, te).perTask.mse;
      const b = evaluateWeights(u.fit.W, u.fit.intercepts, te).perTask.mse;
      const others = (m: Float64Array) => m[1]! + m[2]! + m[3]!;
      assert.ok(others(b) < others(a), `seed ${seed}: others' test MSE ${others(b)} vs uniform ${others(a)}`);
      for (let i = 1; i < u.history.length; i++) assert.ok(u.history[i]! <= u.history[i - 1]! * (1 + 1e-9) + 1e-12, `F increased at ${i}`);
      assert.ok(u.converged);
      assert.ok(u.objective <= u.history[u.history.length - 1]! + 1e-9);
      // σ is the σ-step optimum at the returned W
      const sse = evaluateWeights(u.fit.W, u.fit.intercepts, train).perTask.sse;
      for (let t = 0; t < 4; t++) assert.ok(Math.abs(u.sigma[t]! - Math.sqrt(sse[t]! / train.taskSizes[t]!)) <= 1e-12 * (1 + u.sigma[t]!));
      assert.equal(u.taskWeights.length, 4);
    }
  });

  test("lossScale 'sum': the objectives.md form Σ SSE/(2σ²) + n log σ + penalty", () => {
    const { train } = problem(4, 30, 10, 3, [2, 0.5]);
    const u = fitWithUncertainty(train, groupLasso, { lambda: 1, lossScale: 'sum', tol: 1e-10 });
    const sse = evaluateWeights(u.fit.W, u.fit.intercepts, train).perTask.sse;
    const fitAtOne = groupLasso(train, { lambda: 1, lossScale: 'sum', warmStart: u.fit.W, maxIter: 0 });
    // penalty = objective − ½ Σ SSE (unit weights)
    const penalty = fitAtOne.objective - 0.5 * (sse[0]! + sse[1]!);
    let F = penalty;
    for (let t = 0; t < 2; t++) F += sse[t]! / (2 * u.sigma[t]! ** 2) + train.taskSizes[t]! * Math.log(u.sigma[t]!);
    assert.ok(Math.abs(F - u.objective) <= 1e-9 * Math.abs(F), `${F} vs ${u.objective}`);
  });

  test('an inner fit that did not converge makes the result converged: false, with the reason', () => {
    const { train } = problem(7, 40, 10, 3, [1, 1, 5]);
    const lambda = 0.05 * groupLassoLambdaMax(train, { q: 2 });
    const u = fitWithUncertainty(train, groupLasso, { lambda, maxIter: 1, tol: 1e-14 });
    assert.equal(u.fit.converged, false);
    assert.equal(u.converged, false);
    assert.ok(u.status === 'inner-not-converged' || u.status === 'max-iterations', u.status);
    const ok = fitWithUncertainty(train, groupLasso, { lambda });
    assert.equal(ok.fit.converged, true);
    assert.equal(ok.converged, ok.status === 'converged');
  });

  test('errors', () => {
    const { train } = problem(5, 10, 3, 1, [1, 1]);
    const unregistered = (d: MultiTaskData, o: { lambda: number }) => groupLasso(d, o);
    assert.throws(() => fitWithUncertainty(train, unregistered, { lambda: 0.1 }), /model: 'unregistered' is not in the model table/);
    assert.throws(() => checkUncertaintyOptions({ maxIter: 0 }), /maxIter: expected an integer ≥ 1/);
    assert.throws(() => checkUncertaintyOptions({ minVarianceRatio: 0 }), /minVarianceRatio: expected a finite number > 0/);
  });

  test('any model: rescaled per-task data give the same fit as task weights, and trace norm learns σ', () => {
    const { train } = problem(12, 40, 10, 3, [1, 1, 10, 1]);
    const lambda = 0.1 * groupLassoLambdaMax(train, { q: 2 });
    // the same group lasso, registered without `taskWeights`, goes through the rescaling path
    type RescaledOptions = { lambda: number; tol?: number };
    const rescaled = (d: MultiTaskData, o: RescaledOptions) => groupLasso(d, o);
    registerModel(defineModel<RescaledOptions, ReturnType<typeof rescaled>>({
      name: 'groupLassoRescaledForTest', cliName: null, summary: 'test', fit: rescaled, pathParam: 'lambda',
      optionKeys: optionKeys<RescaledOptions>({ lambda: true, tol: true }), warmStart: false, taskWeights: false,
    }));
    const a = fitWithUncertainty(train, groupLasso, { lambda, tol: 1e-12 });
    const b = fitWithUncertainty(train, rescaled, { lambda, tol: 1e-12 });
    assert.ok(Math.abs(a.objective - b.objective) <= 1e-8 * Math.abs(a.objective), `${a.objective} vs ${b.objective}`);
    for (let t = 0; t < 4; t++) {
      assert.ok(Math.abs(a.sigma[t]! - b.sigma[t]!) <= 1e-6 * a.sigma[t]!);
      assert.ok(Math.abs(a.fit.intercepts[t]! - b.fit.intercepts[t]!) <= 1e-6 * (1 + Math.abs(a.fit.intercepts[t]!)));
    }
    const tn = fitWithUncertainty(train, traceNorm, { lambda: 0.05 });
    let noisiest = 0;
    for (let t = 1; t < 4; t++) if (tn.sigma[t]! > tn.sigma[noisiest]!) noisiest = t;
    assert.equal(noisiest, 2);
    for (let k = 1; k < tn.history.length; k++) assert.ok(tn.history[k]! <= tn.history[k - 1]! * (1 + 1e-8));
  });
});
