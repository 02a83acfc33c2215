import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { groupLasso, groupLassoLambdaMax } from '../src/models/groupLasso.js';
import { crossValidate, makeFolds, foldData, checkCrossValidateOptions } from '../src/selection/crossValidate.js';
import { evaluateWeights, evaluate } from '../src/selection/metrics.js';
import { sharedProblem, perTaskProblem } from './helpers/random.js';

function withMissing(data: MultiTaskData, frac: number): MultiTaskData {
  const Y = Float64Array.from(data.Y!);
  for (let k = 0; k < Y.length; k++) if (((k * 7919) % 101) / 101 < frac) Y[k] = NaN;
  return MultiTaskData.fromShared({ rows: data.n, cols: data.d, data: data.X! }, { rows: data.n, cols: data.T, data: Y });
}

const shared = sharedProblem(60, 20, 3, 4, 11).data;
const sharedNaN = withMissing(sharedProblem(60, 20, 3, 4, 12).data, 0.25);
const perTask = perTaskProblem([25, 40, 33], 15, 3, 13).data;

describe('folds', () => {
  for (const [name, data] of [['shared', shared], ['shared with NaN', sharedNaN], ['per-task', perTask]] as const) {
    test(`${name}: every task appears in every fold, balanced, missing never assigned`, () => {
      const K = 5;
      const a = makeFolds(data, K, 3);
      for (let t = 0; t < data.T; t++) {
        const counts = new Array<number>(K).fill(0);
        for (let i = 0; i < a[t]!.length; i++) {
          const f = a[t]![i]!;
          if (data.kind === 'shared' && Number.isNaN(data.Y![i * data.T + t]!)) assert.equal(f, -1);
          else counts[f]!++;
        }
        const nt = data.taskSizes[t]!;
        for (const c of counts) assert.ok(c === Math.floor(nt / K) || c === Math.ceil(nt / K), `task ${t}: ${counts}`);
      }
      for (let k = 0; k < K; k++) {
        const { train, test: te } = foldData(data, a, k);
        for (let t = 0; t < data.T; t++) {
          assert.ok(te.taskSizes[t]! >= 1);
          assert.equal(train.taskSizes[t]! + te.taskSizes[t]!, data.taskSizes[t]!);
        }
      }
    });
  }

  test('same seed → same folds; different seed → different folds', () => {
    assert.deepEqual(makeFolds(sharedNaN, 4, 7), makeFolds(sharedNaN, 4, 7));
    assert.notDeepEqual(makeFolds(sharedNaN, 4, 7), makeFolds(sharedNaN, 4, 8));
  });

  test('a task with fewer responses than folds is rejected', () => {
    const small = MultiTaskData.fromTasks([{ X: [[1], [2], [3]], y: [1, 2, 3] }, { X: [[1], [2]], y: [1, 2] }]);
    assert.throws(() => makeFolds(small, 3, 0), /folds: task 1 has 2 observed responses/);
  });
});

describe('crossValidate', () => {
  test('same seed → same result; the one-SE choice is never less regularised than the minimum', async () => {
    for (const data of [shared, sharedNaN, perTask]) {
      const a = await crossValidate(data, groupLasso, { folds: 4, seed: 5 }, { tol: 1e-8 });
      const b = await crossValidate(data, groupLasso, { folds: 4, seed: 5 }, { tol: 1e-8 });
      assert.deepEqual(a.mean, b.mean);
      assert.deepEqual(a.foldAssignment, b.foldAssignment);
      assert.equal(a.grid.length, 20);
      assert.ok(a.oneStandardErrorIndex <= a.bestIndex);
      assert.ok((a.oneStandardErrorChoice as number) >= (a.best as number));
      assert.ok(a.mean[a.oneStandardErrorIndex]! <= a.mean[a.bestIndex]! + a.standardError[a.bestIndex]!);
      for (let i = 0; i < a.grid.length; i++) assert.ok(a.mean[i]! >= a.mean[a.bestIndex]!);
      assert.equal(a.chosenIndex, a.bestIndex);
      // the refit is the model at the chosen λ on all data
      const ref = groupLasso(data, { lambda: a.best as number, tol: 1e-8 });
      assert.ok(Math.abs(a.fit!.objective - ref.objective) <= 1e-7 * ref.objective);
    }
  });

  test('fold values equal a hand-rolled CV with cold fits', async () => {
    const grid = [0.3, 0.1, 0.03];
    const cv = await crossValidate(sharedNaN, groupLasso, { grid, folds: 3, seed: 2, metric: 'r2', oneStandardError: true }, { tol: 1e-10 });
    const a = makeFolds(sharedNaN, 3, 2);
    for (let k = 0; k < 3; k++) {
      const { train, test: te } = foldData(sharedNaN, a, k);
      for (let i = 0; i < 3; i++) {
        const fit = groupLasso(train, { lambda: grid[i]!, tol: 1e-10 });
        const v = evaluate(fit, te, 'r2');
        assert.ok(Math.abs(cv.foldValues.data[k * 3 + i]! - v) <= 1e-6, `${cv.foldValues.data[k * 3 + i]} vs ${v}`);
        assert.ok(Math.abs(evaluateWeights(fit.W, fit.intercepts, te).pooled.r2 - v) <= 1e-12);
      }
    }
    // r2 is maximised
    for (let i = 0; i < 3; i++) assert.ok(cv.mean[i]! <= cv.mean[cv.bestIndex]!);
    assert.equal(cv.chosenIndex, cv.oneStandardErrorIndex);
    assert.ok(cv.oneStandardErrorIndex <= cv.bestIndex);
  });

  test('grid of option objects over two parameters', async () => {
    const lmax = groupLassoLambdaMax(perTask);
    const grid = [
      { lambda: 0.5 * lmax, ridge: 0.1 }, { lambda: 0.5 * lmax, ridge: 0.01 },
      { lambda: 0.1 * lmax, ridge: 0.1 }, { lambda: 0.1 * lmax, ridge: 0.01 },
    ];
    const cv = await crossValidate(perTask, groupLasso, { grid, folds: 3, seed: 1 });
    assert.equal(cv.mean.length, 4);
    assert.ok(cv.oneStandardErrorIndex <= cv.bestIndex);
    assert.equal((cv.fit as unknown as { options: { ridge: number } }).options.ridge, (cv.best as { ridge: number }).ridge);
  });

  test('serial equals parallel (2 workers), shared with NaN and per-task', async () => {
    for (const data of [sharedNaN, perTask]) {
      const s = await crossValidate(data, groupLasso, { folds: 4, seed: 9 }, { tol: 1e-8 });
      const p = await crossValidate(data, groupLasso, { folds: 4, seed: 9, workers: 2 }, { tol: 1e-8 });
      assert.deepEqual(p.foldValues.data, s.foldValues.data);
      assert.deepEqual(p.mean, s.mean);
      assert.equal(p.bestIndex, s.bestIndex);
      assert.equal(p.options.workers, 2);
    }
    const lmax = groupLassoLambdaMax(perTask);
    const grid = [{ lambda: 0.5 * lmax, ridge: 0.1 }, { lambda: 0.1 * lmax, ridge: 0.01 }];
    const s = await crossValidate(perTask, groupLasso, { grid, folds: 3 });
    const p = await crossValidate(perTask, groupLasso, { grid, folds: 3, workers: 2 });
    assert.deepEqual(p.foldValues.data, s.foldValues.data);
  });

  test('option errors name the option', async () => {
    assert.throws(() => checkCrossValidateOptions({ folds: 1 }, shared, groupLasso, {}), /folds: expected an integer ≥ 2/);
    assert.throws(() => checkCrossValidateOptions({ metric: 'mae' as never }, shared, groupLasso, {}), /metric: expected one of/);
    assert.throws(() => checkCrossValidateOptions({ workers: 0 }, shared, groupLasso, {}), /workers: expected an integer ≥ 1/);
    assert.throws(() => checkCrossValidateOptions({ grid: [1, 1] }, shared, groupLasso, {}), /grid: the value 1 appears twice/);
    assert.throws(() => checkCrossValidateOptions({ grid: [1, {}] as never }, shared, groupLasso, {}), /grid: entry 0/);
    const anon = (d: MultiTaskData, o: { lambda: number }) => groupLasso(d, o);
    assert.throws(() => checkCrossValidateOptions({ grid: [1], workers: 2 }, shared, anon, {}), /workers: the model must be registered/);
    assert.deepEqual(checkCrossValidateOptions({ grid: [0.1, 1] }, shared, groupLasso, {}).grid, [1, 0.1]);
    await assert.rejects(crossValidate(shared, groupLasso, { seed: 0.5 }), /seed: expected an integer/);
  });
});
