/**
 * Matrices that live in the WebAssembly kernels' memory, so the kernels use them in place instead of
 * copying them for every call.
 *
 * ## For data objects and solvers (gl, lowrank, taskrel)
 * Allocate the big, long-lived operands once — a data object's X (n×d) and XᵀY, a Gram matrix, a
 * residual matrix R — with {@link allocF64} (a Float64Array) or {@link wasmMat} (a {@link Mat}), fill
 * them as any Float64Array, and pass them to the kernels of `blas.ts` as usual. Nothing else changes:
 * - the result is an ordinary `Float64Array` (a view into the kernels' shared memory) that stays valid
 *   when the memory grows;
 * - where the memory is not shared (a browser page without cross-origin isolation) or WebAssembly SIMD
 *   is missing, the same functions return ordinary heap arrays and every kernel still works (operands
 *   are then copied per call, or the JavaScript kernels run);
 * - the block is returned to the allocator when the array is garbage-collected, or at once by
 *   {@link freeF64} (after which the array must not be used). Keep a reference to the array returned
 *   here for as long as you use views (`subarray`) of it: the block is freed when *it* is collected.
 * - level-1/2 kernels (dot, axpy, gemv) go to WebAssembly only when all their operands are resident;
 *   for the residual updates of coordinate descent allocate both X's columns and R here.
 *
 * @packageDocumentation
 */
import type { Mat } from '../../types.js';
import { alloc, allocZeroed, free, heap, inWasmMemory, wasm } from './runtime.js';

const registry = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<number>((at) => free(at)) : null;
const owned = new WeakMap<ArrayBufferView, number>();

/**
 * A zero-filled Float64Array of `length` entries in the kernels' memory (or on the ordinary heap where
 * that memory is not shared).
 * @param length - number of entries, a non-negative integer
 * @returns the array
 * @throws RangeError when `length` is not a non-negative integer or the memory cannot grow enough
 * @example
 * ```ts
 * const X = allocF64(n * d); X.set(rows); gemmTN(d, T, n, X, Y, XtY, 0); // X used in place
 * ```
 * @see {@link wasmMat}, {@link freeF64}, {@link isWasmResident}
 */
export function allocF64(length: number): Float64Array {
  return allocView(length, 8, (n) => new Float64Array(n), (b, at, n) => new Float64Array(b, at, n));
}

/** A zero-filled typed array of `length` entries of `bytes` each in the kernels' memory (or the heap). */
function allocView<A extends Float64Array | Int32Array>(
  length: number, bytes: number, onHeap: (n: number) => A, view: (b: ArrayBufferLike, at: number, n: number) => A,
): A {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`length: expected a non-negative integer, got ${length}`);
  if (wasm === null || !wasm.shared || length === 0) return onHeap(length);
  const at = allocZeroed(length * bytes);
  const arr = view(heap().buffer, at, length);
  owned.set(arr, at);
  registry?.register(arr, at, arr);
  return arr;
}

/**
 * A zero-filled Int32Array of `length` entries in the kernels' memory (index lists the kernels read,
 * e.g. a working set), or on the ordinary heap where that memory is not shared; freed like
 * {@link allocF64}'s arrays when collected.
 * @param length - number of entries, a non-negative integer
 * @returns the array
 * @throws RangeError when `length` is not a non-negative integer or the memory cannot grow enough
 * @example
 * ```ts
 * const idx = allocI32(k); idx.set(workingSet.subarray(0, k));
 * ```
 * @see {@link allocF64}
 */
export function allocI32(length: number): Int32Array {
  return allocView(length, 4, (n) => new Int32Array(n), (b, at, n) => new Int32Array(b, at, n));
}

/**
 * {@link allocF64} for arrays of at least `minLength` entries, an ordinary heap array below that or
 * when the kernels' memory cannot grow: storage for large, long-lived operands (a data object's
 * design, a fold's training rows) that the blocked products should use in place.
 * @param length - number of entries, a non-negative integer
 * @param minLength - the smallest length worth placing in the kernels' memory @defaultValue 2^18
 * @returns a zero-filled array
 * @example
 * ```ts
 * const X = residentOrHeap(n * d); // resident when large
 * ```
 * @see {@link allocF64}
 */
export function residentOrHeap(length: number, minLength = 1 << 18): Float64Array {
  if (length < minLength) return new Float64Array(length);
  try {
    return allocF64(length);
  } catch {
    return new Float64Array(length);
  }
}

/**
 * {@link residentOrHeap} (minimum length 0) for a block the caller overwrites entirely before reading
 * it: a resident block is not cleared first (a reused block then holds old values), which saves a pass
 * over it (a fit's feature-major copy of X: a memset of n·d doubles).
 * @param length - number of entries, a non-negative integer
 * @returns the array: resident when possible, contents unspecified
 * @example
 * ```ts
 * const cols = residentScratch(n * d); transposeDesign(design, cols); // every entry written
 * ```
 * @see {@link residentOrHeap}
 */
export function residentScratch(length: number): Float64Array {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`length: expected a non-negative integer, got ${length}`);
  if (wasm === null || !wasm.shared || length === 0) return new Float64Array(length);
  let at: number;
  try { at = alloc(length * 8); } catch { return new Float64Array(length); }
  const arr = new Float64Array(heap().buffer, at, length);
  owned.set(arr, at);
  registry?.register(arr, at, arr);
  return arr;
}

/**
 * Returns the block of an array from {@link allocF64} to the allocator now. The array must not be used
 * afterwards. Arrays not from {@link allocF64} are ignored.
 * @param x - the array
 * @example
 * ```ts
 * const R = allocF64(n * T); … ; freeF64(R);
 * ```
 * @see {@link allocF64}
 */
export function freeF64(x: Float64Array | Int32Array): void {
  const at = owned.get(x);
  if (at === undefined) return;
  owned.delete(x);
  registry?.unregister(x);
  free(at);
}

/**
 * A zero rows×cols {@link Mat} whose data lives in the kernels' memory (see {@link allocF64}).
 * @param rows - number of rows (non-negative integer)
 * @param cols - number of columns (non-negative integer)
 * @returns the matrix
 * @throws RangeError when rows or cols is not a non-negative integer
 * @example
 * ```ts
 * const G = wasmMat(d, d); syrkTN(d, n, X, G.data, 0);
 * ```
 * @see {@link allocF64}, {@link toWasmMat}
 */
export function wasmMat(rows: number, cols: number): Mat {
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`rows: expected a non-negative integer, got ${rows}`);
  if (!Number.isInteger(cols) || cols < 0) throw new RangeError(`cols: expected a non-negative integer, got ${cols}`);
  return { rows, cols, data: allocF64(rows * cols) };
}

/**
 * A copy of `A` whose data lives in the kernels' memory (A itself is not modified).
 * @param A - a {@link Mat}
 * @returns the resident copy
 * @example
 * ```ts
 * const Xw = toWasmMat(data.X); // then use Xw.data in the kernels
 * ```
 * @see {@link wasmMat}
 */
export function toWasmMat(A: Mat): Mat {
  const out = wasmMat(A.rows, A.cols);
  out.data.set(A.data.subarray(0, A.rows * A.cols));
  return out;
}

/**
 * Whether kernels use `x` in place (it is a view into the kernels' shared memory).
 * @param x - any Float64Array
 * @returns true when resident
 * @example
 * ```ts
 * isWasmResident(allocF64(10)); // true in Node
 * ```
 * @see {@link allocF64}
 */
export function isWasmResident(x: Float64Array | Int32Array): boolean {
  return inWasmMemory(x);
}
