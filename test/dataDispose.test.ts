/**
 * `MultiTaskData.dispose()` (issue #11): the data object's blocks in the kernels' memory (its copy of a
 * large X, the feature-major copy and buffers fits cached with it) go back to the allocator at once, so a
 * synchronous loop over fresh data objects reuses them instead of growing the memory; afterwards every use
 * of the object, or of a view of it, throws.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { groupLasso, groupLassoLambdaMax, groupLassoObjective } from '../src/models/groupLasso.js';
import { path } from '../src/selection/path.js';
import { crossValidate } from '../src/selection/crossValidate.js';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { chooseBackend } from '../src/solvers/bcdDatafit.js';
import { allocatedBytes, wasm } from '../src/linalg/wasm/runtime.js';
import { allocF64, isWasmResident } from '../src/linalg/wasm/matrix.js';
import { wasmKernelsInfo } from '../src/linalg/blas.js';
import { sharedProblem } from './helpers/random.js';

const shared = wasmKernelsInfo().sharedMemory;
const skip = !shared && 'no shared kernel memory';

/** A fresh data object over the same rows (its own copy of X, resident when n·d ≥ 2^18). */
function fresh(X: Float64Array, Y: Float64Array, n: number, d: number, T: number): MultiTaskData {
  return MultiTaskData.fromShared({ rows: n, cols: d, data: X }, { rows: n, cols: T, data: Y });
}

test('dispose returns the data object\'s own copy of X to the allocator, to the byte', { skip }, () => {
  const n = 600, d = 500, T = 3; // n·d ≥ 2^18: X is resident
  const { X, Y } = sharedProblem(n, d, T, 5, 1).data;
  const before = allocatedBytes();
  const D = fresh(X!, Y!, n, d, T);
  assert.ok(isWasmResident(D.X!));
  assert.ok(allocatedBytes() - before >= 8 * n * d, `${allocatedBytes() - before} bytes for X`);
  D.dispose();
  assert.equal(allocatedBytes(), before);
  D.dispose(); // idempotent: nothing freed twice
  assert.equal(allocatedBytes(), before);
});

test('dispose after residual-form fits and a path frees X and its feature-major copy', { skip }, () => {
  const n = 600, d = 500, T = 3;
  const { X, Y } = sharedProblem(n, d, T, 8, 2).data;
  const opts = { q: 2, fitIntercept: false, tol: 1e-8 };
  // the kernels' module-level scratch (gemm panels) grows once, on the first fits of the process
  const warm = fresh(X!, Y!, n, d, T);
  const lmax = groupLassoLambdaMax(warm, opts);
  path(warm, groupLasso, { lambdas: [0.5 * lmax, 0.2 * lmax] }, opts);
  warm.dispose();
  const before = allocatedBytes();
  const D = fresh(X!, Y!, n, d, T);
  assert.equal(chooseBackend(new QuadraticLoss(D, { fitIntercept: false })), 'residual');
  path(D, groupLasso, { lambdas: [0.5 * lmax, 0.2 * lmax] }, opts);
  const held = allocatedBytes() - before;
  assert.ok(held >= 2 * 8 * n * d, `the data object and its fits hold ${held} bytes (X and X̃ᵀ are ${2 * 8 * n * d})`);
  D.dispose();
  // what is left are the residual state's n×T arrays (R, Ỹᵀ), which its class frees only at GC
  const left = allocatedBytes() - before;
  assert.ok(left <= 8 * (3 * n * T + 2 * d * T) + 4096, `${left} bytes left after dispose (held ${held})`);
});

test('a synchronous loop of fits on fresh data objects, each disposed, does not grow the kernels\' memory', { skip }, () => {
  const n = 800, d = 400, T = 4;
  const { X, Y } = sharedProblem(n, d, T, 10, 3).data;
  const lmax = groupLassoLambdaMax(fresh(X!, Y!, n, d, T), { q: 2, fitIntercept: false });
  const size = (): number => wasm!.memory.buffer.byteLength;
  const objectives: number[] = [];
  let after2 = 0;
  for (let k = 0; k < 12; k++) {
    const D = fresh(X!, Y!, n, d, T);
    const fit = groupLasso(D, { lambda: 0.2 * lmax, q: 2, fitIntercept: false, tol: 1e-9 });
    assert.equal(fit.objective, groupLassoObjective(D, fit.W, { lambda: 0.2 * lmax, q: 2 }, fit.intercepts));
    objectives.push(fit.objective);
    D.dispose();
    if (k === 1) after2 = size();
  }
  // each fresh object takes the blocks the previous one gave back (without dispose: about 2·8·n·d more per fit)
  assert.equal(size(), after2, `memory grew from ${after2} to ${size()} bytes`);
  for (const f of objectives) assert.equal(f, objectives[0]);
});

test('a disposed data object, and every view of it, throws a clear Error on use', async () => {
  const { X, Y } = sharedProblem(60, 8, 2, 2, 4).data;
  const D = fresh(X!, Y!, 60, 8, 2);
  const view = D.selectRows(Int32Array.from({ length: 30 }, (_, i) => 2 * i));
  const named = D.withTaskLabels(['a', 'b']);
  const fit = groupLasso(D, { lambda: 0.1 });
  D.dispose();
  const disposed = /disposed/;
  assert.throws(() => D.X, disposed);
  assert.throws(() => D.Y, disposed);
  assert.throws(() => D.designView(), disposed);
  assert.throws(() => D.selectRows(Int32Array.from([0, 1])), disposed);
  assert.throws(() => groupLasso(D, { lambda: 0.1 }), (e: unknown) => e instanceof Error && /a fit on a MultiTaskData that was disposed/.test(e.message));
  assert.throws(() => path(D, groupLasso, { nLambdas: 3 }), disposed);
  await assert.rejects(crossValidate(D, groupLasso, { folds: 2, grid: [0.1] }), disposed);
  assert.throws(() => view.designView(), /view of a disposed data object/);
  assert.throws(() => groupLasso(named, { lambda: 0.1 }), /view of a disposed data object/);
  // the fit returned before stays usable
  assert.equal(fit.predict({ rows: 1, cols: 8, data: new Float64Array(8).fill(1) }, 0).length, 1);
});

test('disposing a view frees only its own caches: the parent fits on, with the same result', () => {
  const tasks = [0, 1, 2].map((t) => {
    const p = sharedProblem(40 + 5 * t, 6, 1, 2, 10 + t).data;
    return { X: { rows: 40 + 5 * t, cols: 6, data: p.X! }, y: p.Y! };
  });
  const D = MultiTaskData.fromTasks(tasks);
  const before = groupLasso(D, { lambda: 0.05, tol: 1e-10 });
  const view = D.selectTaskRows([0, 1, 2].map((t) => Int32Array.from({ length: 20 }, (_, i) => i + t)));
  groupLasso(view, { lambda: 0.05 });
  view.dispose();
  assert.throws(() => view.tasks, /disposed/);
  assert.throws(() => view.taskView(0), /disposed/);
  const after = groupLasso(D, { lambda: 0.05, tol: 1e-10 });
  assert.equal(after.objective, before.objective);
});

test('dispose leaves arrays the caller wrapped alone', { skip }, () => {
  const n = 600, d = 500, T = 1;
  const p = sharedProblem(n, d, T, 3, 5).data;
  const X = allocF64(n * d);
  X.set(p.X!);
  const D = MultiTaskData.wrap({ kind: 'shared', d, T, n, X, Y: Float64Array.from(p.Y!) });
  const before = allocatedBytes();
  D.dispose();
  assert.equal(allocatedBytes(), before);
  assert.equal(X[7], p.X![7]);
  assert.ok(isWasmResident(X));
});
