/**
 * The multi-task squared loss L(W, b) = Σ_t s_t ‖y_t − X_t w_t − b_t·1‖² evaluated from the raw data
 * (see `docs/objectives.md`, "Loss and its scaling"): the independent code path every model's
 * `…Objective` evaluator uses.
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import type { MultiTaskData } from '../data/MultiTaskData.js';
import { gemmNN } from '../linalg/blas.js';
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
  let total = 0;
  if (data.kind === 'tasks') {
    for (let t = 0; t < T; t++) {
      const { X, y, n, rows: idx } = data.taskView(t); // a fold's rows are read in place
      const b = intercepts ? intercepts[t]! : 0;
      let sse = 0;
      for (let i = 0; i < n; i++) {
        let pred = b; // pred = x_i · w_t + b_t
        const o = (idx === null ? i : idx[i]!) * d;
        for (let a = 0; a < S; a++) {
          const j = rows[a]!;
          pred += X[o + j]! * w[j * T + t]!;
        }
        const r = y[i]! - pred;
        sse += r * r;
      }
      total += lossScaleFactor(lossScale, n, T) * (taskWeights ? taskWeights[t]! : 1) * sse;
    }
    return total;
  }
  // a row subset (a fold, MultiTaskData.selectRows) is read in place: row i is X's row idx[i]
  const { X, Y, rows: idx } = data.designView(), n = data.n;
  const sse = new Float64Array(T);
  // predictions P = X_S W_S + 1bᵀ a block of rows at a time (blocked products on the rows' slice of
  // X, or on the gathered columns X_S when W is sparse), so no n×T buffer is held (issue #13)
  const dense = S * 4 >= d;
  let m = Math.max(1, Math.floor((1 << 16) / Math.max(T, dense ? 1 : S)));
  if (dense && idx !== null) m = Math.max(1, Math.min(m, Math.floor((1 << 16) / d))); // gathered row blocks
  const P = new Float64Array(Math.min(m, n) * T);
  const XS = dense || S === 0 ? null : new Float64Array(Math.min(m, n) * S);
  const XB = dense && idx !== null ? new Float64Array(Math.min(m, n) * d) : null;
  const WS = new Float64Array(S * T);
  for (let a = 0; a < S; a++) WS.set(w.subarray(rows[a]! * T, rows[a]! * T + T), a * T);
  for (let i0 = 0; i0 < n; i0 += m) {
    const r = Math.min(m, n - i0);
    const Pb = r * T === P.length ? P : P.subarray(0, r * T);
    if (S === 0) Pb.fill(0);
    else if (XS === null) {
      // P = X_block W (the block's rows gathered first for a row subset)
      if (XB !== null) for (let a = 0; a < r; a++) XB.set(X.subarray(idx![i0 + a]! * d, idx![i0 + a]! * d + d), a * d);
      const Xb = XB === null ? X.subarray(i0 * d, (i0 + r) * d) : r * d === XB.length ? XB : XB.subarray(0, r * d);
      gemmNN(r, T, d, Xb, w, Pb, 0);
    } else {
      // P = X_block[:, S] W_S
      for (let a = 0; a < r; a++) {
        const o = (idx === null ? i0 + a : idx[i0 + a]!) * d;
        for (let b = 0; b < S; b++) XS[a * S + b] = X[o + rows[b]!]!;
      }
      gemmNN(r, T, S, r * S === XS.length ? XS : XS.subarray(0, r * S), WS, Pb, 0);
    }
    for (let a = 0; a < r; a++) {
      for (let t = 0; t < T; t++) {
        const yv = Y[(idx === null ? i0 + a : idx[i0 + a]!) * T + t]!;
        if (Number.isNaN(yv)) continue;
        const res = yv - ((intercepts ? intercepts[t]! : 0) + Pb[a * T + t]!); // y − (x_i W + b)
        sse[t]! += res * res;
      }
    }
  }
  for (let t = 0; t < T; t++) total += lossScaleFactor(lossScale, data.taskSizes[t]!, T) * (taskWeights ? taskWeights[t]! : 1) * sse[t]!;
  return total;
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

