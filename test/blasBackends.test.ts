/**
 * Both kernel backends (WebAssembly SIMD and JavaScript) against a naive reference on odd shapes,
 * resident and copied operands, offsets; threaded products bit-identical to one thread.
 * Runs twice in `npm test` (the second time with MTLEARN_KERNELS=js, where the wasm parts are checked
 * by switching the backend explicitly).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  axpy, dot, gemmNN, gemmNT, gemmTN, gemv, gemvT, kernelBackend, rotateRows, setKernelBackend, syrkNT, syrkTN, wasmKernelsInfo,
  type KernelBackend,
} from '../src/linalg/blas.js';
import { allocF64, freeF64, isWasmResident, toWasmMat, wasmMat } from '../src/linalg/wasm/matrix.js';
import { kernelThreads, parallelThreshold, setKernelThreads, startKernelThreads } from '../src/linalg/parallel.js';
import { allocatedBytes } from '../src/linalg/wasm/runtime.js';
import { KERNELS_WAT_SHA256 } from '../src/linalg/wasm/kernels.generated.js';
import { wasmAxpyGather, wasmAxpyRows, wasmDot, wasmGemvRows } from '../src/linalg/wasm/dispatch.js';
import { allocI32 } from '../src/linalg/wasm/matrix.js';
import { randn } from './helpers/random.js';
import { SharedDesign } from '../src/datafits/sharedDesign.js';
import { transposeDesign } from '../src/solvers/bcdKernels.js';
import { centreShared } from '../src/datafits/centring.js';
import { MultiTaskData } from '../src/data/MultiTaskData.js';

type Kind = 'nn' | 'tn' | 'nt';
const initial = kernelBackend();
const backends: KernelBackend[] = wasmKernelsInfo().available ? ['js', 'wasm'] : ['js'];

/** C = op(A)·op(B) by the textbook triple loop (A, B in the storage of `kind`). */
function naive(kind: Kind, m: number, n: number, k: number, A: Float64Array, B: Float64Array): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (kind === 'tn' ? A[p * m + i]! : A[i * k + p]!) * (kind === 'nt' ? B[j * k + p]! : B[p * n + j]!);
    C[i * n + j] = s;
  }
  return C;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function resident(x: Float64Array): Float64Array {
  const r = allocF64(x.length);
  r.set(x);
  return r;
}

const gemm = { nn: gemmNN, tn: gemmTN, nt: gemmNT } as const;
// every remainder mod 4 in m and n, k across the k-block lengths (64 … 512)
const shapes: [number, number, number][] = [
  [1, 1, 1], [2, 3, 5], [3, 5, 7], [4, 4, 4], [5, 2, 17], [7, 7, 65], [9, 6, 300], [17, 13, 600], [2, 9, 1],
  [33, 1, 70], [5, 5, 1100], [8, 3, 17], [1, 17, 33], [13, 2, 2],
];

test('gemm NN / TN / NT: both backends, resident or copied operands, equal the triple loop (overwrite and accumulate)', () => {
  try {
    for (const backend of backends) {
      setKernelBackend(backend);
      for (const [m, n, k] of shapes) {
        for (const kind of ['nn', 'tn', 'nt'] as const) {
          const A = randn(m * k, m + 3 * n + k), B = randn(n * k, 7 * m + n);
          const ref = naive(kind, m, n, k, A, B);
          const tol = 1e-13 * Math.max(1, k);
          for (const place of ['heap', 'resident', 'mixed'] as const) {
            const a = place === 'heap' ? A : resident(A);
            const b = place === 'resident' ? resident(B) : B;
            const C = place === 'heap' ? randn(m * n, 5) : resident(randn(m * n, 5));
            gemm[kind](m, n, k, a, b, C, 0);
            assert.ok(maxAbsDiff(C, ref) <= tol, `${backend} ${kind} ${place} ${m}×${n}×${k}: ${maxAbsDiff(C, ref)}`);
            gemm[kind](m, n, k, a, b, C, 1);
            assert.ok(maxAbsDiff(C, ref.map((v) => 2 * v)) <= 2 * tol, `${backend} ${kind} ${place} accumulate ${m}×${n}×${k}`);
            assert.deepEqual(a, A, 'A unchanged');
            assert.deepEqual(b, B, 'B unchanged');
          }
        }
      }
    }
  } finally {
    setKernelBackend(initial);
  }
});

test('syrkTN and gemmTN(X, X) give the exactly symmetric Gram matrix XᵀX on both backends', () => {
  try {
    for (const backend of backends) {
      setKernelBackend(backend);
      for (const [m, k] of [[1, 1], [3, 7], [5, 300], [9, 2], [17, 600], [30, 65]] as const) {
        const X = randn(k * m, m * k);
        const ref = naive('tn', m, m, k, X, X);
        for (const x of [X, resident(X)]) {
          const G = new Float64Array(m * m), G2 = new Float64Array(m * m).fill(1); // symmetric start
          syrkTN(m, k, x, G, 0);
          syrkTN(m, k, x, G2, 1);
          assert.ok(maxAbsDiff(G, ref) <= 1e-13 * k, `${backend} syrk ${m}×${k}`);
          assert.ok(maxAbsDiff(G2, ref.map((v) => v + 1)) <= 1e-13 * k, `${backend} syrk accumulate ${m}×${k}`);
          const G3 = new Float64Array(m * m);
          gemmTN(m, m, k, x, x, G3, 0);
          assert.ok(maxAbsDiff(G3, ref) <= 1e-13 * k, `${backend} gemmTN(X, X) ${m}×${k}`);
          // syrkNT: the Gram matrix of the rows of Xt = Xᵀ (m×k), same values
          const Xt = new Float64Array(m * k);
          for (let p = 0; p < k; p++) for (let i = 0; i < m; i++) Xt[i * k + p] = x[p * m + i]!;
          const xt = isWasmResident(x) ? resident(Xt) : Xt;
          const H = new Float64Array(m * m), H2 = new Float64Array(m * m);
          syrkNT(m, k, xt, H, 0);
          gemmNT(m, m, k, xt, xt, H2, 0);
          assert.ok(maxAbsDiff(H, ref) <= 1e-13 * k, `${backend} syrkNT ${m}×${k}`);
          assert.ok(maxAbsDiff(H2, ref) <= 1e-13 * k, `${backend} gemmNT(X, X) ${m}×${k}`);
          for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) {
            assert.equal(H[i * m + j], H[j * m + i]);
            assert.equal(G[i * m + j], G[j * m + i]);
            assert.equal(G2[i * m + j], G2[j * m + i]);
          }
        }
      }
    }
  } finally {
    setKernelBackend(initial);
  }
});

test('dot, axpy, gemv, gemvT with offsets on both backends and resident operands equal naive loops', () => {
  try {
    for (const backend of backends) {
      setKernelBackend(backend);
      for (const len of [1, 2, 3, 5, 7, 16, 17, 33, 100]) {
        for (const x of [randn(len + 9, len), resident(randn(len + 9, len))]) {
          const y = resident(randn(len + 5, len + 1));
          let s = 0;
          for (let i = 0; i < len; i++) s += x[3 + i]! * y[2 + i]!;
          assert.ok(Math.abs(dot(len, x, 3, y, 2) - s) <= 1e-14 * len * 4, `${backend} dot ${len}`);
          const y0 = Float64Array.from(y);
          axpy(len, -0.75, x, 3, y, 2);
          for (let i = 0; i < y.length; i++) {
            const want = i >= 2 && i < 2 + len ? y0[i]! - 0.75 * x[1 + i]! : y0[i]!;
            assert.ok(Math.abs(y[i]! - want) <= 1e-15 * 4, `${backend} axpy ${len} at ${i}`);
          }
        }
      }
      for (const [m, k] of [[1, 1], [3, 5], [5, 17], [7, 2], [9, 33], [4, 16], [6, 100]] as const) {
        for (const res of [false, true]) {
          const wrap = (v: Float64Array): Float64Array => (res ? resident(v) : v);
          const A = wrap(randn(m * k + 4, m + k)), x = wrap(randn(k + 3, k)), z = wrap(randn(m + 2, m));
          const y = wrap(randn(m + 3, 1)), w = wrap(randn(k + 1, 2));
          const y0 = Float64Array.from(y), w0 = Float64Array.from(w);
          for (const beta of [0, 1] as const) {
            y.set(y0); w.set(w0);
            gemv(m, k, A, 4, x, 3, y, 1, beta); // y[1..] (+)= A x
            gemvT(m, k, A, 4, z, 2, w, 1, beta); // w[1..] (+)= Aᵀ z
            for (let i = 0; i < m; i++) {
              let s = beta * y0[1 + i]!;
              for (let p = 0; p < k; p++) s += A[4 + i * k + p]! * x[3 + p]!;
              assert.ok(Math.abs(y[1 + i]! - s) <= 1e-13 * k, `${backend} gemv ${m}×${k} beta ${beta}`);
            }
            for (let p = 0; p < k; p++) {
              let s = beta * w0[1 + p]!;
              for (let i = 0; i < m; i++) s += A[4 + i * k + p]! * z[2 + i]!;
              assert.ok(Math.abs(w[1 + p]! - s) <= 1e-13 * m, `${backend} gemvT ${m}×${k} beta ${beta}`);
            }
            assert.equal(y[0], y0[0], 'gemv leaves entries before yOff');
            assert.equal(w[0], w0[0], 'gemvT leaves entries before yOff');
          }
        }
      }
    }
  } finally {
    setKernelBackend(initial);
  }
});

test('axpy_rows (WebAssembly rank-1 row update) equals one axpy per row, bit for bit, and skips rows with α = 0', { skip: !wasmKernelsInfo().sharedMemory }, () => {
  for (const [m, k, lda] of [[1, 1, 1], [5, 200, 203], [3, 7, 7], [4, 16, 17], [2, 33, 40]] as const) {
    const A = resident(randn(m * lda + 3, m + k)), x = resident(randn(k + 2, k));
    const alpha = resident(randn(m, 3 * m + k));
    alpha[m - 1] = 0;
    const want = Float64Array.from(A);
    // A[3 + i·lda + p] += α_i x[2 + p] (naive, the same two roundings per entry as axpy)
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) if (alpha[i] !== 0) want[3 + i * lda + p] = want[3 + i * lda + p]! + alpha[i]! * x[2 + p]!;
    wasmAxpyRows(m, k, alpha, x, 2, A, 3, lda);
    assert.deepEqual(A, want, `axpy_rows ${m}×${k} lda ${lda}`);
  }
});

test('axpy_gather (WebAssembly working-set row update) equals the naive loop bit for bit, only on the listed rows with g ≠ 0', { skip: !wasmKernelsInfo().sharedMemory }, () => {
  for (const [d, n, rows] of [[9, 5, [0, 2, 3, 8]], [20, 50, [1, 4, 5, 6, 7, 19]], [6, 1, [5, 0]], [7, 2, []]] as const) {
    const C = resident(randn(d * n + 2, d + n)), g = resident(randn(d + 1, 3 * d)), al = resident(randn(n, n + 7));
    if (rows.length > 1) g[1 + rows[1]!] = 0;
    const idx = allocI32(rows.length);
    idx.set(rows);
    assert.ok(rows.length === 0 || isWasmResident(idx), 'allocI32 is resident');
    const want = Float64Array.from(C);
    // C[2 + i·n + t] += g[1 + i]·α_t for i in rows
    for (const i of rows) if (g[1 + i] !== 0) for (let t = 0; t < n; t++) want[2 + i * n + t] = want[2 + i * n + t]! + g[1 + i]! * al[t]!;
    wasmAxpyGather(rows.length, n, idx, g, 1, al, C, 2, n);
    assert.deepEqual(C, want, `axpy_gather d ${d} n ${n}`);
  }
});

test('gemv_rows (four rows per pass) gives each entry bit-identical to the WebAssembly dot, and within rounding of the naive sum', { skip: !wasmKernelsInfo().sharedMemory }, () => {
  for (const [m, k, lda] of [[1, 1, 1], [4, 4, 4], [5, 200, 203], [9, 7, 7], [8, 33, 40], [3, 2, 2], [6, 0, 3]] as const) {
    const A = resident(randn(m * lda + 3, m + 2 * k)), x = resident(randn(k + 2, k + 1)), y = resident(new Float64Array(m + 1).fill(7));
    wasmGemvRows(m, k, A, 3, lda, x, 2, y, 1);
    assert.equal(y[0], 7, 'entries before yo untouched');
    for (let i = 0; i < m; i++) {
      assert.equal(y[1 + i], wasmDot(k, A, 3 + i * lda, x, 2), `gemv_rows ${m}×${k} row ${i} = dot`);
      let s = 0;
      for (let p = 0; p < k; p++) s += A[3 + i * lda + p]! * x[2 + p]!;
      assert.ok(Math.abs(y[1 + i]! - s) <= 1e-13 * Math.max(1, k), `gemv_rows ${m}×${k} row ${i} ≈ naive`);
    }
  }
});

test('rotateRows: the Givens sequence on rows is bit-identical on both backends and equals the rotations applied one by one', () => {
  try {
    for (const n of [1, 2, 3, 4, 5, 8, 17]) {
      const rows = 9, lo = 2, hi = 7;
      const theta = randn(rows, n);
      const cs = resident(theta.map(Math.cos)), sn = resident(theta.map(Math.sin));
      const Z0 = randn(rows * n, 3 * n);
      // reference: one rotation at a time, explicitly
      const ref = Float64Array.from(Z0);
      for (let k = lo; k < hi; k++) for (let j = 0; j < n; j++) {
        const a = ref[k * n + j]!, b = ref[(k + 1) * n + j]!;
        ref[k * n + j] = cs[k]! * a + sn[k]! * b;
        ref[(k + 1) * n + j] = cs[k]! * b - sn[k]! * a;
      }
      const out: Float64Array[] = [];
      for (const backend of backends) {
        setKernelBackend(backend);
        const Z = resident(Z0);
        rotateRows(n, Z, lo, hi, cs, sn);
        out.push(Float64Array.from(Z));
      }
      for (const z of out) assert.deepEqual(z, ref, `n = ${n}`);
    }
  } finally {
    setKernelBackend(initial);
  }
});

test('threaded WASM products are bit-identical to one thread (rows split, reductions never split)', { skip: !wasmKernelsInfo().sharedMemory }, () => {
  const oldThreshold = parallelThreshold();
  try {
    setKernelBackend('wasm');
    const cases: [Kind | 'syrk' | 'syrkNT', number, number, number][] = [
      ['nn', 37, 13, 700], ['tn', 41, 5, 900], ['nt', 29, 11, 600], ['syrk', 45, 45, 300], ['tn', 8, 52, 77], ['nn', 103, 3, 40],
      ['syrkNT', 38, 38, 500],
    ];
    const single: Float64Array[] = [];
    const run = (): Float64Array[] => cases.map(([kind, m, n, k], c) => {
      const A = randn(m * k, 11 + c), B = randn(n * k, 13 + c);
      const C = resident(randn(m * n, 17 + c));
      if (kind === 'syrk') syrkTN(m, k, resident(A), C, 0);
      else if (kind === 'syrkNT') syrkNT(m, k, resident(A), C, 0);
      else gemm[kind](m, n, k, resident(A), B, C, 1);
      return Float64Array.from(C);
    });
    setKernelThreads(1);
    single.push(...run());
    parallelThreshold(0);
    setKernelThreads(2);
    assert.equal(startKernelThreads(), 2, 'the pool starts');
    assert.deepEqual(kernelThreads(), { configured: 2, running: 2 });
    const threaded = run();
    setKernelThreads(3); // three threads cut the rows elsewhere: still the same bits
    startKernelThreads();
    const three = run();
    for (let c = 0; c < cases.length; c++) {
      assert.deepEqual(threaded[c], single[c], `2 threads, case ${cases[c]!.join(' ')}`);
      assert.deepEqual(three[c], single[c], `3 threads, case ${cases[c]!.join(' ')}`);
      const [kind, m, n, k] = cases[c]!;
      const sym = kind === 'syrk' || kind === 'syrkNT';
      const A = randn(m * k, 11 + c), B = sym ? A : randn(n * k, 13 + c);
      const ref = naive(kind === 'syrk' ? 'tn' : kind === 'syrkNT' ? 'nt' : kind, m, n, k, A, B);
      const C0 = sym ? new Float64Array(m * n) : randn(m * n, 17 + c);
      assert.ok(maxAbsDiff(single[c]!, ref.map((v, i) => v + C0[i]!)) <= 1e-12 * k, `case ${c} correct`);
    }
  } finally {
    parallelThreshold(oldThreshold);
    setKernelThreads(2);
    setKernelBackend(initial);
  }
});

test('WebAssembly-resident matrices: allocation, freeing, residency; argument errors name the argument', () => {
  const before = allocatedBytes();
  const x = allocF64(1000);
  assert.equal(x.length, 1000);
  assert.ok(x.every((v) => v === 0));
  assert.equal(isWasmResident(x), wasmKernelsInfo().sharedMemory);
  assert.equal(isWasmResident(new Float64Array(4)), false);
  const M = wasmMat(3, 4);
  assert.equal(M.data.length, 12);
  const src = { rows: 2, cols: 2, data: new Float64Array([1, 2, 3, 4]) };
  const W = toWasmMat(src);
  assert.deepEqual(Array.from(W.data), [1, 2, 3, 4]);
  W.data[0] = 9;
  assert.equal(src.data[0], 1, 'toWasmMat copies');
  // a grown memory keeps old views valid
  x[999] = 42;
  const big = allocF64(3_000_000);
  assert.equal(x[999], 42);
  freeF64(big); freeF64(x); freeF64(M.data); freeF64(W.data);
  if (wasmKernelsInfo().sharedMemory) assert.ok(allocatedBytes() <= before + 1024, 'freed blocks return to the allocator');
  // reused (dirty) blocks come back zero-filled, partly reused ones too (fresh memory is not cleared twice)
  const dirty = allocF64(5000), ints = allocI32(7);
  dirty.fill(3); ints.fill(-1);
  freeF64(dirty); freeF64(ints);
  const again = allocF64(6000), ints2 = allocI32(9);
  assert.ok(again.every((v) => v === 0) && ints2.every((v) => v === 0), 'allocations are zero-filled after reuse');
  freeF64(again); freeF64(ints2);
  assert.throws(() => allocF64(-1), { name: 'RangeError', message: /length: expected a non-negative integer/ });
  assert.throws(() => wasmMat(2, 1.5), { name: 'RangeError', message: /cols: expected a non-negative integer/ });
  assert.throws(() => setKernelBackend('gpu' as KernelBackend), { name: 'RangeError', message: /backend: expected 'js' or 'wasm'/ });
  assert.throws(() => setKernelThreads(0), { name: 'RangeError', message: /n must be an integer ≥ 1/ });
});

test('MTLEARN_KERNELS chooses the backend at load', () => {
  const env = process.env['MTLEARN_KERNELS'];
  assert.equal(initial, env === 'js' || !wasmKernelsInfo().available ? 'js' : 'wasm');
});

test('the shipped WebAssembly binary was compiled from the kernels.wat in the tree', () => {
  const wat = readFileSync(fileURLToPath(new URL('../../src/linalg/wasm/kernels.wat', import.meta.url)), 'utf8');
  assert.equal(createHash('sha256').update(wat).digest('hex'), KERNELS_WAT_SHA256, 'run node scripts/build-wasm.mjs');
});

test('transpose (WebAssembly, via transposeDesign) equals the JavaScript transpose of the design bit for bit: plain or centred, heap or resident X', { skip: !wasmKernelsInfo().sharedMemory }, () => {
  // every remainder of n mod 8 and both parities of d
  for (const [n, d] of [[1, 1], [7, 3], [8, 2], [9, 5], [16, 1], [17, 4], [33, 31], [64, 9], [3, 40], [203, 37]] as const) {
    for (const centred of [false, true]) {
      for (const onHeap of [true, false]) {
        const raw = randn(n * d, 5 * n + d);
        const X = onHeap ? raw : resident(raw);
        const means = centred ? randn(d, n + 7 * d) : null;
        const orig = Float64Array.from(X);
        const D = new SharedDesign(n, d, X, means);
        const want = D.transposeInto(new Float64Array(n * d));
        // out[j·n + i] = X[i·d + j] − x̄_j (the definition, checked independently of both transposes)
        for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) assert.equal(want[j * n + i], X[i * d + j]! - (means ? means[j]! : 0));
        const out = allocF64(n * d);
        out.fill(NaN);
        transposeDesign(D, out);
        assert.deepEqual(out, want, `transpose ${n}×${d} centred ${centred} heap ${onHeap}`);
        // with the column squares (transpose_sq on the resident path): the same copy, and ‖x̃_j‖² as the
        // ascending chain of separate multiplies and adds, bit for bit
        const out2 = allocF64(n * d), sq = new Float64Array(d).fill(NaN);
        out2.fill(NaN);
        transposeDesign(D, out2, sq);
        assert.deepEqual(out2, want, `transpose with squares ${n}×${d} centred ${centred} heap ${onHeap}`);
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let i = 0; i < n; i++) { const v = X[i * d + j]! - (means ? means[j]! : 0); s += v * v; }
          assert.equal(sq[j], s, `squares ${n}×${d} centred ${centred} heap ${onHeap} column ${j}`);
        }
        assert.deepEqual(X, orig, 'X not modified');
        freeF64(out);
        freeF64(out2);
      }
    }
  }
});

test('centreShared: the column means of a resident design (kernels’ gemvT with x = 1) equal the ascending loop bit for bit', () => {
  for (const [n, d] of [[1, 3], [5, 2], [37, 11], [200, 64]] as const) {
    const X = randn(n * d, 3 * n + d), Y = randn(n * 2, n + 5);
    const data = MultiTaskData.fromShared({ rows: n, cols: d, data: X }, { rows: n, cols: 2, data: Y });
    const xMeans = new Float64Array(2 * d), yMeans = new Float64Array(2);
    centreShared(data, true, xMeans, yMeans);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += X[i * d + j]!;
      assert.equal(xMeans[j], s / n, `${n}×${d}, column ${j}`);
      assert.equal(xMeans[d + j], s / n);
    }
  }
});

test('SharedDesign.columnSquares by the kernel (resident X) equals the ascending loop bit for bit, plain and centred', () => {
  for (const [n, d] of [[1, 1], [7, 3], [40, 9], [33, 64]] as const) {
    const raw = randn(n * d, 11 * n + d);
    for (const centred of [false, true]) {
      for (const onHeap of [true, false]) {
        const X = onHeap ? raw : resident(raw);
        const means = centred ? randn(d, n + 3 * d) : null;
        const out = new Float64Array(d);
        new SharedDesign(n, d, X, means).columnSquares(out);
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let i = 0; i < n; i++) { const v = raw[i * d + j]! - (means ? means[j]! : 0); s += v * v; }
          assert.equal(out[j], s, `${n}×${d} centred ${centred} heap ${onHeap} column ${j}`);
        }
      }
    }
  }
});

test('SharedDesign keeps one cache of the column squares: those of the feature-major copy\'s pass equal its own, bit for bit', () => {
  for (const [n, d] of [[7, 3], [40, 9], [33, 64]] as const) {
    const raw = randn(n * d, 17 * n + d);
    for (const centred of [false, true]) {
      const X = resident(raw), means = centred ? randn(d, n + 5 * d) : null;
      const own = new Float64Array(d);
      new SharedDesign(n, d, X, means).columnSquares(own);
      // the copy's pass (transpose_sq on the kernels, else columnSquares) fills the design's cache
      const D = new SharedDesign(n, d, X, means), sq = new Float64Array(d);
      assert.equal(D.hasSquares(), false);
      transposeDesign(D, allocF64(n * d), sq);
      assert.equal(D.hasSquares(), true);
      const again = new Float64Array(d);
      D.columnSquares(again);
      for (let j = 0; j < d; j++) {
        assert.ok(Object.is(sq[j], own[j]), `${n}×${d} centred ${centred} column ${j}: the pass's square`);
        assert.ok(Object.is(again[j], own[j]), `${n}×${d} centred ${centred} column ${j}: the cached square`);
      }
    }
  }
});

test('SharedDesign.columnsInto by the kernel (resident X and output) equals the loop bit for bit, plain and centred', { skip: !wasmKernelsInfo().sharedMemory }, () => {
  // the kernel's row blocks: 64 rows for d = 30 (150 = 64 + 64 + 22), 46 for d = 700, 8 for d = 5000
  for (const [n, d] of [[1, 3], [9, 5], [17, 12], [40, 30], [150, 30], [101, 700], [13, 5000]] as const) {
    const X = resident(randn(n * d, 13 * n + d));
    for (const centred of [false, true]) {
      const means = centred ? randn(d, 5 * n + d) : null;
      const D = new SharedDesign(n, d, X, means);
      const cols = Int32Array.from([d - 1, 0, Math.floor(d / 2)]), at = Int32Array.from([2 * n, 0, n]);
      const heapOut = new Float64Array(3 * n), resOut = allocF64(3 * n);
      D.columnsInto(cols, 3, heapOut, at); // JavaScript loop (the output is not resident)
      D.columnsInto(cols, 3, resOut, at);
      for (let b = 0; b < 3; b++) for (let i = 0; i < n; i++) {
        assert.equal(heapOut[at[b]! + i], X[i * d + cols[b]!]! - (means ? means[cols[b]!]! : 0));
      }
      assert.deepEqual(Array.from(resOut), Array.from(heapOut), `${n}×${d} centred ${centred}`);
      freeF64(resOut);
    }
  }
});
