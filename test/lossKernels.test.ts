/**
 * The kernels behind the exact objective (`multiTaskLoss`, issue #11): `sse_rows` against its JavaScript
 * twin `sseRowsJs`, bit for bit, and `multiTaskLoss` on both backends against an independent evaluator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelBackend, setKernelBackend, wasmKernelsInfo } from '../src/linalg/blas.js';
import { allocF64, freeF64 } from '../src/linalg/wasm/matrix.js';
import { sseRowsJs, sumSquaredResiduals, multiTaskLoss } from '../src/datafits/lossValue.js';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { randn } from './helpers/random.js';

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
