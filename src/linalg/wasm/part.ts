/**
 * One thread's share of a row-partitioned product: rows [i0, i1) of C. Run by the main thread and by
 * the workers of `../parallel.ts` on the same shared memory. Every entry of C is computed by exactly
 * one thread with the summation order of the single-thread kernel (fixed k-block length kb, ascending
 * p), so the result is bit-identical to one thread.
 *
 * @packageDocumentation
 */
import type { WasmKernels } from './runtime.js';

/** Field indices of a job in a Uint32Array slot (pointers are byte addresses, ld in elements). */
export const F = {
  kind: 0, m: 1, n: 2, k: 3, kb: 4, a: 5, lda: 6, b: 7, ldb: 8, c: 9, ldc: 10, beta: 11, sym: 12,
  i0: 13, i1: 14, ws: 15,
} as const;
/**
 * Workspace bytes one thread's gemm call needs (kernels.wat): for 'tnr' the m×n result as 4×4 tiles
 * (128 bytes each); else the 128-byte tile, then for 'nn' and 'nt' a 4×kb panel of A, for 'tn' the
 * packed kb×m block of A, for 'nt' also the transposed kb×(n + 4) block of B.
 */
export function workspaceBytes(kind: 'nn' | 'tn' | 'nt' | 'tnr', m: number, n: number, kb: number): number {
  if (kind === 'tnr') return 128 * Math.ceil(m / 4) * Math.ceil(n / 4) + 64;
  const a = kind === 'tn' ? 8 * kb * (m + 4) : 32 * kb;
  return 128 + a + (kind === 'nt' ? 8 * kb * (n + 4) : 0) + 64;
}

/** Kind codes. */
export const KIND_NN = 0, KIND_TN = 1, KIND_NT = 2, KIND_TNR = 3;

/**
 * Computes rows [i0, i1) of the job described by `p` (fields {@link F}) with workspace `ws`.
 * - nn: C_rows = A_rows·B (A rows advance by lda);
 * - tn: C_rows = A(:, cols)ᵀ·B (A columns advance by 8 bytes);
 * - tn with sym: only the upper block triangle, which for rows ≥ i0 starts at column i0: B and C are
 *   offset by i0 columns as well, so local tiles coincide with the global ones (i0 a multiple of 4);
 * - nt: as nn with B n×k; with sym (C = A·Aᵀ) B's rows and C's columns are offset by i0 likewise;
 * - tnr: as tn (no sym) by the streaming kernel, `kb` being its rows per sweep g.
 */
export function runPart(K: WasmKernels, p: Uint32Array): void {
  const i0 = p[F.i0]!, i1 = p[F.i1]!, mm = i1 - i0;
  if (mm <= 0) return;
  const kind = p[F.kind]!, n = p[F.n]!, k = p[F.k]!, kb = p[F.kb]!, lda = p[F.lda]!, ldb = p[F.ldb]!, ldc = p[F.ldc]!;
  const a = p[F.a]!, b = p[F.b]!, c = p[F.c]!, beta = p[F.beta]!, ws = p[F.ws]!;
  if (kind === KIND_TNR) K.gemm_tnr(mm, n, k, kb, a + i0 * 8, lda, b, ldb, c + i0 * ldc * 8, ldc, beta, ws);
  else if (kind === KIND_NN) K.gemm_nn(mm, n, k, kb, a + i0 * lda * 8, lda, b, ldb, c + i0 * ldc * 8, ldc, beta, ws);
  else if (kind === KIND_NT && p[F.sym] === 1) K.gemm_nt(mm, n - i0, k, kb, a + i0 * lda * 8, lda, b + i0 * ldb * 8, ldb, c + i0 * ldc * 8 + i0 * 8, ldc, beta, 1, ws);
  else if (kind === KIND_NT) K.gemm_nt(mm, n, k, kb, a + i0 * lda * 8, lda, b, ldb, c + i0 * ldc * 8, ldc, beta, 0, ws);
  else if (p[F.sym] === 1) K.gemm_tn(mm, n - i0, k, kb, a + i0 * 8, lda, b + i0 * 8, ldb, c + i0 * ldc * 8 + i0 * 8, ldc, beta, 1, ws);
  else K.gemm_tn(mm, n, k, kb, a + i0 * 8, lda, b, ldb, c + i0 * ldc * 8, ldc, beta, 0, ws);
}
