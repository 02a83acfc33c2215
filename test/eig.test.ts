import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eigs } from 'mathjs';
import type { Mat } from '../src/types.js';
import { createSymEigWorkspace, symEig, symEigInto, symMatrixFunction } from '../src/linalg/eig.js';
import { mulberry32 } from './helpers/random.js';


function randSym(n: number, rnd: () => number): Mat {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const x = 2 * rnd() - 1;
      data[i * n + j] = x;
      data[j * n + i] = x;
    }
  }
  return { rows: n, cols: n, data };
}

/** Q diag(lambda) Qᵀ with a random orthogonal Q (Gram–Schmidt twice). */
function withEigenvalues(lambda: number[], rnd: () => number): Mat {
  const n = lambda.length;
  const q = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) q[i] = 2 * rnd() - 1;
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let l = 0; l < j; l++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i * n + j]! * q[i * n + l]!;
        for (let i = 0; i < n; i++) q[i * n + j]! -= d * q[i * n + l]!;
      }
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += q[i * n + j]! ** 2;
    for (let i = 0; i < n; i++) q[i * n + j]! /= Math.sqrt(s);
  }
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let x = 0;
      for (let l = 0; l < n; l++) x += q[i * n + l]! * lambda[l]! * q[j * n + l]!;
      data[i * n + j] = x;
      data[j * n + i] = x;
    }
  }
  return { rows: n, cols: n, data };
}

function frob(A: Mat): number {
  let s = 0;
  for (const x of A.data) s += x * x;
  return Math.sqrt(s);
}

/** Checks A = V diag(λ) Vᵀ, VᵀV = I and the ordering, all to 1e-12. */
function checkEig(A: Mat, label: string): { values: Float64Array; vectors: Mat } {
  const n = A.rows;
  const { values, vectors } = symEig(A);
  assert.equal(values.length, n);
  assert.equal(vectors.rows, n);
  assert.equal(vectors.cols, n);
  for (let i = 1; i < n; i++) assert.ok(values[i]! <= values[i - 1]!, `${label}: not descending at ${i}`);
  const V = vectors.data;
  let rec = 0, orth = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let r = 0, o = 0;
      for (let l = 0; l < n; l++) {
        r += V[i * n + l]! * values[l]! * V[j * n + l]!;
        o += V[l * n + i]! * V[l * n + j]!;
      }
      rec += (r - A.data[i * n + j]!) ** 2;
      orth += (o - (i === j ? 1 : 0)) ** 2;
    }
  }
  const nA = frob(A);
  assert.ok(Math.sqrt(rec) <= 1e-12 * nA || rec === 0, `${label}: ‖A − VΛVᵀ‖ = ${Math.sqrt(rec)} (‖A‖ = ${nA})`);
  assert.ok(Math.sqrt(orth) <= 1e-12, `${label}: ‖VᵀV − I‖ = ${Math.sqrt(orth)}`);
  return { values, vectors };
}

test('symEig: random symmetric matrices reconstruct with orthonormal eigenvectors', () => {
  const rnd = mulberry32(1);
  for (const n of [1, 2, 3, 4, 10, 37, 120]) checkEig(randSym(n, rnd), `n = ${n}`);
});

test('symEig agrees with mathjs eigs', () => {
  const rnd = mulberry32(2);
  for (const n of [3, 6, 9]) {
    const A = randSym(n, rnd);
    const rows: number[][] = [];
    for (let i = 0; i < n; i++) rows.push(Array.from(A.data.subarray(i * n, (i + 1) * n)));
    const ref = (eigs(rows).values as number[]).slice().sort((a, b) => b - a);
    const { values } = checkEig(A, `mathjs n = ${n}`);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(values[i]! - ref[i]!) <= 1e-12 * Math.max(1, Math.abs(ref[0]!)), `n = ${n}: λ${i} = ${values[i]} vs ${ref[i]}`);
  }
});

test('symEig: known spectra (repeated, clustered, graded, indefinite, rank one, zero, diagonal)', () => {
  const rnd = mulberry32(3);
  const spectra: [string, number[]][] = [
    ['repeated', [2, 2, 2, 1, 1, -1, -1, -1]],
    ['clustered', [1 + 3e-15, 1 + 2e-15, 1 + 1e-15, 1, 0.5]],
    ['graded', Array.from({ length: 12 }, (_, i) => 10 ** -i)],
    ['indefinite', [5, 3, 0, -2, -7, -7.5]],
  ];
  for (const [label, lambda] of spectra) {
    const A = withEigenvalues(lambda, rnd);
    const { values } = checkEig(A, label);
    const want = lambda.slice().sort((a, b) => b - a);
    const scale = Math.max(...lambda.map(Math.abs));
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(values[i]! - want[i]!) <= 1e-14 * scale * want.length, `${label}: λ${i} = ${values[i]} vs ${want[i]}`);
  }
  const v = [1, -2, 0.5, 3];
  const R = { rows: 4, cols: 4, data: new Float64Array(16) };
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) R.data[i * 4 + j] = v[i]! * v[j]!;
  const r = checkEig(R, 'rank one');
  assert.ok(Math.abs(r.values[0]! - 14.25) <= 1e-13);
  for (let i = 1; i < 4; i++) assert.ok(Math.abs(r.values[i]!) <= 1e-13);
  const Z = checkEig({ rows: 5, cols: 5, data: new Float64Array(25) }, 'zero');
  assert.deepEqual(Array.from(Z.values), [0, 0, 0, 0, 0]);
  const D = { rows: 3, cols: 3, data: new Float64Array([1, 0, 0, 0, 3, 0, 0, 0, 2]) };
  assert.deepEqual(Array.from(checkEig(D, 'diagonal').values), [3, 2, 1]);
  const E = symEig({ rows: 0, cols: 0, data: new Float64Array(0) });
  assert.equal(E.values.length, 0);
});

test('symEigInto: workspace reuse and eigenvalues-only mode', () => {
  const rnd = mulberry32(4);
  const n = 25;
  const work = createSymEigWorkspace(n);
  const values = new Float64Array(n), onlyValues = new Float64Array(n), vt = new Float64Array(n * n);
  for (let rep = 0; rep < 3; rep++) {
    const A = randSym(n, rnd);
    symEigInto(A, values, vt, work);
    symEigInto(A, onlyValues, null, work);
    const ref = symEig(A);
    for (let i = 0; i < n; i++) {
      assert.equal(values[i], ref.values[i]);
      assert.ok(Math.abs(onlyValues[i]! - values[i]!) <= 1e-13);
      for (let j = 0; j < n; j++) assert.equal(vt[i * n + j], ref.vectors.data[j * n + i]);
    }
  }
  assert.throws(() => symEigInto(randSym(4, rnd), values, vt, work), (e: unknown) => e instanceof RangeError && /work/.test(e.message));
});

test('symMatrixFunction: inverse and square root', () => {
  const rnd = mulberry32(5);
  const n = 8;
  const M = withEigenvalues([1, 0.9, 0.6, 0.5, 0.3, 0.1, 0.05, 0], rnd);
  const eta = 0.5;
  const shifted = { rows: n, cols: n, data: M.data.map((x, i) => x + (i % (n + 1) === 0 ? eta : 0)) };
  const inv = symMatrixFunction(M, (l) => 1 / (eta + l));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let x = 0;
      for (let l = 0; l < n; l++) x += shifted.data[i * n + l]! * inv.data[l * n + j]!;
      assert.ok(Math.abs(x - (i === j ? 1 : 0)) <= 1e-13, `(ηI + M)·(ηI + M)⁻¹ at (${i}, ${j}) = ${x}`);
      assert.equal(inv.data[i * n + j], inv.data[j * n + i]);
    }
  }
  const root = symMatrixFunction(M, (l) => Math.sqrt(Math.max(l, 0)));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let x = 0;
      for (let l = 0; l < n; l++) x += root.data[i * n + l]! * root.data[l * n + j]!;
      assert.ok(Math.abs(x - M.data[i * n + j]!) <= 1e-13, `root² at (${i}, ${j})`);
    }
  }
  // out may alias A; the identity function returns A
  const copy = { rows: n, cols: n, data: M.data.slice() };
  symMatrixFunction(copy, (l) => l, copy);
  for (let i = 0; i < n * n; i++) assert.ok(Math.abs(copy.data[i]! - M.data[i]!) <= 1e-14);
});

test('symEig / symMatrixFunction: bad input is rejected with the argument named', () => {
  assert.throws(() => symEig({ rows: 2, cols: 3, data: new Float64Array(6) }), (e: unknown) => e instanceof RangeError && /A/.test(e.message));
  assert.throws(() => symEig({ rows: 2, cols: 2, data: new Float64Array([1, 2, 3, 4]) }), (e: unknown) => e instanceof RangeError && /symmetric/.test(e.message));
  assert.throws(() => symEig({ rows: 1, cols: 1, data: new Float64Array([Infinity]) }), (e: unknown) => e instanceof RangeError && /finite/.test(e.message));
  assert.throws(() => symEig([[1]] as unknown as Mat), (e: unknown) => e instanceof TypeError && /A/.test(e.message));
  const A = { rows: 2, cols: 2, data: new Float64Array([1, 0, 0, -1]) };
  assert.throws(() => symMatrixFunction(A, Math.sqrt), (e: unknown) => e instanceof RangeError && /f/.test(e.message));
  assert.throws(() => symMatrixFunction(A, 3 as unknown as (l: number) => number), TypeError);
  assert.throws(() => symMatrixFunction(A, (l) => l, { rows: 3, cols: 3, data: new Float64Array(9) }), (e: unknown) => e instanceof RangeError && /out/.test(e.message));
});
