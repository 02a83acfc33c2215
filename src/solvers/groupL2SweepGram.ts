/**
 * Fused epochs of L1/L2 group-lasso row steps over a row-major Gram state C = X̃ᵀỸ − X̃ᵀX̃W
 * ({@link GroupL2Sweep}, issue #11): one call runs the row steps of `bcd` over a working set S — the
 * row gradient v_j = 2s ⊙ C_j, the KKT violation, block soft-thresholding, and the update
 * C_S −= G_{S,j} δᵀ — instead of four calls through the datafit and penalty interfaces per row. The
 * arithmetic is that of `groupL2RowStep` (groupL2Sweep.ts) and of the Gram state's `updateRow`
 * (Tseng & Yun 2009 row steps; Friedman, Hastie & Tibshirani, J. Stat. Softw. 33, 2010, for the
 * covariance updates).
 *
 * @packageDocumentation
 */
import type { GroupL2Sweep } from './bcd.js';
import type { WasmKernels } from '../linalg/wasm/runtime.js';
import { allocF64, allocI32, freeF64 } from '../linalg/wasm/matrix.js';

/**
 * Where a Gram state keeps its operands: C (d×T row-major), the Gram columns (feature j's column
 * X̃ᵀx̃_j at `cols()[slot[j]·d ..)`; `cols` may be replaced when the state grows, `slot` is updated in
 * place), the per-task loss scales s_t, and the state's change counters.
 */
export interface GramSweepOperands {
  readonly d: number;
  readonly T: number;
  readonly C: Float64Array;
  readonly cols: () => Float64Array;
  readonly slot: Int32Array;
  readonly scales: Float64Array;
  /** Moves whenever the working set or the Gram columns' places may have changed (prepare, reset). */
  readonly wsStamp: () => number;
  /** Moves whenever W may have changed outside the sweep (updateRow, reset). */
  readonly wStamp: () => number;
}

/**
 * The {@link gramGroupL2Sweep} in the WebAssembly kernels (`gl2_sweep_gram`): C, the Gram columns and
 * the scales' copy live in the kernels' memory, W in a resident d×T mirror. The working set and the
 * addresses of its Gram columns are copied into resident scratch when the state's `wsStamp` moved
 * (a new working set or reset), the curvatures when `Lrow` is a new array, W into the mirror when
 * `wStamp` moved (a row changed outside the sweep); after each call the swept rows are copied back
 * (the whole mirror by one memcpy when d ≤ 4p). The updates are those of `axpy_gather`.
 * @param wk - the kernels
 * @param g - the state's operands (C and the Gram columns resident)
 * @returns the sweep and a `release` that returns its scratch to the allocator
 * @example
 * ```ts
 * const { sweep } = wasmGramGroupL2Sweep(wasm.k, operands);
 * ```
 * @see {@link GroupL2Sweep}
 */
export function wasmGramGroupL2Sweep(wk: WasmKernels, g: GramSweepOperands): { sweep: GroupL2Sweep; release: () => void } {
  const { d, T, C, slot } = g;
  // two blocks (each allocation costs more than its size here): [2s_t | the kernel's 3T scratch | Lrow | W]
  // and [working set | Gram column addresses]
  const f64 = allocF64(4 * T + d + d * T), i32 = allocI32(2 * d);
  const s2 = f64.subarray(0, 4 * T), Lm = f64.subarray(4 * T, 4 * T + d), Wm = f64.subarray(4 * T + d);
  const wsR = i32.subarray(0, d), gp = i32.subarray(d);
  for (let t = 0; t < T; t++) s2[t] = 2 * g.scales[t]!;
  let wsAt = -1, wAt = -1, pAt = -1, Lat: Float64Array | null = null, Wat: Float64Array | null = null;
  const sweep: GroupL2Sweep = (ws, p, W, Lrow, lambda, ridge) => {
    const full = d <= 4 * p;
    if (g.wsStamp() !== wsAt || p !== pAt) {
      // the working set and its Gram columns' addresses
      const base = g.cols().byteOffset;
      for (let a = 0; a < p; a++) { const j = ws[a]!; wsR[a] = j; gp[a] = base + 8 * slot[j]! * d; }
      wsAt = g.wsStamp(); pAt = p; wAt = -1;
    }
    if (Lrow !== Lat) { Lm.set(Lrow.subarray(0, d)); Lat = Lrow; }
    if (g.wStamp() !== wAt || W !== Wat) {
      if (full) Wm.set(W.subarray(0, d * T));
      else for (let a = 0; a < p; a++) for (let t = 0, o = ws[a]! * T; t < T; t++) Wm[o + t] = W[o + t]!;
      wAt = g.wStamp(); Wat = W;
    }
    const worst = wk.gl2_sweep_gram(p, wsR.byteOffset, Wm.byteOffset, Lm.byteOffset, lambda, ridge, T, C.byteOffset, gp.byteOffset,
      s2.byteOffset, s2.byteOffset + 8 * T);
    // W_S ← the mirror's rows (the other rows are equal)
    if (full) W.set(Wm);
    else for (let a = 0; a < p; a++) for (let t = 0, o = ws[a]! * T; t < T; t++) W[o + t] = Wm[o + t]!;
    return worst;
  };
  return { sweep, release: () => { freeF64(f64); freeF64(i32); } };
}
