/**
 * A small seeded k-means (Lloyd's algorithm with k-means++ seeding), used to read task clusters off
 * the clustered multi-task models.
 *
 * References: S. Lloyd, "Least squares quantization in PCM", IEEE Trans. Inf. Theory 28, 1982;
 * D. Arthur & S. Vassilvitskii, "k-means++: the advantages of careful seeding", SODA 2007.
 *
 * @packageDocumentation
 */
import { mulberry32 } from '../util/random.js';
import { checkSeed } from '../util/checks.js';



/** Options of {@link kmeans}. */
export interface KMeansOptions {
  /** Seed of the k-means++ draws. @default 0 */
  seed?: number;
  /** Independent k-means++ starts; the lowest inertia is kept. @default 1 */
  restarts?: number;
  /** Maximum Lloyd iterations per start. @default 100 */
  maxIter?: number;
}

/** The result of {@link kmeans}. */
export interface KMeansResult {
  /** Cluster of each point, in [0, k). */
  labels: Int32Array;
  /** Cluster centres, k×dim row-major. */
  centres: Float64Array;
  /** Σ_i ‖x_i − c_{label(i)}‖². */
  inertia: number;
  /** Lloyd iterations of the kept start. */
  iterations: number;
}

function sqDist(points: Float64Array, i: number, centres: Float64Array, c: number, dim: number): number {
  let s = 0;
  const po = i * dim, co = c * dim;
  for (let j = 0; j < dim; j++) {
    const e = points[po + j]! - centres[co + j]!;
    s += e * e;
  }
  return s;
}

/**
 * k-means++ seeding: the first centre is a uniformly drawn point, each next one a point drawn with
 * probability proportional to its squared distance to the nearest centre chosen so far.
 * @param points - n×dim row-major
 * @param n - number of points
 * @param dim - dimension
 * @param k - number of centres, 1 ≤ k ≤ n
 * @param rnd - uniform generator (e.g. `mulberry32` of `src/util/random.ts`)
 * @param out - output k×dim (allocated when omitted)
 * @returns the k initial centres, k×dim row-major
 * @throws RangeError when the sizes are inconsistent
 * @example
 * ```ts
 * const C = kmeansPlusPlus(points, n, 2, 3, mulberry32(1));
 * ```
 * @see {@link kmeans}
 */
export function kmeansPlusPlus(points: Float64Array, n: number, dim: number, k: number, rnd: () => number, out?: Float64Array): Float64Array {
  checkSizes(points, n, dim, k);
  const C = out ?? new Float64Array(k * dim);
  const dist = new Float64Array(n);
  const first = Math.min(n - 1, Math.floor(rnd() * n));
  C.set(points.subarray(first * dim, (first + 1) * dim), 0);
  for (let i = 0; i < n; i++) dist[i] = sqDist(points, i, C, 0, dim);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += dist[i]!;
    let pick = 0;
    if (total > 0) {
      let r = rnd() * total;
      pick = n - 1;
      for (let i = 0; i < n; i++) {
        r -= dist[i]!;
        if (r < 0 && dist[i]! > 0) { pick = i; break; }
      }
    } else {
      pick = Math.min(n - 1, Math.floor(rnd() * n)); // all points coincide with centres
    }
    C.set(points.subarray(pick * dim, (pick + 1) * dim), c * dim);
    for (let i = 0; i < n; i++) dist[i] = Math.min(dist[i]!, sqDist(points, i, C, c, dim));
  }
  return C;
}

function checkSizes(points: Float64Array, n: number, dim: number, k: number): void {
  if (!(points instanceof Float64Array)) throw new TypeError('points: expected a Float64Array (n×dim row-major)');
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n: expected a positive integer, got ${n}`);
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim: expected a positive integer, got ${dim}`);
  if (points.length !== n * dim) throw new RangeError(`points: expected length n·dim = ${n * dim}, got ${points.length}`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k: expected an integer in [1, n = ${n}], got ${k}`);
}

/**
 * Seeded k-means: Lloyd iterations from k-means++ starts, keeping the start with the lowest inertia.
 * An emptied cluster is re-seeded with the point farthest from its centre. Deterministic for a
 * given seed.
 *
 * @param points - n×dim row-major (finite)
 * @param n - number of points
 * @param dim - dimension
 * @param k - number of clusters, 1 ≤ k ≤ n
 * @param options - seed, restarts, maxIter
 * @returns labels, centres, inertia and iterations
 * @throws TypeError / RangeError on inconsistent sizes, non-finite points or invalid options
 * @example
 * ```ts
 * const pts = new Float64Array([0, 0, 0.1, 0, 5, 5, 5.1, 5]);
 * kmeans(pts, 4, 2, 2, { seed: 1 }).labels; // e.g. Int32Array [0, 0, 1, 1]
 * ```
 * @see {@link kmeansPlusPlus}
 */
export function kmeans(points: Float64Array, n: number, dim: number, k: number, options: KMeansOptions = {}): KMeansResult {
  checkSizes(points, n, dim, k);
  for (let i = 0; i < points.length; i++) {
    if (!Number.isFinite(points[i]!)) throw new RangeError(`points: entry ${i} (point ${Math.floor(i / dim)}) is ${points[i]}; expected finite`);
  }
  const seed = checkSeed(options.seed);
  const restarts = options.restarts ?? 1;
  if (!Number.isInteger(restarts) || restarts < 1) throw new RangeError(`restarts: expected an integer ≥ 1, got ${restarts}`);
  const maxIter = options.maxIter ?? 100;
  if (!Number.isInteger(maxIter) || maxIter < 0) throw new RangeError(`maxIter: expected a non-negative integer, got ${maxIter}`);
  const rnd = mulberry32(seed);
  const C = new Float64Array(k * dim);
  const labels = new Int32Array(n);
  const counts = new Int32Array(k);
  let best: KMeansResult | null = null;
  for (let r = 0; r < restarts; r++) {
    kmeansPlusPlus(points, n, dim, k, rnd, C);
    labels.fill(-1);
    let it = 0;
    for (;;) {
      // assignment (ties → lowest index)
      let changed = false;
      for (let i = 0; i < n; i++) {
        let bc = 0, bd = Infinity;
        for (let c = 0; c < k; c++) {
          const dd = sqDist(points, i, C, c, dim);
          if (dd < bd) { bd = dd; bc = c; }
        }
        if (labels[i] !== bc) { labels[i] = bc; changed = true; }
      }
      if (!changed || it >= maxIter) break;
      it++;
      // update
      C.fill(0);
      counts.fill(0);
      for (let i = 0; i < n; i++) {
        const c = labels[i]!;
        counts[c]!++;
        for (let j = 0; j < dim; j++) C[c * dim + j]! += points[i * dim + j]!;
      }
      for (let c = 0; c < k; c++) {
        if (counts[c]! > 0) for (let j = 0; j < dim; j++) C[c * dim + j]! /= counts[c]!;
      }
      for (let c = 0; c < k; c++) {
        if (counts[c]! > 0) continue;
        // empty cluster: re-seed it with the point farthest from its centre (in a cluster of ≥ 2)
        let far = -1, fd = -1;
        for (let i = 0; i < n; i++) {
          const l = labels[i]!;
          if (counts[l]! <= 1) continue;
          const dd = sqDist(points, i, C, l, dim);
          if (dd > fd) { fd = dd; far = i; }
        }
        if (far < 0) continue; // cannot happen for k ≤ n
        counts[labels[far]!]!--;
        labels[far] = c;
        counts[c] = 1;
        C.set(points.subarray(far * dim, (far + 1) * dim), c * dim);
      }
    }
    let inertia = 0;
    for (let i = 0; i < n; i++) inertia += sqDist(points, i, C, labels[i]!, dim);
    if (best === null || inertia < best.inertia) {
      best = { labels: Int32Array.from(labels), centres: Float64Array.from(C), inertia, iterations: it };
    }
  }
  return best!;
}
