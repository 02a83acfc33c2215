/**
 * Calls into the WebAssembly kernels with Float64Array operands: operands that already live in the
 * kernels' memory (see `matrix.ts`) are used in place; the others are copied into a scratch region
 * for the call (outputs copied back). Large products are split by output rows across worker threads
 * (`../parallel.ts`) when the pool is up.
 *
 * Aliasing rule (as in BLAS): an output must not overlap an input. Inputs may be the same array.
 *
 * @packageDocumentation
 */
import { alloc, free, heap, inWasmMemory, wasm } from './runtime.js';
import { parallelGemm, type GemmKind } from '../parallel.js';
import { workspaceBytes } from './part.js';

let scratchAt = 0;
let scratchBytes = 0;
let cursor = 0;

/** alloc(bytes), or −1 when the kernels' memory cannot hold it. */
function tryAlloc(bytes: number): number {
  try {
    return alloc(bytes);
  } catch (e) {
    if (e instanceof RangeError) return -1;
    throw e;
  }
}

/**
 * Makes the scratch region at least `bytes` long and resets its cursor; false when the kernels' memory
 * cannot hold it (the caller then computes in JavaScript).
 */
function scratch(bytes: number): boolean {
  if (bytes > scratchBytes) {
    const want = Math.max(bytes, 2 * scratchBytes, 1 << 16);
    if (scratchAt !== 0) free(scratchAt);
    let at = tryAlloc(want), size = want;
    if (at < 0) { at = tryAlloc(bytes); size = bytes; }
    scratchAt = Math.max(at, 0);
    scratchBytes = at < 0 ? 0 : size;
    if (at < 0) return false;
  }
  cursor = scratchAt;
  return true;
}

/** Bytes of scratch an operand of `len` doubles needs when it is not resident. */
function need(x: Float64Array, len: number): number {
  return inWasmMemory(x) ? 0 : ((len * 8 + 47) & ~15);
}

/** The address of x[0 .. len) in the memory: in place, or a scratch copy (copied in when `copyIn`). */
function place(x: Float64Array, len: number, copyIn: boolean, h: Float64Array): number {
  if (inWasmMemory(x)) return x.byteOffset;
  const at = cursor;
  cursor += (len * 8 + 47) & ~15;
  if (copyIn) h.set(x.length === len ? x : x.subarray(0, len), at >> 3);
  return at;
}

/** Copies C's scratch copy back. */
function back(x: Float64Array, len: number, at: number, h: Float64Array): void {
  if (!inWasmMemory(x)) x.set(h.subarray(at >> 3, (at >> 3) + len));
}

/** The k-block length: the block of B (kb × n doubles) stays within about 128 KiB. Depends on n only. */
export function blockLength(n: number): number {
  const kb = Math.floor(16384 / Math.max(n, 1)) & ~7;
  return Math.min(512, Math.max(64, kb));
}

/**
 * Non-symmetric C = AᵀB (k×m A, m×n C) goes to the streaming kernel `gemm_tnr` when C has at most this
 * many entries: its tiles (8·m·n bytes, up to 4 MiB) live in the workspace and are swept once per 8–16
 * rows of A. Timed against the packed `gemm_tn` on the raw kernels (m = 500, k = 20000, loaded machine,
 * CPU time): faster at every n tried, 1.2–1.5× at n = 100, 160 and 300 (m·n up to 150000); the limit
 * beyond that is a guess that keeps the tiles within the last-level cache.
 */
export const TNR_MAX_ENTRIES = 1 << 19;

/** Rows of A per sweep of `gemm_tnr` (8 for n ≤ 8, else 16); the result does not depend on it. */
export function sweepRows(n: number): number {
  return n <= 8 ? 8 : 16;
}


/**
 * C = op(A)·op(B) (beta 0) or C += … (beta 1) by the WebAssembly kernels, all operands dense
 * row-major: 'nn' A m×k, B k×n; 'tn' A k×m, B k×n; 'nt' A m×k, B n×k; 'syrk' C = AᵀA, A k×m, n = m;
 * 'syrkNT' C = A·Aᵀ, A m×k, n = m (B ignored for both; the upper triangle is computed and mirrored).
 * Returns false, C untouched, when the kernels' memory has no room for the copies of non-resident
 * operands (the caller then uses the JavaScript kernel).
 */
export function wasmGemm(kind: GemmKind | 'syrk' | 'syrkNT', m: number, n: number, k: number, A: Float64Array, B: Float64Array, C: Float64Array, beta: 0 | 1): boolean {
  const w = wasm!;
  const sym = kind === 'syrk' || kind === 'syrkNT';
  const lenA = m * k, lenB = sym ? 0 : n * k, lenC = m * n;
  const sameAB = A === B || sym;
  const base: GemmKind = kind === 'syrk' ? 'tn' : kind === 'syrkNT' ? 'nt' : kind;
  // XᵀY-like products stream A (one summation chain per entry); the symmetric ones keep gemm_tn
  const gk: GemmKind = base === 'tn' && !sym && m * n <= TNR_MAX_ENTRIES ? 'tnr' : base;
  const kb = gk === 'tnr' ? sweepRows(n) : blockLength(n);
  const wsb = workspaceBytes(gk, m, n, kb);
  if (!scratch(need(A, lenA) + (sameAB ? 0 : need(B, lenB)) + need(C, lenC) + wsb + 64)) return false;
  const h = heap();
  const a = place(A, lenA, true, h);
  const b = sameAB ? a : place(B, lenB, true, h);
  const c = place(C, lenC, beta === 1, h);
  const ws = cursor;
  const lda = gk === 'nn' || gk === 'nt' ? k : m; // tn, tnr: A is k×m
  const ldb = gk === 'nt' ? k : n;
  const s = sym ? 1 : 0;
  if (!parallelGemm(gk, m, n, k, kb, a, lda, b, ldb, c, n, beta, s)) {
    if (gk === 'tnr') w.k.gemm_tnr(m, n, k, kb, a, lda, b, ldb, c, n, beta, ws);
    else if (gk === 'nn') w.k.gemm_nn(m, n, k, kb, a, lda, b, ldb, c, n, beta, ws);
    else if (gk === 'tn') w.k.gemm_tn(m, n, k, kb, a, lda, b, ldb, c, n, beta, s, ws);
    else w.k.gemm_nt(m, n, k, kb, a, lda, b, ldb, c, n, beta, s, ws);
  }
  if (sym) w.k.sym_mirror(n, c, n);
  back(C, lenC, c, h);
  return true;
}

/** Σ x[xo + i]·y[yo + i] by the WebAssembly kernel; both vectors must be resident. */
export function wasmDot(n: number, x: Float64Array, xo: number, y: Float64Array, yo: number): number {
  return wasm!.k.dot(n, x.byteOffset + 8 * xo, y.byteOffset + 8 * yo);
}

/** y[yo + i] += a·x[xo + i] by the WebAssembly kernel; both vectors must be resident. */
export function wasmAxpy(n: number, a: number, x: Float64Array, xo: number, y: Float64Array, yo: number): void {
  wasm!.k.axpy(n, a, x.byteOffset + 8 * xo, y.byteOffset + 8 * yo);
}

/** y = A x / y += A x (trans 0) or y = Aᵀ x / y += Aᵀ x (trans 1), A m×k; all three must be resident. */
export function wasmGemv(trans: 0 | 1, m: number, k: number, A: Float64Array, aOff: number, x: Float64Array, xOff: number, y: Float64Array, yOff: number, beta: 0 | 1): void {
  const f = trans === 0 ? wasm!.k.gemv : wasm!.k.gemv_t;
  f(m, k, A.byteOffset + 8 * aOff, k, x.byteOffset + 8 * xOff, y.byteOffset + 8 * yOff, beta);
}

/**
 * A[ao + i·lda + p] += α[i]·x[xo + p] for i < m, p < k (rows with α_i = 0 untouched), by the WebAssembly
 * kernel `axpy_rows` (each row rounded as one `axpy`); α, x and A must be resident.
 */
export function wasmAxpyRows(m: number, k: number, alpha: Float64Array, x: Float64Array, xo: number, A: Float64Array, ao: number, lda: number): void {
  wasm!.k.axpy_rows(m, k, alpha.byteOffset, x.byteOffset + 8 * xo, A.byteOffset + 8 * ao, lda);
}

/**
 * C[co + idx[a]·ldc + t] += g[go + idx[a]]·α[t] for a < k, t < n (rows with g = 0 untouched), by the
 * WebAssembly kernel `axpy_gather`; idx (an Int32Array), g, α and C must be resident.
 */
export function wasmAxpyGather(k: number, n: number, idx: Int32Array, g: Float64Array, go: number, alpha: Float64Array, C: Float64Array, co: number, ldc: number): void {
  wasm!.k.axpy_gather(k, n, idx.byteOffset, g.byteOffset + 8 * go, alpha.byteOffset, C.byteOffset + 8 * co, ldc);
}

/**
 * y[yo + i] = A[ao + i·lda .. + k)·x[xo .. + k) for i < m by the WebAssembly kernel `gemv_rows` (four
 * rows per pass over x; each entry rounded exactly as {@link wasmDot}); A, x and y must be resident.
 */
export function wasmGemvRows(m: number, k: number, A: Float64Array, ao: number, lda: number, x: Float64Array, xo: number, y: Float64Array, yo: number): void {
  wasm!.k.gemv_rows(m, k, A.byteOffset + 8 * ao, lda, x.byteOffset + 8 * xo, y.byteOffset + 8 * yo);
}
