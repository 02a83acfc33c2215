import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { groupLasso, groupLassoLambdaMax } from '../src/models/groupLasso.js';
import { path } from '../src/selection/path.js';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { createBcdDatafit } from '../src/solvers/bcdDatafit.js';
import { groupLassoGap } from '../src/solvers/bcdGap.js';
import { TightDual } from '../src/solvers/tightDual.js';
import { rowNorm } from '../src/penalties/rowNorm.js';
import { sharedProblem } from './helpers/random.js';
import type { MultiTaskData } from '../src/data/MultiTaskData.js';

/** X̃ and Ỹ (centred when fitting intercepts), row-major. */
function centred(data: MultiTaskData, fitIntercept: boolean): { X: Float64Array; Y: Float64Array } {
  const { n, d, T } = data, X = Float64Array.from(data.X!), Y = Float64Array.from(data.Y!);
  if (fitIntercept) {
    for (let j = 0; j < d; j++) { let m = 0; for (let i = 0; i < n; i++) m += X[i * d + j]!; m /= n; for (let i = 0; i < n; i++) X[i * d + j]! -= m; }
    for (let t = 0; t < T; t++) { let m = 0; for (let i = 0; i < n; i++) m += Y[i * T + t]!; m /= n; for (let i = 0; i < n; i++) Y[i * T + t]! -= m; }
  }
  return { X, Y };
}

/**
 * The support-tight dual point at a nearly optimal W of a problem whose support has more rows than the
 * design has observations: recomputed here from its W' and α alone (R' = Ỹ − X̃W', θ = α·2s ⊙ R'), it is
 * feasible on every row, its value is what `dual` returned, it lies below the optimum, and its gap is
 * smaller than that of the rescaled residual at W.
 */
function checkPoint(fitIntercept: boolean, ratio: number, tolFit: number, tighter: boolean): void {
  const n = 30, d = 200, T = 3;
  const { data } = sharedProblem(n, d, T, 8, 17);
  const lambda = ratio * groupLassoLambdaMax(data, { q: 2, fitIntercept });
  const fit = groupLasso(data, { lambda, q: 2, fitIntercept, tol: tolFit, maxIter: 100000 });
  const ref = groupLasso(data, { lambda, q: 2, fitIntercept, tol: 1e-13, maxIter: 200000, screening: false, workingSet: false });
  assert.ok(ref.converged && fit.nonzeroRows > n, `support ${fit.nonzeroRows} > n = ${n}`);
  const P0 = fit.objectiveAtZero;
  const f = createBcdDatafit(new QuadraticLoss(data, { fitIntercept }), 'residual');
  const W = fit.W.data, V = new Float64Array(d * T), dt = { value: 0, innerY: 0 };
  f.reset(W); f.fullNegGradient(W, V); f.internalDualTerms(W, dt);
  const norm = rowNorm(2, T);
  const tight = TightDual.of(f, norm, lambda);
  assert.ok(tight !== null, 'a shared design has the support design');
  const dual = tight.dual(W, V, dt.innerY, dt.value, null, 0, 1e-9 * P0);
  const point = tight.lastPoint();
  assert.ok(point !== null && Number.isFinite(dual), 'the dual point ran');
  // independent: R' = Ỹ − X̃W', s = 1/(2n) ('mean'), θ = α·2s R'
  const { X, Y } = centred(data, fitIntercept), s = 1 / (2 * n), W2 = point.W, alpha = point.alpha;
  const R = new Float64Array(n * T);
  for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) {
    let r = Y[i * T + t]!;
    for (let j = 0; j < d; j++) r -= X[i * d + j]! * W2[j * T + t]!;
    R[i * T + t] = r;
  }
  let A = 0, B = 0;
  for (let k = 0; k < n * T; k++) { A += 2 * s * R[k]! * Y[k]!; B += s * R[k]! * R[k]!; }
  for (let j = 0; j < d; j++) {
    let z = 0;
    for (let t = 0; t < T; t++) { let v = 0; for (let i = 0; i < n; i++) v += X[i * d + j]! * R[i * T + t]!; z += (alpha * 2 * s * v) ** 2; }
    assert.ok(Math.sqrt(z) <= lambda * (1 + 1e-12), `row ${j}: ‖x̃_jᵀθ‖ = ${Math.sqrt(z)} ≤ λ = ${lambda}`);
  }
  const D = alpha * A - alpha * alpha * B;
  assert.ok(Math.abs(D - dual) <= 1e-10 * P0, `D(θ) = ${D} matches the returned ${dual}`);
  assert.ok(dual <= ref.objective + 1e-12 * P0, `D(θ) = ${dual} ≤ P* = ${ref.objective}`);
  const plain = groupLassoGap(dt.value, dt.innerY, V, W, d, T, norm, lambda, 0, new Float64Array(T), null, 0);
  const gap = plain.primal - dual;
  assert.ok(gap >= plain.primal - ref.objective - 1e-12 * P0, 'the gap bounds the suboptimality');
  if (tighter) assert.ok(gap <= 0.5 * plain.gap, `support-tight gap ${gap / P0} ≤ ½ rescaled-residual gap ${plain.gap / P0}`);
}

/** A path of a wide design (support > n from its middle on): every point certified and within its gap of the optimum. */
function checkPath(q: number, tol: number): void {
  const { data } = sharedProblem(30, 200, 3, 8, 23);
  const lmax = groupLassoLambdaMax(data, { q, fitIntercept: false });
  const lambdas = Array.from({ length: 20 }, (_, k) => lmax * Math.pow(0.01, k / 19));
  const p = path(data, groupLasso, { lambdas }, { q, fitIntercept: false, tol, maxIter: 100000 });
  let wide = 0;
  for (const [k, pt] of p.points.entries()) {
    const ref = groupLasso(data, { lambda: lambdas[k]!, q, fitIntercept: false, tol: 1e-13, maxIter: 400000, screening: false, workingSet: false });
    const F0 = ref.objectiveAtZero;
    assert.ok(ref.converged && pt.converged, `point ${k} converged`);
    assert.ok(pt.certificate <= tol * F0, `point ${k}: certificate ${pt.certificate} ≤ ${tol * F0}`);
    assert.ok(pt.objective - ref.objective <= pt.certificate + 1e-12 * F0, `point ${k}: F − F* = ${pt.objective - ref.objective} ≤ gap ${pt.certificate}`);
    if (pt.nonzeroRows > 30) wide++;
  }
  assert.ok(wide >= 5, `${wide} points with more nonzero rows than observations`);
}

describe('support-tight dual point (issue #11)', () => {
  test('feasible, its value recomputed, below the optimum, tighter than the rescaled residual', () => {
    checkPoint(false, 0.03, 1e-7, true);
    checkPoint(false, 0.1, 1e-7, true);
    for (const ratio of [0.01, 0.03]) for (const tolFit of [1e-5, 1e-6, 1e-8]) checkPoint(false, ratio, tolFit, false);
  });
  test('the same with intercepts (centred design)', () => {
    checkPoint(true, 0.03, 1e-7, true);
    for (const tolFit of [1e-5, 1e-6, 1e-8]) checkPoint(true, 0.01, tolFit, false);
  });
  test('q = 2 path at tol 1e-6: every gap bounds the suboptimality', () => checkPath(2, 1e-6));
  test('q = 2 path at tol 1e-9', () => checkPath(2, 1e-9));
  test('q = 1 and q = ∞ paths (the rescaled residual only) still bound the suboptimality', () => { checkPath(1, 1e-8); checkPath(Infinity, 1e-8); });
});
