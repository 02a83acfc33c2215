/**
 * The streaming XᵀY kernel (`gemm_tnr` in kernels.wat, behind gemmTN for non-symmetric products):
 * every entry is one ascending summation chain, so it must equal the textbook loop BIT FOR BIT on every
 * edge shape, with one thread or several, and never write outside C.
 * (Runs a second time with MTLEARN_KERNELS=js in `npm test`; the WebAssembly backend is chosen here
 * explicitly.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemmTN, kernelBackend, setKernelBackend, wasmKernelsInfo } from '../src/linalg/blas.js';
import { allocF64 } from '../src/linalg/wasm/matrix.js';
import { parallelThreshold, setKernelThreads, startKernelThreads } from '../src/linalg/parallel.js';
import { TNR_MAX_ENTRIES, wasmGemm } from '../src/linalg/wasm/dispatch.js';
import { randn } from './helpers/random.js';

const initial = kernelBackend();
const noWasm = !wasmKernelsInfo().available;

/**
 * C = AᵀB (C0 absent) or C = C0 + AᵀB accumulated into C0 entry by entry, A k×m, B k×n row-major:
 * s = C0_ij (or 0); s += A_pi·B_pj for p = 0 … k−1.
 */
function naiveTN(m: number, n: number, k: number, A: Float64Array, B: Float64Array, C0?: Float64Array): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = C0 ? C0[i * n + j]! : 0;
    for (let p = 0; p < k; p++) s += A[p * m + i]! * B[p * n + j]!;
    C[i * n + j] = s;
  }
  return C;
}

function resident(x: Float64Array): Float64Array {
  const r = allocF64(x.length);
  r.set(x);
  return r;
}

/** The first index where a and b differ (bitwise, via ===), or -1. */
function firstDiff(a: Float64Array, b: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (!(a[i] === b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}

test('the WebAssembly TN product (streaming kernel) equals the naive loop bit for bit on edge shapes, overwrite and accumulate', { skip: noWasm }, () => {
  const sizes = [1, 3, 4, 5, 7, 8, 9];
  // k across the rows per sweep (8 for n ≤ 8, else 16): below, at, and not a multiple of them
  const ks = [1, 7, 9, 17, 33, 100];
  try {
    setKernelBackend('wasm');
    let seed = 1;
    for (const m of sizes) for (const n of [...sizes, 13, 50]) for (const k of ks) {
      seed++;
      const A = randn(k * m, seed), B = randn(k * n, 1000 + seed), C0 = randn(m * n, 2000 + seed);
      const ref = naiveTN(m, n, k, A, B), refAcc = naiveTN(m, n, k, A, B, C0);
      for (const place of ['heap', 'resident'] as const) {
        const a = place === 'heap' ? A : resident(A), b = place === 'heap' ? B : resident(B);
        const C = place === 'heap' ? new Float64Array(m * n).fill(7) : resident(new Float64Array(m * n).fill(7));
        // the kernel itself (gemmTN sends products below 4096 m·n·k to the JavaScript kernels)
        wasmGemm('tn', m, n, k, a, b, C, 0);
        assert.equal(firstDiff(C, ref), -1, `${place} ${m}×${n}×${k} overwrite`);
        C.set(C0);
        wasmGemm('tn', m, n, k, a, b, C, 1);
        assert.equal(firstDiff(C, refAcc), -1, `${place} ${m}×${n}×${k} accumulate`);
      }
    }
  } finally {
    setKernelBackend(initial);
  }
});

test('gemmTN writes only C: entries around a C view inside a larger resident block stay untouched', { skip: noWasm || !wasmKernelsInfo().sharedMemory }, () => {
  try {
    setKernelBackend('wasm');
    for (const [m, n, k] of [[7, 5, 190], [9, 3, 400], [5, 13, 160]] as const) {
      const A = randn(k * m, m * k), B = randn(k * n, n + k);
      const block = allocF64(m * n + 16).fill(-3);
      const C = block.subarray(8, 8 + m * n);
      gemmTN(m, n, k, resident(A), resident(B), C, 0);
      assert.equal(firstDiff(C, naiveTN(m, n, k, A, B)), -1, `${m}×${n}×${k}`);
      for (let i = 0; i < 8; i++) {
        assert.equal(block[i], -3, 'before C');
        assert.equal(block[8 + m * n + i], -3, 'after C');
      }
    }
  } finally {
    setKernelBackend(initial);
  }
});

test('threaded XᵀY is bit-identical to one thread and to the naive loop (2 and 3 threads cut the features elsewhere)', { skip: noWasm || !wasmKernelsInfo().sharedMemory }, () => {
  const old = parallelThreshold();
  try {
    setKernelBackend('wasm');
    const cases: [number, number, number][] = [[37, 5, 1500], [64, 50, 700], [9, 1, 600], [130, 7, 401]];
    const inputs = cases.map(([m, n, k], c) => ({ m, n, k, A: resident(randn(k * m, 31 + c)), B: resident(randn(k * n, 37 + c)), C0: randn(m * n, 41 + c) }));
    const run = (): Float64Array[] => inputs.map(({ m, n, k, A, B, C0 }) => {
      const C = resident(C0);
      gemmTN(m, n, k, A, B, C, 1);
      return Float64Array.from(C);
    });
    setKernelThreads(1);
    const single = run();
    parallelThreshold(0);
    setKernelThreads(2);
    assert.equal(startKernelThreads(), 2, 'the pool starts');
    const two = run();
    setKernelThreads(3);
    startKernelThreads();
    const three = run();
    inputs.forEach(({ m, n, k, A, B, C0 }, c) => {
      assert.equal(firstDiff(single[c]!, naiveTN(m, n, k, A, B, C0)), -1, `one thread = naive, ${m}×${n}×${k}`);
      assert.equal(firstDiff(two[c]!, single[c]!), -1, `2 threads, ${m}×${n}×${k}`);
      assert.equal(firstDiff(three[c]!, single[c]!), -1, `3 threads, ${m}×${n}×${k}`);
    });
  } finally {
    parallelThreshold(old);
    setKernelThreads(2);
    setKernelBackend(initial);
  }
});

test('gemmTN with an output above the streaming limit (packed, blocked kernel) is still within rounding of the naive loop', { skip: noWasm }, () => {
  try {
    setKernelBackend('wasm');
    const m = 1030, n = Math.floor(TNR_MAX_ENTRIES / m) + 3, k = 3;
    assert.ok(m * n > TNR_MAX_ENTRIES);
    const A = randn(k * m, 5), B = randn(k * n, 6), C = new Float64Array(m * n);
    gemmTN(m, n, k, A, B, C, 0);
    const ref = naiveTN(m, n, k, A, B);
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(C[i]! - ref[i]!));
    assert.ok(worst <= 1e-13 * k, `max |C − naive| = ${worst}`);
  } finally {
    setKernelBackend(initial);
  }
});
