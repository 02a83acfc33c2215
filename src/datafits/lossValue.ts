/**
 * The multi-task squared loss L(W, b) = Σ_t s_t ‖y_t − X_t w_t − b_t·1‖² evaluated from the raw data
 * (see `docs/objectives.md`, "Loss and its scaling"): the independent code path every model's
 * `…Objective` evaluator uses.
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import type { MultiTaskData } from '../data/MultiTaskData.js';
import { kernelBackend } from '../linalg/blas.js';
import { allocI32, freeF64, isWasmResident, residentScratch } from '../linalg/wasm/matrix.js';
import { wasm, type WasmKernels } from '../linalg/wasm/runtime.js';
import { statisticsLossValue } from './statisticsLoss.js';

/**
 * The per-task loss scale s_t of `lossScale` for a task with n_t rows among T tasks.
 * @param lossScale - `'sum'` (1/2), `'mean'` (1/(2n_t)) or `'task-mean'` (1/(T n_t))
 * @param nt - the task's number of observed rows
 * @param T - number of tasks
 * @returns s_t
 * @example
 * ```ts
 * lossScaleFactor('mean', 50, 10); // 0.01
 * ```
 * @see {@link multiTaskLoss}
 */
export function lossScaleFactor(lossScale: LossScale, nt: number, T: number): number {
  switch (lossScale) {
    case 'sum': return 0.5;
    case 'mean': return 1 / (2 * nt);
    case 'task-mean': return 1 / (T * nt);
    default: throw new RangeError(`lossScale: expected 'sum', 'mean' or 'task-mean', got ${String(lossScale)}`);
  }
}

/**
 * Evaluates the multi-task squared loss L(W, b) = Σ_t s_t ‖y_t − X_t w_t − b_t·1‖² directly from the
 * raw data (an independent code path from the solvers' centred, cached computations).
 *
 * @param data - the multi-task data
 * @param W - weights, d×T
 * @param intercepts - b (length T); omitted means b = 0
 * @param lossScale - the loss scaling (default `'mean'`)
 * @param taskWeights - optional extra per-task factors multiplying s_t (default all 1)
 * @returns L(W, b)
 * @throws RangeError when W or the intercepts have the wrong shape
 * @example
 * ```ts
 * const L = multiTaskLoss(data, fit.W, fit.intercepts, 'mean');
 * ```
 * @see {@link lossScaleFactor}
 */
export function multiTaskLoss(
  data: MultiTaskData, W: Mat, intercepts?: Float64Array | readonly number[], lossScale: LossScale = 'mean',
  taskWeights?: Float64Array,
): number {
  const { d, T } = data;
  checkW(W, d, T, 'W');
  if (intercepts !== undefined && intercepts.length !== T) {
    throw new RangeError(`intercepts: expected length T = ${T}, got ${intercepts.length}`);
  }
  const w = W.data;
  if (data.statistics !== null) {
    // from the sums: Σ_t s_t (yᵀy − 2wᵀc − 2b·1ᵀy + wᵀGw + 2b·wᵀ(1ᵀX)ᵀ + n b²)
    const scales = Float64Array.from({ length: T }, (_, t) => lossScaleFactor(lossScale, data.taskSizes[t]!, T) * (taskWeights ? taskWeights[t]! : 1));
    return statisticsLossValue(data.statistics, w, scales, intercepts === undefined ? undefined : Float64Array.from(intercepts));
  }
  // only the non-zero rows of W contribute to X W
  const rows: number[] = [];
  for (let j = 0; j < d; j++) {
    for (let t = 0; t < T; t++) if (w[j * T + t] !== 0) { rows.push(j); break; }
  }
  const S = rows.length;
  const cols = Int32Array.from(rows);
  let total = 0;
  if (data.kind === 'tasks') {
    // per task t: Σ_i (y_ti − b_t − x_iᵀ w_t)² over the support, W_S's column t gathered (S×1)
    const wt = new Float64Array(S), bt = new Float64Array(1), sse = new Float64Array(1);
    for (let t = 0; t < T; t++) {
      const { X, y, n, rows: idx } = data.taskView(t); // a fold's rows are read in place
      for (let a = 0; a < S; a++) wt[a] = w[cols[a]! * T + t]!;
      bt[0] = intercepts ? intercepts[t]! : 0;
      sse[0] = 0;
      sumSquaredResiduals(n, d, X, idx, cols, S, wt, 1, intercepts ? bt : null, y, 1, false, sse);
      total += lossScaleFactor(lossScale, n, T) * (taskWeights ? taskWeights[t]! : 1) * sse[0]!;
    }
    return total;
  }
  // a row subset (a fold, MultiTaskData.selectRows) is read in place: row i is X's and Y's row idx[i]
  const { X, Y, rows: idx } = data.designView(), n = data.n;
  const sse = new Float64Array(T), WS = new Float64Array(S * T);
  for (let a = 0; a < S; a++) WS.set(w.subarray(cols[a]! * T, cols[a]! * T + T), a * T);
  const b = intercepts === undefined ? null : Float64Array.from(intercepts);
  sumSquaredResiduals(n, d, X, idx, cols, S, WS, T, b, Y, T, true, sse);
  for (let t = 0; t < T; t++) total += lossScaleFactor(lossScale, data.taskSizes[t]!, T) * (taskWeights ? taskWeights[t]! : 1) * sse[t]!;
  return total;
}

/**
 * out_t += Σ_{i < n, Y(i, t) observed} (Y(i, t) − b_t − Σ_{a < S} X[row_i, cols_a]·W_S[a, t])² — the squared
 * residuals of a row-sparse W (S×T rows W_S of the features `cols`), with row_i = rows[i] (or i) and
 * Y(i, t) = Y[(yrows ? row_i : i)·ldy + t]; NaN responses are skipped. Each prediction is one ascending
 * chain over a, each out_t one ascending chain over i: this loop, and the kernels' `sse_rows`, which
 * {@link sumSquaredResiduals} runs when the backend is WebAssembly, give the same bits.
 * @param n - rows
 * @param d - the stored design's row stride
 * @param X - the stored design (row-major, stride d)
 * @param rows - row i is X's row rows[i], or null
 * @param cols - the support's features (length ≥ S)
 * @param S - support size
 * @param WS - S×T row-major
 * @param T - tasks
 * @param b - intercepts (length T) or null
 * @param Y - responses
 * @param ldy - Y's row stride
 * @param yrows - Y's rows follow `rows` (shared data) rather than i (a task's own y)
 * @param out - length T accumulators (added to)
 * @example
 * ```ts
 * const out = new Float64Array(T); sseRowsJs(n, d, X, null, cols, S, WS, T, null, Y, T, true, out);
 * ```
 * @see {@link multiTaskLoss}
 */
export function sseRowsJs(
  n: number, d: number, X: Float64Array, rows: Int32Array | null, cols: Int32Array, S: number, WS: Float64Array, T: number,
  b: Float64Array | null, Y: Float64Array, ldy: number, yrows: boolean, out: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const row = rows === null ? i : rows[i]!, o = row * d, yo = (yrows ? row : i) * ldy;
    for (let t = 0; t < T; t++) {
      // p = b_t + x_{row, S} · W_S[:, t]
      let p = b === null ? 0 : b[t]!;
      for (let a = 0; a < S; a++) p += X[o + cols[a]!]! * WS[a * T + t]!;
      const v = Y[yo + t]!;
      if (v === v) { const e = v - p; out[t]! += e * e; } // Y(i, t) observed
    }
  }
}

/**
 * {@link sseRowsJs} by the kernels' `sse_rows` when the backend is WebAssembly and its scratch fits in the
 * kernels' memory (X copied in when on the heap and the copy costs less than the loop; Y, the row list and
 * the small operands always), else the loop itself: the same bits either way.
 * @param n - rows
 * @param d - the stored design's row stride
 * @param X - the stored design (row-major, stride d)
 * @param rows - row i is X's row rows[i], or null
 * @param cols - the support's features (length ≥ S)
 * @param S - support size
 * @param WS - S×T row-major
 * @param T - tasks
 * @param b - intercepts (length T) or null
 * @param Y - responses
 * @param ldy - Y's row stride
 * @param yrows - Y's rows follow `rows` (shared data) rather than i (a task's own y)
 * @param out - length T accumulators (added to)
 * @example
 * ```ts
 * const out = new Float64Array(T); sumSquaredResiduals(n, d, X, null, cols, S, WS, T, null, Y, T, true, out);
 * ```
 * @see {@link sseRowsJs}
 */
export function sumSquaredResiduals(
  n: number, d: number, X: Float64Array, rows: Int32Array | null, cols: Int32Array, S: number, WS: Float64Array, T: number,
  b: Float64Array | null, Y: Float64Array, ldy: number, yrows: boolean, out: Float64Array,
): void {
  if (n === 0) return;
  const k = wasm !== null && kernelBackend() === 'wasm' ? wasm.k as WasmKernels : null;
  const xIn = k === null ? false : isWasmResident(X), yIn = isWasmResident(Y);
  if (k === null || (!xIn && X.length > 2 * n * S * T)) { sseRowsJs(n, d, X, rows, cols, S, WS, T, b, Y, ldy, yrows, out); return; }
  // f64 scratch [xs 4S | W_S | b | out | X? | Y?], i32 scratch [cols | rows?]
  const oW = 4 * S, oB = oW + S * T, oO = oB + T, oX = oO + T, oY = oX + (xIn ? 0 : X.length), len = oY + (yIn ? 0 : Y.length);
  let f: Float64Array, g: Int32Array;
  try { f = residentScratch(len); g = allocI32(S + (rows === null ? 0 : n) + 1); } catch { f = new Float64Array(0); g = new Int32Array(0); }
  if (!isWasmResident(f) || !isWasmResident(g)) {
    freeF64(f); freeF64(g);
    sseRowsJs(n, d, X, rows, cols, S, WS, T, b, Y, ldy, yrows, out);
    return;
  }
  f.set(WS.subarray(0, S * T), oW);
  if (b !== null) f.set(b.subarray(0, T), oB);
  f.set(out.subarray(0, T), oO);
  if (!xIn) f.set(X, oX);
  if (!yIn) f.set(Y, oY);
  g.set(cols.subarray(0, S));
  if (rows !== null) g.set(rows.subarray(0, n), S);
  const at = f.byteOffset;
  k.sse_rows(n, d, xIn ? X.byteOffset : at + 8 * oX, rows === null ? 0 : g.byteOffset + 4 * S, g.byteOffset, S, at + 8 * oW, T,
    b === null ? 0 : at + 8 * oB, yIn ? Y.byteOffset : at + 8 * oY, ldy, yrows ? 1 : 0, at + 8 * oO, at);
  out.set(f.subarray(oO, oX));
  freeF64(f); freeF64(g);
}

/**
 * Checks that W is a d×T {@link Mat} of finite numbers.
 * @param W - candidate weights
 * @param d - expected rows
 * @param T - expected columns
 * @param name - argument name for messages
 * @throws TypeError / RangeError naming the argument and the expected shape
 * @example
 * ```ts
 * checkW(W, data.d, data.T, 'warmStart');
 * ```
 * @see {@link multiTaskLoss}
 */
export function checkW(W: Mat, d: number, T: number, name: string): void {
  if (typeof W !== 'object' || W === null || !(W.data instanceof Float64Array)) {
    throw new TypeError(`${name}: expected a d×T Mat { rows: ${d}, cols: ${T}, data: Float64Array }`);
  }
  if (W.rows !== d || W.cols !== T || W.data.length !== d * T) {
    throw new RangeError(`${name}: has ${W.rows}×${W.cols} (data length ${W.data.length}), expected d×T = ${d}×${T}`);
  }
  for (let i = 0; i < W.data.length; i++) {
    if (!Number.isFinite(W.data[i]!)) throw new RangeError(`${name}: entry (${Math.floor(i / T)}, ${i % T}) is ${W.data[i]}; expected finite`);
  }
}

