// Tests of the convex clustered-MTL relaxation (src/models/clusteredConvex.ts): feasibility of M,
// the certificate, optimality in each block checked by independent means, the evaluator (against
// mathjs) and the recovery of the seeded 3-cluster problem.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as math from 'mathjs';
import { clusteredConvex, clusteredConvexObjective } from '../src/models/clusteredConvex.js';
import { graphRegularized } from '../src/models/graphRegularized.js';
import { symEig } from '../src/linalg/eig.js';
import { projectCappedSimplex } from '../src/linalg/cappedSimplex.js';
import type { Mat } from '../src/types.js';
import { mulberry32, normal, relatedTasks, relMaxDiff, samePartition, threeClusterProblem } from './helpers/taskRelationsData.js';

const problem = threeClusterProblem(1);
const params = { rho1: 1, rho2: 0.1, k: 3 };
const tol = 1e-8;
const fit = clusteredConvex(problem.data, { ...params, tol, seed: 5 });
const { T } = problem.data;
const eta = params.rho2 / params.rho1, c = params.rho1 * eta * (1 + eta);

/** A random feasible M: the projection of a random symmetric matrix. */
function randomFeasible(seed: number, T: number, k: number): Mat {
  const g = normal(mulberry32(seed));
  const A = new Float64Array(T * T);
  for (let i = 0; i < T; i++) for (let j = 0; j <= i; j++) { const v = g(); A[i * T + j] = v; A[j * T + i] = v; }
  const { values, vectors } = symEig({ rows: T, cols: T, data: A });
  const s = projectCappedSimplex(values, k, new Float64Array(T));
  const M = new Float64Array(T * T);
  for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) {
    let v = 0;
    for (let q = 0; q < T; q++) v += vectors.data[i * T + q]! * s[q]! * vectors.data[j * T + q]!;
    M[i * T + j] = v;
  }
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) { const v = 0.5 * (M[i * T + j]! + M[j * T + i]!); M[i * T + j] = v; M[j * T + i] = v; }
  return { rows: T, cols: T, data: M };
}

/** (ηI + M)⁻¹ by mathjs. */
function shiftedInverse(M: Mat, eta: number): number[][] {
  const A = Array.from({ length: M.rows }, (_, i) => Array.from({ length: M.cols }, (_, j) => M.data[i * M.cols + j]! + (i === j ? eta : 0)));
  return math.inv(A) as number[][];
}

describe('clusteredConvex', () => {
  it('M is in the constraint set to 1e-10 and the fixed-point residual reached tol', () => {
    const M = fit.M.data;
    for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) assert.equal(M[i * T + j], M[j * T + i]);
    const { values } = symEig(fit.M);
    let tr = 0;
    for (let i = 0; i < T; i++) tr += M[i * T + i]!;
    assert.ok(Math.abs(tr - params.k) <= 1e-10, `trace ${tr}`);
    for (const v of values) assert.ok(v >= -1e-10 && v <= 1 + 1e-10, `eigenvalue ${v}`);
    assert.ok(fit.converged, `certificate ${fit.certificate}`);
    assert.ok(fit.certificate <= tol * fit.certificateScale);
    assert.equal(fit.certificateKind, 'fixed-point-residual');
    const again = clusteredConvexObjective(problem.data, fit.W, fit.M, params, fit.intercepts);
    assert.ok(Math.abs(again - fit.objective) <= 1e-12 * again);
  });

  it('recovers the three groups of the seeded 3-cluster problem (up to label permutation)', () => {
    assert.ok(samePartition(fit.clusters, problem.groups), `clusters ${Array.from(fit.clusters)} vs ${Array.from(problem.groups)}`);
    // M is (nearly) the projector onto the cluster indicators: eigenvalues ≈ [1, 1, 1, 0, …]
    assert.ok(fit.eigenvalues[2]! > 0.9 && fit.eigenvalues[3]! < 0.1);
  });

  it('W is the minimiser for the returned M (independent check through graphRegularized with R Rᵀ = (ηI+M)⁻¹)', () => {
    // c·tr(W P Wᵀ) = ρ₁‖W R‖² with ρ₁ = c and R the Cholesky factor of P
    const P = shiftedInverse(fit.M, eta);
    const R = new Float64Array(T * T);
    for (let j = 0; j < T; j++) {
      let s = P[j]![j]!;
      for (let q = 0; q < j; q++) s -= R[j * T + q]! ** 2;
      R[j * T + j] = Math.sqrt(s);
      for (let i = j + 1; i < T; i++) {
        let v = P[i]![j]!;
        for (let q = 0; q < j; q++) v -= R[i * T + q]! * R[j * T + q]!;
        R[i * T + j] = v / R[j * T + j]!;
      }
    }
    const ref = graphRegularized(problem.data, { rho1: c, graph: { R: { rows: T, cols: T, data: R } }, tol: 1e-12, maxIter: 20000 });
    assert.ok(ref.converged);
    assert.ok(relMaxDiff(fit.W.data, ref.W.data) < 1e-6, `${relMaxDiff(fit.W.data, ref.W.data)}`);
  });

  it('M is optimal for the returned W: ⟨∇_M F, M′ − M⟩ ≥ 0 and F(W, M′) ≥ F(W, M) for random feasible M′', () => {
    const P = math.matrix(shiftedInverse(fit.M, eta));
    const d = problem.data.d;
    const Wm = math.matrix(Array.from({ length: d }, (_, j) => Array.from(fit.W.data.subarray(j * T, (j + 1) * T))));
    const GM = math.multiply(-c, math.multiply(math.multiply(P, math.multiply(math.transpose(Wm), Wm)), P)) as math.Matrix;
    const F0 = fit.objective;
    for (let s = 0; s < 8; s++) {
      const Mp = randomFeasible(100 + s, T, params.k);
      let ip = 0, dist = 0;
      for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) {
        const dm = Mp.data[i * T + j]! - fit.M.data[i * T + j]!;
        ip += (GM.get([i, j]) as number) * dm;
        dist += dm * dm;
      }
      assert.ok(ip >= -tol * fit.certificateScale * Math.sqrt(dist) * 10, `variational inequality violated: ${ip}`);
      const F1 = clusteredConvexObjective(problem.data, fit.W, Mp, params, fit.intercepts);
      assert.ok(F1 >= F0 - 1e-9 * F0);
    }
  });

  it('is no worse than the oracle (true cluster projector, W optimal for it)', () => {
    const Mt = new Float64Array(T * T);
    const size = [0, 0, 0];
    for (const g of problem.groups) size[g]!++;
    for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) if (problem.groups[i] === problem.groups[j]) Mt[i * T + j] = 1 / size[problem.groups[i]!]!;
    // for this M the penalty is ρ₂‖W‖² + ρ₁ Σ_g Σ_{t∈g} ‖w_t − w̄_g‖²: a graph-regularized problem
    const Rm = new Float64Array(T * T);
    for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) Rm[i * T + j] = (i === j ? 1 : 0) - Mt[i * T + j]!;
    const oracle = graphRegularized(problem.data, { rho1: params.rho1, ridge: params.rho2, graph: { R: { rows: T, cols: T, data: Rm } }, tol: 1e-12 });
    const Fo = clusteredConvexObjective(problem.data, oracle.W, { rows: T, cols: T, data: Mt }, params, oracle.intercepts);
    assert.ok(Math.abs(Fo - oracle.objective) <= 1e-9 * Fo, `projector identity: ${Fo} vs ${oracle.objective}`);
    assert.ok(fit.objective <= Fo + 1e-10 * Fo);
  });

  it('objective evaluator = mathjs (inverse and trace), Infinity outside the constraint set', () => {
    const { data } = relatedTasks({ d: 5, T: 4, n: [6, 9, 7, 8], seed: 31, offsets: true });
    const g = normal(mulberry32(32));
    const W: Mat = { rows: 5, cols: 4, data: Float64Array.from({ length: 20 }, () => g()) };
    const b = [0.3, -0.2, 1, 0];
    const M = randomFeasible(33, 4, 2);
    const p = { rho1: 0.7, rho2: 0.2, k: 2 };
    const e = p.rho2 / p.rho1, cc = p.rho1 * e * (1 + e);
    const Wm = math.matrix(Array.from({ length: 5 }, (_, j) => Array.from(W.data.subarray(j * 4, (j + 1) * 4))));
    const pen = math.trace(math.multiply(math.multiply(Wm, math.matrix(shiftedInverse(M, e))), math.transpose(Wm))) as number;
    let loss = 0;
    for (let t = 0; t < 4; t++) {
      const { X, y } = data.task(t);
      for (let i = 0; i < X.rows; i++) {
        let pr = b[t]!;
        for (let j = 0; j < 5; j++) pr += X.data[i * 5 + j]! * W.data[j * 4 + t]!;
        loss += (y[i]! - pr) ** 2 / (2 * X.rows);
      }
    }
    const ours = clusteredConvexObjective(data, W, M, p, b);
    assert.ok(Math.abs(ours - (loss + cc * pen)) <= 1e-12 * ours, `${ours} vs ${loss + cc * pen}`);
    const bad = { rows: 4, cols: 4, data: M.data.map((v, q) => (q % 5 === 0 ? v + 0.1 : v)) }; // trace k + 0.4
    assert.equal(clusteredConvexObjective(data, W, bad, p, b), Infinity);
    const big = { rows: 4, cols: 4, data: new Float64Array([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) }; // eigenvalue 2 > 1
    assert.equal(clusteredConvexObjective(data, W, big, p, b), Infinity);
  });

  it('is deterministic and validates its options', () => {
    const a = clusteredConvex(problem.data, { ...params, tol: 1e-6, seed: 5 });
    const b = clusteredConvex(problem.data, { ...params, tol: 1e-6, seed: 5 });
    assert.deepEqual(a.W.data, b.W.data);
    assert.deepEqual(a.clusters, b.clusters);
    assert.throws(() => clusteredConvex(problem.data, { ...params, rho1: 0 }), (e: unknown) => e instanceof RangeError && /rho1/.test(e.message));
    assert.throws(() => clusteredConvex(problem.data, { ...params, k: T + 1 }), (e: unknown) => e instanceof RangeError && /k:/.test(e.message));
    assert.throws(() => clusteredConvex(problem.data, { ...params, k: 1.5 }), /k:/);
    assert.throws(() => clusteredConvexObjective(problem.data, fit.W, { rows: 2, cols: 2, data: new Float64Array(4) }, params), /M:/);
    const asym = Float64Array.from(fit.M.data);
    asym[1] = asym[1]! + 0.01;
    assert.throws(() => clusteredConvexObjective(problem.data, fit.W, { rows: T, cols: T, data: asym }, params), /M: expected a symmetric/);
  });
});
