/**
 * Anderson extrapolation ({@link AndersonMemory}): on a linear fixed-point iteration w ← A w + b of
 * dimension below K, K differences span the error space, so the extrapolated point is the fixed point
 * (up to the 1e-10·tr regularisation: ~1e-6 of the distance here) while the iterates are still far
 * from it; the ring buffer's readiness schedule and a change of vector length.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AndersonMemory, ANDERSON_K } from '../src/solvers/anderson.js';

/** w ← A w + b for a fixed contraction A (n×n, spectral radius < 1) and b; returns w* = (I − A)⁻¹ b too. */
function linearIteration(n: number, seed: number): { step: (w: Float64Array) => void; fixed: Float64Array } {
  let s = seed;
  const rnd = (): number => { s = (s * 16807) % 2147483647; return s / 2147483647 - 0.5; };
  // A: a diagonal of 0.3 … 0.9 plus a small off-diagonal part (separated eigenvalues: U well conditioned)
  const A = new Float64Array(n * n), b = Float64Array.from({ length: n }, rnd);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = i === j ? 0.3 + (0.6 * i) / Math.max(1, n - 1) : 0.02 * rnd();
  const tmp = new Float64Array(n);
  const step = (w: Float64Array): void => {
    for (let i = 0; i < n; i++) { let r = b[i]!; for (let j = 0; j < n; j++) r += A[i * n + j]! * w[j]!; tmp[i] = r; }
    w.set(tmp);
  };
  // w* by iterating to convergence (contraction)
  const fixed = new Float64Array(n);
  for (let k = 0; k < 2000; k++) step(fixed);
  return { step, fixed };
}

function dist(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('Anderson extrapolation', () => {
  test('K = 5 differences of a linear iteration in dimension 2 and then 3 give its fixed point', () => {
    const mem = new AndersonMemory();
    for (const n of [2, 3]) {
      const { step, fixed } = linearIteration(n, 7 + n);
      mem.begin(n);
      const w = new Float64Array(n).fill(3);
      // ready at the first multiple of K once K+1 vectors are held (2K here), then every K
      for (let k = 1; k <= 2 * ANDERSON_K; k++) {
        step(w);
        mem.next().set(w);
        mem.commit();
        assert.equal(mem.ready(), k === 2 * ANDERSON_K, `ready after ${k} vectors`);
      }
      assert.deepEqual(Array.from(mem.newest()), Array.from(w));
      const out = new Float64Array(n);
      assert.ok(mem.extrapolate(out));
      const far = dist(w, fixed), near = dist(out, fixed);
      assert.ok(far > 0.05, `the last iterate is ${far} from w*`);
      assert.ok(near < 1e-5 * far, `extrapolated point ${near} from w*, last iterate ${far}`);
      // the next ready point is K vectors later
      for (let k = 0; k < ANDERSON_K; k++) { step(w); mem.next().set(w); mem.commit(); assert.equal(mem.ready(), k === ANDERSON_K - 1); }
    }
  });

  test('a constant sequence (UᵀU = 0) is degenerate: false, out untouched', () => {
    const mem = new AndersonMemory();
    mem.begin(4);
    for (let k = 0; k <= ANDERSON_K; k++) { mem.next().set([1, 2, 3, 4]); mem.commit(); }
    const out = new Float64Array(4).fill(-1);
    assert.equal(mem.extrapolate(out), false);
    assert.deepEqual(Array.from(out), [-1, -1, -1, -1]);
  });
});
