/**
 * Serial cross-validation returns each fold's work arrays to the kernels' allocator when the fold ends
 * (issue #13): the residual BCD state's feature-major copy of X (small designs) and the column panel and
 * residuals of {@link SharedResidualRows} (large ones) are freed at once, not when the GC finds them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFold } from '../src/selection/crossValidate.js';
import { makeFolds } from '../src/selection/folds.js';
import { resolveModel } from '../src/selection/path.js';
import { groupLasso, groupLassoLambdaMax } from '../src/models/groupLasso.js';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { SharedResidualRows } from '../src/solvers/sharedResidualRows.js';
import { chooseBackend } from '../src/solvers/bcdDatafit.js';
import { allocatedBytes } from '../src/linalg/wasm/runtime.js';
import { wasmKernelsInfo } from '../src/linalg/blas.js';
import { sharedProblem } from './helpers/random.js';

const shared = wasmKernelsInfo().sharedMemory;

test('a serial fold on the residual backend frees its column copy of X when it ends', { skip: !shared && 'no shared kernel memory' }, () => {
  const n = 300, d = 160, T = 3;
  const data = sharedProblem(n, d, T, 5, 3).data;
  assert.equal(chooseBackend(new QuadraticLoss(data)), 'residual');
  const m = resolveModel(groupLasso), folds = makeFolds(data, 3, 0), lmax = groupLassoLambdaMax(data);
  const grid = [0.5 * lmax, 0.2 * lmax];
  runFold(data, folds, 0, m, grid, {}, 'mse'); // grows the kernels' module-level scratch once
  const before = allocatedBytes();
  runFold(data, folds, 1, m, grid, {}, 'mse');
  const kept = allocatedBytes() - before, copy = 8 * d * (n - n / 3);
  assert.ok(kept < copy / 4, `the fold kept ${kept} bytes allocated; its column copy is ${copy}`);
});

test('SharedResidualRows.release returns its panel and residuals to the allocator', { skip: !shared && 'no shared kernel memory' }, () => {
  const n = 700, d = 400, T = 2; // n·d ≥ 2^18: resident work arrays
  const loss = new QuadraticLoss(sharedProblem(n, d, T, 5, 4).data);
  // a first state grows the XᵀR kernel's module-level scratch (kept for later calls, not the state's)
  new SharedResidualRows(loss).release();
  const before = allocatedBytes();
  const f = new SharedResidualRows(loss);
  f.reset(new Float64Array(d * T));
  f.prepare(Int32Array.from({ length: 40 }, (_, a) => 3 * a), 40);
  const during = allocatedBytes();
  assert.ok(during - before >= 8 * n * (40 + T), `the state holds ${during - before} bytes`);
  f.release();
  assert.ok(allocatedBytes() - before <= 1024, `${allocatedBytes() - before} bytes left after release`);
});
