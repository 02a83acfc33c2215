/**
 * Anderson's tries in a scratch residual (issue #11). `bcd` tries an extrapolated point of the working-set
 * rows every few sweeps (Bertrand & Massias, "Anderson acceleration of coordinate descent", AISTATS 2021)
 * and keeps it only when it lowers the objective. Applying the point to the residual state row by row and
 * reverting it on rejection cost two passes of row updates through the datafit (~9 % of a 200×2000×5 path,
 * 40 % of the tries rejected); here the point is applied to a copy of R by one kernel call, the objective is
 * read off the copy, and the copy becomes R only on acceptance (a rejection costs no revert, and leaves R's
 * bits untouched).
 *
 * @packageDocumentation
 */
import type { WasmKernels } from '../linalg/wasm/runtime.js';
import { allocF64, allocI32, freeF64, isWasmResident, residentOrHeap } from '../linalg/wasm/matrix.js';

/**
 * A scratch copy of a task-major residual R (T×n, resident) with the rows ws[0..p) of W replaced:
 * R_try = R + Σ_a x̃_{c_a} (w^{ws[a]} − x_a)ᵀ, by the kernels' `axpy_rows_cols` over the rows that change,
 * each entry rounded as by `bcd`'s row-by-row `setRows` (the same bits as that route's state).
 *
 * @example
 * ```ts
 * const rt = new RowTry(wasm.k, n, T, Xc, R);
 * if (rt.apply(ws, p, W, ext, null) && better(rt.scratch)) rt.accept(); // R ← R_try
 * ```
 * @see {@link BcdDatafit.tryRows}
 */
export class RowTry {
  /** R_try after {@link RowTry.apply} (T×n task-major). */
  readonly scratch: Float64Array;
  private cap = 0;
  private al: Float64Array = new Float64Array(0);
  private cols: Int32Array = new Int32Array(0);
  private alH: Float64Array = new Float64Array(0);
  private colsH: Int32Array = new Int32Array(0);

  /**
   * @param wk - the kernels
   * @param n - rows of the design
   * @param T - tasks
   * @param X - the feature-major design (column c at X[c·n ..)), resident
   * @param R - the state's task-major residuals (T·n), resident
   */
  constructor(private readonly wk: WasmKernels, private readonly n: number, private readonly T: number,
    private readonly X: Float64Array, private readonly R: Float64Array) {
    this.scratch = residentOrHeap(n * T, 0);
  }

  /**
   * scratch ← R with the rows ws[0..p) of W replaced by x (p·T, compact).
   * @param ws - the rows
   * @param p - how many
   * @param W - d×T weights (the state's)
   * @param x - the new rows
   * @param index - column j of X is column index[j] (a panel's slots), or null: column j
   * @returns false when the scratch is not resident (the kernels' memory was full): nothing done
   */
  apply(ws: Int32Array, p: number, W: Float64Array, x: Float64Array, index: Int32Array | null): boolean {
    const { n, T } = this;
    if (!isWasmResident(this.scratch) || !isWasmResident(this.X) || !isWasmResident(this.R)) return false;
    if (p > this.cap) {
      if (this.cap > 0) { freeF64(this.al); freeF64(this.cols); }
      this.cap = Math.max(p, 2 * this.cap, 16);
      this.al = allocF64(this.cap * T); this.cols = allocI32(this.cap);
      this.alH = new Float64Array(this.cap * T); this.colsH = new Int32Array(this.cap);
    }
    // α_a = w^j − x_a (= −δ of the row update) for the rows that change, staged on the heap
    const alH = this.alH, colsH = this.colsH;
    let m = 0;
    for (let a = 0; a < p; a++) {
      const j = ws[a]!, o = j * T, q = a * T, r = m * T;
      let changed = false;
      for (let t = 0; t < T; t++) { const v = W[o + t]! - x[q + t]!; alH[r + t] = v; if (v !== 0) changed = true; }
      if (changed) colsH[m++] = index === null ? j : index[j]!;
    }
    this.scratch.set(this.R);
    if (m === 0) return true;
    this.al.set(alH.subarray(0, m * T));
    this.cols.set(colsH.subarray(0, m));
    this.wk.axpy_rows_cols(m, T, n, this.cols.byteOffset, this.al.byteOffset, this.X.byteOffset, this.scratch.byteOffset);
    return true;
  }

  /** R ← the scratch of the last {@link RowTry.apply}. */
  accept(): void { this.R.set(this.scratch); }

  /** Returns the scratch and staging buffers to the allocator; the object must not be used afterwards. */
  release(): void {
    freeF64(this.scratch);
    if (this.cap > 0) { freeF64(this.al); freeF64(this.cols); this.cap = 0; }
  }
}
