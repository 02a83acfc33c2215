import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { groupLasso, groupLassoLambdaMax } from '../src/models/groupLasso.js';
import { path } from '../src/selection/path.js';
import { sharedProblem, perTaskProblem } from './helpers/random.js';
import type { MultiTaskData } from '../src/data/MultiTaskData.js';

/**
 * Every point of a warm-started path reports a duality gap that bounds its true suboptimality: the
 * solver keeps the best dual point of a fit (the warm start's often stays the best for several checks)
 * and centres the gap-safe sphere there, so a wrong dual value or sphere would show as a point whose
 * objective is further above the optimum than its certificate, or as a row of the optimum screened out.
 * The optimum comes from BCD without working sets or screening, run to 1e-13·F(0).
 */
function checkPath(data: MultiTaskData, tol: number, nLambdas: number): void {
  const lmax = groupLassoLambdaMax(data, { q: 2 });
  const lambdas = Array.from({ length: nLambdas }, (_, k) => lmax * Math.pow(0.01, k / (nLambdas - 1)));
  const p = path(data, groupLasso, { lambdas }, { q: 2, tol, maxIter: 100000 });
  let F0 = NaN;
  for (const [k, pt] of p.points.entries()) {
    const ref = groupLasso(data, { lambda: lambdas[k]!, q: 2, tol: 1e-13, maxIter: 200000, screening: false, workingSet: false });
    F0 = ref.objectiveAtZero;
    assert.ok(ref.converged, `reference at point ${k}`);
    assert.ok(pt.converged, `point ${k} converged`);
    assert.ok(pt.certificate <= tol * F0, `point ${k}: certificate ${pt.certificate} ≤ ${tol * F0}`);
    // the gap bounds the suboptimality (the reference is within 1e-13·F(0) of the optimum)
    const excess = pt.objective - ref.objective;
    assert.ok(excess <= pt.certificate + 1e-12 * F0, `point ${k}: F − F* = ${excess} ≤ gap ${pt.certificate}`);
    // no row of the optimum was screened out: rows clearly nonzero there are nonzero on the path
    const { d, T } = data;
    for (let j = 0; j < d; j++) {
      let nr = 0, np = 0;
      for (let t = 0; t < T; t++) { nr += ref.W.data[j * T + t]! ** 2; np += pt.W.data[j * T + t]! ** 2; }
      if (Math.sqrt(nr) > 1e-3) assert.ok(np > 0, `point ${k}: row ${j} (norm ${Math.sqrt(nr)} at the optimum) is zero on the path`);
    }
  }
}

describe('path certificates (best dual point, gap-safe sphere around it)', () => {
  test('wide shared design (d > n): every point within its gap of the optimum', () => {
    checkPath(sharedProblem(40, 200, 3, 20, 11).data, 1e-5, 15);
  });
  test('tall shared design: every point within its gap of the optimum', () => {
    checkPath(sharedProblem(300, 60, 4, 6, 12).data, 1e-6, 12);
  });
  test('per-task designs: every point within its gap of the optimum', () => {
    checkPath(perTaskProblem([30, 45, 25], 120, 10, 13).data, 1e-5, 12);
  });
});

describe('warm starts size their working set by the strong rule (issue #11)', () => {
  // each warm start sweeps the nonzero rows and the strong set only: rows the rule misses must be taken
  // in by the full checks, and the gap must still bound each point's suboptimality
  test('wide design, 20 points: every point within its gap of the optimum', () => {
    checkPath(sharedProblem(50, 300, 4, 30, 21).data, 1e-6, 20);
  });
  test('tall design, 25 points at tol 1e-7: every point within its gap of the optimum', () => {
    checkPath(sharedProblem(400, 80, 5, 8, 22).data, 1e-7, 25);
  });
});

describe('tight tolerances: from the second check on a warm start sweeps to the certificate level (issue #11)', () => {
  test('wide design at tol 1e-10: every point within its gap of the optimum', () => {
    checkPath(sharedProblem(60, 240, 3, 24, 23).data, 1e-10, 12);
  });
  test('tall design at tol 1e-10: every point within its gap of the optimum', () => {
    checkPath(sharedProblem(500, 120, 4, 12, 24).data, 1e-10, 12);
  });
});
