import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, SVD } from 'ml-matrix';
import type { Mat } from '../src/types.js';
import {
  createSvdWorkspace,
  singularValueThreshold,
  spectralNorm,
  thinSvd,
  thinSvdInto,
} from '../src/linalg/svd.js';
import { mulberry32 } from './helpers/random.js';


function randMat(rows: number, cols: number, rnd: () => number): Mat {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = 2 * rnd() - 1;
  return { rows, cols, data };
}

function matmul(A: Mat, B: Mat): Mat {
  const C = new Float64Array(A.rows * B.cols);
  for (let i = 0; i < A.rows; i++) {
    for (let p = 0; p < A.cols; p++) {
      const a = A.data[i * A.cols + p]!;
      for (let j = 0; j < B.cols; j++) C[i * B.cols + j]! += a * B.data[p * B.cols + j]!;
    }
  }
  return { rows: A.rows, cols: B.cols, data: C };
}

function transpose(A: Mat): Mat {
  const T = new Float64Array(A.rows * A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) T[j * A.rows + i] = A.data[i * A.cols + j]!;
  return { rows: A.cols, cols: A.rows, data: T };
}

function frob(A: Mat): number {
  let s = 0;
  for (let i = 0; i < A.rows * A.cols; i++) s += A.data[i]! ** 2;
  return Math.sqrt(s);
}

/** ‖A − U diag(s) Vᵀ‖_F */
function reconstructionError(A: Mat, U: Mat, s: Float64Array, V: Mat): number {
  const k = s.length;
  let e = 0;
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.cols; j++) {
      let x = 0;
      for (let l = 0; l < k; l++) x += U.data[i * k + l]! * s[l]! * V.data[j * k + l]!;
      e += (x - A.data[i * A.cols + j]!) ** 2;
    }
  }
  return Math.sqrt(e);
}

/** ‖QᵀQ − I‖_F */
function orthogonalityError(Q: Mat): number {
  const G = matmul(transpose(Q), Q);
  let e = 0;
  for (let i = 0; i < G.rows; i++) for (let j = 0; j < G.cols; j++) e += (G.data[i * G.cols + j]! - (i === j ? 1 : 0)) ** 2;
  return Math.sqrt(e);
}

/** Random m×n matrix with orthonormal columns (Gram–Schmidt twice), m ≥ n. */
function randOrth(m: number, n: number, rnd: () => number): Mat {
  const Q = randMat(m, n, rnd);
  const q = Q.data;
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let l = 0; l < j; l++) {
        let d = 0;
        for (let i = 0; i < m; i++) d += q[i * n + j]! * q[i * n + l]!;
        for (let i = 0; i < m; i++) q[i * n + j]! -= d * q[i * n + l]!;
      }
    }
    let s = 0;
    for (let i = 0; i < m; i++) s += q[i * n + j]! ** 2;
    s = Math.sqrt(s);
    for (let i = 0; i < m; i++) q[i * n + j]! /= s;
  }
  return Q;
}

/** U diag(sv) Vᵀ with random orthonormal U (m×k), V (n×k). */
function withSingularValues(m: number, n: number, sv: number[], rnd: () => number): Mat {
  const k = sv.length;
  const U = randOrth(m, k, rnd), V = randOrth(n, k, rnd);
  for (let i = 0; i < m; i++) for (let l = 0; l < k; l++) U.data[i * k + l]! *= sv[l]!;
  return matmul(U, transpose(V));
}

function mlSingularValues(A: Mat): number[] {
  const M = new Matrix(A.rows, A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) M.set(i, j, A.data[i * A.cols + j]!);
  return new SVD(M, { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: true }).diagonal;
}

/** The checks every decomposition must pass. */
function checkSvd(A: Mat, label: string): { U: Mat; s: Float64Array; V: Mat } {
  const { U, s, V } = thinSvd(A);
  const k = Math.min(A.rows, A.cols);
  assert.equal(U.rows, A.rows, `${label}: U rows`);
  assert.equal(U.cols, k, `${label}: U cols`);
  assert.equal(V.rows, A.cols, `${label}: V rows`);
  assert.equal(V.cols, k, `${label}: V cols`);
  assert.equal(s.length, k, `${label}: s length`);
  for (let i = 0; i < k; i++) {
    assert.ok(s[i]! >= 0, `${label}: s[${i}] = ${s[i]} < 0`);
    if (i > 0) assert.ok(s[i]! <= s[i - 1]!, `${label}: s not descending at ${i}`);
  }
  const nA = frob(A);
  const rec = reconstructionError(A, U, s, V);
  assert.ok(rec <= 1e-12 * Math.max(nA, Number.MIN_VALUE) || rec === 0, `${label}: ‖A − USVᵀ‖ = ${rec} (‖A‖ = ${nA})`);
  const eu = orthogonalityError(U), ev = orthogonalityError(V);
  assert.ok(eu <= 1e-12, `${label}: ‖UᵀU − I‖ = ${eu}`);
  assert.ok(ev <= 1e-12, `${label}: ‖VᵀV − I‖ = ${ev}`);
  return { U, s, V };
}

/** Singular values within 1e-10 relative (plus 1e-14·σ_max absolute, the backward error of any SVD, for ~0 values). */
function assertSameSingularValues(s: Float64Array, ref: readonly number[], label: string): void {
  assert.equal(s.length, ref.length, `${label}: count`);
  const top = ref.length > 0 ? ref[0]! : 0;
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(s[i]! - ref[i]!);
    assert.ok(err <= 1e-10 * ref[i]! + 1e-14 * top, `${label}: s[${i}] = ${s[i]} vs ${ref[i]} (error ${err})`);
  }
}

test('thinSvd: random matrices of every shape agree with ml-matrix and reconstruct A', () => {
  const rnd = mulberry32(1);
  const shapes: [number, number][] = [[1, 1], [1, 7], [7, 1], [2, 2], [30, 10], [10, 30], [60, 20], [20, 60], [80, 80], [150, 40]];
  for (const [m, n] of shapes) {
    const A = randMat(m, n, rnd);
    const { s } = checkSvd(A, `${m}×${n}`);
    assertSameSingularValues(s, mlSingularValues(A), `${m}×${n}`);
  }
});

test('thinSvd: 1×1, one column, one row are exact', () => {
  const { U, s, V } = thinSvd({ rows: 1, cols: 1, data: new Float64Array([-3]) });
  assert.equal(s[0], 3);
  assert.equal(U.data[0]! * V.data[0]!, -1);
  const col = { rows: 3, cols: 1, data: new Float64Array([3, 0, 4]) };
  const c = checkSvd(col, 'column');
  assert.ok(Math.abs(c.s[0]! - 5) < 1e-15);
  const row = { rows: 1, cols: 3, data: new Float64Array([0, -4, 3]) };
  const r = checkSvd(row, 'row');
  assert.ok(Math.abs(r.s[0]! - 5) < 1e-15);
  assert.equal(r.U.rows, 1);
  assert.equal(r.V.rows, 3);
});

test('thinSvd: rank-deficient (rank 3 of 60×20) and its transpose', () => {
  const rnd = mulberry32(2);
  const A = matmul(randMat(60, 3, rnd), randMat(3, 20, rnd));
  for (const [M, label] of [[A, '60×20 rank 3'], [transpose(A), '20×60 rank 3']] as const) {
    const { s } = checkSvd(M, label);
    assertSameSingularValues(s, mlSingularValues(M), label);
    for (let i = 3; i < 20; i++) assert.ok(s[i]! <= 1e-14 * s[0]!, `${label}: s[${i}] = ${s[i]} should be ~0`);
  }
});

test('thinSvd: zero matrices give s = 0 and orthonormal (completed) U and V', () => {
  for (const [m, n] of [[7, 5], [5, 7], [4, 4], [3, 1], [1, 3]] as const) {
    const Z = { rows: m, cols: n, data: new Float64Array(m * n) };
    const { s, U } = checkSvd(Z, `zero ${m}×${n}`);
    for (const x of s) assert.equal(x, 0);
    assert.ok(U.data.some((x) => x !== 0));
  }
  // a single nonzero entry: rank 1, the other columns completed
  const E = { rows: 6, cols: 4, data: new Float64Array(24) };
  E.data[2 * 4 + 1] = -2;
  const { s } = checkSvd(E, 'one entry');
  assert.deepEqual(Array.from(s), [2, 0, 0, 0]);
});

test('thinSvd: ill-conditioned, clustered and repeated singular values', () => {
  const rnd = mulberry32(3);
  const cases: [string, number, number, number[]][] = [
    ['graded 1 … 1e-14', 80, 30, Array.from({ length: 30 }, (_, i) => 10 ** (-14 * i / 29))],
    ['decaying 0.8^i', 120, 40, Array.from({ length: 40 }, (_, i) => 0.8 ** i)],
    ['all equal', 50, 20, Array.from({ length: 20 }, () => 2)],
    ['two clusters', 50, 20, Array.from({ length: 20 }, (_, i) => (i < 10 ? 1 + 1e-13 * i : 0.5)).sort((a, b) => b - a)],
  ];
  for (const [label, m, n, sv] of cases) {
    const A = withSingularValues(m, n, sv, rnd);
    const { s } = checkSvd(A, label);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(s[i]! - sv[i]!) <= 1e-13 * sv[0]!, `${label}: s[${i}] = ${s[i]} vs ${sv[i]}`);
    const W = transpose(A);
    checkSvd(W, `${label} (transposed)`);
  }
});

test('thinSvd: extreme scales do not overflow or underflow', () => {
  const rnd = mulberry32(4);
  for (const scale of [1e200, 1e-200]) {
    const A = randMat(12, 5, rnd);
    const ref = thinSvd(A).s;
    const B = { rows: 12, cols: 5, data: A.data.map((x) => x * scale) };
    const { s, U, V } = thinSvd(B);
    for (let i = 0; i < 5; i++) assert.ok(Math.abs(s[i]! / scale - ref[i]!) <= 1e-13 * ref[0]!, `scale ${scale}: s[${i}]`);
    assert.ok(orthogonalityError(U) <= 1e-12);
    assert.ok(orthogonalityError(V) <= 1e-12);
  }
});

test('thinSvdInto with a reused workspace gives identical results; sizes are checked', () => {
  const rnd = mulberry32(5);
  const work = createSvdWorkspace(40, 15);
  const U = { rows: 40, cols: 15, data: new Float64Array(600) };
  const V = { rows: 15, cols: 15, data: new Float64Array(225) };
  const s = new Float64Array(15);
  for (let rep = 0; rep < 3; rep++) {
    const A = randMat(40, 15, rnd);
    thinSvdInto(A, U, s, V, work);
    const ref = thinSvd(A);
    assert.deepEqual(Array.from(s), Array.from(ref.s));
    assert.ok(reconstructionError(A, U, s, V) <= 1e-12 * frob(A));
  }
  assert.throws(() => thinSvd(randMat(15, 40, rnd), { work }), (e: unknown) => e instanceof RangeError && /work/.test(e.message));
  assert.throws(() => thinSvdInto(randMat(40, 15, rnd), { rows: 40, cols: 14, data: new Float64Array(560) }, s, V), (e: unknown) => e instanceof RangeError && /U/.test(e.message));
});

test('thinSvd: bad input is rejected with the argument named', () => {
  assert.throws(() => thinSvd([[1, 2]] as unknown as Mat), (e: unknown) => e instanceof TypeError && /A/.test(e.message));
  assert.throws(() => thinSvd({ rows: 2, cols: 2, data: new Float64Array(3) }), (e: unknown) => e instanceof RangeError && /A/.test(e.message));
  assert.throws(() => thinSvd({ rows: 1, cols: 2, data: new Float64Array([1, NaN]) }), (e: unknown) => e instanceof RangeError && /finite/.test(e.message));
  assert.throws(() => createSvdWorkspace(-1, 2), RangeError);
  const empty = thinSvd({ rows: 0, cols: 3, data: new Float64Array(0) });
  assert.equal(empty.s.length, 0);
  assert.equal(empty.V.rows, 3);
});

/** ‖X‖_* via thinSvd. */
function nuclearNorm(X: Mat): number {
  return thinSvd(X).s.reduce((a, b) => a + b, 0);
}

test('singularValueThreshold on a diagonal matrix is soft-thresholding of the diagonal', () => {
  const d = [3, -1, 0.5, -2.5];
  const A = { rows: 6, cols: 4, data: new Float64Array(24) };
  d.forEach((x, i) => (A.data[i * 4 + i] = x));
  const out = { rows: 6, cols: 4, data: new Float64Array(24) };
  const { rank, s } = singularValueThreshold(A, 0.75, out);
  assert.equal(rank, 3);
  assert.deepEqual(Array.from(s), [3, 2.5, 1, 0.5]);
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 4; j++) {
      const want = i === j ? Math.sign(d[i]!) * Math.max(Math.abs(d[i]!) - 0.75, 0) : 0;
      assert.ok(Math.abs(out.data[i * 4 + j]! - want) <= 1e-15, `(${i}, ${j}): ${out.data[i * 4 + j]} vs ${want}`);
    }
  }
  // wide orientation, and out aliasing A
  const W = transpose(A);
  singularValueThreshold(W, 0.75, W);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(W.data[i * 6 + i]! - Math.sign(d[i]!) * Math.max(Math.abs(d[i]!) - 0.75, 0)) <= 1e-15);
});

test('singularValueThreshold satisfies the prox inequality ⟨A − Z, B − Z⟩ ≤ τ(‖B‖_* − ‖Z‖_*)', () => {
  const rnd = mulberry32(6);
  for (const [m, n, tau] of [[20, 8, 0.8], [8, 20, 1.5], [15, 15, 0.3], [10, 4, 100]] as const) {
    const A = randMat(m, n, rnd);
    const work = createSvdWorkspace(m, n);
    const Z = { rows: m, cols: n, data: new Float64Array(m * n) };
    const { rank, s } = singularValueThreshold(A, tau, Z, work);
    assert.equal(rank, s.filter((x) => x > tau).length);
    const nZ = nuclearNorm(Z);
    assert.ok(Math.abs(nZ - s.reduce((a, x) => a + Math.max(x - tau, 0), 0)) <= 1e-12 * Math.max(1, nZ));
    for (let trial = 0; trial < 5; trial++) {
      const B = randMat(m, n, rnd);
      if (trial === 0) B.data.fill(0);
      let inner = 0;
      for (let i = 0; i < m * n; i++) inner += (A.data[i]! - Z.data[i]!) * (B.data[i]! - Z.data[i]!);
      const rhs = tau * (nuclearNorm(B) - nZ);
      assert.ok(inner <= rhs + 1e-10 * (1 + Math.abs(rhs)), `${m}×${n} τ=${tau}: ${inner} > ${rhs}`);
    }
  }
  const A = randMat(5, 3, rnd);
  const out = { rows: 5, cols: 3, data: new Float64Array(15) };
  singularValueThreshold(A, 0, out);
  for (let i = 0; i < 15; i++) assert.ok(Math.abs(out.data[i]! - A.data[i]!) <= 1e-14);
  assert.throws(() => singularValueThreshold(A, -1, out), (e: unknown) => e instanceof RangeError && /tau/.test(e.message));
  assert.throws(() => singularValueThreshold(A, 1, { rows: 3, cols: 5, data: new Float64Array(15) }), (e: unknown) => e instanceof RangeError && /out/.test(e.message));
});

test('spectralNorm equals the largest singular value', () => {
  const rnd = mulberry32(7);
  for (const [m, n] of [[30, 7], [7, 30], [1, 5], [12, 12]] as const) {
    const A = randMat(m, n, rnd);
    const ref = mlSingularValues(A)[0]!;
    assert.ok(Math.abs(spectralNorm(A) - ref) <= 1e-13 * ref, `${m}×${n}`);
    assert.ok(Math.abs(spectralNorm(A, createSvdWorkspace(m, n)) - ref) <= 1e-13 * ref);
  }
  assert.equal(spectralNorm({ rows: 3, cols: 2, data: new Float64Array(6) }), 0);
  assert.equal(spectralNorm({ rows: 2, cols: 2, data: new Float64Array([3, 0, 0, 1]) }), 3);
});
