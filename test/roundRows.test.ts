/**
 * The rows a working set's later sweeps visit (issue #11, src/solvers/roundRows.ts): the selection itself, and
 * bcd with and without skipping the zero rows far from entering — both certified (gap ≤ tol), the same support
 * and objective within the tolerance, residual form at several shapes and λ, q = 2 and q = ∞, cold and warm.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { createBcdDatafit } from '../src/solvers/bcdDatafit.js';
import { bcd } from '../src/solvers/bcd.js';
import { groupNormRowPenalty } from '../src/models/groupLassoCore.js';
import { SKIP_BELOW, roundRows } from '../src/solvers/roundRows.js';
import { rowNorm, groupLassoLambdaMax } from '../src/index.js';
import { sharedProblem } from './helpers/random.js';

describe('roundRows', () => {
  test('keeps the nonzero rows and the zero rows with ‖v_j‖ ≥ bound, in working-set order', () => {
    const T = 2, norm = rowNorm(2, T);
    // rows 0..4: W nonzero at rows 1 and 4; ‖v_j‖ = 5, 0.5, 0.98, 1, 0
    const W = Float64Array.from([0, 0, 1, 0, 0, 0, 0, 0, 0, -2]);
    const V = Float64Array.from([3, 4, 0.3, 0.4, 0.98, 0, 0.6, 0.8, 0, 0]);
    const ws = Int32Array.from([4, 0, 2, 3, 1]), out = new Int32Array(5);
    const m = roundRows(ws, 5, W, T, V, norm, SKIP_BELOW * 1, out);
    assert.deepEqual(Array.from(out.subarray(0, m)), [4, 0, 3, 1]);
    assert.equal(roundRows(ws, 5, W, T, V, norm, 0, out), 5);
  });
});

describe('bcd: zero rows far from entering sit out a round’s later sweeps', () => {
  const cases = [[200, 500, 5, 0.01, 2], [200, 500, 5, 0.1, 2], [120, 400, 3, 0.05, Infinity], [400, 150, 4, 0.02, 2], [60, 300, 1, 0.01, 2]] as const;
  for (const [n, d, T, ratio, q] of cases) {
    test(`${n}×${d}×${T} at ${ratio}·λmax, q = ${q}: certified, the same fit with and without`, () => {
      const data = sharedProblem(n, d, T, Math.max(2, Math.round(d / 10)), 17 * n + d + T).data;
      const loss = new QuadraticLoss(data);
      const lambda = ratio * groupLassoLambdaMax(data, { q, fitIntercept: false });
      const tolAbs = 1e-7 * loss.valueAtZero();
      const h = groupNormRowPenalty(rowNorm(q, T), lambda, T);
      const run = (skipRows: boolean, W0: Float64Array) =>
        bcd(createBcdDatafit(loss, 'residual'), h, W0, { tolAbs, maxIter: 100000, samples: n, skipRows });
      const a = run(true, new Float64Array(d * T)), b = run(false, new Float64Array(d * T));
      for (const r of [a, b]) { assert.equal(r.status, 'converged'); assert.ok(r.gap <= tolAbs); }
      assert.ok(Math.abs(a.primal - b.primal) <= tolAbs, `objectives ${a.primal} vs ${b.primal}`);
      const support = (W: Float64Array) => Array.from({ length: d }, (_, j) => W.subarray(j * T, j * T + T).some((x) => Math.abs(x) > 1e-6 * Math.max(...Array.from(W, Math.abs))));
      assert.deepEqual(support(a.W), support(b.W));
      // a warm start from a perturbed solution, at a smaller λ
      const W1 = Float64Array.from(a.W, (x, i) => x * (1 + 0.2 * Math.sin(i)));
      const h2 = groupNormRowPenalty(rowNorm(q, T), 0.8 * lambda, T);
      const c = bcd(createBcdDatafit(loss, 'residual'), h2, W1, { tolAbs, maxIter: 100000, samples: n });
      const e = bcd(createBcdDatafit(loss, 'residual'), h2, W1, { tolAbs, maxIter: 100000, samples: n, skipRows: false });
      for (const r of [c, e]) { assert.equal(r.status, 'converged'); assert.ok(r.gap <= tolAbs); }
      assert.ok(Math.abs(c.primal - e.primal) <= tolAbs);
    });
  }
});
