/**
 * Small layout kernels of block coordinate descent (the products themselves are `linalg/blas.ts`'s,
 * which run WebAssembly SIMD on operands resident in its memory).
 *
 * @packageDocumentation
 */
import type { QuadraticLoss } from '../datafits/quadratic.js';
import { allocF64 } from '../linalg/wasm/matrix.js';
import { transposeInto } from '../linalg/mat.js';

/**
 * Feature-major copies X̃ᵀ (d×n) of shared designs, one per loss, allocated in the WebAssembly kernels'
 * memory (`allocF64`) so that gemv / axpy / gemm use them in place.
 */
const colMajorCache = new WeakMap<QuadraticLoss, Float64Array>();
/**
 * A zero-filled buffer, in the WebAssembly kernels' memory when it is large (≥ 2¹⁸ entries: there the
 * in-place kernels pay off; small blocks would only fill the allocator).
 * @param length - entries
 * @returns the buffer
 * @example
 * ```ts
 * const R = residentBuffer(n * T);
 * ```
 * @see {@link sharedColumns}
 */
export function residentBuffer(length: number): Float64Array {
  return length >= 1 << 18 ? allocF64(length) : new Float64Array(length);
}

export function sharedColumns(loss: QuadraticLoss): Float64Array {
  let c = colMajorCache.get(loss);
  if (!c) colMajorCache.set(loss, (c = loss.design!.transposeInto(residentBuffer(loss.n * loss.d))));
  return c;
}

/** Ỹᵀ (T×n, task-major) of a shared design, resident like {@link sharedColumns}. */
export function taskMajor(Y: Float64Array, n: number, T: number): Float64Array {
  return transposeInto(Y, n, T, residentBuffer(n * T));
}

/** κ = min_t 1/(2 s_t). */
export function kappaOf(loss: QuadraticLoss): number {
  let smax = 0;
  for (let t = 0; t < loss.T; t++) smax = Math.max(smax, loss.scales[t]!);
  return 1 / (2 * smax);
}

/** L_jt = 2 s_t ‖x̃_tj‖² and max_t ‖x̃_tj‖ from the squared column norms sq(j, t). */
export function lipschitzFrom(loss: QuadraticLoss, sq: (j: number, t: number) => number): { L: Float64Array; cmax: Float64Array } {
  const { d, T } = loss;
  const L = new Float64Array(d * T), cmax = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let t = 0; t < T; t++) {
      const s = sq(j, t);
      L[j * T + t] = 2 * loss.scales[t]! * s;
      if (s > cmax[j]! ** 2) cmax[j] = Math.sqrt(s);
    }
  }
  return { L, cmax };
}

