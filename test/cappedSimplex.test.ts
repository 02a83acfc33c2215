import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectCappedSimplex } from '../src/linalg/cappedSimplex.js';
import { mulberry32 } from './helpers/random.js';


const TOL = 1e-12;

/**
 * The KKT conditions of min ½‖x − v‖² s.t. 0 ≤ x ≤ 1, Σx = k: feasibility, and one θ with
 * x_i = clip(v_i − θ, 0, 1) for every i.
 */
function assertKkt(v: Float64Array, k: number, x: Float64Array, label: string): void {
  const n = v.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    assert.ok(x[i]! >= 0 && x[i]! <= 1, `${label}: x[${i}] = ${x[i]} outside [0, 1]`);
    sum += x[i]!;
  }
  assert.ok(Math.abs(sum - k) <= TOL * Math.max(1, n), `${label}: Σx = ${sum}, k = ${k}`);
  // θ from the free coordinates, else the interval allowed by the bound ones
  let lo = -Infinity, hi = Infinity; // θ ∈ [lo, hi]
  for (let i = 0; i < n; i++) {
    if (x[i]! > TOL && x[i]! < 1 - TOL) {
      lo = Math.max(lo, v[i]! - x[i]! - TOL);
      hi = Math.min(hi, v[i]! - x[i]! + TOL);
    } else if (x[i]! <= TOL) {
      lo = Math.max(lo, v[i]! - x[i]! - TOL); // v_i − θ ≤ x_i ≈ 0
    } else {
      hi = Math.min(hi, v[i]! - x[i]! + TOL); // v_i − θ ≥ x_i ≈ 1
    }
  }
  assert.ok(lo <= hi, `${label}: no θ fits (θ ∈ [${lo}, ${hi}])`);
}

function objective(v: Float64Array, x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (x[i]! - v[i]!) ** 2;
  return 0.5 * s;
}

test('projectCappedSimplex: worked examples', () => {
  const out = new Float64Array(3);
  projectCappedSimplex(new Float64Array([0.9, 0.8, -0.3]), 1, out);
  assert.ok(Math.abs(out[0]! - 0.55) < 1e-15 && Math.abs(out[1]! - 0.45) < 1e-15 && out[2] === 0);
  assert.deepEqual(Array.from(projectCappedSimplex(new Float64Array([3, 2, 1, 0]), 2, new Float64Array(4))), [1, 1, 0, 0]);
  const two = projectCappedSimplex(new Float64Array([0.2, 0.4]), 1, new Float64Array(2));
  assert.ok(Math.abs(two[0]! - 0.4) < 1e-15 && Math.abs(two[1]! - 0.6) < 1e-15);
});

test('projectCappedSimplex satisfies the KKT conditions on random inputs', () => {
  const rnd = mulberry32(1);
  for (let trial = 0; trial < 400; trial++) {
    const n = 1 + Math.floor(rnd() * 25);
    const v = new Float64Array(n);
    const spread = [0.1, 1, 5][trial % 3]!;
    for (let i = 0; i < n; i++) v[i] = spread * (2 * rnd() - 1);
    const k = trial % 2 === 0 ? rnd() * n : Math.floor(rnd() * (n + 1));
    const x = projectCappedSimplex(v, k, new Float64Array(n));
    assertKkt(v, k, x, `trial ${trial} (n = ${n}, k = ${k})`);
  }
});

test('projectCappedSimplex is the minimiser: n = 3 against a fine grid of the feasible set', () => {
  const rnd = mulberry32(2);
  for (let trial = 0; trial < 12; trial++) {
    const v = new Float64Array([3 * rnd() - 1, 3 * rnd() - 1, 3 * rnd() - 1]);
    const k = [0.5, 1, 1.7, 2, 2.9][trial % 5]!;
    const x = projectCappedSimplex(v, k, new Float64Array(3));
    const fx = objective(v, x);
    // grid over (x0, x1) with x2 = k − x0 − x1
    const steps = 400;
    let best = Infinity;
    for (let a = 0; a <= steps; a++) {
      for (let b = 0; b <= steps; b++) {
        const x0 = a / steps, x1 = b / steps, x2 = k - x0 - x1;
        if (x2 < 0 || x2 > 1) continue;
        best = Math.min(best, objective(v, [x0, x1, x2]));
      }
    }
    assert.ok(fx <= best + 1e-12, `trial ${trial}: projection ${fx} worse than a grid point ${best}`);
    // a feasible grid point lies within h = 3/steps of x, so best − f(x) ≤ ‖x − v‖·h + h²/2
    const h = 3 / steps;
    assert.ok(best - fx <= Math.sqrt(2 * fx) * h + h * h / 2, `trial ${trial}: grid minimum ${best} far from ${fx}`);
  }
});

test('projectCappedSimplex beats random feasible points (n = 6)', () => {
  const rnd = mulberry32(3);
  for (let trial = 0; trial < 20; trial++) {
    const n = 6;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = 4 * rnd() - 2;
    const k = 1 + 4 * rnd();
    const fx = objective(v, projectCappedSimplex(v, k, new Float64Array(n)));
    for (let s = 0; s < 300; s++) {
      // a random feasible point: project a random point (feasible) then mix with a random box point
      const y = projectCappedSimplex(Float64Array.from({ length: n }, () => 3 * rnd() - 1), k, new Float64Array(n));
      assert.ok(fx <= objective(v, y) + 1e-12, `trial ${trial}: a feasible point does better`);
    }
  }
});

test('projectCappedSimplex: edge cases k = 0, k = n, ties, aliasing, empty input', () => {
  const v = new Float64Array([0.3, -2, 7, 0.3]);
  assert.deepEqual(Array.from(projectCappedSimplex(v, 0, new Float64Array(4))), [0, 0, 0, 0]);
  assert.deepEqual(Array.from(projectCappedSimplex(v, 4, new Float64Array(4))), [1, 1, 1, 1]);
  // all equal: x = k/n
  const eq = projectCappedSimplex(new Float64Array([5, 5, 5, 5, 5]), 2, new Float64Array(5));
  for (const x of eq) assert.ok(Math.abs(x - 0.4) < 1e-15);
  // ties at breakpoints: v_i − 1 = v_j
  const t = new Float64Array([2, 1, 1, 0, 0]);
  for (const k of [0.5, 1, 1.5, 2, 2.5, 3, 4.5]) assertKkt(t, k, projectCappedSimplex(t, k, new Float64Array(5)), `ties k = ${k}`);
  const tie2 = projectCappedSimplex(new Float64Array([1, 1, 0, 0]), 1, new Float64Array(4));
  assert.deepEqual(Array.from(tie2), [0.5, 0.5, 0, 0]);
  // out may be v itself
  const w = new Float64Array([0.9, 0.8, -0.3]);
  const r = projectCappedSimplex(w, 1, w);
  assert.equal(r, w);
  assertKkt(new Float64Array([0.9, 0.8, -0.3]), 1, w, 'aliased');
  assert.equal(projectCappedSimplex(new Float64Array(0), 0, new Float64Array(0)).length, 0);
  // integer k with a gap: any θ on the flat piece gives the same x
  assert.deepEqual(Array.from(projectCappedSimplex(new Float64Array([5, 0]), 1, new Float64Array(2))), [1, 0]);
});

test('projectCappedSimplex: bad input is rejected with the argument named', () => {
  const v = new Float64Array([1, 2, 3]);
  assert.throws(() => projectCappedSimplex(v, -0.1, new Float64Array(3)), (e: unknown) => e instanceof RangeError && /^k/.test(e.message));
  assert.throws(() => projectCappedSimplex(v, 3.5, new Float64Array(3)), (e: unknown) => e instanceof RangeError && /^k/.test(e.message));
  assert.throws(() => projectCappedSimplex(v, NaN, new Float64Array(3)), (e: unknown) => e instanceof RangeError && /^k/.test(e.message));
  assert.throws(() => projectCappedSimplex(v, 1, new Float64Array(2)), (e: unknown) => e instanceof RangeError && /^out/.test(e.message));
  assert.throws(() => projectCappedSimplex([1, 2] as unknown as Float64Array, 1, new Float64Array(2)), (e: unknown) => e instanceof TypeError && /^v/.test(e.message));
  assert.throws(() => projectCappedSimplex(new Float64Array([1, NaN]), 1, new Float64Array(2)), (e: unknown) => e instanceof RangeError && /^v/.test(e.message));
});
