// The non-convex row penalties (issue #16): block MCP and block SCAD by BCD. Stationarity recomputed
// from the raw data (plain loops), the evaluators against mathjs, the γ, a → ∞ reduction to the L1/L2
// group lasso, W = 0 at λ_max and not below, monotone objective, named errors. Seeded data.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as math from 'mathjs';
import { blockMcp, blockMcpObjective } from '../src/models/blockMcp.js';
import { blockScad, blockScadObjective } from '../src/models/blockScad.js';
import { groupLasso, groupLassoLambdaMax } from '../src/models/groupLasso.js';
import { cappedL1, cappedL1Objective } from '../src/models/cappedL1.js';
import { multiLevelLasso, multiLevelLassoObjective, multiLevelLassoFactorObjective } from '../src/models/multiLevelLasso.js';
import type { MultiTaskData } from '../src/data/MultiTaskData.js';
import type { Mat } from '../src/types.js';
import { sharedProblem, perTaskProblem } from './helpers/random.js';
import { negGradient } from './helpers/gradient.js';

/** p(r) and p'(r), written out here independently of src/penalties. */
const mcp = (l: number, g: number) => ({
  p: (r: number) => (r <= g * l ? l * r - (r * r) / (2 * g) : (g * l * l) / 2),
  dp: (r: number) => (r <= g * l ? l - r / g : 0),
});
const scad = (l: number, a: number) => ({
  p: (r: number) => (r <= l ? l * r : r <= a * l ? (2 * a * l * r - r * r - l * l) / (2 * (a - 1)) : ((a + 1) * l * l) / 2),
  dp: (r: number) => (r <= l ? l : r <= a * l ? (a * l - r) / (a - 1) : 0),
});

/** max_j dist(−∇_j L, ∂p(‖w^j‖)) from the raw-data gradient. */
function stationarity(data: MultiTaskData, W: Mat, b: Float64Array, lambda: number, dp: (r: number) => number): number {
  const V = negGradient(data, W, b, 'mean'), { d, T } = data;
  let m = 0;
  for (let j = 0; j < d; j++) {
    let r = 0, v = 0;
    for (let t = 0; t < T; t++) { r += W.data[j * T + t]! ** 2; v += V[j * T + t]! ** 2; }
    r = Math.sqrt(r);
    let e: number;
    if (r === 0) e = Math.max(0, Math.sqrt(v) - lambda);
    else {
      let s = 0;
      for (let t = 0; t < T; t++) s += (V[j * T + t]! - (dp(r) * W.data[j * T + t]!) / r) ** 2;
      e = Math.sqrt(s);
    }
    m = Math.max(m, e);
  }
  return m;
}

/** L(W, b) + Σ_j p(‖w^j‖₂) (or rowPen(w^j)) by mathjs matrix products ('mean' scale: s_t = 1/(2 n_t)). */
function mathjsObjective(data: MultiTaskData, W: Mat, b: Float64Array, p: (r: number) => number, rowPen?: (w: number[]) => number): number {
  const { d, T } = data;
  const Wm = math.matrix(Array.from({ length: d }, (_, j) => Array.from(W.data.subarray(j * T, j * T + T))));
  let f = 0;
  for (let t = 0; t < T; t++) {
    const { X, y } = data.task(t);
    const Xm = math.matrix(Array.from({ length: y.length }, (_, i) => Array.from(X.data.subarray(i * d, i * d + d))));
    const wt = math.column(Wm, t) as math.Matrix;
    const r = math.subtract(math.subtract(math.matrix(Array.from(y).map((v) => [v])), math.multiply(Xm, wt)), b[t]!) as math.Matrix;
    f += (math.number(math.sum(math.dotPow(r, 2)) as number) as number) / (2 * y.length);
  }
  for (let j = 0; j < d; j++) {
    const w = Array.from(W.data.subarray(j * T, j * T + T));
    f += rowPen ? rowPen(w) : p(math.norm(w) as number);
  }
  return f;
}

const PROBLEMS = [['shared', sharedProblem(60, 12, 4, 3, 41)], ['per-task', perTaskProblem([40, 55, 35, 50], 10, 3, 42)]] as const;
const MODELS = [
  {
    name: 'block MCP', fit: (D: MultiTaskData, o: Record<string, unknown>) => blockMcp(D, { lambda: 1, ...o }),
    obj: (D: MultiTaskData, W: Mat, o: { lambda: number; gamma?: number }, b: Float64Array) => blockMcpObjective(D, W, o, b),
    shape: (l: number) => mcp(l, 3), inf: { gamma: Infinity }, big: { gamma: 1e9 },
  },
  {
    name: 'block SCAD', fit: (D: MultiTaskData, o: Record<string, unknown>) => blockScad(D, { lambda: 1, ...o }),
    obj: (D: MultiTaskData, W: Mat, o: { lambda: number; a?: number }, b: Float64Array) => blockScadObjective(D, W, o, b),
    shape: (l: number) => scad(l, 3.7), inf: { a: Infinity }, big: { a: 1e9 },
  },
] as const;

for (const m of MODELS) {
  describe(`non-convex rows: ${m.name}`, () => {
    for (const [label, prob] of PROBLEMS) {
      it(`reaches a certified stationary point; the certificate and objective recompute from the raw data (${label})`, () => {
        const D = prob.data, lmax = groupLassoLambdaMax(D, { q: 2 });
        for (const ratio of [0.05, 0.2, 0.5]) {
          const lambda = ratio * lmax;
          const fit = m.fit(D, { lambda, tol: 1e-10 });
          assert.equal(fit.status, 'converged');
          assert.ok(fit.converged && fit.local && fit.certificateKind === 'stationarity');
          assert.ok(Math.abs(fit.lambdaMax - lmax) <= 1e-12 * lmax);
          assert.ok(fit.certificate <= 1e-10 * lmax);
          const s = stationarity(D, fit.W, fit.intercepts, lambda, m.shape(lambda).dp);
          assert.ok(s <= 1e-8 * lmax, `recomputed stationarity ${s} (λ_max ${lmax})`);
          const F = mathjsObjective(D, fit.W, fit.intercepts, m.shape(lambda).p);
          assert.ok(Math.abs(F - fit.objective) <= 1e-10 * Math.abs(F), `${F} vs ${fit.objective}`);
          assert.ok(Math.abs(m.obj(D, fit.W, { lambda }, fit.intercepts) - fit.objective) <= 1e-12 * Math.abs(F));
          assert.ok(fit.nonzeroRows > 0);
          // BCD never increases F: the objective at the certificate checks is non-increasing
          for (let k = 1; k < fit.history.length; k++) {
            assert.ok(fit.history[k]!.objective <= fit.history[k - 1]!.objective * (1 + 1e-12), `history ${k}`);
          }
        }
      });
    }

    it('with the concavity parameter → ∞ equals the L1/L2 group lasso (same W to 1e-8)', () => {
      for (const [, prob] of PROBLEMS) {
        const D = prob.data, lambda = 0.15 * groupLassoLambdaMax(D, { q: 2 });
        const gl = groupLasso(D, { lambda, q: 2, tol: 1e-14 });
        for (const extra of [m.inf, m.big]) {
          const fit = m.fit(D, { lambda, tol: 1e-12, ...extra });
          assert.equal(fit.status, 'converged');
          let diff = 0;
          for (let i = 0; i < gl.W.data.length; i++) diff = Math.max(diff, Math.abs(gl.W.data[i]! - fit.W.data[i]!));
          assert.ok(diff <= 1e-8, `max |ΔW| = ${diff} (${JSON.stringify(extra)})`);
        }
      }
    });

    it('gives W = 0 at λ_max and a non-zero W just below', () => {
      for (const [, prob] of PROBLEMS) {
        const lmax = groupLassoLambdaMax(prob.data, { q: 2 });
        const at = m.fit(prob.data, { lambda: lmax });
        assert.equal(at.nonzeroRows, 0);
        assert.ok(at.converged && at.certificate === 0);
        const below = m.fit(prob.data, { lambda: 0.99 * lmax });
        assert.ok(below.converged && below.nonzeroRows > 0);
      }
    });

    it('rejects bad input with named errors', () => {
      const D = PROBLEMS[0][1].data;
      assert.throws(() => m.fit(D, { lambda: 0 }), (e: Error) => e instanceof RangeError && /lambda/.test(e.message));
      assert.throws(() => m.fit(D, { lambda: -1 }), (e: Error) => e instanceof RangeError && /lambda/.test(e.message));
      const bad = 'gamma' in m.inf ? { gamma: 1 } : { a: 2 };
      const key = Object.keys(bad)[0]!;
      assert.throws(() => m.fit(D, bad), (e: Error) => e instanceof RangeError && e.message.startsWith(`${key}:`));
      assert.throws(() => m.fit(D, { lamda: 1 }), (e: Error) => e instanceof RangeError && /lambda/.test(e.message));
      assert.throws(() => m.fit(D, { warmStart: { rows: 2, cols: 2, data: new Float64Array(4) } }), (e: Error) => /warmStart/.test(e.message));
    });
  });
}

describe('non-convex rows: the MCP row step is exact for γL_j ≤ 1 too', () => {
  it('converges to a certified stationary point with γ close to 1 (some rows have γL_j < 1)', () => {
    const D = sharedProblem(30, 8, 3, 2, 43).data;
    const lambda = 0.3 * groupLassoLambdaMax(D, { q: 2 });
    const fit = blockMcp(D, { lambda, gamma: 1.05, tol: 1e-10 });
    assert.equal(fit.status, 'converged');
    assert.ok(stationarity(D, fit.W, fit.intercepts, lambda, mcp(lambda, 1.05).dp) <= 1e-8 * fit.lambdaMax);
  });
});

describe('non-convex rows: capped ℓ1 by the multi-stage relaxation', () => {
  const l1 = (w: number[]): number => w.reduce((a, x) => a + Math.abs(x), 0);
  for (const [label, prob] of PROBLEMS) {
    it(`certifies every stage by its duality gap, F never increases across stages, stationary at the end (${label})`, () => {
      const D = prob.data, lmax = groupLassoLambdaMax(D, { q: 1 });
      for (const theta of [0.3, 1, 3]) {
        const lambda = 0.1 * lmax;
        const fit = cappedL1(D, { lambda, theta, tol: 1e-10 });
        assert.equal(fit.status, 'converged');
        assert.ok(fit.local && fit.converged && fit.stages.length >= 1);
        for (const st of fit.stages) assert.ok(st.certified && st.gap <= 1e-10 * fit.objectiveAtZero, `stage gap ${st.gap}`);
        for (let k = 1; k < fit.stages.length; k++) {
          assert.ok(fit.stages[k]!.objective <= fit.stages[k - 1]!.objective + 1e-9 * fit.objectiveAtZero, `F rose at stage ${k}`);
        }
        assert.ok(Math.abs(fit.stages[fit.stages.length - 1]!.objective - fit.objective) <= 1e-12 * fit.objective);
        // stationarity of F recomputed from the raw-data gradient
        const V = negGradient(D, fit.W, fit.intercepts, 'mean'), { d, T } = D;
        let s = 0;
        for (let j = 0; j < d; j++) {
          const w = Array.from(fit.W.data.subarray(j * T, j * T + T)), v = Array.from(V.subarray(j * T, j * T + T));
          const r = l1(w);
          const e = r > theta ? Math.hypot(...v) : Math.hypot(...v.map((z, t) => (w[t] !== 0 ? z - lambda * Math.sign(w[t]!) : Math.max(0, Math.abs(z) - lambda))));
          s = Math.max(s, e);
        }
        assert.ok(s <= 1e-6 * lmax && Math.abs(s - fit.stationarity) <= 1e-8 * lmax, `stationarity ${s} vs reported ${fit.stationarity}`);
        const F = mathjsObjective(D, fit.W, fit.intercepts, () => 0, (w) => lambda * Math.min(l1(w), theta));
        assert.ok(Math.abs(F - fit.objective) <= 1e-10 * F && Math.abs(cappedL1Objective(D, fit.W, { lambda, theta }, fit.intercepts) - F) <= 1e-10 * F);
      }
    });
  }

  it('certifies stages with more capped (unpenalised) rows than observations (a singular Hessian block)', () => {
    const D = sharedProblem(20, 50, 3, 5, 7).data, lmax = groupLassoLambdaMax(D, { q: 1 });
    const fit = cappedL1(D, { lambda: 0.05 * lmax, theta: 0.05, tol: 1e-9 });
    assert.equal(fit.status, 'converged');
    assert.ok(fit.cappedRows > 20, `capped rows ${fit.cappedRows}`);
    for (const st of fit.stages) assert.ok(st.gap <= 1e-9 * fit.objectiveAtZero, `stage gap ${st.gap}`);
    const V = negGradient(D, fit.W, fit.intercepts, 'mean');
    // every capped row is unpenalised at the end: its gradient vanishes
    for (let j = 0; j < D.d; j++) {
      const w = Array.from(fit.W.data.subarray(j * 3, j * 3 + 3));
      if (w.reduce((a, x) => a + Math.abs(x), 0) > 0.05) assert.ok(Math.hypot(...V.subarray(j * 3, j * 3 + 3)) <= 1e-6 * lmax);
    }
  });

  it('with θ = ∞ is the L1/L1 group lasso (one stage, same W to 1e-8)', () => {
    for (const [, prob] of PROBLEMS) {
      const D = prob.data, lambda = 0.1 * groupLassoLambdaMax(D, { q: 1 });
      const gl = groupLasso(D, { lambda, q: 1, tol: 1e-14 });
      const fit = cappedL1(D, { lambda, theta: Infinity, tol: 1e-13 });
      assert.equal(fit.stages.length, 1);
      let diff = 0;
      for (let i = 0; i < gl.W.data.length; i++) diff = Math.max(diff, Math.abs(gl.W.data[i]! - fit.W.data[i]!));
      assert.ok(diff <= 1e-8, `max |ΔW| = ${diff}`);
    }
  });

  it('gives W = 0 at λ_max (of the L1/L1 lasso) and not just below; named errors', () => {
    const D = PROBLEMS[0][1].data, lmax = groupLassoLambdaMax(D, { q: 1 });
    assert.equal(cappedL1(D, { lambda: lmax, theta: 1 }).nonzeroRows, 0);
    assert.ok(cappedL1(D, { lambda: 0.99 * lmax, theta: 1 }).nonzeroRows > 0);
    assert.throws(() => cappedL1(D, { lambda: 0, theta: 1 }), (e: Error) => e instanceof RangeError && /^lambda:/.test(e.message));
    assert.throws(() => cappedL1(D, { lambda: 1, theta: 0 }), (e: Error) => e instanceof RangeError && /^theta:/.test(e.message));
    assert.throws(() => cappedL1(D, { lambda: 1, theta: 1, thetaa: 2 } as never), (e: Error) => e instanceof RangeError && /theta/.test(e.message));
  });
});

describe('non-convex rows: multi-level lasso', () => {
  for (const [label, prob] of PROBLEMS) {
    it(`the W and (θ, Γ) objectives agree at the solution, which is block-stationary in (θ, Γ) (${label})`, () => {
      const D = prob.data, lm = groupLassoLambdaMax(D, { q: 1 }), { d, T } = D;
      for (const [a, b] of [[0.1, 0.1], [0.01, 0.2], [0.5, 0.05]] as const) {
        const lambda1 = a * lm, lambda2 = b * lm;
        const fit = multiLevelLasso(D, { lambda1, lambda2, tol: 1e-9 });
        assert.equal(fit.status, 'converged');
        assert.ok(fit.local && fit.certificateKind === 'stationarity' && fit.certificate <= 1e-9 * fit.gradientScale);
        for (const st of fit.stages) assert.ok(st.certified);
        for (let k = 1; k < fit.stages.length; k++) assert.ok(fit.stages[k]!.objective <= fit.stages[k - 1]!.objective * (1 + 1e-12), `F rose at stage ${k}`);
        const p = { lambda1, lambda2 };
        const Ff = multiLevelLassoFactorObjective(D, fit.theta, fit.gamma, p, fit.intercepts);
        const Fw = mathjsObjective(D, fit.W, fit.intercepts, () => 0, (w) => 2 * Math.sqrt(lambda1 * lambda2 * w.reduce((x, y) => x + Math.abs(y), 0)));
        assert.ok(Math.abs(Ff - fit.objective) <= 1e-12 * Ff && Math.abs(Fw - fit.objective) <= 1e-10 * Fw, `${Ff} ${Fw} ${fit.objective}`);
        assert.ok(Math.abs(multiLevelLassoObjective(D, fit.W, p, fit.intercepts) - Fw) <= 1e-10 * Fw);
        // stationarity of each block of the factor objective, from the raw-data gradient G = ∇_W L:
        // Γ: |θ_j G_jt| ≤ λ₂ (γ_jt = 0), θ_j G_jt = −λ₂ sign(γ_jt);  θ_j > 0: Σ_t γ_jt G_jt + λ₁ = 0
        const V = negGradient(D, fit.W, fit.intercepts, 'mean');
        let eG = 0, eT = 0;
        for (let j = 0; j < d; j++) {
          const th = fit.theta[j]!;
          let sT = lambda1;
          for (let t = 0; t < T; t++) {
            const g = fit.gamma.data[j * T + t]!, z = th * V[j * T + t]!;
            eG = Math.max(eG, g !== 0 ? Math.abs(z - lambda2 * Math.sign(g)) : Math.max(0, Math.abs(z) - lambda2));
            sT -= g * V[j * T + t]!;
          }
          if (th > 0) eT = Math.max(eT, Math.abs(sT));
        }
        assert.ok(eG <= 1e-7 * lm && eT <= 1e-7 * lm, `block residuals Γ ${eG}, θ ${eT}`);
        // the returned factors are the balanced ones: rescaling a row (θ_j s, γ^j/s) raises the factor objective
        const j0 = fit.theta.findIndex((x) => x > 0);
        for (const sc of [0.9, 1.1]) {
          const th2 = Float64Array.from(fit.theta), g2 = Float64Array.from(fit.gamma.data);
          th2[j0] = th2[j0]! * sc;
          for (let t = 0; t < T; t++) g2[j0 * T + t] = g2[j0 * T + t]! / sc;
          assert.ok(multiLevelLassoFactorObjective(D, th2, { rows: d, cols: T, data: g2 }, p, fit.intercepts) > Ff);
        }
      }
    });
  }

  it('gives W = 0 when λ₂ ≥ the lasso λ_max (its first stage) and not just below; named errors', () => {
    const D = PROBLEMS[0][1].data, lm = groupLassoLambdaMax(D, { q: 1 });
    assert.equal(multiLevelLasso(D, { lambda1: 0.1 * lm, lambda2: lm }).nonzeroRows, 0);
    assert.ok(multiLevelLasso(D, { lambda1: 0.001 * lm, lambda2: 0.99 * lm }).nonzeroRows > 0);
    assert.throws(() => multiLevelLasso(D, { lambda1: 0, lambda2: 1 }), (e: Error) => e instanceof RangeError && /^lambda1:/.test(e.message));
    assert.throws(() => multiLevelLasso(D, { lambda1: 1, lambda2: -1 }), (e: Error) => e instanceof RangeError && /^lambda2:/.test(e.message));
    assert.throws(() => multiLevelLasso(D, { lambda1: 1, lambda2: 1, lambda: 1 } as never), (e: Error) => e instanceof RangeError && /lambda/.test(e.message));
  });
});
