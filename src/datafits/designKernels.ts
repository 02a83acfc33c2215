/**
 * The WebAssembly paths of {@link SharedDesign}'s column products (issue #11): squared column norms, the
 * working-set column gather, and the choice of orientation for the Gram columns. Each returns false (or
 * the caller's loop runs) where the kernels cannot be used.
 *
 * @packageDocumentation
 */
import { kernelBackend } from '../linalg/blas.js';
import { allocI32, freeF64, isWasmResident, residentOrHeap } from '../linalg/wasm/matrix.js';
import { wasm, type WasmKernels } from '../linalg/wasm/runtime.js';

/**
 * out_j = Σ_i (x_ij − x̄_j)² by the kernels' `col_sq` for a resident design (JavaScript loops over the
 * kernels' shared memory run slower than over the heap: 0.3 ms of a 2000×50 fit, 3 ms at 20000×50);
 * the same ascending chain per column, so the same bits as the loop.
 * @param n - rows
 * @param d - columns
 * @param X - the design, n×d row-major
 * @param mu - column means to subtract, or null
 * @param out - length d output (overwritten when applicable)
 * @returns false, out untouched, when not applicable (another backend, a heap X, the memory full)
 * @example
 * ```ts
 * if (!columnSquaresKernel(n, d, X, null, out)) loopInstead();
 * ```
 * @see SharedDesign.columnSquares
 */
export function columnSquaresKernel(n: number, d: number, X: Float64Array, mu: Float64Array | null, out: Float64Array): boolean {
  if (wasm === null || kernelBackend() !== 'wasm' || !isWasmResident(X) || d === 0) return false;
  const k = wasm.k as WasmKernels;
  return residentSquares(d, mu, out, (muAt, accAt) => k.col_sq(n, d, X.byteOffset, muAt, accAt));
}

/**
 * Runs a kernel that accumulates squared column norms into a zeroed resident accumulator (length d), with
 * the column means copied in when given, and copies the result to `out`: the operand handling shared by
 * `col_sq` ({@link columnSquaresKernel}) and `transpose_sq` (bcdKernels' transposeDesign).
 * @param d - columns
 * @param mu - column means to subtract, or null (the kernel then gets address 0)
 * @param out - length d output (written only when the operands are resident)
 * @param run - calls the kernel with the byte addresses of the means (or 0) and of the accumulator
 * @returns false, nothing run and out untouched, when the operands cannot be resident (the memory full)
 * @example
 * ```ts
 * residentSquares(d, mu, out, (muAt, accAt) => k.col_sq(n, d, X.byteOffset, muAt, accAt));
 * ```
 * @see {@link columnSquaresKernel}
 */
export function residentSquares(d: number, mu: Float64Array | null, out: Float64Array, run: (muAt: number, accAt: number) => void): boolean {
  const acc = residentOrHeap(d, 0), m = mu === null ? null : residentOrHeap(d, 0);
  const ok = isWasmResident(acc) && (m === null || isWasmResident(m));
  if (ok) {
    if (m !== null) m.set(mu!);
    run(m === null ? 0 : m.byteOffset, acc.byteOffset);
    out.set(acc.subarray(0, d));
  }
  freeF64(acc);
  if (m !== null) freeF64(m);
  return ok;
}

/**
 * {@link SharedDesign.columnsInto} by the kernels' `gather_cols` for a resident design and output (the
 * JavaScript loop over the kernels' shared memory was 32 % of a 20000×500×5 fit): the same values,
 * bit for bit.
 * @param n - rows
 * @param d - columns
 * @param X - the design, n×d row-major
 * @param cols - feature indices
 * @param m - how many of them
 * @param at - where column b starts in out
 * @param mu - column means to subtract, or null
 * @param out - output array
 * @returns false, out untouched, when not applicable
 * @example
 * ```ts
 * if (!gatherColumnsKernel(n, d, X, cols, m, at, null, out)) loopInstead();
 * ```
 * @see SharedDesign.columnsInto
 */
export function gatherColumnsKernel(
  n: number, d: number, X: Float64Array, cols: Int32Array, m: number, at: Int32Array, mu: Float64Array | null, out: Float64Array,
): boolean {
  if (wasm === null || kernelBackend() !== 'wasm' || !isWasmResident(X) || !isWasmResident(out)) return false;
  let ci: Int32Array;
  try { ci = allocI32(2 * m); } catch { return false; } // the kernels' memory is full
  const mr = mu === null ? null : residentOrHeap(d, 0);
  const ok = isWasmResident(ci) && (mr === null || isWasmResident(mr));
  if (ok) {
    ci.set(cols.subarray(0, m)); ci.set(at.subarray(0, m), m);
    if (mr !== null) mr.set(mu!);
    (wasm.k as WasmKernels).gather_cols(n, d, X.byteOffset, ci.byteOffset, m, ci.byteOffset + 4 * m, mr === null ? 0 : mr.byteOffset, out.byteOffset);
  }
  freeF64(ci);
  if (mr !== null) freeF64(mr);
  return ok;
}

/**
 * Whether the Gram columns of m features cost fewer computed entries as X̃ᵀX̃_S (d×m) than as X̃_SᵀX̃ (m×d):
 * the kernels' tiles are 4 features (rows of the result) by 1, 2 or 4 columns (3 columns: one lane wasted).
 * @param m - the listed features
 * @param d - all features
 * @returns true when the transposed product computes fewer entries
 * @example
 * ```ts
 * transposedCheaper(10, 50); // true: 52·10 entries instead of 12·50
 * ```
 * @see SharedDesign.gramColumns
 */
export function transposedCheaper(m: number, d: number): boolean {
  const entries = (rows: number, cols: number): number => 4 * Math.ceil(rows / 4) * (cols + (cols % 4 === 3 ? 1 : 0));
  return entries(d, m) < entries(m, d);
}

/** The resident operands of {@link centreBlockKernel}: α = −1 per block row and a copy of the means. */
export interface CentreOperands {
  readonly alpha: Float64Array;
  readonly mu: Float64Array;
}

/**
 * The operands of {@link centreBlockKernel} for blocks of up to `rows` rows, or null where the kernels
 * cannot use them (no shared memory, the memory full).
 * @param mu - the column means (copied)
 * @param rows - the most rows a block has
 * @returns the resident operands, or null
 * @example
 * ```ts
 * const ops = centreOperands(means, rowsPerBlock);
 * ```
 * @see centreBlockKernel
 */
export function centreOperands(mu: Float64Array, rows: number): CentreOperands | null {
  if (wasm === null || !wasm.shared) return null;
  let alpha: Float64Array, m: Float64Array;
  try { alpha = residentOrHeap(rows, 0); m = residentOrHeap(mu.length, 0); } catch { return null; }
  if (!isWasmResident(alpha) || !isWasmResident(m)) { freeF64(alpha); freeF64(m); return null; }
  alpha.fill(-1);
  m.set(mu);
  return { alpha, mu: m };
}

/**
 * B[i, :] −= x̄ᵀ for the m rows of a resident block (m×d) by the kernels' `axpy_rows` with α_i = −1: each
 * entry b + (−1)·x̄_j, which is b − x̄_j exactly, so the same bits as the subtraction loop.
 * @param B - the block, m×d row-major (resident)
 * @param m - rows (at most the operands' rows)
 * @param d - columns
 * @param ops - from {@link centreOperands}, or null
 * @returns false, B untouched, when not applicable
 * @example
 * ```ts
 * if (!centreBlockKernel(B, m, d, ops)) subtractInJs();
 * ```
 * @see SharedDesign
 */
export function centreBlockKernel(B: Float64Array, m: number, d: number, ops: CentreOperands | null): boolean {
  if (ops === null || wasm === null || kernelBackend() !== 'wasm' || !isWasmResident(B) || m > ops.alpha.length) return false;
  (wasm.k as WasmKernels).axpy_rows(m, d, ops.alpha.byteOffset, ops.mu.byteOffset, B.byteOffset, d);
  return true;
}
