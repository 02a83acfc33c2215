// Row-subset views of a shared design (MultiTaskData.selectRows) and cross-validation folds built on
// them (issue #13 item 8: CV folds and workers share one copy of X). A view must compute exactly what
// an explicit copy of its rows computes.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { makeFolds, foldData } from '../src/selection/crossValidate.js';
import { evaluateWeights } from '../src/selection/metrics.js';
import { multiTaskLoss } from '../src/datafits/lossValue.js';
import { sharedProblem, perTaskProblem, randn } from './helpers/random.js';
import { assertViewFitsLikeCopy } from './helpers/viewFits.js';

/** An explicit copy of the listed rows (what folds were before views). */
function copyRows(data: MultiTaskData, rows: Int32Array): MultiTaskData {
  const { d, T } = data, X = data.X!, Y = data.Y!;
  const Xc = new Float64Array(rows.length * d), Yc = new Float64Array(rows.length * T);
  rows.forEach((i, a) => { Xc.set(X.subarray(i * d, i * d + d), a * d); Yc.set(Y.subarray(i * T, i * T + T), a * T); });
  return MultiTaskData.fromShared({ rows: rows.length, cols: d, data: Xc }, { rows: rows.length, cols: T, data: Yc });
}

/** Every third row dropped, the rest in a scrambled order. */
function someRows(n: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (i % 3 !== 1) out.push((i * 7) % n);
  return Int32Array.from(new Set(out));
}

describe('selectRows', () => {
  const data = sharedProblem(50, 6, 3, 2, 21).data;

  test('shares the stored design and responses, and reads like a copy of the rows', () => {
    const rows = someRows(data.n);
    const v = data.selectRows(rows);
    assert.equal(v.designView().X, data.designView().X, 'the view must not copy X');
    assert.equal(v.designView().Y, data.designView().Y, 'the view must not copy Y');
    assert.deepEqual(v.designView().rows, rows);
    const c = copyRows(data, rows);
    assert.equal(v.n, rows.length);
    assert.deepEqual(v.Y, c.Y);
    assert.deepEqual(v.X, c.X);
    assert.deepEqual(v.taskSizes, c.taskSizes);
    assert.deepEqual(v.task(1).X.data, c.task(1).X.data);
    // a subset of a subset indexes the original rows
    const w = v.selectRows(Int32Array.from([4, 0, 2]));
    assert.equal(w.designView().X, data.designView().X);
    assert.deepEqual(w.designView().rows, Int32Array.from([rows[4]!, rows[0]!, rows[2]!]));
    assert.deepEqual(w.X, copyRows(data, Int32Array.from([rows[4]!, rows[0]!, rows[2]!])).X);
  });

  test('bad rows and layouts are named errors', () => {
    assert.throws(() => data.selectRows(Int32Array.from([0, 50])), /rows: entry 1 is 50; expected a row index in \[0, 50\)/);
    assert.throws(() => data.selectRows(new Int32Array(0)), /rows: expected at least one row/);
    assert.throws(() => data.selectRows([0, 1] as unknown as Int32Array), TypeError);
    assert.throws(() => perTaskProblem([5, 6], 3, 1, 2).data.selectRows(Int32Array.from([0])), /needs shared-design data/);
    const Y = Float64Array.from(data.Y!);
    Y[0 * 3 + 2] = NaN;
    const holed = MultiTaskData.fromShared({ rows: data.n, cols: data.d, data: data.X! }, { rows: data.n, cols: 3, data: Y });
    assert.throws(() => holed.selectRows(Int32Array.from([0])), /task 2 has no observed response/);
  });
});

describe('folds are views', () => {
  test('shared design: train and test read the data\'s X in place; with missing responses X is shared too', () => {
    const data = sharedProblem(40, 5, 3, 2, 22).data;
    const a = makeFolds(data, 4, 1);
    const { train, test: te } = foldData(data, a, 2);
    assert.equal(train.designView().X, data.designView().X);
    assert.equal(te.designView().X, data.designView().X);
    assert.equal(train.designView().Y, data.designView().Y);
    assert.equal(train.n + te.n, data.n);
    const Y = Float64Array.from(data.Y!);
    for (let k = 0; k < Y.length; k += 7) Y[k] = NaN;
    const holed = MultiTaskData.fromShared({ rows: data.n, cols: data.d, data: data.X! }, { rows: data.n, cols: 3, data: Y });
    const f = foldData(holed, makeFolds(holed, 4, 1), 0);
    assert.equal(f.train.X, holed.X);
    assert.equal(f.test.X, holed.X);
  });

  // gram backend (d ≤ 32T, rows across several blocks of the centred design) and residual backend (d > 32T)
  for (const [n, d, T] of [[4000, 20, 3], [600, 200, 3]] as const) {
    test(`${n}×${d}×${T}: a fit on a view equals the fit on a copy of its rows bit for bit (intercepts), to rounding without`, () => {
      const data = sharedProblem(n, d, T, 4, 23, 1, 2).data;
      const rows = someRows(n);
      assertViewFitsLikeCopy(data.selectRows(rows), copyRows(data, rows));
    });
  }

  test('objective and metrics on a view equal those on a copy (dense and sparse W)', () => {
    const data = sharedProblem(300, 40, 4, 3, 24).data;
    const rows = someRows(300);
    const view = data.selectRows(rows), copy = copyRows(data, rows);
    const dense = { rows: 40, cols: 4, data: randn(160, 5) };
    const sparse = { rows: 40, cols: 4, data: new Float64Array(160) };
    sparse.data.set(dense.data.subarray(8, 16), 8);
    const b = Float64Array.from([0.5, -1, 2, 0]);
    for (const W of [dense, sparse]) {
      assert.equal(multiTaskLoss(view, W, b), multiTaskLoss(copy, W, b));
      assert.deepEqual(evaluateWeights(W, b, view).pooled, evaluateWeights(W, b, copy).pooled);
    }
  });
});
