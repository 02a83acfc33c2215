// Row-subset views of per-task data (MultiTaskData.selectTaskRows) and the cross-validation folds of
// per-task data built on them (issue #13 item 8: folds copy no design). A view must compute exactly
// what an explicit copy of its rows computes, on both kernel backends.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { makeFolds, foldData } from '../src/selection/crossValidate.js';
import { evaluateWeights } from '../src/selection/metrics.js';
import { multiTaskLoss } from '../src/datafits/lossValue.js';
import { kernelBackend, setKernelBackend, wasmKernelsInfo, type KernelBackend } from '../src/linalg/blas.js';
import { perTaskProblem, sharedProblem, randn } from './helpers/random.js';
import { assertViewFitsLikeCopy } from './helpers/viewFits.js';

const initial = kernelBackend();
const backends: KernelBackend[] = wasmKernelsInfo().available ? ['js', 'wasm'] : ['js'];

/** An explicit copy of the listed rows of each task (what per-task folds were before views). */
function copyRows(data: MultiTaskData, rows: readonly Int32Array[]): MultiTaskData {
  const d = data.d;
  return MultiTaskData.fromTasks(data.tasks.map((v, t) => {
    const r = rows[t]!, X = new Float64Array(r.length * d), y = new Float64Array(r.length);
    r.forEach((i, a) => { X.set(v.X.subarray(i * d, i * d + d), a * d); y[a] = v.y[i]!; });
    return { X: { rows: r.length, cols: d, data: X }, y };
  }));
}

/** Per task: every third row dropped, the rest in a scrambled order. */
function someRows(data: MultiTaskData): Int32Array[] {
  return Array.from(data.taskSizes, (n) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (i % 3 !== 1) out.push((i * 7) % n);
    return Int32Array.from(new Set(out));
  });
}

describe('selectTaskRows', () => {
  const data = perTaskProblem([30, 41, 25], 6, 2, 31).data;

  test('shares the stored designs, and reads like a copy of the rows', () => {
    const rows = someRows(data);
    const v = data.selectTaskRows(rows), c = copyRows(data, rows);
    for (let t = 0; t < 3; t++) {
      assert.equal(v.taskView(t).X, data.taskView(t).X, 'the view must not copy X_t');
      assert.deepEqual(v.taskView(t).rows, rows[t]);
      assert.deepEqual(v.taskView(t).y, c.tasks[t]!.y);
      assert.deepEqual(v.tasks[t]!.X, c.tasks[t]!.X); // the getter gathers a copy
    }
    assert.deepEqual(v.taskSizes, c.taskSizes);
    // a subset of a subset indexes the original rows
    const w = v.selectTaskRows([Int32Array.from([3, 0]), Int32Array.from([1]), Int32Array.from([2, 2])]);
    assert.equal(w.taskView(1).X, data.taskView(1).X);
    assert.deepEqual(w.taskView(0).rows, Int32Array.from([rows[0]![3]!, rows[0]![0]!]));
    assert.deepEqual(w.tasks[2]!.X, copyRows(data, [Int32Array.from([0]), Int32Array.from([0]), Int32Array.from([rows[2]![2]!, rows[2]![2]!])]).tasks[2]!.X);
    assert.deepEqual(w.withTaskLabels(['a', 'b', 'c']).taskView(0).rows, w.taskView(0).rows);
  });

  test('bad rows and layouts are named errors', () => {
    const ok = [Int32Array.from([0]), Int32Array.from([0]), Int32Array.from([0])];
    assert.throws(() => data.selectTaskRows([Int32Array.from([0]), Int32Array.from([41]), Int32Array.from([0])]), /rows: task 1, entry 0 is 41; expected a row index in \[0, 41\)/);
    assert.throws(() => data.selectTaskRows([ok[0]!, new Int32Array(0), ok[2]!]), /rows: task 1 has no selected row/);
    assert.throws(() => data.selectTaskRows(ok.slice(0, 2)), /expected 3 Int32Arrays/);
    assert.throws(() => data.selectTaskRows([[0], [0], [0]] as unknown as Int32Array[]), TypeError);
    assert.throws(() => sharedProblem(5, 2, 3, 1, 1).data.selectTaskRows(ok), /needs per-task data/);
    assert.throws(() => sharedProblem(5, 2, 3, 1, 1).data.taskView(0), /needs per-task data/);
  });
});

describe('per-task folds are views', () => {
  test('train and test read the data\'s designs in place and split every task\'s rows', () => {
    const data = perTaskProblem([30, 41, 25], 6, 2, 32).data;
    const { train, test: te } = foldData(data, makeFolds(data, 4, 1), 2);
    for (let t = 0; t < 3; t++) {
      assert.equal(train.taskView(t).X, data.taskView(t).X);
      assert.equal(te.taskView(t).X, data.taskView(t).X);
      const all = [...train.taskView(t).rows!, ...te.taskView(t).rows!].sort((a, b) => a - b);
      assert.deepEqual(all, Array.from({ length: data.taskSizes[t]! }, (_, i) => i));
    }
  });

  // small (a gathered, centred copy per task) and large (centred on the fly across blocks of rows: Σ n_t·d ≥ 2^21)
  for (const [ns, d] of [[[90, 70], 40], [[2700, 2600], 600]] as const) {
    for (const backend of backends) {
      test(`${ns.join('+')} rows × ${d}: a fit on a view equals the fit on a copy of its rows bit for bit (intercepts), to rounding without (${backend})`, () => {
        setKernelBackend(backend);
        try {
          const data = perTaskProblem(ns, d, 4, 33).data;
          const rows = someRows(data);
          const view = data.selectTaskRows(rows), copy = copyRows(data, rows);
          if (d === 600) assert.ok(view.totalSize * d >= 1 << 21, 'the large case must centre on the fly');
          assertViewFitsLikeCopy(view, copy);
        } finally {
          setKernelBackend(initial);
        }
      });
    }
  }

  test('objective and metrics on a view equal those on a copy (dense and sparse W)', () => {
    const data = perTaskProblem([60, 45, 80], 12, 3, 34).data;
    const rows = someRows(data);
    const view = data.selectTaskRows(rows), copy = copyRows(data, rows);
    const dense = { rows: 12, cols: 3, data: randn(36, 5) };
    const sparse = { rows: 12, cols: 3, data: new Float64Array(36) };
    sparse.data.set(dense.data.subarray(6, 12), 6);
    const b = Float64Array.from([0.5, -1, 2]);
    for (const W of [dense, sparse]) {
      assert.equal(multiTaskLoss(view, W, b), multiTaskLoss(copy, W, b));
      assert.deepEqual(evaluateWeights(W, b, view).pooled, evaluateWeights(W, b, copy).pooled);
    }
  });
});
