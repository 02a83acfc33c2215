/**
 * The preprocessing of the squared loss (see `quadratic.ts`): profiled intercepts by centring.
 *
 * For fixed W the optimal intercept of task t is its mean residual, and the loss at that intercept is
 * the loss of the centred problem (X̃_t = X_t − 1 x̄_tᵀ, ỹ_t = y_t − ȳ_t 1). The responses are centred by
 * a copy (they are small beside X); the designs are centred by a copy only when small — large ones are
 * centred on the fly by {@link SharedDesign}, so a fit holds no second copy of X (issue #13).
 *
 * @packageDocumentation
 */
import type { MultiTaskData } from '../data/MultiTaskData.js';
import { gemmTN, gemvT } from '../linalg/blas.js';
import { freeF64, isWasmResident, residentOrHeap } from '../linalg/wasm/matrix.js';
import { SharedDesign } from './sharedDesign.js';

/**
 * Per-task designs with at least this many entries in all are centred on the fly rather than copied
 * (smaller ones keep a centred copy: fewer passes over small arrays).
 */
const PER_TASK_COPY_LIMIT = 1 << 21;

/**
 * Per-task data: each task's design (centred when `fitIntercept`) and centred response.
 * @param data - per-task data (`kind === 'tasks'`)
 * @param fitIntercept - centre (profile out the intercepts)
 * @param xMeans - output T×d: the feature means of each task (left 0 without intercepts)
 * @param yMeans - output length T: the response means (left 0 without intercepts)
 * @param offsets - output length T + 1: the start of each task's residual block
 * @returns the designs, and the responses in the residual layout (`yLayout`, task t at `offsets[t]`)
 *   with each task's block as a view (`ys[t]`)
 * @example
 * ```ts
 * const { designs, ys } = centreTasks(data, true, xMeans, yMeans, offsets);
 * ```
 * @see {@link centreShared}
 */
export function centreTasks(
  data: MultiTaskData, fitIntercept: boolean, xMeans: Float64Array, yMeans: Float64Array, offsets: Int32Array,
): { designs: SharedDesign[]; ys: Float64Array[]; yLayout: Float64Array } {
  const { d, T } = data;
  const designs: SharedDesign[] = [];
  const ys: Float64Array[] = [];
  const yLayout = new Float64Array(data.totalSize);
  const implicit = data.totalSize * d >= PER_TASK_COPY_LIMIT;
  let off = 0;
  for (let t = 0; t < T; t++) {
    // a row subset (a fold, MultiTaskData.selectTaskRows) is read in place: row i is X's row rows[i]
    const { X: Xs, y, rows, n } = data.taskView(t);
    offsets[t] = off;
    const yc = yLayout.subarray(off, off + n);
    yc.set(y);
    ys.push(yc);
    off += n;
    // small subsets are gathered (as a copy of their rows would be); large ones are read in place
    let X = Xs, idx = rows;
    if (rows !== null && !implicit) {
      X = new Float64Array(n * d);
      for (let a = 0; a < n; a++) X.set(Xs.subarray(rows[a]! * d, rows[a]! * d + d), a * d); // X[a, :] = X_s[rows[a], :]
      idx = null;
    }
    if (!fitIntercept) {
      designs.push(new SharedDesign(n, d, X, null, idx));
      continue;
    }
    // X̃_t = X_t − 1 x̄_tᵀ, ỹ_t = y_t − ȳ_t
    const Xc = implicit || X !== Xs ? X : Float64Array.from(X);
    const mx = xMeans.subarray(t * d, (t + 1) * d);
    for (let i = 0; i < n; i++) {
      const o = (idx === null ? i : idx[i]!) * d;
      for (let j = 0; j < d; j++) mx[j]! += X[o + j]!;
    }
    for (let j = 0; j < d; j++) mx[j]! /= n;
    let my = 0;
    for (let i = 0; i < n; i++) my += y[i]!;
    my /= n;
    yMeans[t] = my;
    for (let i = 0; i < n; i++) yc[i]! -= my;
    if (!implicit) for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc[i * d + j]! -= mx[j]!;
    designs.push(new SharedDesign(n, d, Xc, implicit ? mx : null, idx));
  }
  offsets[T] = off;
  return { designs, ys, yLayout };
}

/**
 * One shared design: the design (centred on the fly with global means when `fitIntercept` and nothing
 * is missing), the responses n×T with 0 at missing entries (centred per task over its observed rows),
 * and the observation mask.
 * @param data - shared-design data (`kind === 'shared'`)
 * @param fitIntercept - centre (profile out the intercepts)
 * @param xMeans - output T×d: the feature means per task (global means repeated without missing responses)
 * @param yMeans - output length T: the response means
 * @returns the design, the responses (the data object's own heap Y when nothing is centred, masked or
 *   gathered; never to be modified), the mask (null when nothing is missing) and whether residuals
 *   must be re-centred per task (missing responses with intercepts)
 * @example
 * ```ts
 * const { design, Y } = centreShared(data, true, xMeans, yMeans);
 * ```
 * @see {@link centreTasks}
 */
export function centreShared(
  data: MultiTaskData, fitIntercept: boolean, xMeans: Float64Array, yMeans: Float64Array,
): { design: SharedDesign; Y: Float64Array; mask: Uint8Array | null; centerResiduals: boolean } {
  const { d, T } = data;
  const n = data.n;
  // a row subset ({@link MultiTaskData.selectRows}, a fold) is read in place through its row list
  const view = data.designView();
  const rows = data.hasMissing ? null : view.rows;
  const X0 = rows === null ? data.X! : view.X, Y0 = rows === null ? data.Y! : view.Y;
  // nothing to centre, mask or gather: the data object's own Y (read only, as every Y here) instead of a
  // copy (an n×T allocation and copy per prepared loss, 2 % of a 20000×50×5 fit); a resident Y is still
  // copied to the heap, where the loss's JavaScript loops over Y run faster
  if (!fitIntercept && !data.hasMissing && rows === null && !isWasmResident(Y0)) return { design: new SharedDesign(n, d, X0, null, null), Y: Y0, mask: null, centerResiduals: false };
  const Y = new Float64Array(n * T);
  let mask: Uint8Array | null = null;
  if (data.hasMissing) {
    mask = new Uint8Array(n * T);
    for (let k = 0; k < n * T; k++) {
      const v = Y0[k]!;
      if (!Number.isNaN(v)) {
        mask[k] = 1;
        Y[k] = v;
      }
    }
  } else if (rows === null) {
    Y.set(Y0);
  } else {
    for (let a = 0; a < n; a++) Y.set(Y0.subarray(rows[a]! * T, rows[a]! * T + T), a * T); // Y[a, :] = Y0[rows[a], :]
  }
  if (fitIntercept && !mask) {
    // X̃ = X − 1 x̄ᵀ (global means, formed on the fly by the design), Ỹ = Y − 1 ȳᵀ
    const mx = columnSums(X0, n, d, rows);
    for (let j = 0; j < d; j++) mx[j]! /= n;
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Y[i * T + t]!;
      yMeans[t] = s / n;
      xMeans.set(mx, t * d);
    }
    for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) Y[i * T + t]! -= yMeans[t]!;
    return { design: new SharedDesign(n, d, X0, mx, rows), Y, mask, centerResiduals: false };
  }
  if (fitIntercept && mask) {
    // per-task means over observed rows: x̄_t = Σ_i m_it x_i / n_t (Mᵀ X), ȳ_t likewise
    const M = new Float64Array(n * T);
    for (let k = 0; k < n * T; k++) M[k] = mask[k]!;
    gemmTN(T, d, n, M, X0, xMeans, 0);
    for (let t = 0; t < T; t++) {
      const nt = data.taskSizes[t]!;
      for (let j = 0; j < d; j++) xMeans[t * d + j]! /= nt;
      let s = 0;
      for (let i = 0; i < n; i++) s += Y[i * T + t]!;
      yMeans[t] = s / nt;
    }
    for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) if (mask[i * T + t]) Y[i * T + t]! -= yMeans[t]!;
    return { design: new SharedDesign(n, d, X0, null), Y, mask, centerResiduals: true };
  }
  return { design: new SharedDesign(n, d, X0, null, rows), Y, mask, centerResiduals: false };
}

/**
 * Re-centres residuals of a shared design with missing responses: each task's mean over its observed
 * rows is subtracted from those rows (missing entries stay 0), the profiled intercept's effect on R.
 * @param R - residuals n×T row-major, 0 at missing entries (updated in place)
 * @param mask - observation mask n×T (1 = observed)
 * @param n - rows
 * @param T - tasks
 * @param taskSizes - observed rows per task
 * @param mean - work buffer, length T
 * @example
 * ```ts
 * centreResidualColumns(R, mask, n, T, data.taskSizes, new Float64Array(T));
 * ```
 * @see {@link centreShared}
 */
export function centreResidualColumns(
  R: Float64Array, mask: Uint8Array, n: number, T: number, taskSizes: ArrayLike<number>, mean: Float64Array,
): void {
  // r̄_t = Σ_i m_it R_it / n_t;  R_it −= r̄_t where m_it = 1
  mean.fill(0);
  for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) mean[t]! += R[i * T + t]!;
  for (let t = 0; t < T; t++) mean[t]! /= taskSizes[t]!;
  for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) if (mask[i * T + t]) R[i * T + t]! -= mean[t]!;
}

/**
 * The profiled intercepts for W: b_t = ȳ_t − x̄_tᵀ w_t.
 * @param W - weights d×T row-major
 * @param xMeans - feature means T×d, or null when intercepts are not fitted (then b = 0)
 * @param yMeans - response means, length T
 * @param d - features
 * @param T - tasks
 * @returns b, length T (a new array)
 * @example
 * ```ts
 * const b = profiledIntercepts(W.data, xMeans, yMeans, d, T);
 * ```
 * @see {@link centreTasks}
 */
export function profiledIntercepts(
  W: Float64Array, xMeans: Float64Array | null, yMeans: Float64Array, d: number, T: number,
): Float64Array {
  const b = new Float64Array(T);
  if (xMeans === null) return b;
  for (let t = 0; t < T; t++) {
    // b_t = ȳ_t − Σ_j x̄_tj W_jt
    let s = yMeans[t]!;
    for (let j = 0; j < d; j++) s -= xMeans[t * d + j]! * W[j * T + t]!;
    b[t] = s;
  }
  return b;
}

/**
 * Column sums Σ_i X[row i, j] in ascending i (rows null: the first n rows). A resident X without a row
 * list goes to the kernels' gemvT with x = 1 (each sum the same ascending chain, 1·x exact, so the same
 * bits as the loop; JavaScript loops over the kernels' shared memory run ~3× slower than over the heap).
 */
function columnSums(X: Float64Array, n: number, d: number, rows: Int32Array | null): Float64Array {
  const out = new Float64Array(d);
  if (rows === null && isWasmResident(X)) {
    const ones = residentOrHeap(n, 0), sums = residentOrHeap(d, 0);
    const resident = isWasmResident(ones) && isWasmResident(sums);
    if (resident) {
      ones.fill(1);
      gemvT(n, d, X, 0, ones, 0, sums, 0, 0); // sums = Xᵀ1
      out.set(sums);
    }
    freeF64(ones); freeF64(sums);
    if (resident) return out;
  }
  for (let i = 0; i < n; i++) {
    const o = (rows === null ? i : rows[i]!) * d;
    for (let j = 0; j < d; j++) out[j]! += X[o + j]!;
  }
  return out;
}
