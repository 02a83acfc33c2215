// Seeded data generators for the task-relation models (mean-regularized, graph-regularized,
// clustered). Every draw comes from a mulberry32 stream, so the same seed gives the same data.
import { MultiTaskData } from '../../src/data/MultiTaskData.js';
import type { Mat } from '../../src/types.js';
import { mulberry32 } from '../../src/util/random.js';
export { mulberry32 };


/** Standard normal draws (Box–Muller) from a uniform stream. */
export function normal(rnd: () => number): () => number {
  return () => {
    const u = 1 - rnd();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  };
}

/** Options of {@link relatedTasks}. */
export interface RelatedTasksOptions {
  d: number;
  T: number;
  /** rows per task: a number, or one per task */
  n: number | number[];
  seed: number;
  /** one shared design (n rows) instead of per-task designs */
  shared?: boolean;
  /** fraction of missing responses in the shared design */
  missing?: number;
  /** std of the task-specific parts around the common vector */
  spread?: number;
  /** response noise std */
  noise?: number;
  /** add a per-task offset to y (tests intercepts) */
  offsets?: boolean;
}

/**
 * Tasks w_t = w_common + spread·ε_t with Gaussian designs and y = X w_t + b_t + noise.
 * @returns the data and the true weights (d×T)
 */
export function relatedTasks(o: RelatedTasksOptions): { data: MultiTaskData; Wtrue: Mat } {
  const { d, T } = o;
  const g = normal(mulberry32(o.seed));
  const spread = o.spread ?? 0.3, noise = o.noise ?? 0.1;
  const W = new Float64Array(d * T);
  const common = Float64Array.from({ length: d }, () => g());
  for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) W[j * T + t] = common[j]! + spread * g();
  const b = Float64Array.from({ length: T }, () => (o.offsets ? 2 * g() : 0));
  if (o.shared) {
    const n = typeof o.n === 'number' ? o.n : o.n[0]!;
    const X: number[][] = [];
    const Y: number[][] = [];
    const u = mulberry32(o.seed + 7777);
    for (let i = 0; i < n; i++) {
      const x = Array.from({ length: d }, () => g());
      X.push(x);
      const row: number[] = [];
      for (let t = 0; t < T; t++) {
        let s = b[t]! + noise * g();
        for (let j = 0; j < d; j++) s += x[j]! * W[j * T + t]!;
        row.push(o.missing && u() < o.missing && i > 0 ? NaN : s);
      }
      Y.push(row);
    }
    return { data: MultiTaskData.fromShared(X, Y), Wtrue: { rows: d, cols: T, data: W } };
  }
  const tasks = [];
  for (let t = 0; t < T; t++) {
    const n = typeof o.n === 'number' ? o.n : o.n[t]!;
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = Array.from({ length: d }, () => g());
      let s = b[t]! + noise * g();
      for (let j = 0; j < d; j++) s += x[j]! * W[j * T + t]!;
      X.push(x);
      y.push(s);
    }
    tasks.push({ X, y });
  }
  return { data: MultiTaskData.fromTasks(tasks), Wtrue: { rows: d, cols: T, data: W } };
}

/**
 * The seeded 3-cluster problem: d = 50, T = 30, three groups of 10 tasks (membership shuffled),
 * true w_t = centre of its group + 0.1·N(0, I), n = 40 rows per task, Gaussian designs, noise 0.1.
 * @returns data, true group labels (Int32Array), true weights and centres
 */
export function threeClusterProblem(seed = 1, opts: { d?: number; T?: number; n?: number; within?: number; noise?: number } = {}): {
  data: MultiTaskData; groups: Int32Array; Wtrue: Mat; centres: Mat;
} {
  const d = opts.d ?? 50, T = opts.T ?? 30, n = opts.n ?? 40, k = 3;
  const within = opts.within ?? 0.1, noise = opts.noise ?? 0.1;
  const rnd = mulberry32(seed);
  const g = normal(rnd);
  // shuffled balanced membership
  const groups = Int32Array.from({ length: T }, (_, t) => t % k);
  for (let i = T - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const tmp = groups[i]!; groups[i] = groups[j]!; groups[j] = tmp;
  }
  const C = new Float64Array(d * k);
  for (let j = 0; j < d * k; j++) C[j] = g();
  const W = new Float64Array(d * T);
  for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) W[j * T + t] = C[j * k + groups[t]!]! + within * g();
  const tasks = [];
  for (let t = 0; t < T; t++) {
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = Array.from({ length: d }, () => g());
      let s = noise * g();
      for (let j = 0; j < d; j++) s += x[j]! * W[j * T + t]!;
      X.push(x);
      y.push(s);
    }
    tasks.push({ X, y });
  }
  return { data: MultiTaskData.fromTasks(tasks), groups, Wtrue: { rows: d, cols: T, data: W }, centres: { rows: d, cols: k, data: C } };
}

/** Whether two labelings define the same partition (equal up to a permutation of the labels). */
export function samePartition(a: Int32Array | number[], b: Int32Array | number[]): boolean {
  if (a.length !== b.length) return false;
  const ab = new Map<number, number>(), ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    if ((ab.has(x) && ab.get(x) !== y) || (ba.has(y) && ba.get(y) !== x)) return false;
    ab.set(x, y);
    ba.set(y, x);
  }
  return true;
}

/** max_k |a_k − b_k| / max(1, max_k |b_k|). */
export function relMaxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0, s = 0;
  for (let k = 0; k < a.length; k++) {
    m = Math.max(m, Math.abs(a[k]! - b[k]!));
    s = Math.max(s, Math.abs(b[k]!));
  }
  return m / Math.max(1, s);
}
