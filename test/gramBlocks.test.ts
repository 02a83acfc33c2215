/**
 * The Gram form's products over a plain resident design in large row blocks (issue #11: views of ~4 MiB of
 * X, so each product splits across the kernel threads) against the same products in the block buffer's
 * blocks of 2^15/d rows (a row list of every row in order takes that route), bit for bit: gemm_tnr's
 * entries are one ascending chain over the rows however the rows are cut (blocks below the kernels' size
 * threshold run in JavaScript, so n is chosen to leave none).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelBackend, setKernelBackend, wasmKernelsInfo } from '../src/linalg/blas.js';
import { allocF64, freeF64 } from '../src/linalg/wasm/matrix.js';
import { SharedDesign } from '../src/datafits/sharedDesign.js';
import { randn } from './helpers/random.js';
import { assertFusedSquares } from './helpers/designProducts.js';

const initial = kernelBackend();

function resident(x: Float64Array): Float64Array {
  const r = allocF64(x.length);
  r.set(x);
  return r;
}

test('large row blocks of a resident X: X̃ᵀA with the column squares and the Gram columns (both orientations) equal the block buffer\'s blocks bit for bit', { skip: !wasmKernelsInfo().sharedMemory }, () => {
  setKernelBackend('wasm');
  try {
    for (const [n, d] of [[655 * 36 + 301, 50], [885 * 34 + 443, 37], [163 * 20 + 81, 200]] as const) {
      // n: the block buffer's blocks of ⌊2^15/d⌋ rows end in one of about half that size, so every block runs in the kernels
      const X = resident(randn(n * d, n + d));
      const every = Int32Array.from({ length: n }, (_, i) => i);
      for (const k of [1, 2, 3, 5, 8]) {
        const A = randn(n * k, 2 * n + k);
        assertFusedSquares(new SharedDesign(n, d, X, null), new SharedDesign(n, d, X, null, every), A, k, `${n}×${d} k ${k}`);
      }
      for (const m of [1, 3, 10, 13]) {
        const cols = Int32Array.from({ length: m }, (_, b) => (b * 11 + 5) % d);
        const big = new SharedDesign(n, d, X, null), small = new SharedDesign(n, d, X, null, every);
        const ref = new Float64Array(m * d);
        small.gramColumns(cols, m, ref);
        for (const res of [false, true]) {
          const out = res ? allocF64(m * d) : new Float64Array(m * d); // resident output: the transposed route where cheaper
          big.gramColumns(cols, m, out);
          assert.deepEqual(Array.from(out), Array.from(ref), `Gram columns ${n}×${d} m ${m} resident ${res}`);
          if (res) freeF64(out);
        }
      }
      freeF64(X);
    }
  } finally {
    setKernelBackend(initial);
  }
});
