import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphRegularized, meanRegularized, clusteredConvex, groupLassoLambdaMax } from '../src/index.js';
import { path } from '../src/selection/path.js';
import { crossValidate } from '../src/selection/crossValidate.js';
import { perTaskProblem } from './helpers/random.js';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

test('graph-regularized path over ρ₂ from its λ_max: W = 0 at the top, every point equals a cold fit', () => {
  const { data } = perTaskProblem([30, 40, 35, 25], 12, 3, 91);
  const graph = { edges: [[0, 1], [1, 2], [2, 3]] as [number, number][] };
  const p = path(data, graphRegularized, { nLambdas: 6, lambdaMinRatio: 0.05 }, { rho1: 0.3, graph, tol: 1e-10 });
  assert.ok(rel(p.lambdaMax, groupLassoLambdaMax(data, { q: 1 })) < 1e-12);
  assert.equal(p.points[0]!.nonzeroRows, 0);
  assert.ok(p.points[p.points.length - 1]!.nonzeroRows > 0);
  for (const pt of p.points) {
    const cold = graphRegularized(data, { rho1: 0.3, rho2: pt.lambda, graph, tol: 1e-10 });
    assert.ok(rel(pt.objective, cold.objective) < 1e-7, `ρ₂=${pt.lambda}: ${pt.objective} vs ${cold.objective}`);
  }
});

test('mean-regularized path over an explicit λ grid equals direct fits', () => {
  const { data } = perTaskProblem([20, 30, 25], 8, 3, 92);
  const lambdas = [10, 1, 0.1, 0.01];
  const p = path(data, meanRegularized, { lambdas }, { form: 'B', mu: 0.5 });
  assert.deepEqual(p.points.map((pt) => pt.lambda), lambdas);
  for (const pt of p.points) {
    const direct = meanRegularized(data, { form: 'B', lambda: pt.lambda, mu: 0.5 });
    assert.ok(rel(pt.objective, direct.objective) < 1e-9);
  }
  // less sharing (smaller λ) fits the training data at least as well
  const loss = p.points.map((pt) => pt.objective);
  assert.ok(loss[3]! <= loss[0]!);
});

test('cross-validation over a two-parameter grid of the clustered model is reproducible and picks a grid point', async () => {
  const { data } = perTaskProblem([24, 24, 24, 24, 24, 24], 6, 3, 93);
  const grid = [{ rho1: 10, rho2: 10 }, { rho1: 1, rho2: 1 }, { rho1: 0.1, rho2: 0.1 }];
  const a = await crossValidate(data, clusteredConvex, { grid, folds: 3, seed: 4 }, { k: 2, tol: 1e-6 });
  const b = await crossValidate(data, clusteredConvex, { grid, folds: 3, seed: 4 }, { k: 2, tol: 1e-6 });
  assert.equal(a.mean.length, 3);
  assert.deepEqual(Array.from(a.mean), Array.from(b.mean));
  assert.ok(a.bestIndex >= 0 && a.bestIndex < 3);
  assert.ok(a.oneStandardErrorIndex <= a.bestIndex, 'the one-SE choice is at least as regularised');
  for (let i = 0; i < 3; i++) assert.ok(a.mean[i]! >= a.mean[a.bestIndex]!);
});
