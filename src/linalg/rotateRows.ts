/**
 * Givens rotations on the rows of a matrix, the eigenvector update of the symmetric eigensolver's
 * implicit QR sweeps (`tridiagonal.ts`), on the backend `blas.ts` chose.
 *
 * @packageDocumentation
 */
import { kernelBackend } from './blas.js';
import { wasm, inWasmMemory } from './wasm/runtime.js';

/**
 * A sequence of Givens rotations on the rows of Z (n columns, row-major): for k = lo … hi − 1 in order,
 * (Z_k, Z_{k+1}) ← (c_k Z_k + s_k Z_{k+1}, c_k Z_{k+1} − s_k Z_k) — the eigenvector update of one
 * implicit QR sweep, with the eigenvectors stored as rows. Both backends perform the same operations
 * in the same order (WebAssembly: two columns per f64x2 lane pair), so results are bit-identical.
 * WebAssembly runs when Z, cs and sn are resident (see `allocF64`).
 * @param n - columns of Z
 * @param Z - matrix with at least hi + 1 rows (updated in place)
 * @param lo - first rotation index
 * @param hi - one past the last rotation index (rows lo … hi change)
 * @param cs - cosines, cs[k] for k in [lo, hi)
 * @param sn - sines, sn[k] for k in [lo, hi)
 * @example
 * ```ts
 * const Z = new Float64Array([1, 0, 0, 1]);
 * rotateRows(2, Z, 0, 1, new Float64Array([0]), new Float64Array([1])); // Z = [0, 1, -1, 0]
 * ```
 * @see {@link kernelBackend}
 */
export function rotateRows(n: number, Z: Float64Array, lo: number, hi: number, cs: Float64Array, sn: Float64Array): void {
  if (hi <= lo) return;
  if (kernelBackend() === 'wasm' && n >= 4 && inWasmMemory(Z) && inWasmMemory(cs) && inWasmMemory(sn)) {
    wasm!.k.rot_rows(n, Z.byteOffset, lo, hi, cs.byteOffset, sn.byteOffset);
    return;
  }
  // per column j: the running entry t of row k is carried across the sequence
  for (let j = 0; j < n; j++) {
    let t = Z[lo * n + j]!;
    for (let k = lo; k < hi; k++) {
      const c = cs[k]!, s = sn[k]!;
      const y = Z[(k + 1) * n + j]!;
      Z[k * n + j] = c * t + s * y; // Z_k ← c Z_k + s Z_{k+1}
      t = c * y - s * t; // Z_{k+1} ← c Z_{k+1} − s Z_k
    }
    Z[hi * n + j] = t;
  }
}
