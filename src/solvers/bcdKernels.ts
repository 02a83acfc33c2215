/**
 * The loops of residual coordinate descent on a shared design, written for skinny task counts
 * (T = 5 is common): the design is column-major (feature j contiguous), the residuals task-major
 * (task t contiguous), and each loop handles four tasks per pass over x_j, so x_j is loaded once for
 * four multiply-adds. No allocation.
 *
 * @packageDocumentation
 */

/**
 * out[t] = Σ_i x[xo + i] · R[t·n + i] for t < T: the correlations x_jᵀ r_t of one feature with every
 * task's residual (R task-major, T×n).
 * @param n - rows
 * @param T - tasks
 * @param x - buffer holding x_j
 * @param xo - offset of x_j
 * @param R - T×n residuals, task-major
 * @param out - length ≥ T
 * @example
 * ```ts
 * rowCorrelations(n, T, Xc, j * n, R, v);
 * ```
 * @see {@link rowRankOneUpdate}
 */
export function rowCorrelations(n: number, T: number, x: Float64Array, xo: number, R: Float64Array, out: Float64Array): void {
  let t = 0;
  for (; t + 3 < T; t += 4) {
    // (s0..s3) = x_jᵀ [r_t … r_{t+3}]
    const o0 = t * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[xo + i]!;
      s0 += xi * R[o0 + i]!;
      s1 += xi * R[o1 + i]!;
      s2 += xi * R[o2 + i]!;
      s3 += xi * R[o3 + i]!;
    }
    out[t] = s0; out[t + 1] = s1; out[t + 2] = s2; out[t + 3] = s3;
  }
  for (; t < T; t++) {
    const o = t * n;
    let s0 = 0, s1 = 0;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      s0 += x[xo + i]! * R[o + i]!;
      s1 += x[xo + i + 1]! * R[o + i + 1]!;
    }
    if (i < n) s0 += x[xo + i]! * R[o + i]!;
    out[t] = s0 + s1;
  }
}

/**
 * R[t·n + i] −= δ_t · x[xo + i] for every task t with δ_t ≠ 0: the residual update R −= x_j δᵀ after
 * row j of W moved by δ (R task-major).
 * @param n - rows
 * @param T - tasks
 * @param x - buffer holding x_j
 * @param xo - offset of x_j
 * @param delta - length T
 * @param R - T×n residuals, task-major (updated)
 * @example
 * ```ts
 * rowRankOneUpdate(n, T, Xc, j * n, delta, R);
 * ```
 * @see {@link rowCorrelations}
 */
export function rowRankOneUpdate(n: number, T: number, x: Float64Array, xo: number, delta: Float64Array, R: Float64Array): void {
  let t = 0;
  for (; t + 3 < T; t += 4) {
    const d0 = delta[t]!, d1 = delta[t + 1]!, d2 = delta[t + 2]!, d3 = delta[t + 3]!;
    if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0) continue;
    // [r_t … r_{t+3}] −= x_j [δ_t … δ_{t+3}]
    const o0 = t * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    for (let i = 0; i < n; i++) {
      const xi = x[xo + i]!;
      R[o0 + i]! -= d0 * xi;
      R[o1 + i]! -= d1 * xi;
      R[o2 + i]! -= d2 * xi;
      R[o3 + i]! -= d3 * xi;
    }
  }
  for (; t < T; t++) {
    const dt = delta[t]!;
    if (dt === 0) continue;
    const o = t * n;
    for (let i = 0; i < n; i++) R[o + i]! -= dt * x[xo + i]!;
  }
}

/**
 * V[j·T + t] = Σ_i Xc[j·n + i] · R[t·n + i]: all correlations X̃ᵀR at once (Xc = X̃ column-major d×n,
 * R task-major T×n), blocked 2 features × 4 tasks over row chunks that stay in cache.
 * @param d - features
 * @param T - tasks
 * @param n - rows
 * @param Xc - d×n (feature-major)
 * @param R - T×n (task-major)
 * @param V - d×T output (overwritten)
 * @example
 * ```ts
 * allCorrelations(d, T, n, Xc, R, V);
 * ```
 * @see {@link rowCorrelations}
 */
export function allCorrelations(d: number, T: number, n: number, Xc: Float64Array, R: Float64Array, V: Float64Array): void {
  V.fill(0, 0, d * T);
  const CH = 1024;
  for (let i0 = 0; i0 < n; i0 += CH) {
    const i1 = Math.min(n, i0 + CH);
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const x0 = j * n, x1 = x0 + n;
      let t = 0;
      for (; t + 3 < T; t += 4) {
        // V[j..j+1, t..t+3] += X̃[:, j..j+1]ᵀ R[t..t+3, :]ᵀ over the chunk
        const o0 = t * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        for (let i = i0; i < i1; i++) {
          const u = Xc[x0 + i]!, w = Xc[x1 + i]!;
          const r0 = R[o0 + i]!, r1 = R[o1 + i]!, r2 = R[o2 + i]!, r3 = R[o3 + i]!;
          a0 += u * r0; a1 += u * r1; a2 += u * r2; a3 += u * r3;
          b0 += w * r0; b1 += w * r1; b2 += w * r2; b3 += w * r3;
        }
        const v0 = j * T + t, v1 = v0 + T;
        V[v0]! += a0; V[v0 + 1]! += a1; V[v0 + 2]! += a2; V[v0 + 3]! += a3;
        V[v1]! += b0; V[v1 + 1]! += b1; V[v1 + 2]! += b2; V[v1 + 3]! += b3;
      }
      for (; t < T; t++) {
        const o = t * n;
        let a = 0, b = 0;
        for (let i = i0; i < i1; i++) {
          const r = R[o + i]!;
          a += Xc[x0 + i]! * r;
          b += Xc[x1 + i]! * r;
        }
        V[j * T + t]! += a;
        V[(j + 1) * T + t]! += b;
      }
    }
    for (; j < d; j++) {
      const x0 = j * n;
      for (let t = 0; t < T; t++) {
        const o = t * n;
        let a = 0;
        for (let i = i0; i < i1; i++) a += Xc[x0 + i]! * R[o + i]!;
        V[j * T + t]! += a;
      }
    }
  }
}

/**
 * out = Aᵀ for a rows×cols row-major A (out is cols×rows), in 32×32 tiles (cache-friendly).
 * @param A - input
 * @param rows - rows of A
 * @param cols - columns of A
 * @param out - output, length rows·cols
 * @returns out
 * @example
 * ```ts
 * const Xc = transposeTiled(X, n, d, new Float64Array(n * d));
 * ```
 * @see {@link allCorrelations}
 */
export function transposeTiled(A: Float64Array, rows: number, cols: number, out: Float64Array): Float64Array {
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(rows, i0 + B);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(cols, j0 + B);
      // out[j, i] = A[i, j] on the tile
      for (let i = i0; i < i1; i++) {
        const o = i * cols;
        for (let j = j0; j < j1; j++) out[j * rows + i] = A[o + j]!;
      }
    }
  }
  return out;
}
