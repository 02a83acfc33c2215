/**
 * Fused epochs of L1/L2 group-lasso row steps ({@link GroupL2Sweep}, issue #11): one call runs the row
 * steps of `bcd` over a working set, with the row gradient, the KKT violation, the block
 * soft-thresholding step and the state update written out in one monomorphic loop, instead of four
 * calls through the datafit and penalty interfaces per row. The arithmetic is that of the generic step
 * (Tseng & Yun 2009 row steps; Massias, Gramfort & Salmon, "Celer", ICML 2018, for the working sets).
 *
 * @packageDocumentation
 */
import type { GroupL2Sweep } from './bcd.js';
import type { WasmKernels } from '../linalg/wasm/runtime.js';
import { allocF64, allocI32, freeF64 } from '../linalg/wasm/matrix.js';

/** ‖x[o..o+n)‖₂, plain when the sum of squares is in the safe range, else scaled (no under/overflow). */
function norm2(x: Float64Array, o: number, n: number): number {
  let s = 0;
  for (let t = 0; t < n; t++) { const v = x[o + t]!; s += v * v; }
  if (s > 1e-280 && s < 1e280) return Math.sqrt(s);
  let m = 0;
  for (let t = 0; t < n; t++) m = Math.max(m, Math.abs(x[o + t]!));
  if (m === 0 || !(m < Infinity)) return m; // 0, ∞ or NaN
  let q = 0;
  for (let t = 0; t < n; t++) { const v = x[o + t]! / m; q += v * v; }
  return m * Math.sqrt(q);
}

/**
 * The KKT violation dist(z, λ∂‖w‖₂) of the row w = W[o..o+T) with negative gradient z: (‖z‖ − λ)₊ at
 * w = 0, ‖z − λw/‖w‖‖ otherwise (the group-L2 case of the penalty's `subdiffDistance`, monomorphic).
 * @param W - d×T weights
 * @param o - offset of the row
 * @param T - row length
 * @param z - the row's negative gradient
 * @param lambda - λ
 * @returns the violation
 * @example
 * ```ts
 * groupL2Violation(Float64Array.of(0, 0), 0, 2, Float64Array.of(3, 4), 2); // 3
 * ```
 */
export function groupL2Violation(W: Float64Array, o: number, T: number, z: Float64Array, lambda: number): number {
  const wn = norm2(W, o, T);
  // dist(z, λB₂) = (‖z‖ − λ)₊ at w = 0
  if (wn === 0) return Math.max(0, norm2(z, 0, T) - lambda);
  // ‖z − λ w/‖w‖‖
  let s = 0;
  const c = lambda / wn;
  for (let t = 0; t < T; t++) { const e = z[t]! - c * W[o + t]!; s += e * e; }
  return Math.sqrt(s);
}

/**
 * The group-L2 row step's penalty half on a row whose negative gradient is z (T entries): returns the
 * KKT violation dist(z, λ∂‖w‖₂) of the current row w = W[o..o+T), then writes the new row
 * prox_{λ‖·‖₂/L}(w + z/L) to out (0 when L = 0).
 * @internal
 */
export function groupL2RowStep(W: Float64Array, o: number, T: number, z: Float64Array, L: number, lambda: number, out: Float64Array): number {
  const viol = groupL2Violation(W, o, T, z, lambda);
  if (!(L > 0)) { out.fill(0, 0, T); return viol; }
  // u = w + z/L;  w ← (1 − λ/(L‖u‖))₊ u
  const inv = 1 / L;
  for (let t = 0; t < T; t++) out[t] = W[o + t]! + z[t]! * inv;
  const nu = norm2(out, 0, T), tau = lambda * inv;
  if (!(nu > tau)) { out.fill(0, 0, T); return viol; }
  const c = 1 - tau / nu;
  for (let t = 0; t < T; t++) out[t] = c * out[t]!;
  return viol;
}

/**
 * A {@link GroupL2Sweep} over a residual state of a shared design without missing responses, in
 * JavaScript: R task-major (r_t at R[t·n ..)), X feature-major (x_j at X[j·n ..)), scales s_t. As in
 * the kernel, a changed row's update is done in the same pass over R as the next row's gradient; each
 * entry and each dot is rounded as by the separate update (r − δ_t x = r + (−δ_t) x exactly) and dot.
 * @param n - rows of the design
 * @param T - tasks
 * @param X - the feature-major design (d·n)
 * @param R - the task-major residuals (T·n), updated in place
 * @param s - the per-task loss scales s_t
 * @returns the sweep (its work buffers allocated here, once)
 * @example
 * ```ts
 * const sweep = residualGroupL2Sweep(n, T, Xc, R, loss.scales);
 * const worst = sweep(ws, p, W, Lrow, lambda, 0);
 * ```
 * @see {@link GroupL2Sweep}
 */
export function residualGroupL2Sweep(n: number, T: number, X: Float64Array, R: Float64Array, s: Float64Array): GroupL2Sweep {
  const z = new Float64Array(T), wNew = new Float64Array(T), alpha = new Float64Array(T);
  return (ws, p, W, Lrow, lambda, ridge) => {
    let worst = 0;
    // the pending update r_t += α_t x̃_prev (α = −δ) of the last changed row, x̃_prev at X[prev ..); −1 = none
    let prev = -1;
    for (let a = 0; a < p; a++) {
      const j = ws[a]!, o = j * T, xo = j * n;
      // z_t = 2 s_t x̃_jᵀ r_t − 2ρ w_jt, after r_t += α_t x̃_prev in the same pass over r_t
      for (let t = 0; t < T; t++) {
        const ro = t * n, al = prev < 0 ? 0 : alpha[t]!;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
        if (al !== 0) {
          for (; i + 3 < n; i += 4) {
            const r0 = R[ro + i]! + al * X[prev + i]!, r1 = R[ro + i + 1]! + al * X[prev + i + 1]!;
            const r2 = R[ro + i + 2]! + al * X[prev + i + 2]!, r3 = R[ro + i + 3]! + al * X[prev + i + 3]!;
            R[ro + i] = r0; R[ro + i + 1] = r1; R[ro + i + 2] = r2; R[ro + i + 3] = r3;
            s0 += X[xo + i]! * r0; s1 += X[xo + i + 1]! * r1; s2 += X[xo + i + 2]! * r2; s3 += X[xo + i + 3]! * r3;
          }
          for (; i < n; i++) { const r = R[ro + i]! + al * X[prev + i]!; R[ro + i] = r; s0 += X[xo + i]! * r; }
        } else {
          for (; i + 3 < n; i += 4) {
            s0 += X[xo + i]! * R[ro + i]!; s1 += X[xo + i + 1]! * R[ro + i + 1]!;
            s2 += X[xo + i + 2]! * R[ro + i + 2]!; s3 += X[xo + i + 3]! * R[ro + i + 3]!;
          }
          for (; i < n; i++) s0 += X[xo + i]! * R[ro + i]!;
        }
        z[t] = 2 * s[t]! * (((s0 + s1) + s2) + s3) - 2 * ridge * W[o + t]!;
      }
      prev = -1;
      const viol = groupL2RowStep(W, o, T, z, Lrow[j]!, lambda, wNew);
      if (!(viol <= worst)) worst = viol !== viol ? NaN : viol;
      if (worst !== worst) return NaN;
      let changed = false;
      for (let t = 0; t < T; t++) { const dx = W[o + t]! - wNew[t]!; alpha[t] = dx; if (dx !== 0) changed = true; }
      if (!changed) continue;
      for (let t = 0; t < T; t++) W[o + t] = wNew[t]!;
      prev = xo;
    }
    // the last pending update: r_t += α_t x̃_prev
    if (prev >= 0) {
      for (let t = 0; t < T; t++) {
        const al = alpha[t]!, ro = t * n;
        if (al !== 0) for (let i = 0; i < n; i++) R[ro + i] = R[ro + i]! + al * X[prev + i]!;
      }
    }
    return worst;
  };
}

/**
 * The {@link residualGroupL2Sweep} in the WebAssembly kernels (`gl2_sweep`): X, R and the scales'
 * copy live in the kernels' memory; per call the working set, its rows of W and their curvatures are
 * copied into resident scratch (p·T values, against the sweep's 4·n·T·p flops) and the rows copied
 * back. Each row step costs one pass over R: a changed row's update R += (−δ) x_jᵀ is done in the
 * same pass as the next row's gradient R x_j (each entry rounded as by `axpy_rows`; the dots'
 * summation order differs from `gemv_rows`' in the last bits).
 * @param wk - the kernels
 * @param n - rows of the design
 * @param T - tasks
 * @param X - the feature-major design (d·n), resident
 * @param R - the task-major residuals (T·n), resident, updated in place
 * @param s - the per-task loss scales s_t
 * @param index - column j of X is column index[j] (a column panel's slots), or null: column j @default null
 * @returns the sweep and a `release` that returns its scratch to the allocator
 * @example
 * ```ts
 * const { sweep } = wasmResidualGroupL2Sweep(wasm.k, n, T, Xc, R, loss.scales);
 * ```
 * @see {@link GroupL2Sweep}
 */
export function wasmResidualGroupL2Sweep(
  wk: WasmKernels, n: number, T: number, X: Float64Array, R: Float64Array, s: Float64Array, index: Int32Array | null = null,
): { sweep: GroupL2Sweep; release: () => void } {
  const s2 = allocF64(4 * T); // 2s_t, then the kernel's 3T scratch
  for (let t = 0; t < T; t++) s2[t] = 2 * s[t]!;
  let cap = 0, wsR: Int32Array = new Int32Array(0), Wp: Float64Array = new Float64Array(0), Lp: Float64Array = new Float64Array(0);
  const release = (): void => { if (cap > 0) { freeF64(wsR); freeF64(Wp); freeF64(Lp); cap = 0; } };
  const sweep: GroupL2Sweep = (ws, p, W, Lrow, lambda, ridge) => {
    if (p > cap) {
      release();
      cap = Math.max(p, 2 * cap, 16);
      wsR = allocI32(cap); Wp = allocF64(cap * T); Lp = allocF64(cap);
    }
    for (let a = 0; a < p; a++) {
      const j = ws[a]!, o = j * T, q = a * T;
      wsR[a] = index === null ? j : index[j]!; Lp[a] = Lrow[j]!;
      for (let t = 0; t < T; t++) Wp[q + t] = W[o + t]!;
    }
    const worst = wk.gl2_sweep(p, wsR.byteOffset, Wp.byteOffset, Lp.byteOffset, lambda, ridge, T, n, X.byteOffset, R.byteOffset,
      s2.byteOffset, s2.byteOffset + 8 * T);
    for (let a = 0; a < p; a++) {
      const o = ws[a]! * T, q = a * T;
      for (let t = 0; t < T; t++) W[o + t] = Wp[q + t]!;
    }
    return worst;
  };
  return { sweep, release: () => { release(); freeF64(s2); } };
}
