/**
 * Seeded random numbers and synthetic multi-task problems for tests and benchmarks.
 */
import { MultiTaskData } from '../../src/data/MultiTaskData.js';
import { gaussianSampler, mulberry32 } from '../../src/util/random.js';

export { mulberry32 } from '../../src/util/random.js';
/** Standard normal sampler (Box–Muller) from a seeded uniform source. */
export const gaussian = gaussianSampler;

/** A seeded Float64Array of N(0, 1) entries. */
export function randn(len: number, seed: number): Float64Array {
  const g = gaussian(mulberry32(seed));
  const out = new Float64Array(len);
  for (let i = 0; i < len; i++) out[i] = g();
  return out;
}

/** A synthetic shared-support problem: k true rows, N(0,1) design, noise sd `noise`. */
export interface SyntheticProblem {
  data: MultiTaskData;
  /** True weights d×T row-major. */
  B: Float64Array;
  d: number;
  T: number;
}

/**
 * Shared design X (n×d) ~ N(0,1), true W with `k` non-zero rows (the first k or a seeded random
 * choice), Y = XW + offset + noise.
 */
export function sharedProblem(n: number, d: number, T: number, k: number, seed: number, noise = 1, offset = 0): SyntheticProblem {
  const g = gaussian(mulberry32(seed));
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = g();
  const B = new Float64Array(d * T);
  for (let j = 0; j < k; j++) for (let t = 0; t < T; t++) B[j * T + t] = g();
  const Y = new Float64Array(n * T);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < T; t++) {
      let s = offset * (t + 1);
      for (let j = 0; j < k; j++) s += X[i * d + j]! * B[j * T + t]!;
      Y[i * T + t] = s + noise * g();
    }
  }
  return { data: MultiTaskData.fromShared({ rows: n, cols: d, data: X }, { rows: n, cols: T, data: Y }), B, d, T };
}

/** Per-task designs with different n_t, k shared true rows. */
export function perTaskProblem(ns: readonly number[], d: number, k: number, seed: number, noise = 1): SyntheticProblem {
  const g = gaussian(mulberry32(seed));
  const T = ns.length;
  const B = new Float64Array(d * T);
  for (let j = 0; j < k; j++) for (let t = 0; t < T; t++) B[j * T + t] = g();
  const tasks = ns.map((n, t) => {
    const X = new Float64Array(n * d);
    for (let i = 0; i < X.length; i++) X[i] = g();
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0.5 * t;
      for (let j = 0; j < k; j++) s += X[i * d + j]! * B[j * T + t]!;
      y[i] = s + noise * g();
    }
    return { X: { rows: n, cols: d, data: X }, y };
  });
  return { data: MultiTaskData.fromTasks(tasks), B, d, T };
}
