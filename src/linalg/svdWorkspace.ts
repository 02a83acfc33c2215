/**
 * Buffers and data layout of the thin SVD ({@link thinSvd}): the workspace type and its allocator,
 * argument validation, loading the power-of-two-scaled tall orientation of the input, and the permuted
 * transpose that writes the sorted singular vectors out. The algorithm itself is in `svdJacobi.ts`.
 *
 * @packageDocumentation
 */
import type { Mat } from '../types.js';
import { allocF64 } from './wasm/matrix.js';
import { createSymEigWorkspace, powerOfTwoScale, type SymEigWorkspace } from './eig.js';

/**
 * Preallocated buffers for the SVD routines on m×n inputs, so a solver loop performs no allocation
 * per decomposition (besides the returned arrays of {@link thinSvd}; {@link thinSvdInto} and
 * {@link singularValueThreshold} allocate nothing sizeable). Create with {@link createSvdWorkspace}.
 * Not safe to share between two computations running interleaved (e.g. across `await`s).
 */
export interface SvdWorkspace {
  /** Rows of the matrices this workspace is for. */
  readonly m: number;
  /** Columns of the matrices this workspace is for. */
  readonly n: number;
  /** @internal min(m, n). */
  readonly k: number;
  /** @internal max(m, n). */
  readonly L: number;
  /** @internal scaled input, k×L (the columns of the tall orientation as rows). */
  readonly x: Float64Array;
  /** @internal B = T V, k×L (rows = columns of B), then U's columns. */
  readonly b: Float64Array;
  /** @internal Vᵀ (rows = columns of V), k×k. */
  readonly vt: Float64Array;
  /** @internal Gram matrix BᵀB, k×k. */
  readonly c: Float64Array;
  /** @internal squared column norms, then singular values (unsorted). */
  readonly nrm: Float64Array;
  /** @internal eigenvalues of the Gram matrix. */
  readonly vals: Float64Array;
  /** @internal which columns moved in the current sweep. */
  readonly dirty: Uint8Array;
  /** @internal sort permutation (descending singular values). */
  readonly perm: Int32Array;
  /** @internal eigensolver buffers (k×k). */
  readonly eig: SymEigWorkspace;
}

/**
 * Allocates the buffers for decomposing m×n matrices (about 2·m·n + 4·min(m,n)² doubles).
 * @param m - number of rows (non-negative integer)
 * @param n - number of columns (non-negative integer)
 * @returns a workspace for {@link thinSvd}, {@link thinSvdInto}, {@link singularValueThreshold} and
 *   {@link spectralNorm} on m×n inputs
 * @throws RangeError when `m` or `n` is not a non-negative integer
 * @example
 * ```ts
 * const work = createSvdWorkspace(W.rows, W.cols);
 * for (let it = 0; it < maxIter; it++) singularValueThreshold(Z, step * lambda, W, work);
 * ```
 * @see {@link thinSvd}
 */
export function createSvdWorkspace(m: number, n: number): SvdWorkspace {
  if (!Number.isInteger(m) || m < 0) throw new RangeError(`m: expected a non-negative integer, got ${m}`);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n: expected a non-negative integer, got ${n}`);
  const k = Math.min(m, n), L = Math.max(m, n);
  return {
    m, n, k, L,
    // the big operands live in the WebAssembly kernels' memory (used in place by the products)
    x: allocF64(k * L),
    b: allocF64(k * L),
    vt: allocF64(k * k),
    c: allocF64(k * k),
    nrm: new Float64Array(k),
    vals: new Float64Array(k),
    dirty: new Uint8Array(k),
    perm: new Int32Array(k),
    eig: createSymEigWorkspace(k),
  };
}

// ---------------------------------------------------------------------------------------------
// validation

/**
 * @internal Validates a {@link Mat} argument.
 * @param A - the value to check
 * @param name - the argument's name for the error message
 * @returns `A` as a Mat
 * @throws TypeError when `A` is not a Mat; RangeError on inconsistent rows, cols and data length
 * @example
 * ```ts
 * const M = checkMat(A, 'A');
 * ```
 * @see {@link checkShape}
 */
export function checkMat(A: unknown, name: string): Mat {
  const M = A as Mat;
  if (typeof A !== 'object' || A === null || !(M.data instanceof Float64Array)) {
    throw new TypeError(`${name}: expected a Mat { rows, cols, data: Float64Array }`);
  }
  if (!Number.isInteger(M.rows) || !Number.isInteger(M.cols) || M.rows < 0 || M.cols < 0 || M.data.length < M.rows * M.cols) {
    throw new RangeError(`${name}: expected rows, cols non-negative integers and data of length rows·cols, got ${M.rows}×${M.cols} (data length ${M.data.length})`);
  }
  return M;
}

/**
 * @internal Validates a Mat argument of a given shape.
 * @param M - the value to check
 * @param rows - expected rows
 * @param cols - expected columns
 * @param name - the argument's name for the error message
 * @returns `M` as a Mat
 * @throws TypeError / RangeError as {@link checkMat}, or RangeError on a shape mismatch
 * @example
 * ```ts
 * checkShape(U, m, k, 'U');
 * ```
 * @see {@link checkMat}
 */
export function checkShape(M: unknown, rows: number, cols: number, name: string): Mat {
  const X = checkMat(M, name);
  if (X.rows !== rows || X.cols !== cols) throw new RangeError(`${name}: expected a ${rows}×${cols} Mat, got ${X.rows}×${X.cols}`);
  return X;
}

/**
 * @internal The caller's workspace after checking it fits A, or a new one.
 * @param A - the matrix to decompose
 * @param work - optional workspace from {@link createSvdWorkspace}
 * @returns a workspace for A's shape
 * @throws TypeError when `work` is not a workspace; RangeError when it is for another shape
 * @example
 * ```ts
 * const w = getWork(A, options?.work);
 * ```
 * @see {@link createSvdWorkspace}
 */
export function getWork(A: Mat, work: SvdWorkspace | undefined): SvdWorkspace {
  if (work === undefined) return createSvdWorkspace(A.rows, A.cols);
  if (typeof work !== 'object' || work === null || !(work.x instanceof Float64Array)) {
    throw new TypeError('work: expected an SvdWorkspace from createSvdWorkspace(m, n)');
  }
  if (work.m !== A.rows || work.n !== A.cols) {
    throw new RangeError(`work: workspace is for ${work.m}×${work.n} matrices, but A is ${A.rows}×${A.cols}`);
  }
  return work;
}

/**
 * @internal Copies A (scaled by a power of two) into w.x as the k×L matrix whose rows are the columns
 * of the tall orientation.
 * @param A - the m×n input
 * @param w - workspace for m×n
 * @returns the scale factor applied
 * @throws RangeError on a non-finite entry of A
 * @example
 * ```ts
 * const sc = loadScaled(A, w); // w.x = sc·(tall orientation)ᵀ
 * ```
 * @see {@link powerOfTwoScale}
 */
export function loadScaled(A: Mat, w: SvdWorkspace): number {
  const { m, n, k, L, x } = w;
  const a = A.data;
  const mn = m * n;
  let amax = 0;
  for (let i = 0; i < mn; i++) {
    const v = Math.abs(a[i]!);
    if (!(v <= Number.MAX_VALUE)) throw new RangeError(`A: entries must be finite numbers (entry (${Math.floor(i / n)}, ${i % n}) is ${a[i]})`);
    if (v > amax) amax = v;
  }
  const sc = powerOfTwoScale(amax);
  if (m < n) {
    // wide: the rows of A are the columns of T = Aᵀ
    for (let i = 0; i < mn; i++) x[i] = a[i]! * sc;
  } else {
    // tall: x = scaled Aᵀ (k = n rows of length L = m), in 32×32 tiles
    const TB = 32;
    for (let i0 = 0; i0 < L; i0 += TB) {
      const i1 = Math.min(L, i0 + TB);
      for (let j0 = 0; j0 < k; j0 += TB) {
        const j1 = Math.min(k, j0 + TB);
        for (let i = i0; i < i1; i++) {
          const ai = i * n;
          for (let j = j0; j < j1; j++) x[j * L + i] = a[ai + j]! * sc;
        }
      }
    }
  }
  return sc;
}

/**
 * @internal out[i·k + j] = src[perm[j]·len + i] for i < len, j < k (a permuted transpose, 32-row tiles).
 * @param src - k rows of length `len`
 * @param len - row length of src
 * @param k - number of rows taken
 * @param perm - row order
 * @param out - len×k output
 * @example
 * ```ts
 * permutedTranspose(w.b, m, k, w.perm, U.data); // U's columns = sorted rows of b
 * ```
 * @see {@link thinSvdInto}
 */
export function permutedTranspose(src: Float64Array, len: number, k: number, perm: Int32Array, out: Float64Array): void {
  const TB = 32;
  for (let i0 = 0; i0 < len; i0 += TB) {
    const i1 = Math.min(len, i0 + TB);
    for (let j = 0; j < k; j++) {
      const so = perm[j]! * len;
      for (let i = i0; i < i1; i++) out[i * k + j] = src[so + i]!;
    }
  }
}
