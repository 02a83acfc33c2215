/**
 * Seeded planted-subspace problems for the feature-projection / feature-learning tests and benchmark.
 *
 * Tasks live in an h-dimensional subspace of ℝ^d: w_t = B (v₀ + spread·ε_t) with B (d×h) orthonormal
 * columns, v₀, ε_t ~ N(0, I_h). Designs N(0, 1); y = X w_t + noise. A held-out test set of the same
 * tasks is drawn from the same stream.
 */
import { MultiTaskData } from '../../src/data/MultiTaskData.js';
import type { Mat } from '../../src/types.js';
import { gaussian, mulberry32 } from './random.js';

/** A planted-subspace problem. */
export interface PlantedSubspace {
  train: MultiTaskData;
  test: MultiTaskData;
  /** B (d×h, orthonormal columns). */
  B: Mat;
  /** True weights W* = B V* (d×T). */
  W: Mat;
  d: number;
  T: number;
  h: number;
}

/** Options of {@link plantedSubspace}. */
export interface PlantedSubspaceOptions {
  d: number;
  T: number;
  h: number;
  /** Training rows per task. */
  n: number;
  /** Test rows per task. @default 200 */
  nTest?: number;
  seed: number;
  /** @default 0.01 */
  noise?: number;
  /** @default 0.5 */
  spread?: number;
}

/**
 * Draws a seeded planted-subspace problem.
 * @param o - sizes, seed, noise
 * @returns train and test data with the true subspace
 */
export function plantedSubspace(o: PlantedSubspaceOptions): PlantedSubspace {
  const { d, T, h, n, seed } = o;
  const nTest = o.nTest ?? 200, noise = o.noise ?? 0.01, spread = o.spread ?? 0.5;
  const g = gaussian(mulberry32(seed));
  // B: Gram–Schmidt (twice) on Gaussian columns, stored as rows of Bt (h×d)
  const Bt = new Float64Array(h * d);
  for (let i = 0; i < Bt.length; i++) Bt[i] = g();
  for (let i = 0; i < h; i++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < i; p++) {
        let ip = 0;
        for (let c = 0; c < d; c++) ip += Bt[p * d + c]! * Bt[i * d + c]!;
        for (let c = 0; c < d; c++) Bt[i * d + c]! -= ip * Bt[p * d + c]!;
      }
    }
    let nrm = 0;
    for (let c = 0; c < d; c++) nrm += Bt[i * d + c]! ** 2;
    nrm = Math.sqrt(nrm);
    for (let c = 0; c < d; c++) Bt[i * d + c]! /= nrm;
  }
  const v0 = Float64Array.from({ length: h }, () => g());
  const W = new Float64Array(d * T);
  for (let t = 0; t < T; t++) {
    const v = Float64Array.from(v0, (a) => a + spread * g());
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = 0; i < h; i++) s += Bt[i * d + j]! * v[i]!;
      W[j * T + t] = s;
    }
  }
  const draw = (rows: number): MultiTaskData => MultiTaskData.fromTasks(Array.from({ length: T }, (_, t) => {
    const X = new Float64Array(rows * d);
    for (let i = 0; i < X.length; i++) X[i] = g();
    const y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[i * d + j]! * W[j * T + t]!;
      y[i] = s + noise * g();
    }
    return { X: { rows, cols: d, data: X } as Mat, y };
  }));
  const train = draw(n);
  const test = draw(nTest);
  const B = new Float64Array(d * h);
  for (let j = 0; j < d; j++) for (let i = 0; i < h; i++) B[j * h + i] = Bt[i * d + j]!;
  return { train, test, B: { rows: d, cols: h, data: B }, W: { rows: d, cols: T, data: W }, d, T, h };
}

/** Mean squared test error (1/T) Σ_t (1/n_t) ‖y_t − X_t w_t − b_t‖². */
export function testMse(data: MultiTaskData, W: Mat, b: Float64Array): number {
  const { d, T } = data;
  let total = 0;
  for (let t = 0; t < T; t++) {
    const { X, y, n } = data.tasks[t]!;
    let sse = 0;
    for (let i = 0; i < n; i++) {
      let p = b[t]!;
      for (let j = 0; j < d; j++) p += X[i * d + j]! * W.data[j * T + t]!;
      sse += (y[i]! - p) ** 2;
    }
    total += sse / n;
  }
  return total / T;
}

/**
 * Cosines of the principal angles between span(A) and span(B), A and B with orthonormal columns
 * (d×h each): the singular values of AᵀB, via the eigenvalues of (AᵀB)ᵀ(AᵀB) (Jacobi, small h).
 */
export function principalAngleCosines(A: Mat, B: Mat): number[] {
  const d = A.rows, h = A.cols, k = B.cols;
  const C = new Float64Array(h * k);
  for (let i = 0; i < h; i++) for (let j = 0; j < k; j++) {
    let s = 0;
    for (let r = 0; r < d; r++) s += A.data[r * h + i]! * B.data[r * k + j]!;
    C[i * k + j] = s;
  }
  // M = CᵀC (k×k), cyclic Jacobi
  const M = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
    let s = 0;
    for (let i = 0; i < h; i++) s += C[i * k + a]! * C[i * k + b]!;
    M[a * k + b] = s;
  }
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += M[p * k + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) {
      const apq = M[p * k + q]!;
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (M[q * k + q]! - M[p * k + p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let r = 0; r < k; r++) {
        const mrp = M[r * k + p]!, mrq = M[r * k + q]!;
        M[r * k + p] = c * mrp - s * mrq;
        M[r * k + q] = s * mrp + c * mrq;
      }
      for (let r = 0; r < k; r++) {
        const mpr = M[p * k + r]!, mqr = M[q * k + r]!;
        M[p * k + r] = c * mpr - s * mqr;
        M[q * k + r] = s * mpr + c * mqr;
      }
    }
  }
  return Array.from({ length: k }, (_, i) => Math.sqrt(Math.max(0, Math.min(1, M[i * k + i]!)))).sort((a, b) => b - a);
}
