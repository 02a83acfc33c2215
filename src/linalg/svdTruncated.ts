/**
 * Truncated, warm-startable SVD by subspace (block power) iteration — for solvers that need the top
 * `rank` singular triplets of a matrix that changes little between iterations (the rank-constrained
 * projection and trace-norm prox of the low-rank models): the previous right singular vectors are the
 * start, and a few iterations refine them.
 *
 * Algorithm (Halko, Martinsson & Tropp 2011, Algorithm 4.4; Golub & Van Loan §8.2.4), with
 * l = min(rank + oversample, min(m, n)) columns:
 * 1. Q (n×l): the warm start's columns, completed by seeded Gaussian columns (or all Gaussian);
 * 2. `iterations` times: Y = A Q, Y ← orth(Y); Q = Aᵀ Y, Q ← orth(Q) (orth = left singular vectors by
 *    {@link thinSvdInto}, robust to rank deficiency);
 * 3. Y = A Q (m×l) = Ũ diag(s) Ṽᵀ (thin SVD of the small matrix), U = Ũ, V = Q Ṽ, truncated to rank.
 * Every product runs in the level-3 kernels (WebAssembly when available).
 *
 * By construction A V = U diag(s) up to rounding; the reported certificate is the residual of the other
 * half, max_j ‖Aᵀu_j − s_j v_j‖ / s_0 (zero exactly when the triplets are singular triplets of A).
 *
 * @packageDocumentation
 */
import type { Mat } from '../types.js';
import { gemmNN, gemmTN } from './blas.js';
import { createSvdWorkspace, thinSvdInto, type SvdWorkspace } from './svd.js';
import { gaussianSampler, mulberry32 } from '../util/random.js';

/** Options of {@link truncatedSvd}. */
export interface TruncatedSvdOptions {
  /**
   * Starting right singular vectors (n×c, any c ≥ 1; typically the previous call's V). Columns beyond
   * l are ignored; missing ones are seeded Gaussian.
   * @default null
   */
  warmStart?: Mat | null;
  /**
   * Subspace iterations (each: one product with A and one with Aᵀ).
   * @default 2 with a warm start, 6 without
   */
  iterations?: number;
  /**
   * Extra columns carried beyond `rank` (improves the accuracy of the last triplets).
   * @default 5
   */
  oversample?: number;
  /**
   * Seed of the Gaussian start columns.
   * @default 0
   */
  seed?: number;
}

/** Result of {@link truncatedSvd}. */
export interface TruncatedSvdResult {
  /** m×r, orthonormal columns. */
  U: Mat;
  /** Length r, descending, ≥ 0. */
  s: Float64Array;
  /** n×r, orthonormal columns (pass as the next call's `warmStart`). */
  V: Mat;
  /** max_j ‖Aᵀu_j − s_j v_j‖₂ / s_0 (0 when A = 0): how far the triplets are from exact ones. */
  residual: number;
  /** The number of subspace iterations run. */
  iterations: number;
}

function checkInt(x: unknown, name: string, lo: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < lo) throw new RangeError(`${name}: expected an integer ≥ ${lo}, got ${String(x)}`);
  return x;
}

/** Q ← the left singular vectors of Q (rows×l), through the small workspace. */
function orthonormalize(Q: Mat, Ub: Mat, sb: Float64Array, Vb: Mat, w: SvdWorkspace): void {
  thinSvdInto(Q, Ub, sb, Vb, w);
  Q.data.set(Ub.data);
}

/**
 * The top `rank` singular triplets of A by subspace iteration, optionally warm-started from previous
 * right singular vectors. The input is not modified; results are reproducible (seeded).
 *
 * @param A - the m×n {@link Mat} (finite entries)
 * @param rank - r, 1 ≤ r ≤ min(m, n)
 * @param options - see {@link TruncatedSvdOptions}
 * @returns U (m×r), s (r), V (n×r), the residual certificate and the iteration count
 * @throws TypeError when A or warmStart is not a Mat; RangeError on a bad rank, option, shape of
 *   warmStart, or non-finite entries
 * @example
 * ```ts
 * let svd = truncatedSvd(W, 5);                                   // cold: 6 iterations
 * svd = truncatedSvd(Wnext, 5, { warmStart: svd.V, iterations: 1 }); // warm: refine the previous V
 * ```
 * @see {@link thinSvd} (all triplets, exact); Halko, Martinsson & Tropp, "Finding structure with
 *   randomness", SIAM Review 53(2), 2011 (Algorithm 4.4); Golub & Van Loan, *Matrix Computations*
 *   (4th ed., 2013), §8.2.4 (orthogonal iteration).
 */
export function truncatedSvd(A: Mat, rank: number, options: TruncatedSvdOptions = {}): TruncatedSvdResult {
  if (typeof A !== 'object' || A === null || !(A.data instanceof Float64Array)) throw new TypeError('A: expected a Mat { rows, cols, data: Float64Array }');
  const m = A.rows, n = A.cols, k = Math.min(m, n);
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 1 || n < 1 || A.data.length < m * n) {
    throw new RangeError(`A: expected a non-empty m×n Mat with data of length m·n, got ${m}×${n} (data length ${A.data.length})`);
  }
  checkInt(rank, 'rank', 1);
  if (rank > k) throw new RangeError(`rank: expected 1 ≤ rank ≤ min(m, n) = ${k}, got ${rank}`);
  const warm = options.warmStart ?? null;
  if (warm !== null) {
    if (typeof warm !== 'object' || !(warm.data instanceof Float64Array)) throw new TypeError('warmStart: expected a Mat (n×c) or null');
    if (warm.rows !== n || !Number.isInteger(warm.cols) || warm.cols < 1) throw new RangeError(`warmStart: expected ${n}×c with c ≥ 1 (n = A.cols), got ${warm.rows}×${warm.cols}`);
  }
  const iterations = checkInt(options.iterations ?? (warm !== null ? 2 : 6), 'iterations', 0);
  const oversample = checkInt(options.oversample ?? 5, 'oversample', 0);
  const seed = options.seed ?? 0;
  if (!Number.isFinite(seed)) throw new RangeError(`seed: expected a finite number, got ${seed}`);
  for (let i = 0; i < m * n; i++) if (!Number.isFinite(A.data[i]!)) throw new RangeError(`A: entries must be finite (entry (${Math.floor(i / n)}, ${i % n}) is ${A.data[i]})`);
  const l = Math.min(k, rank + oversample);
  const a = A.data;

  // 1. Q (n×l): warm columns, then seeded Gaussian ones
  const Q: Mat = { rows: n, cols: l, data: new Float64Array(n * l) };
  const c0 = warm === null ? 0 : Math.min(warm.cols, l);
  const g = gaussianSampler(mulberry32(seed));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c0; j++) Q.data[i * l + j] = warm!.data[i * warm!.cols + j]!;
    for (let j = c0; j < l; j++) Q.data[i * l + j] = g();
  }
  const Y: Mat = { rows: m, cols: l, data: new Float64Array(m * l) };
  const wm = createSvdWorkspace(m, l), wn = createSvdWorkspace(n, l);
  const Um: Mat = { rows: m, cols: l, data: new Float64Array(m * l) }, Un: Mat = { rows: n, cols: l, data: new Float64Array(n * l) };
  const Vs: Mat = { rows: l, cols: l, data: new Float64Array(l * l) };
  const sb = new Float64Array(l);
  orthonormalize(Q, Un, sb, Vs, wn);
  // 2. subspace iterations
  for (let it = 0; it < iterations; it++) {
    gemmNN(m, l, n, a, Q.data, Y.data, 0); // Y = A Q
    orthonormalize(Y, Um, sb, Vs, wm);
    gemmTN(n, l, m, a, Y.data, Q.data, 0); // Q = Aᵀ Y
    orthonormalize(Q, Un, sb, Vs, wn);
  }
  // 3. Y = A Q = Ũ diag(s) Ṽᵀ → U = Ũ, V = Q Ṽ
  gemmNN(m, l, n, a, Q.data, Y.data, 0);
  thinSvdInto(Y, Um, sb, Vs, wm);
  const QV = new Float64Array(n * l);
  gemmNN(n, l, l, Q.data, Vs.data, QV, 0); // V = Q Ṽ
  const r = rank;
  const U: Mat = { rows: m, cols: r, data: new Float64Array(m * r) };
  const V: Mat = { rows: n, cols: r, data: new Float64Array(n * r) };
  const s = sb.slice(0, r);
  for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) U.data[i * r + j] = Um.data[i * l + j]!;
  for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) V.data[i * r + j] = QV[i * l + j]!;
  // certificate: R = Aᵀ U − V diag(s), column norms
  const R = new Float64Array(n * r);
  gemmTN(n, r, m, a, U.data, R, 0);
  const col = new Float64Array(r);
  for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) {
    const e = R[i * r + j]! - s[j]! * V.data[i * r + j]!;
    col[j]! += e * e;
  }
  let res = 0;
  for (let j = 0; j < r; j++) res = Math.max(res, Math.sqrt(col[j]!));
  return { U, s, V, residual: s[0]! > 0 ? res / s[0]! : 0, iterations };
}
