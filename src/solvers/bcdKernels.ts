/**
 * Small layout kernels of block coordinate descent (the products themselves are `linalg/blas.ts`'s,
 * which run WebAssembly SIMD on operands resident in its memory).
 *
 * @packageDocumentation
 */
import type { QuadraticLoss } from '../datafits/quadratic.js';
import { residentOrHeap } from '../linalg/wasm/matrix.js';
import { transposeInto } from '../linalg/mat.js';

/**
 * Feature-major copies X̃ᵀ (d×n) of shared designs, one per loss, allocated in the WebAssembly kernels'
 * memory (`allocF64`) so that gemv / axpy / gemm use them in place.
 */
const colMajorCache = new WeakMap<QuadraticLoss, Float64Array>();

/**
 * X̃ᵀ (d×n, feature j contiguous) of a shared design, made once per loss, resident whatever its size
 * (the row steps of residual BCD call the WebAssembly level-1/2 kernels on it directly).
 */
export function sharedColumns(loss: QuadraticLoss): Float64Array {
  let c = colMajorCache.get(loss);
  if (!c) colMajorCache.set(loss, (c = loss.design!.transposeInto(residentOrHeap(loss.n * loss.d, 0))));
  return c;
}

/** Ỹᵀ (T×n, task-major) of a shared design, resident like {@link sharedColumns}. */
export function taskMajor(Y: Float64Array, n: number, T: number): Float64Array {
  return transposeInto(Y, n, T, residentOrHeap(n * T, 0));
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

