/**
 * The JavaScript kernels (BLAS-like) written for V8: the fallback of `blas.ts` where WebAssembly SIMD
 * is missing or `MTLEARN_KERNELS=js` / `setKernelBackend('js')` forces it, and the path for products
 * too small to be worth a call into WebAssembly. Import kernels from `blas.ts`, not from here.
 *
 * Every matrix argument is row-major with its sizes passed explicitly; outputs are preallocated by the
 * caller; no kernel allocates. The matrix products use 4×4 register blocking (16 accumulators, 8 loads
 * per 16 multiply-adds) which reaches about 4 GFLOP/s on one core here, against about 1.1 for a plain
 * triple loop (see `bench/kernels.ts`).
 *
 * @packageDocumentation
 */

/**
 * Dot product Σ_i x[xo + i] · y[yo + i].
 * @param n - number of terms
 * @param x - first vector
 * @param xo - offset into x
 * @param y - second vector
 * @param yo - offset into y
 * @returns the dot product
 * @example
 * ```ts
 * dot(3, new Float64Array([1, 2, 3]), 0, new Float64Array([4, 5, 6]), 0); // 32
 * ```
 * @see {@link axpy}
 */
export function dot(n: number, x: Float64Array, xo: number, y: Float64Array, yo: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += x[xo + i]! * y[yo + i]!;
    s1 += x[xo + i + 1]! * y[yo + i + 1]!;
    s2 += x[xo + i + 2]! * y[yo + i + 2]!;
    s3 += x[xo + i + 3]! * y[yo + i + 3]!;
  }
  for (; i < n; i++) s0 += x[xo + i]! * y[yo + i]!;
  return s0 + s1 + s2 + s3;
}

/**
 * y[yo + i] += a · x[xo + i] for i in [0, n).
 * @param n - number of entries
 * @param a - scalar
 * @param x - source vector
 * @param xo - offset into x
 * @param y - destination vector (updated in place)
 * @param yo - offset into y
 * @example
 * ```ts
 * const y = new Float64Array([1, 1]); axpy(2, 3, new Float64Array([1, 2]), 0, y, 0); // y = [4, 7]
 * ```
 * @see {@link dot}
 */
export function axpy(n: number, a: number, x: Float64Array, xo: number, y: Float64Array, yo: number): void {
  for (let i = 0; i < n; i++) y[yo + i]! += a * x[xo + i]!;
}

/**
 * y = A x (beta = 0) or y += A x (beta = 1) for A m×k row-major from `aOff`, x from `xOff`, y from
 * `yOff`: the JavaScript backend of `gemv` in `blas.ts`, which documents each argument.
 * @internal
 * @example
 * ```ts
 * const y = new Float64Array(2);
 * gemv(2, 2, new Float64Array([1, 2, 3, 4]), 0, new Float64Array([1, 1]), 0, y, 0, 0); // y = [3, 7]
 * ```
 * @see {@link gemvT}
 */
export function gemv(
  m: number, k: number, A: Float64Array, aOff: number, x: Float64Array, xOff: number,
  y: Float64Array, yOff: number, beta: 0 | 1,
): void {
  for (let i = 0; i < m; i++) {
    const s = dot(k, A, aOff + i * k, x, xOff);
    y[yOff + i] = beta === 0 ? s : y[yOff + i]! + s;
  }
}

/**
 * Transposed matrix-vector product y = Aᵀ x (beta = 0) or y += Aᵀ x (beta = 1), A m×k row-major.
 * @param m - rows of A
 * @param k - columns of A
 * @param A - matrix, m×k row-major, starting at aOff
 * @param aOff - offset of A in its buffer
 * @param x - vector of length m (from xOff)
 * @param xOff - offset into x
 * @param y - output vector of length k (from yOff)
 * @param yOff - offset into y
 * @param beta - 0 to overwrite y, 1 to accumulate
 * @example
 * ```ts
 * const y = new Float64Array(2);
 * gemvT(2, 2, new Float64Array([1, 2, 3, 4]), 0, new Float64Array([1, 1]), 0, y, 0, 0); // y = [4, 6]
 * ```
 * @see {@link gemv}
 */
export function gemvT(
  m: number, k: number, A: Float64Array, aOff: number, x: Float64Array, xOff: number,
  y: Float64Array, yOff: number, beta: 0 | 1,
): void {
  if (beta === 0) y.fill(0, yOff, yOff + k);
  // y += Σ_i x_i · A[i, :]  (row-wise axpy: contiguous access)
  for (let i = 0; i < m; i++) {
    const xi = x[xOff + i]!;
    if (xi !== 0) axpy(k, xi, A, aOff + i * k, y, yOff);
  }
}

/**
 * C = A·B (beta = 0) or C += A·B (beta = 1). A is m×k, B is k×n, C is m×n, all row-major and dense.
 * 4×4 register-blocked.
 * @param m - rows of A and C
 * @param n - columns of B and C
 * @param k - columns of A, rows of B
 * @param A - m×k
 * @param B - k×n
 * @param C - m×n output
 * @param beta - 0 to overwrite C, 1 to accumulate
 * @example
 * ```ts
 * const C = new Float64Array(4);
 * gemmNN(2, 2, 2, new Float64Array([1, 2, 3, 4]), new Float64Array([1, 0, 0, 1]), C, 0); // C = A
 * ```
 * @see {@link gemmTN}, {@link gemmNT}
 */
export function gemmNN(m: number, n: number, k: number, A: Float64Array, B: Float64Array, C: Float64Array, beta: 0 | 1): void {
  if (beta === 0) C.fill(0, 0, m * n);
  // C[i, j] += Σ_p A[i, p] B[p, j]. B is packed into 4-column strips (k×4 contiguous) so the
  // inner loop streams two contiguous arrays; k is blocked so a strip stays in L1.
  const KB = 256;
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  const Bp = scratch(KB * 4);
  for (let p0 = 0; p0 < k; p0 += KB) {
    const p1 = Math.min(k, p0 + KB);
    const kb = p1 - p0;
    for (let j = 0; j < n4; j += 4) {
      // pack B[p0:p1, j:j+4] → Bp (kb×4)
      for (let p = p0, o = 0; p < p1; p++, o += 4) {
        const bo = p * n + j;
        Bp[o] = B[bo]!; Bp[o + 1] = B[bo + 1]!; Bp[o + 2] = B[bo + 2]!; Bp[o + 3] = B[bo + 3]!;
      }
      let i = 0;
      for (; i < m4; i += 4) {
        const a0 = i * k + p0, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let p = 0, o = 0; p < kb; p++, o += 4) {
          const b0 = Bp[o]!, b1 = Bp[o + 1]!, b2 = Bp[o + 2]!, b3 = Bp[o + 3]!;
          const x0 = A[a0 + p]!, x1 = A[a1 + p]!, x2 = A[a2 + p]!, x3 = A[a3 + p]!;
          c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
          c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
          c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
          c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2; c33 += x3 * b3;
        }
        let o = i * n + j;
        C[o] += c00; C[o + 1] += c01; C[o + 2] += c02; C[o + 3] += c03; o += n;
        C[o] += c10; C[o + 1] += c11; C[o + 2] += c12; C[o + 3] += c13; o += n;
        C[o] += c20; C[o + 1] += c21; C[o + 2] += c22; C[o + 3] += c23; o += n;
        C[o] += c30; C[o + 1] += c31; C[o + 2] += c32; C[o + 3] += c33;
      }
      for (; i < m; i++) {
        const ai = i * k + p0;
        let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (let p = 0, o = 0; p < kb; p++, o += 4) {
          const a = A[ai + p]!;
          c0 += a * Bp[o]!; c1 += a * Bp[o + 1]!; c2 += a * Bp[o + 2]!; c3 += a * Bp[o + 3]!;
        }
        const co = i * n + j;
        C[co] += c0; C[co + 1] += c1; C[co + 2] += c2; C[co + 3] += c3;
      }
    }
    // remaining columns j ≥ n4: C[i, j] += Σ_p A[i, p] B[p, j]
    for (let j = n4; j < n; j++) {
      for (let i = 0; i < m; i++) {
        let c = 0;
        const ai = i * k;
        for (let p = p0; p < p1; p++) c += A[ai + p]! * B[p * n + j]!;
        C[i * n + j] += c;
      }
    }
  }
}

let scratchBuf = new Float64Array(1024);
/** A module-level work buffer of at least `len` entries (grown, never shrunk; kernels are not re-entrant). */
function scratch(len: number): Float64Array {
  if (scratchBuf.length < len) scratchBuf = new Float64Array(len);
  return scratchBuf;
}

/**
 * C = Aᵀ·B (beta = 0) or C += Aᵀ·B (beta = 1). A is k×m, B is k×n, C is m×n, all row-major.
 * Used for XᵀR with X stored n×d. 4×4 register-blocked.
 * @param m - columns of A, rows of C
 * @param n - columns of B and C
 * @param k - rows of A and B
 * @param A - k×m
 * @param B - k×n
 * @param C - m×n output
 * @param beta - 0 to overwrite C, 1 to accumulate
 * @example
 * ```ts
 * const C = new Float64Array(1);
 * gemmTN(1, 1, 2, new Float64Array([1, 2]), new Float64Array([3, 4]), C, 0); // C = [11]
 * ```
 * @see {@link gemmNN}, {@link gemmNT}
 */
export function gemmTN(m: number, n: number, k: number, A: Float64Array, B: Float64Array, C: Float64Array, beta: 0 | 1): void {
  if (beta === 0) C.fill(0, 0, m * n);
  // C[i, j] += Σ_p A[p, i] B[p, j]
  const KB = 256;
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let p0 = 0; p0 < k; p0 += KB) {
    const p1 = Math.min(k, p0 + KB);
    let i = 0;
    for (; i < m4; i += 4) {
      let j = 0;
      for (; j < n4; j += 4) {
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let p = p0; p < p1; p++) {
          const ao = p * m + i;
          const bo = p * n + j;
          const x0 = A[ao]!, x1 = A[ao + 1]!, x2 = A[ao + 2]!, x3 = A[ao + 3]!;
          const b0 = B[bo]!, b1 = B[bo + 1]!, b2 = B[bo + 2]!, b3 = B[bo + 3]!;
          c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
          c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
          c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
          c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2; c33 += x3 * b3;
        }
        let o = i * n + j;
        C[o] += c00; C[o + 1] += c01; C[o + 2] += c02; C[o + 3] += c03; o += n;
        C[o] += c10; C[o + 1] += c11; C[o + 2] += c12; C[o + 3] += c13; o += n;
        C[o] += c20; C[o + 1] += c21; C[o + 2] += c22; C[o + 3] += c23; o += n;
        C[o] += c30; C[o + 1] += c31; C[o + 2] += c32; C[o + 3] += c33;
      }
      for (; j < n; j++) {
        let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (let p = p0; p < p1; p++) {
          const b = B[p * n + j]!;
          const ao = p * m + i;
          c0 += A[ao]! * b; c1 += A[ao + 1]! * b; c2 += A[ao + 2]! * b; c3 += A[ao + 3]! * b;
        }
        C[i * n + j] += c0; C[(i + 1) * n + j] += c1; C[(i + 2) * n + j] += c2; C[(i + 3) * n + j] += c3;
      }
    }
    for (; i < m; i++) {
      for (let p = p0; p < p1; p++) {
        const a = A[p * m + i]!;
        if (a !== 0) axpy(n, a, B, p * n, C, i * n);
      }
    }
  }
}

/**
 * C = A·Bᵀ (beta = 0) or C += A·Bᵀ (beta = 1). A is m×k, B is n×k, C is m×n, all row-major: every
 * entry is a dot product of two contiguous rows. Used for Gram blocks XᵀX_S with X stored
 * column-major (d×n). 4×4 register-blocked.
 * @param m - rows of A and C
 * @param n - rows of B, columns of C
 * @param k - columns of A and B
 * @param A - m×k
 * @param B - n×k
 * @param C - m×n output
 * @param beta - 0 to overwrite C, 1 to accumulate
 * @example
 * ```ts
 * const C = new Float64Array(1);
 * gemmNT(1, 1, 2, new Float64Array([1, 2]), new Float64Array([3, 4]), C, 0); // C = [11]
 * ```
 * @see {@link gemmNN}, {@link gemmTN}
 */
export function gemmNT(m: number, n: number, k: number, A: Float64Array, B: Float64Array, C: Float64Array, beta: 0 | 1): void {
  if (beta === 0) C.fill(0, 0, m * n);
  const KB = 512;
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let p0 = 0; p0 < k; p0 += KB) {
    const p1 = Math.min(k, p0 + KB);
    let i = 0;
    for (; i < m4; i += 4) {
      const a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
      let j = 0;
      for (; j < n4; j += 4) {
        const b0o = j * k, b1o = b0o + k, b2o = b1o + k, b3o = b2o + k;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let p = p0; p < p1; p++) {
          const x0 = A[a0 + p]!, x1 = A[a1 + p]!, x2 = A[a2 + p]!, x3 = A[a3 + p]!;
          const b0 = B[b0o + p]!, b1 = B[b1o + p]!, b2 = B[b2o + p]!, b3 = B[b3o + p]!;
          c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
          c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
          c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
          c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2; c33 += x3 * b3;
        }
        let o = i * n + j;
        C[o] += c00; C[o + 1] += c01; C[o + 2] += c02; C[o + 3] += c03; o += n;
        C[o] += c10; C[o + 1] += c11; C[o + 2] += c12; C[o + 3] += c13; o += n;
        C[o] += c20; C[o + 1] += c21; C[o + 2] += c22; C[o + 3] += c23; o += n;
        C[o] += c30; C[o + 1] += c31; C[o + 2] += c32; C[o + 3] += c33;
      }
      for (; j < n; j++) {
        const bo = j * k;
        let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (let p = p0; p < p1; p++) {
          const b = B[bo + p]!;
          c0 += A[a0 + p]! * b; c1 += A[a1 + p]! * b; c2 += A[a2 + p]! * b; c3 += A[a3 + p]! * b;
        }
        C[i * n + j] += c0; C[(i + 1) * n + j] += c1; C[(i + 2) * n + j] += c2; C[(i + 3) * n + j] += c3;
      }
    }
    for (; i < m; i++) {
      for (let j = 0; j < n; j++) C[i * n + j] += dot(p1 - p0, A, i * k + p0, B, j * k + p0);
    }
  }
}
