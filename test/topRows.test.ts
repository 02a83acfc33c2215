/**
 * bcd's working-set selection (issue #11): the first p rows of a stable sort by decreasing score, and the
 * size of a warm start's working set (the strong set's zero rows).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAR_GAP, innerTolerance, strongZeroRows, topRows } from '../src/solvers/topRows.js';
import { rowNorm } from '../src/penalties/index.js';
import { mulberry32 } from './helpers/random.js';

test('topRows equals the first p of a stable sort by decreasing score, with ties and infinities', () => {
  const rnd = mulberry32(11);
  for (let trial = 0; trial < 400; trial++) {
    const d = 1 + Math.floor(rnd() * 60);
    const score = new Float64Array(d);
    // few distinct values (many ties), some ∞ (the nonzero rows), some 0
    for (let j = 0; j < d; j++) { const u = rnd(); score[j] = u < 0.2 ? Infinity : u < 0.35 ? 0 : Math.floor(rnd() * 6) / 2; }
    const order = Int32Array.from({ length: d }, (_, j) => j).filter(() => rnd() < 0.8);
    const m = order.length;
    if (m === 0) continue;
    const p = 1 + Math.floor(rnd() * m);
    const want = Array.from(order).sort((a, b) => (score[b] === score[a] ? 0 : score[b]! > score[a]! ? 1 : -1)).slice(0, p).sort((a, b) => a - b);
    const out = new Int32Array(d), work = new Float64Array(d);
    topRows(order, m, score, p, out, work);
    assert.deepEqual(Array.from(out.subarray(0, p)), want, `trial ${trial}: d ${d}, m ${m}, p ${p}`);
  }
});

test('strongZeroRows counts the zero rows with ‖v_j‖ ≥ 2λ − max_i ‖v_i‖ (λ when no row violates), by definition', () => {
  const rnd = mulberry32(12);
  for (const q of [2, 1, Infinity]) {
    const T = 3, norm = rowNorm(q, T);
    for (let trial = 0; trial < 200; trial++) {
      const d = 1 + Math.floor(rnd() * 40);
      const V = Float64Array.from({ length: d * T }, () => 2 * rnd() - 1);
      const score = Float64Array.from({ length: d }, () => (rnd() < 0.3 ? Infinity : rnd()));
      const rows = Int32Array.from({ length: d }, (_, j) => j).filter(() => rnd() < 0.8);
      const lambda = 0.2 + rnd();
      // the dual norm written out: q = 2 → ℓ2, q = 1 → ℓ∞, q = ∞ → ℓ1
      const dual = (j: number): number => {
        const v = Array.from(V.subarray(j * T, j * T + T), Math.abs);
        return q === 2 ? Math.hypot(...v) : q === 1 ? Math.max(...v) : v.reduce((a, b) => a + b, 0);
      };
      let vmax = 0;
      for (const j of rows) vmax = Math.max(vmax, dual(j));
      const thr = vmax > lambda ? 2 * lambda - vmax : lambda;
      const want = Array.from(rows).filter((j) => score[j] !== Infinity && dual(j) >= thr).length;
      const got = strongZeroRows(rows, rows.length, score, V, T, norm, lambda, new Float64Array(d));
      assert.equal(got, want, `q ${q}, trial ${trial}`);
    }
  }
});

test('innerTolerance: 0.3·kktMax cold, 0.1·kktMax warm, and from a warm start\'s second check on, while the gap > FAR_GAP·tolAbs, tolAbs/Σ‖w^j‖ within [1e-3, 0.1]·kktMax', () => {
  const kkt = 2, tol = 1e-6;
  assert.equal(innerTolerance(false, 5, kkt, 1, tol, 10), 0.3 * kkt);
  assert.equal(innerTolerance(true, 1, kkt, 1, tol, 10), 0.1 * kkt); // the first check of a warm start
  assert.equal(innerTolerance(true, 2, kkt, FAR_GAP * tol, tol, 10), 0.1 * kkt); // gap near tolAbs
  assert.equal(innerTolerance(true, 2, kkt, 1, tol, 0), 0.1 * kkt); // no group-norm gap
  assert.equal(innerTolerance(true, 3, kkt, 1, 1e-2, 4), 1e-2 / 4); // certificate level
  assert.equal(innerTolerance(true, 3, kkt, 1, tol, 1e3), 1e-3 * kkt); // floor
  assert.equal(innerTolerance(true, 3, kkt, 100, 1, 1), 0.1 * kkt); // never looser than the warm start's 0.1
});
