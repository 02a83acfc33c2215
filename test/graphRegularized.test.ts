// Tests of graph-regularized MTL (src/models/graphRegularized.ts): reductions to mean-regularized
// MTL (R = I − 11ᵀ/T, complete graph) and to the independent lasso (ρ₁ = 0), the duality gap, KKT
// conditions and the objective evaluator (against mathjs).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as math from 'mathjs';
import { graphRegularized, graphRegularizedObjective, taskGraphMatrix } from '../src/models/graphRegularized.js';
import { meanRegularized, meanRegularizedObjective } from '../src/models/meanRegularized.js';
import { groupLasso } from '../src/models/groupLasso.js';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import type { Mat } from '../src/types.js';
import { mulberry32, normal, relatedTasks, relMaxDiff } from './helpers/taskRelationsData.js';

const { data } = relatedTasks({ d: 8, T: 6, n: [15, 22, 9, 30, 12, 18], seed: 13, offsets: true });
const { d, T } = data;

/** R = I − 11ᵀ/T as a T×T Mat. */
function centering(T: number): Mat {
  const R = new Float64Array(T * T);
  for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) R[i * T + j] = (i === j ? 1 : 0) - 1 / T;
  return { rows: T, cols: T, data: R };
}

describe('graphRegularized: reductions', () => {
  it('R = I − 11ᵀ/T with ridge ρ equals form A with ρ_A = ρT, λ_A = (ρ₁ + ρ)/ρ', () => {
    const rho1 = 0.3, ridge = 0.02;
    const graph = { R: centering(T) };
    const pa = { form: 'A' as const, rho: ridge * T, lambda: (rho1 + ridge) / ridge };
    // the objectives agree for any W
    const g = normal(mulberry32(2));
    const W: Mat = { rows: d, cols: T, data: Float64Array.from({ length: d * T }, () => g()) };
    const b = Float64Array.from({ length: T }, () => g());
    const fg = graphRegularizedObjective(data, W, { rho1, ridge, graph }, b);
    assert.ok(Math.abs(fg - meanRegularizedObjective(data, W, pa, b)) <= 1e-12 * fg);
    // and so do the optima
    const fit = graphRegularized(data, { rho1, ridge, graph, tol: 1e-14, maxIter: 50000 });
    const ref = meanRegularized(data, pa);
    assert.ok(fit.converged, `gap ${fit.gap}`);
    assert.equal(fit.certificateKind, 'duality-gap');
    assert.ok(relMaxDiff(fit.W.data, ref.W.data) < 1e-7, `${relMaxDiff(fit.W.data, ref.W.data)}`);
    assert.ok(Math.abs(fit.objective - ref.objective) <= 1e-12 * ref.objective);
  });

  it('complete graph with ω = 1/√T, ρ = 0 equals form B with μ = 0, λ_B = ρ₁ (edges input, residual certificate)', () => {
    const edges: [number, number][] = [];
    for (let a = 0; a < T; a++) for (let b = a + 1; b < T; b++) edges.push([a, b]);
    const rho1 = 0.05;
    const fit = graphRegularized(data, { rho1, graph: { edges, weights: edges.map(() => 1 / Math.sqrt(T)) }, tol: 1e-11, maxIter: 50000 });
    const ref = meanRegularized(data, { form: 'B', lambda: rho1 });
    assert.equal(fit.certificateKind, 'fixed-point-residual');
    assert.ok(fit.converged);
    assert.ok(relMaxDiff(fit.W.data, ref.W.data) < 1e-8, `${relMaxDiff(fit.W.data, ref.W.data)}`);
    assert.ok(Math.abs(fit.objective - ref.objective) <= 1e-12 * ref.objective);
  });

  it('ρ₁ = 0 equals groupLasso with q = 1 (λ = ρ₂, same ridge)', () => {
    const rho2 = 0.05, ridge = 0.01;
    const fit = graphRegularized(data, { rho1: 0, rho2, ridge, graph: { edges: [[0, 1]] }, tol: 1e-13, maxIter: 50000 });
    const ref = groupLasso(data, { lambda: rho2, q: 1, ridge, tol: 1e-13 });
    assert.ok(fit.converged && ref.converged);
    // both within their gaps of the optimum; F − F* ≥ ρ‖W − W*‖² gives ‖W₁ − W₂‖² ≤ 2(gap₁ + gap₂)/ρ
    assert.ok(Math.abs(fit.objective - ref.objective) <= fit.gap + ref.gap + 1e-15);
    let dist = 0;
    for (let k = 0; k < d * T; k++) dist += (fit.W.data[k]! - ref.W.data[k]!) ** 2;
    assert.ok(dist <= (2 * (fit.gap + ref.gap)) / ridge * (1 + 1e-9) + 1e-24, `‖ΔW‖² = ${dist}`);
    assert.ok(relMaxDiff(fit.W.data, ref.W.data) < 1e-5);
    assert.equal(fit.nonzeros, ref.W.data.filter((v) => v !== 0).length);
  });
});

describe('graphRegularized: optimality and certificate', () => {
  const edges: [number, number][] = Array.from({ length: T - 1 }, (_, t) => [t, t + 1] as [number, number]);
  const params = { rho1: 0.4, rho2: 0.6, graph: { edges, weights: [1, 2, 0.5, 1, 1.5] } };
  it('KKT conditions hold at the solution (ρ₂ > 0, ρ = 0)', () => {
    const fit = graphRegularized(data, { ...params, tol: 1e-13, maxIter: 50000 });
    assert.ok(fit.converged && fit.gap <= 1e-13 * fit.objectiveAtZero);
    assert.ok(fit.nonzeros > 0 && fit.nonzeros < d * T, `nonzeros ${fit.nonzeros}`);
    // smooth gradient: ∇L + 2ρ₁ W R Rᵀ
    const loss = new QuadraticLoss(data);
    const Rres = new Float64Array(loss.residualSize);
    const G = new Float64Array(d * T);
    loss.residual(fit.W.data, Rres);
    loss.gradient(Rres, G);
    const R = taskGraphMatrix(params.graph, T);
    const E = R.cols;
    for (let j = 0; j < d; j++) {
      for (let t = 0; t < T; t++) {
        let s = 0;
        for (let e = 0; e < E; e++) {
          let wr = 0;
          for (let u = 0; u < T; u++) wr += fit.W.data[j * T + u]! * R.data[u * E + e]!;
          s += wr * R.data[t * E + e]!;
        }
        const gjt = G[j * T + t]! + 2 * params.rho1 * s;
        const w = fit.W.data[j * T + t]!;
        if (w === 0) assert.ok(Math.abs(gjt) <= params.rho2 * (1 + 1e-6), `|g| ${Math.abs(gjt)} > ρ₂ at zero (${j},${t})`);
        else assert.ok(Math.abs(gjt + params.rho2 * Math.sign(w)) <= 1e-6 * params.rho2, `stationarity at (${j},${t})`);
      }
    }
  });

  it('the gap bounds the suboptimality of early iterates', () => {
    const best = graphRegularized(data, { ...params, ridge: 0.01, tol: 1e-14, maxIter: 50000 });
    for (const [solver, maxIter] of [['fista', 5], ['fista', 20], ['fista', 60], ['cd', 1]] as const) {
      const early = graphRegularized(data, { ...params, ridge: 0.01, tol: 0, maxIter, solver });
      assert.equal(early.converged, false);
      assert.equal(early.status, 'max-iterations');
      const sub = early.objective - best.objective;
      assert.ok(sub >= -1e-12 && sub <= early.gap * (1 + 1e-9) + 1e-14, `suboptimality ${sub} > gap ${early.gap}`);
    }
  });

  it('objective evaluator = an independent mathjs computation', () => {
    const g = normal(mulberry32(17));
    const W: Mat = { rows: d, cols: T, data: Float64Array.from({ length: d * T }, () => g()) };
    const b = Array.from({ length: T }, () => g());
    const R = taskGraphMatrix(params.graph, T);
    const Wm = math.matrix(Array.from({ length: d }, (_, j) => Array.from(W.data.subarray(j * T, (j + 1) * T))));
    const Rm = math.matrix(Array.from({ length: T }, (_, t) => Array.from(R.data.subarray(t * R.cols, (t + 1) * R.cols))));
    const WR = math.multiply(Wm, Rm) as math.Matrix;
    let loss = 0;
    for (let t = 0; t < T; t++) {
      const { X, y } = data.task(t);
      const Xt = math.matrix(Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * d, (i + 1) * d))));
      const r = math.subtract(math.matrix(Array.from(y)), math.add(math.multiply(Xt, math.flatten(math.column(Wm, t) as math.Matrix)), b[t]!)) as math.Matrix;
      loss += (math.sum(math.dotMultiply(r, r)) as number) / (2 * X.rows);
    }
    const ridge = 0.2;
    const ref = loss + params.rho1 * (math.sum(math.dotMultiply(WR, WR)) as number) + params.rho2 * (math.sum(math.abs(Wm)) as number)
      + ridge * (math.sum(math.dotMultiply(Wm, Wm)) as number);
    const ours = graphRegularizedObjective(data, W, { ...params, ridge }, b);
    assert.ok(Math.abs(ours - ref) <= 1e-12 * ref, `${ours} vs ${ref}`);
    // the edge weights enter squared: Σ_e ω_e² ‖w_a − w_b‖²
    let direct = 0;
    for (let e = 0; e < edges.length; e++) {
      const [a, c] = edges[e]!;
      for (let j = 0; j < d; j++) direct += params.graph.weights[e]! ** 2 * (W.data[j * T + a]! - W.data[j * T + c]!) ** 2;
    }
    const graphOnly = graphRegularizedObjective(data, W, { rho1: 1, graph: params.graph }, b) - graphRegularizedObjective(data, W, { rho1: 0, graph: params.graph }, b);
    assert.ok(Math.abs(graphOnly - direct) <= 1e-10 * direct);
  });

  it('rejects malformed graphs and options', () => {
    assert.throws(() => graphRegularized(data, { rho1: 1, graph: { edges: [[0, T]] } }), (e: unknown) => e instanceof RangeError && /graph\.edges\[0\]/.test(e.message));
    assert.throws(() => graphRegularized(data, { rho1: 1, graph: { edges: [[1, 1]] } }), /self-loop/);
    assert.throws(() => graphRegularized(data, { rho1: 1, graph: { edges: [[0, 1]], weights: [1, 2] } }), /graph\.weights/);
    assert.throws(() => graphRegularized(data, { rho1: 1, graph: { R: { rows: T + 1, cols: 2, data: new Float64Array(2 * T + 2) } } }), /graph\.R/);
    assert.throws(() => graphRegularized(data, { rho1: -1, graph: { edges: [] } }), (e: unknown) => e instanceof RangeError && /rho1/.test(e.message));
    assert.throws(() => graphRegularized(data, { rho1: 1 } as never), (e: unknown) => e instanceof TypeError && /graph/.test(e.message));
  });
});

/**
 * The minimiser over (W, b) of Σ_t s_t‖y_t − X_t w_t − b_t‖² + ρ₁‖WR‖² + ρ‖W‖² ('mean' scale) by one
 * dense solve of the normal equations (mathjs), unknowns (w_1, b_1, …, w_T, b_T); returns W (d×T).
 */
function directSolve(D: typeof data, rho1: number, ridge: number, R: Mat, rho2 = 0, support?: Float64Array): Float64Array {
  const { d: dd, T: TT } = D;
  // with ρ₂ > 0: the entries outside the support are fixed at 0, the others solve the normal
  // equations with the linear term ρ₂ sign(w)
  const fixed = (t: number, j: number): boolean => rho2 > 0 && support !== undefined && support[j * TT + t] === 0;
  const m = (dd + 1) * TT;
  const H = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  const g = new Array<number>(m).fill(0);
  const K = math.multiply(math.matrix(Array.from({ length: TT }, (_, t) => Array.from(R.data.subarray(t * R.cols, (t + 1) * R.cols)))),
    math.transpose(math.matrix(Array.from({ length: TT }, (_, t) => Array.from(R.data.subarray(t * R.cols, (t + 1) * R.cols)))))) as math.Matrix;
  for (let t = 0; t < TT; t++) {
    const { X, y } = D.task(t);
    const s = 1 / (2 * X.rows), o = t * (dd + 1);
    for (let i = 0; i < X.rows; i++) {
      const a = [...Array.from(X.data.subarray(i * dd, (i + 1) * dd)), 1];
      for (let p = 0; p <= dd; p++) {
        g[o + p]! += 2 * s * a[p]! * y[i]!;
        for (let r = 0; r <= dd; r++) H[o + p]![o + r]! += 2 * s * a[p]! * a[r]!;
      }
    }
    for (let u = 0; u < TT; u++) for (let j = 0; j < dd; j++) H[o + j]![u * (dd + 1) + j]! += 2 * rho1 * (K.get([t, u]) as number);
    for (let j = 0; j < dd; j++) H[o + j]![o + j]! += 2 * ridge;
  }
  for (let t = 0; t < TT; t++) {
    for (let j = 0; j < dd; j++) {
      const o = t * (dd + 1) + j;
      if (fixed(t, j)) {
        for (let q = 0; q < m; q++) { H[o]![q] = 0; H[q]![o] = 0; }
        H[o]![o] = 1;
        g[o] = 0;
      } else if (rho2 > 0 && support) {
        g[o]! -= rho2 * Math.sign(support[j * TT + t]!);
      }
    }
  }
  const z = (math.lusolve(H, g) as number[][]).map((r) => r[0]!);
  const W = new Float64Array(dd * TT);
  for (let t = 0; t < TT; t++) for (let j = 0; j < dd; j++) W[j * TT + t] = z[t * (dd + 1) + j]!;
  return W;
}

describe('graphRegularized: structured solvers (CG, coordinate descent) against FISTA', () => {
  const chain = { edges: Array.from({ length: T - 1 }, (_, t) => [t, t + 1] as [number, number]), weights: [1, 0.5, 2, 1, 0.7] };
  const problems = [
    { name: 'per-task designs', data },
    { name: 'shared design', data: relatedTasks({ d: 7, T: 5, n: 40, seed: 21, shared: true, offsets: true }).data },
    { name: 'shared design with missing responses', data: relatedTasks({ d: 7, T: 5, n: 40, seed: 22, shared: true, missing: 0.2, offsets: true }).data },
  ];
  for (const p of problems) {
    const Tp = p.data.T;
    const graph = { edges: Array.from({ length: Tp - 1 }, (_, t) => [t, t + 1] as [number, number]) };
    it(`${p.name}: 'pcg' (ρ₂ = 0) equals a dense direct solve and 'cd' (ρ₂ > 0) equals FISTA, to 1e-8`, () => {
      for (const extra of [{ rho2: 0, ridge: 0 }, { rho2: 0, ridge: 0.05 }, { rho2: 0.02, ridge: 0 }, { rho2: 0.02, ridge: 0.05 }]) {
        const o = { rho1: 0.7, graph, ...extra, tol: 1e-13, maxIter: 200000 };
        const fast = graphRegularized(p.data, o);
        // ρ₂ > 0: the direct solve on the support and signs CD found (the KKT test below checks the support)
        const ref = { W: { data: directSolve(p.data, o.rho1, extra.ridge, taskGraphMatrix(graph, Tp), extra.rho2, fast.W.data) } };
        if (extra.rho2 > 0) {
          const fi = graphRegularized(p.data, { ...o, tol: 1e-12, solver: 'fista' });
          assert.ok(relMaxDiff(fast.W.data, fi.W.data) < 1e-5, `vs FISTA: ${relMaxDiff(fast.W.data, fi.W.data)}`);
          assert.ok(fast.objective <= fi.objective * (1 + 1e-12));
        }
        assert.equal(fast.options.solver, extra.rho2 > 0 ? 'cd' : 'pcg');
        assert.ok(fast.converged && fast.status === 'converged', `${JSON.stringify(extra)}: ${fast.status} ${fast.certificate}`);
        assert.ok(relMaxDiff(fast.W.data, ref.W.data) < 1e-8, `${JSON.stringify(extra)}: ${relMaxDiff(fast.W.data, ref.W.data)}`);
      }
    });
  }

  it('the coordinate-descent gap upper-bounds the true suboptimality (tight reference)', () => {
    const o = { rho1: 2, rho2: 0.05, graph: chain };
    const best = graphRegularized(data, { ...o, tol: 1e-14, maxIter: 300 });
    for (const maxIter of [1, 2, 3]) {
      const early = graphRegularized(data, { ...o, tol: 0, maxIter });
      const sub = early.objective - best.objective;
      assert.ok(sub >= -1e-12 * best.objective && sub <= early.gap * (1 + 1e-9) + 1e-14, `suboptimality ${sub} > gap ${early.gap}`);
    }
  });

  it('a capped run reports converged: false, status max-iterations and its certificate', () => {
    for (const extra of [{ rho2: 0 }, { rho2: 0.02 }, { rho2: 0, ridge: 0.1 }]) {
      const fit = graphRegularized(data, { rho1: 0.7, graph: chain, ...extra, tol: 1e-15, maxIter: 1 });
      assert.equal(fit.converged, false);
      assert.equal(fit.status, 'max-iterations');
      assert.ok(Number.isFinite(fit.certificate) && fit.certificate > 0);
      assert.equal(fit.iterations, 1);
    }
  });

  it('a warm start that overflows ends with status non-finite within maxIter', () => {
    const huge: Mat = { rows: d, cols: T, data: new Float64Array(d * T).fill(1e300) };
    for (const rho2 of [0, 0.02]) {
      for (const solver of ['auto', 'fista'] as const) {
        const fit = graphRegularized(data, { rho1: 0.7, rho2, ridge: 0.01, graph: chain, warmStart: huge, maxIter: 50, solver });
        assert.equal(fit.converged, false, `${solver} ρ₂ = ${rho2}`);
        assert.equal(fit.status, 'non-finite', `${solver} ρ₂ = ${rho2}: ${fit.status}`);
        assert.ok(fit.iterations <= 50);
      }
    }
  });

  it('rejects unknown (misspelt) options, naming the closest valid one', () => {
    assert.throws(() => graphRegularized(data, { rho1: 1, graph: chain, maxiter: 5 } as never), (e: unknown) => e instanceof RangeError && /unknown option 'maxiter' \(did you mean maxIter\?\)/.test(e.message));
    assert.throws(() => graphRegularized(data, { rho1: 1, graph: chain, tolerance: 1e-3 } as never), /unknown option 'tolerance'/);
  });

  it('graph R as number[][] (the issue example) and as an ml-matrix Matrix equal the Mat form', async () => {
    const { Matrix } = await import('ml-matrix');
    const four = relatedTasks({ d: 3, T: 4, n: 12, seed: 5 }).data;
    const Rarr = [[1, 0, 0], [-1, 1, 0], [0, -1, 1], [0, 0, -1]];
    const a = graphRegularized(four, { rho1: 1, graph: { R: Rarr } });
    const b = graphRegularized(four, { rho1: 1, graph: { R: new Matrix(Rarr) } });
    const c = graphRegularized(four, { rho1: 1, graph: { edges: [[0, 1], [1, 2], [2, 3]] } });
    assert.ok(a.converged);
    assert.deepEqual(a.W.data, b.W.data);
    assert.deepEqual(a.W.data, c.W.data);
    assert.throws(() => graphRegularized(four, { rho1: 1, graph: { R: [[1, -1]] } }), (e: unknown) => e instanceof RangeError && /graph\.R: expected a 4×E .* matrix, got 1×2/.test(e.message));
    assert.throws(() => graphRegularized(four, { rho1: 1, graph: { R: 'x' as never } }), (e: unknown) => e instanceof TypeError && /graph\.R: expected a matrix .*got "x"/.test(e.message));
    const warm = graphRegularized(four, { rho1: 1, graph: { R: Rarr }, warmStart: Array.from({ length: 3 }, () => [0, 0, 0, 0]) });
    assert.deepEqual(warm.W.data, a.W.data);
  });
});
