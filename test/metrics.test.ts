import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { groupLasso } from '../src/models/groupLasso.js';
import { metrics, evaluate, metricLargerIsBetter, type Predictor } from '../src/selection/metrics.js';
import { sharedProblem } from './helpers/random.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

describe('metrics', () => {
  test('hand-computed values with a missing response', () => {
    // task 0: y = [1, 2, NaN], ŷ = [1, 3, 7] → SSE 1, n 2, ȳ 1.5, SST 0.5
    // task 1: y = [0, 4],      ŷ = [1, 2]    → SSE 5, n 2, ȳ 2,   SST 8
    const m = metrics([[1, 2, NaN], [0, 4]], [[1, 3, 7], [1, 2]]);
    assert.deepEqual(Array.from(m.perTask.n), [2, 2]);
    close(m.perTask.mse[0]!, 0.5); close(m.perTask.mse[1]!, 2.5);
    close(m.perTask.rmse[1]!, Math.sqrt(2.5));
    close(m.perTask.nmse[0]!, 0.5 / 0.25); close(m.perTask.nmse[1]!, 2.5 / 4);
    close(m.perTask.explainedVariance[0]!, -1); close(m.perTask.explainedVariance[1]!, 0.375);
    close(m.perTask.r2[0]!, 1 - 1 / 0.5); close(m.perTask.r2[1]!, 1 - 5 / 8);
    close(m.pooled.mse, 6 / 4);
    close(m.pooled.rmse, Math.sqrt(1.5));
    close(m.pooled.nmse, (2 * 2 + 2 * 0.625) / 4);
    close(m.pooled.explainedVariance, 1 - 1.3125);
    close(m.pooled.r2, 1 - 6 / 8.5);
    assert.equal(m.pooled.n, 4);
  });

  test('NaN is skipped, never counted as zero; unequal task sizes weight the pooled MSE', () => {
    const a = metrics([[NaN, 3, NaN, 5], [1]], [[100, 2, -100, 5], [0]]);
    // task 0: SSE 1 over 2; task 1: SSE 1 over 1
    close(a.perTask.mse[0]!, 0.5);
    close(a.pooled.mse, 2 / 3);
    assert.ok(Number.isNaN(a.perTask.nmse[1]!) || !Number.isFinite(a.perTask.nmse[1]!)); // Var = 0
    close(a.pooled.nmse, a.perTask.nmse[0]!); // the zero-variance task is skipped
  });

  test('a task with no observed response gives NaN and does not affect pooling', () => {
    const m = metrics([[NaN, NaN], [1, 3]], [[1, 1], [1, 1]]);
    assert.ok(Number.isNaN(m.perTask.mse[0]!));
    close(m.pooled.mse, 2);
  });

  test('argument errors name the argument', () => {
    assert.throws(() => metrics([[1]], [[1], [2]]), /predictions: expected 1 tasks/);
    assert.throws(() => metrics([[1, 2]], [[1]]), /predictions\[0\]/);
    assert.throws(() => metrics('x' as never, []), TypeError);
    assert.throws(() => metrics([[1]], [[NaN]]), RangeError);
  });

  test('metricLargerIsBetter', () => {
    assert.equal(metricLargerIsBetter('mse'), false);
    assert.equal(metricLargerIsBetter('nmse'), false);
    assert.equal(metricLargerIsBetter('r2'), true);
    assert.equal(metricLargerIsBetter('explainedVariance'), true);
    assert.throws(() => metricLargerIsBetter('mae' as never), /metric: expected one of/);
  });
});

describe('evaluate', () => {
  const X = [[1, 0], [0, 1], [1, 1], [2, 1]];
  const Y = [[1, NaN], [2, 1], [NaN, 0], [4, 5]];
  // predictor: task 0 → x0 + x1, task 1 → 2·x1
  const fake: Predictor = {
    predict: (Xn, t) => {
      const rows = Xn as { rows: number; data: Float64Array };
      const out = new Float64Array(rows.rows);
      for (let i = 0; i < rows.rows; i++) out[i] = t === 0 ? rows.data[2 * i]! + rows.data[2 * i + 1]! : 2 * rows.data[2 * i + 1]!;
      return out;
    },
  };

  test('shared design with NaN equals the per-task layout and hand values', () => {
    const shared = MultiTaskData.fromShared(X, Y);
    const m = evaluate(fake, shared);
    // task 0 rows 0,1,3: y = [1, 2, 4], ŷ = [1, 1, 3] → SSE 2, n 3
    // task 1 rows 1,2,3: y = [1, 0, 5], ŷ = [2, 2, 2] → SSE 1 + 4 + 9 = 14, n 3
    close(m.perTask.mse[0]!, 2 / 3);
    close(m.perTask.mse[1]!, 14 / 3);
    close(m.pooled.mse, 16 / 6);
    close(evaluate(fake, shared, 'mse'), 16 / 6);
    const perTask = evaluate(fake, shared.toTasks());
    for (const k of ['mse', 'nmse', 'r2'] as const) {
      for (let t = 0; t < 2; t++) close(perTask.perTask[k][t]!, m.perTask[k][t]!);
      close(perTask.pooled[k], m.pooled[k]);
    }
  });

  test('a group-lasso fit: evaluate equals metrics of fit.predict', () => {
    const { data } = sharedProblem(40, 6, 3, 2, 7);
    const fit = groupLasso(data, { lambda: 0.05 });
    const truth: Float64Array[] = [], preds: Float64Array[] = [];
    for (let t = 0; t < 3; t++) {
      const { X: Xt, y } = data.task(t);
      truth.push(y); preds.push(fit.predict(Xt, t));
    }
    const ref = metrics(truth, preds);
    const got = evaluate(fit, data);
    close(got.pooled.mse, ref.pooled.mse);
    close(got.pooled.r2, ref.pooled.r2);
    // in-sample with intercepts: the residual means are zero, so R² = 1 − nMSE = EV per task
    for (let t = 0; t < 3; t++) close(got.perTask.r2[t]!, got.perTask.explainedVariance[t]!);
    assert.ok(got.pooled.r2 > 0 && got.pooled.r2 < 1);
  });

  test('errors', () => {
    const shared = MultiTaskData.fromShared(X, Y);
    assert.throws(() => evaluate({} as never, shared), /fit: expected a fitted model/);
    assert.throws(() => evaluate(fake, shared, 'foo' as never), /metric: expected one of/);
  });

  test('a fit with another number of tasks than the data is an error, not a silent subset', () => {
    const four = sharedProblem(30, 5, 4, 2, 31).data, two = sharedProblem(30, 5, 2, 2, 32).data;
    const fit = groupLasso(four, { lambda: 0.01 });
    assert.throws(() => evaluate(fit, two), /data: the fit has 4 tasks and 5 features \(W is 5×4\), the data 2 tasks and 5 features/);
    assert.equal(evaluate(fit, four).perTask.mse.length, 4);
  });
});
