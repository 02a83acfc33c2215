/**
 * Seeded synthetic problems with a shared low-rank subspace, for the trace-norm / rank / ASO tests
 * and the low-rank benchmark, plus small linear-algebra helpers for assertions.
 *
 * True weights W* = Θ*ᵀ V* (d×T, rank r): Θ* (r×d) has orthonormal rows spanning the shared
 * subspace, V* (r×T) holds N(0, scale²) coordinates. Designs are N(0, 1); y = X w* + offset_t + noise.
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { MultiTaskData } from '../../src/data/MultiTaskData.js';
import type { Mat } from '../../src/types.js';
import { gaussian, mulberry32 } from './random.js';

/** A planted low-rank problem. */
export interface LowRankProblem {
  data: MultiTaskData;
  /** W* (d×T, rank r), row-major. */
  W: Mat;
  /** Θ* (r×d) with orthonormal rows: the true shared subspace. */
  Theta: Mat;
  d: number;
  T: number;
  r: number;
}

/** Options of {@link lowRankProblem}. */
export interface LowRankProblemOptions {
  d: number;
  T: number;
  /** Rank r of W*. */
  r: number;
  /** Rows per task (a number, or one per task); with `shared` the number of rows of the shared X. */
  n: number | readonly number[];
  seed: number;
  /** Noise standard deviation. @default 0.1 */
  noise?: number;
  /** Standard deviation of the subspace coordinates V*. @default 1 */
  scale?: number;
  /** One shared design (fromShared) instead of per-task designs. @default false */
  shared?: boolean;
  /** Task t gets the intercept offset·(t + 1). @default 0 */
  offset?: number;
  /** Standard deviation of a full-rank task-specific perturbation added to W*. @default 0 */
  specific?: number;
}

/** Orthonormalises the rows of an r×d matrix (modified Gram–Schmidt, twice). */
function orthoRows(a: Float64Array, r: number, d: number): void {
  for (let i = 0; i < r; i++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < i; p++) {
        let ip = 0;
        for (let c = 0; c < d; c++) ip += a[p * d + c]! * a[i * d + c]!;
        for (let c = 0; c < d; c++) a[i * d + c]! -= ip * a[p * d + c]!;
      }
    }
    let nrm = 0;
    for (let c = 0; c < d; c++) nrm += a[i * d + c]! ** 2;
    nrm = Math.sqrt(nrm);
    for (let c = 0; c < d; c++) a[i * d + c]! /= nrm;
  }
}

/**
 * A seeded planted low-rank multi-task regression problem.
 * @param o - sizes, seed and noise
 * @returns the data with the true W* and Θ*
 */
export function lowRankProblem(o: LowRankProblemOptions): LowRankProblem {
  const { d, T, r, seed } = o;
  const noise = o.noise ?? 0.1, scale = o.scale ?? 1, offset = o.offset ?? 0, specific = o.specific ?? 0;
  const g = gaussian(mulberry32(seed));
  const theta = new Float64Array(r * d);
  for (let i = 0; i < theta.length; i++) theta[i] = g();
  orthoRows(theta, r, d);
  const V = new Float64Array(r * T);
  for (let i = 0; i < V.length; i++) V[i] = scale * g();
  const W = new Float64Array(d * T);
  for (let j = 0; j < d; j++) {
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let i = 0; i < r; i++) s += theta[i * d + j]! * V[i * T + t]!;
      W[j * T + t] = s + (specific > 0 ? specific * g() : 0);
    }
  }
  const predict = (x: Float64Array, xo: number, t: number): number => {
    let s = offset * (t + 1);
    for (let j = 0; j < d; j++) s += x[xo + j]! * W[j * T + t]!;
    return s;
  };
  let data: MultiTaskData;
  if (o.shared) {
    const n = typeof o.n === 'number' ? o.n : o.n[0]!;
    const X = new Float64Array(n * d);
    for (let i = 0; i < X.length; i++) X[i] = g();
    const Y = new Float64Array(n * T);
    for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) Y[i * T + t] = predict(X, i * d, t) + noise * g();
    data = MultiTaskData.fromShared({ rows: n, cols: d, data: X }, { rows: n, cols: T, data: Y });
  } else {
    const ns = typeof o.n === 'number' ? Array.from({ length: T }, () => o.n as number) : o.n;
    const tasks = ns.map((n, t) => {
      const X = new Float64Array(n * d);
      for (let i = 0; i < X.length; i++) X[i] = g();
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) y[i] = predict(X, i * d, t) + noise * g();
      return { X: { rows: n, cols: d, data: X } as Mat, y };
    });
    data = MultiTaskData.fromTasks(tasks);
  }
  return { data, W: { rows: d, cols: T, data: W }, Theta: { rows: r, cols: d, data: theta }, d, T, r };
}

/** A Mat as an ml-matrix Matrix (copy). */
export function toML(A: Mat): Matrix {
  const M = new Matrix(A.rows, A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) M.set(i, j, A.data[i * A.cols + j]!);
  return M;
}

/** Singular values by ml-matrix (an independent implementation), descending. */
export function mlSingularValues(A: Mat): number[] {
  const svd = new SingularValueDecomposition(toML(A), { computeLeftSingularVectors: false, computeRightSingularVectors: false });
  return [...svd.diagonal].sort((a, b) => b - a);
}

/**
 * Cosines of the principal angles between the row spaces of two matrices with orthonormal rows
 * (h₁×d and h₂×d): the singular values of A Bᵀ, descending.
 */
export function principalCosines(A: Mat, B: Mat): number[] {
  return mlSingularValues({ rows: A.rows, cols: B.rows, data: Float64Array.from(toML(A).mmul(toML(B).transpose()).to1DArray()) })
    .map((c) => Math.min(1, c));
}

/** |a − b| / max(|a|, |b|). */
export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1e-300, Math.abs(a), Math.abs(b));
}

/** max |A A ᵀ − I| for a matrix with (supposedly) orthonormal rows. */
export function orthonormalityError(A: Mat): number {
  const { rows: h, cols: d, data } = A;
  let e = 0;
  for (let i = 0; i < h; i++) {
    for (let k = 0; k < h; k++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += data[i * d + c]! * data[k * d + c]!;
      e = Math.max(e, Math.abs(s - (i === k ? 1 : 0)));
    }
  }
  return e;
}
