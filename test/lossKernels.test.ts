/**
 * The kernels behind the exact objective (`multiTaskLoss`, issue #11): `sse_rows` against its JavaScript
 * twin `sseRowsJs`, bit for bit, and `multiTaskLoss` on both backends against an independent evaluator;
 * `gather_rows` (the Gram columns' gather) against its loop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelBackend, setKernelBackend, wasmKernelsInfo } from '../src/linalg/blas.js';
import { allocF64, allocI32, freeF64 } from '../src/linalg/wasm/matrix.js';
import { wasm, type WasmKernels } from '../src/linalg/wasm/runtime.js';
import { SharedDesign } from '../src/datafits/sharedDesign.js';
import { sseRowsJs, sumSquaredResiduals, multiTaskLoss } from '../src/datafits/lossValue.js';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { randn } from './helpers/random.js';
import { assertFusedSquares } from './helpers/designProducts.js';

const initial = kernelBackend();

function resident(x: Float64Array): Float64Array {
  const r = allocF64(x.length);
  r.set(x);
  return r;
}

/** Y with every 7th entry (from `seed`) missing. */
function withMissing(Y: Float64Array, seed: number): Float64Array {
  const out = Y.slice();
  for (let i = seed % 7; i < out.length; i += 7) out[i] = NaN;
  return out;
}

test('sse_rows (kernel) equals its JavaScript twin bit for bit: odd n, T = 1, 2, 3, 5, 8, row lists, intercepts, missing entries, empty support', { skip: !wasmKernelsInfo().sharedMemory }, () => {
  setKernelBackend('wasm');
  try {
    for (const n of [1, 3, 7, 13, 30]) {
      for (const T of [1, 2, 3, 5, 8]) {
        const d = 9, N = n + 4; // the stored design has N ≥ n rows; a row list picks n of them
        const Xh = randn(N * d, 100 * n + T), Yfull = withMissing(randn(N * T, 7 * n + T), n + T);
        for (const S of [0, 1, 3, 9]) {
          const cols = Int32Array.from({ length: S }, (_, a) => (a * 5 + 2) % d);
          const WS = randn(S * T, 31 * S + T), b = randn(T, 3 * T + n);
          const list = Int32Array.from({ length: n }, (_, i) => (i * 3 + 1) % N);
          for (const rows of [null, list]) {
            for (const yrows of [true, false]) {
              for (const [onHeap, X] of [[true, Xh], [false, resident(Xh)]] as const) {
                for (const bb of [null, b]) {
                  const want = randn(T, 5), got = want.slice(); // accumulators start nonzero
                  sseRowsJs(n, d, Xh, rows, cols, S, WS, T, bb, Yfull, T, yrows, want);
                  sumSquaredResiduals(n, d, X, rows, cols, S, WS, T, bb, Yfull, T, yrows, got);
                  const label = `n ${n} T ${T} S ${S} rows ${rows !== null} yrows ${yrows} heap ${onHeap} b ${bb !== null}`;
                  assert.deepEqual(Array.from(got), Array.from(want), label);
                  // the twin against a plain evaluation (another summation order)
                  const ref = randn(T, 5);
                  for (let i = 0; i < n; i++) {
                    const row = rows === null ? i : rows[i]!;
                    for (let t = 0; t < T; t++) {
                      const y = Yfull[(yrows ? row : i) * T + t]!;
                      if (Number.isNaN(y)) continue;
                      let p = 0;
                      for (let a = S - 1; a >= 0; a--) p += Xh[row * d + cols[a]!]! * WS[a * T + t]!;
                      const e = y - p - (bb ? bb[t]! : 0);
                      ref[t]! += e * e;
                    }
                  }
                  for (let t = 0; t < T; t++) assert.ok(Math.abs(ref[t]! - want[t]!) <= 1e-12 * (1 + Math.abs(ref[t]!)), `${label} task ${t}`);
                }
                if (!onHeap) freeF64(X);
              }
            }
          }
        }
      }
    }
  } finally {
    setKernelBackend(initial);
  }
});

test('multiTaskLoss gives the same bits on both backends (shared with missing entries, a row subset, per-task data) and agrees with a direct evaluation', () => {
  const backends = wasmKernelsInfo().available ? (['js', 'wasm'] as const) : (['js'] as const);
  const n = 23, d = 11, T = 5;
  const X = randn(n * d, 1), Y = withMissing(randn(n * T, 2), 3);
  const shared = MultiTaskData.fromShared({ rows: n, cols: d, data: X }, { rows: n, cols: T, data: Y });
  const subset = shared.selectRows(Int32Array.from([20, 3, 7, 7, 0, 12, 1, 19, 5]));
  const ns = [5, 9, 4, 13, 7];
  const tasks = MultiTaskData.fromTasks(ns.map((m, t) => ({ X: { rows: m, cols: d, data: randn(m * d, 10 + t) }, y: randn(m, 20 + t) })));
  const W = randn(d * T, 4);
  for (const j of [1, 4, 5, 8]) W.fill(0, j * T, j * T + T); // zero rows
  const Wm = { rows: d, cols: T, data: W }, b = randn(T, 6);
  for (const [name, data] of [['shared', shared], ['subset', subset], ['tasks', tasks]] as const) {
    for (const intercepts of [undefined, b]) {
      const values = backends.map((k) => {
        setKernelBackend(k);
        try { return multiTaskLoss(data, Wm, intercepts, 'mean'); } finally { setKernelBackend(initial); }
      });
      for (const v of values) assert.equal(v, values[0], `${name} intercepts ${intercepts !== undefined}: ${values.join(' vs ')}`);
      // direct evaluation: Σ_t 1/(2 n_t) Σ_i observed (y − x_iᵀ w_t − b_t)²
      let want = 0;
      for (let t = 0; t < T; t++) {
        const rowsOf = data.kind === 'tasks' ? data.taskView(t) : null;
        const Xs = rowsOf ? rowsOf.X : data.X!, m = rowsOf ? rowsOf.n : data.n;
        let sse = 0, nt = 0;
        for (let i = 0; i < m; i++) {
          const y = rowsOf ? rowsOf.y[i]! : data.Y![i * T + t]!;
          if (Number.isNaN(y)) continue;
          let p = intercepts ? intercepts[t]! : 0;
          for (let j = 0; j < d; j++) p += Xs[i * d + j]! * W[j * T + t]!;
          sse += (y - p) ** 2; nt++;
        }
        want += sse / (2 * nt);
      }
      assert.ok(Math.abs(values[0]! - want) <= 1e-12 * want, `${name}: ${values[0]} vs ${want}`);
    }
  }
});

test('gather_rows (kernel) equals the JavaScript gather bit for bit, plain and centred; SharedDesign.gramColumns equals X̃ᵀx̃_j on both backends (plain, centred, row subset)', () => {
  if (wasmKernelsInfo().sharedMemory) {
    const k = wasm!.k as WasmKernels;
    for (const [r, d, m] of [[1, 1, 1], [7, 5, 3], [13, 12, 5], [40, 30, 8]] as const) {
      const A = resident(randn(r * d, 3 * r + d)), mu = resident(randn(d, r + d));
      const cols = allocI32(m);
      for (let b = 0; b < m; b++) cols[b] = (b * 7 + 3) % d;
      for (const centred of [false, true]) {
        const out = allocF64(r * m);
        k.gather_rows(r, d, A.byteOffset, cols.byteOffset, m, centred ? mu.byteOffset : 0, out.byteOffset);
        for (let i = 0; i < r; i++) for (let b = 0; b < m; b++) {
          assert.equal(out[i * m + b], A[i * d + cols[b]!]! - (centred ? mu[cols[b]!]! : 0), `${r}×${d} m ${m} centred ${centred}`);
        }
        freeF64(out);
      }
      freeF64(A); freeF64(mu); freeF64(cols);
    }
  }
  const backends = wasmKernelsInfo().available ? (['js', 'wasm'] as const) : (['js'] as const);
  for (const [n, d] of [[9, 4], [1500, 23], [700, 60]] as const) {
    const N = n + 5, raw = randn(N * d, n + d);
    for (const onHeap of [true, false]) {
      const X = onHeap ? raw : resident(raw);
      for (const [centred, subset] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const means = centred ? randn(d, 2 * n + d) : null;
        const rows = subset ? Int32Array.from({ length: n }, (_, i) => (i * 7 + 2) % N) : null;
        const cols = Int32Array.from([d - 1, 0, Math.floor(d / 3), 1].slice(0, Math.min(4, d)));
        const m = cols.length;
        for (const kb of backends) {
          setKernelBackend(kb);
          try {
            const out = new Float64Array(m * d);
            new SharedDesign(n, d, X, means, rows).gramColumns(cols, m, out);
            // G_{j, c_b} = Σ_i (x_ij − μ_j)(x_{i c_b} − μ_{c_b})
            for (let b = 0; b < m; b++) for (let j = 0; j < d; j++) {
              let s = 0, scale = 0;
              for (let i = 0; i < n; i++) {
                const o = (rows === null ? i : rows[i]!) * d;
                const u = raw[o + j]! - (means ? means[j]! : 0), v = raw[o + cols[b]!]! - (means ? means[cols[b]!]! : 0);
                s += u * v; scale += Math.abs(u * v);
              }
              assert.ok(Math.abs(out[b * d + j]! - s) <= 1e-13 * scale, `${n}×${d} heap ${onHeap} centred ${centred} subset ${subset} ${kb} (${b}, ${j})`);
            }
          } finally {
            setKernelBackend(initial);
          }
        }
      }
      if (!onHeap) freeF64(X);
    }
  }
});

test('Gram columns as X̃ᵀX̃_S (transposed, resident output) equal X̃_SᵀX̃ (heap output) bit for bit; X̃ᵀA with the column squares in the same pass equals the two passes bit for bit', { skip: !wasmKernelsInfo().sharedMemory }, () => {
  setKernelBackend('wasm');
  try {
    for (const [n, d, m] of [[1500, 50, 10], [2100, 37, 6], [700, 64, 13], [5, 50, 10]] as const) {
      const X = resident(randn(n * d, n + 7 * d));
      for (const means of [null, randn(d, 3 * d)]) {
        const D = new SharedDesign(n, d, X, means);
        const cols = Int32Array.from({ length: m }, (_, b) => (b * 11 + 5) % d);
        const heapOut = new Float64Array(m * d), resOut = allocF64(m * d);
        D.gramColumns(cols, m, heapOut);
        D.gramColumns(cols, m, resOut);
        assert.deepEqual(Array.from(resOut), Array.from(heapOut), `${n}×${d} m ${m} centred ${means !== null}`);
        freeF64(resOut);
      }
      for (const [k, Xk] of [[1, X], [5, X], [8, X], [5, Float64Array.from(X)]] as const) {
        const A = randn(n * k, 3 * n + k);
        const s1 = assertFusedSquares(new SharedDesign(n, d, Xk, null), new SharedDesign(n, d, Xk, null), A, k, `${n}×${d} k ${k} heap ${Xk !== X}`);
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += X[i * d + j]! * X[i * d + j]!;
          assert.equal(s1[j], s, `squares loop ${n}×${d} column ${j}`);
        }
      }
      freeF64(X);
    }
  } finally {
    setKernelBackend(initial);
  }
});

test('centred blocks (the kernels\' axpy_rows with α = −1) equal X − 1x̄ᵀ bit for bit: X̃ᵀA of a centred design, with and without a row list, equals X̃ᵀA of the centred copy', { skip: !wasmKernelsInfo().sharedMemory }, () => {
  setKernelBackend('wasm');
  try {
    const n = 1324, d = 64, k = 5, N = n + 40;
    const raw = randn(N * d, 17), mu = randn(d, 18), A = randn(n * k, 19);
    const X = resident(raw);
    for (const rows of [null, Int32Array.from({ length: n }, (_, i) => (i * 13 + 5) % N)]) {
      const Xc = allocF64(n * d);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc[i * d + j] = raw[(rows === null ? i : rows[i]!) * d + j]! - mu[j]!;
      const o1 = new Float64Array(d * k), o2 = new Float64Array(d * k);
      const D = new SharedDesign(n, d, X, mu, rows);
      D.transposeTimes(A, k, o1);
      new SharedDesign(n, d, Xc, null).transposeTimes(A, k, o2);
      assert.deepEqual(Array.from(o1), Array.from(o2), `rows ${rows !== null}`);
      D.releaseBuffers();
      freeF64(Xc);
    }
    freeF64(X);
  } finally {
    setKernelBackend(initial);
  }
});
