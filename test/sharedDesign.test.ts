/**
 * The shared design centred on the fly (issue #13: no centred copy of X in a fit) against the
 * products of an explicitly centred copy, across row-block boundaries, and the data object's copy of
 * a large design living in the kernels' memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedDesign } from '../src/datafits/sharedDesign.js';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { groupLasso, groupLassoLambdaMax } from '../src/models/groupLasso.js';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { isWasmResident } from '../src/linalg/wasm/matrix.js';
import { wasmKernelsInfo } from '../src/linalg/blas.js';
import { randn } from './helpers/random.js';

/** max |a − b| / max(1, max |b|). */
function relDiff(a: Float64Array, b: Float64Array): number {
  let m = 0, s = 1;
  for (let i = 0; i < b.length; i++) { m = Math.max(m, Math.abs(a[i]! - b[i]!)); s = Math.max(s, Math.abs(b[i]!)); }
  return m / s;
}

/** Plain triple loops on a centred copy: the reference. */
function reference(n: number, d: number, X: Float64Array, mu: Float64Array | null) {
  const Xc = Float64Array.from(X, (v, k) => v - (mu ? mu[k % d]! : 0));
  return {
    times(B: Float64Array, k: number): Float64Array {
      const out = new Float64Array(n * k);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) for (let c = 0; c < k; c++) out[i * k + c]! += Xc[i * d + j]! * B[j * k + c]!;
      return out;
    },
    transposeTimes(A: Float64Array, k: number): Float64Array {
      const out = new Float64Array(d * k);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) for (let c = 0; c < k; c++) out[j * k + c]! += Xc[i * d + j]! * A[i * k + c]!;
      return out;
    },
    Xc,
  };
}

for (const [n, d] of [[7, 3], [1000, 70], [333, 5000]] as const) {
  for (const centred of [true, false]) {
    test(`SharedDesign ${n}×${d}${centred ? ' centred' : ''}: products equal those of an explicit centred copy`, () => {
      const X = randn(n * d, n + d);
      for (let k = 0; k < X.length; k++) X[k] = 3 + 2 * X[k]!; // non-zero means
      const mu = centred ? new Float64Array(d).map((_, j) => { let s = 0; for (let i = 0; i < n; i++) s += X[i * d + j]!; return s / n; }) : null;
      const before = Float64Array.from(X);
      const D = new SharedDesign(n, d, X, mu);
      const ref = reference(n, d, X, mu);
      const k = 4;
      const B = randn(d * k, 1), A = randn(n * k, 2);
      const out1 = new Float64Array(n * k);
      D.times(B, k, out1);
      assert.ok(relDiff(out1, ref.times(B, k)) < 1e-12);
      const out2 = new Float64Array(d * k);
      D.transposeTimes(A, k, out2);
      assert.ok(relDiff(out2, ref.transposeTimes(A, k)) < 1e-12);
      // beta = 1 adds
      const acc = Float64Array.from(out2);
      D.transposeTimes(A, k, acc, 1);
      assert.ok(relDiff(acc, out2.map((v) => 2 * v)) < 1e-12);
      if (d <= 100) {
        const G = new Float64Array(d * d);
        D.gram(G);
        const eye = new Float64Array(d * d);
        for (let j = 0; j < d; j++) eye[j * d + j] = 1;
        assert.ok(relDiff(G, ref.transposeTimes(ref.times(eye, d), d)) < 1e-12);
      }
      const cols = new Int32Array([d - 1, 0, Math.floor(d / 2)]);
      const GC = new Float64Array(3 * d);
      D.gramColumns(cols, 3, GC);
      for (let a = 0; a < 3; a++) {
        const e = new Float64Array(n);
        for (let i = 0; i < n; i++) e[i] = ref.Xc[i * d + cols[a]!]!;
        assert.ok(relDiff(GC.subarray(a * d, (a + 1) * d), ref.transposeTimes(e, 1)) < 1e-12, `Gram column ${cols[a]}`);
      }
      const sq = new Float64Array(d);
      D.columnSquares(sq);
      const XtT = D.transposeInto(new Float64Array(n * d));
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) { s += ref.Xc[i * d + j]! ** 2; assert.equal(XtT[j * n + i], ref.Xc[i * d + j]); }
        assert.ok(Math.abs(sq[j]! - s) <= 1e-12 * s);
      }
      assert.deepEqual(D.materialise(), ref.Xc);
      assert.deepEqual(X, before, 'the design is not modified');
    });
  }
}

test('QuadraticLoss with intercepts on a shared design keeps no centred copy until X is asked for', () => {
  const n = 600, d = 40, T = 3;
  const X = randn(n * d, 5).map((v) => v + 1);
  const Y = randn(n * T, 6);
  const data = MultiTaskData.fromShared({ rows: n, cols: d, data: X }, { rows: n, cols: T, data: Y });
  const loss = new QuadraticLoss(data, { fitIntercept: true });
  assert.equal(loss.shared, true);
  assert.equal(loss.design!.raw, data.X, 'the design reads the data object\'s X in place');
  // the residual at W equals Ỹ − X̃W computed from an explicit centred copy
  const W = randn(d * T, 7);
  const R = new Float64Array(n * T);
  loss.residual(W, R);
  const Xc = loss.X!; // materialised on demand
  assert.notEqual(Xc, data.X);
  const Rref = new Float64Array(n * T);
  for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += Xc[i * d + j]! * W[j * T + t]!;
    Rref[i * T + t] = loss.Y![i * T + t]! - s;
  }
  assert.ok(relDiff(R, Rref) < 1e-12);
});

test('a large shared design is copied into the kernels\' memory (used in place by the products)', { skip: !wasmKernelsInfo().sharedMemory && 'WebAssembly kernels with shared memory unavailable' }, () => {
  const n = 3000, d = 100; // 3e5 entries ≥ the 2^18 threshold
  const X = randn(n * d, 9);
  const data = MultiTaskData.fromShared({ rows: n, cols: d, data: X }, { rows: n, cols: 1, data: randn(n, 10) });
  assert.equal(isWasmResident(data.X!), true);
  assert.notEqual(data.X, X);
  assert.deepEqual(data.X, X);
});

test('large per-task designs are centred on the fly: the fit is invariant to shifting each task\'s features', () => {
  // 3 tasks × 2000 rows × 400 features = 2.4e6 entries, above the size from which the per-task
  // designs are no longer copied; the intercepts absorb any shift, so W must not change
  const T = 3, nt = 2000, d = 400;
  const tasks = [], shifted = [];
  for (let t = 0; t < T; t++) {
    const X = randn(nt * d, 20 + t), y = randn(nt, 30 + t);
    for (let i = 0; i < nt; i++) y[i]! += 2 * X[i * d]! - X[i * d + 1]! + 5;
    const Xs = Float64Array.from(X, (v, k) => v + 3 + (k % d) / d); // column-dependent shift
    tasks.push({ X: { rows: nt, cols: d, data: X }, y });
    shifted.push({ X: { rows: nt, cols: d, data: Xs }, y });
  }
  const a = MultiTaskData.fromTasks(tasks), b = MultiTaskData.fromTasks(shifted);
  const la = new QuadraticLoss(a);
  assert.ok(la.taskDesigns[0]!.means !== null, 'the designs are centred on the fly');
  const lambda = 0.2 * groupLassoLambdaMax(a);
  assert.ok(Math.abs(groupLassoLambdaMax(b) / groupLassoLambdaMax(a) - 1) < 1e-10);
  const fa = groupLasso(a, { lambda, tol: 1e-12 }), fb = groupLasso(b, { lambda, tol: 1e-12 });
  assert.equal(fa.converged && fb.converged, true);
  assert.ok(relDiff(fa.W.data, fb.W.data) < 1e-8, `W differs by ${relDiff(fa.W.data, fb.W.data)}`);
  assert.ok(Math.abs(fa.objective - fb.objective) <= 1e-10 * fa.objective);
});
