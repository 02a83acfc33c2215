// The ADMM route of the decomposition models robust MTFL, robust MTL and sparse + low rank (#12): it
// agrees with the FISTA route run to 1e-12, on shared and per-task designs and on per-task designs of
// very different scales (School's difficulty); its gap bounds the true suboptimality; a capped run
// reports `converged: false` with the gap of the returned point; warm starts {P, Q}.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { robustMtfl, robustMtflObjective, robustMtflLambdaMax } from '../src/models/robustMtfl.js';
import { robustMtl, robustMtlObjective, robustMtlLambdaMax } from '../src/models/robustMtl.js';
import { sparseLowRank, sparseLowRankObjective, sparseLowRankLambdaMax } from '../src/models/sparseLowRank.js';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { nuclearNorm } from '../src/solvers/spectralTools.js';
import { admmAffordable } from '../src/solvers/decompositionAdmm.js';
import { sharedProblem, perTaskProblem } from './helpers/random.js';
import type { Mat } from '../src/types.js';

type Fit = { P: Mat; Q: Mat; W: Mat; objective: number; gap: number; objectiveAtZero: number; converged: boolean; status: string; iterations: number; intercepts: Float64Array; options: { solver: string };
  history: { iteration: number; certificate: number }[] };
type Fitter = (data: MultiTaskData, o: Record<string, unknown>) => Fit;

const maxAbs = (a: Float64Array): number => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const maxDiff = (a: Float64Array, b: Float64Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

/** Per-task designs with task t's features scaled by scales[t] (tasks of very different curvature). */
function scaledTasks(scales: readonly number[], seed: number): MultiTaskData {
  const base = perTaskProblem([30, 40, 25, 35], 7, 2, seed);
  return MultiTaskData.fromTasks(base.data.tasks.map((tk, t) => ({
    X: { rows: tk.n, cols: tk.X.length / tk.n, data: tk.X.map((x) => x * scales[t]!) }, y: Float64Array.from(tk.y),
  })));
}

/** Each model with its evaluator and λ's as fractions of λ_max (so both parts are active). */
const MODELS: { name: string; fit: Fitter; weights: (D: MultiTaskData) => Record<string, number>; obj: (D: MultiTaskData, f: Fit) => number }[] = [
  {
    name: 'robust MTFL', fit: robustMtfl as never,
    weights: (D) => { const m = robustMtflLambdaMax(D); return { lambda1: 0.3 * m.lambda1, lambda2: 0.5 * m.lambda2 }; },
    obj: (D, f) => robustMtflObjective(D, f.P, f.Q, f.options as never, f.intercepts),
  },
  {
    name: 'robust MTL', fit: robustMtl as never,
    weights: (D) => { const m = robustMtlLambdaMax(D); return { lambda1: 0.3 * m.lambda1, lambda2: 0.5 * m.lambda2 }; },
    obj: (D, f) => robustMtlObjective(D, f.P, f.Q, f.options as never, f.intercepts),
  },
  {
    name: 'sparse + low rank', fit: sparseLowRank as never,
    weights: (D) => { const m = sparseLowRankLambdaMax(D); return { lambda1: 0.4 * m.lambda1, lambda2: 0.3 * m.lambda2 }; },
    obj: (D, f) => sparseLowRankObjective(D, f.P, f.Q, f.options as never, f.intercepts),
  },
  {
    name: 'sparse + low rank, ‖Q‖_* ≤ τ', fit: sparseLowRank as never,
    weights: (D) => {
      const m = sparseLowRankLambdaMax(D);
      const free = sparseLowRank(D, { lambda1: 0.4 * m.lambda1, lambda2: 0.1 * m.lambda2, tol: 1e-8 });
      return { lambda1: 0.4 * m.lambda1, tau: 0.5 * nuclearNorm(free.Q) }; // an active ball
    },
    obj: (D, f) => sparseLowRankObjective(D, f.P, f.Q, f.options as never, f.intercepts),
  },
];

const PROBLEMS: [string, () => MultiTaskData][] = [
  ['shared', () => sharedProblem(50, 8, 5, 3, 41).data],
  ['per-task', () => perTaskProblem([30, 40, 25, 35, 28], 7, 2, 42).data],
  ['per-task scales 1, 30, 0.05, 5', () => scaledTasks([1, 30, 0.05, 5], 43)],
];

for (const m of MODELS) {
  describe(`decomposition ADMM: ${m.name}`, () => {
    for (const [label, make] of PROBLEMS) {
      it(`agrees with FISTA at tol 1e-12 to 1e-8, certified (${label})`, () => {
        const D = make();
        const o = m.weights(D);
        const ref = m.fit(D, { ...o, solver: 'fista', tol: 1e-12, maxIter: 400000 });
        const a = m.fit(D, { ...o, tol: 1e-11, maxIter: 20000 });
        assert.equal(a.options.solver, 'admm'); // the default for small Grams
        assert.equal(ref.options.solver, 'fista');
        assert.equal(a.status, 'converged', `gap ${a.gap} after ${a.iterations} iterations`);
        assert.ok(a.gap <= 1e-11 * a.objectiveAtZero);
        // the reference reaches its certificate, or is within 1e-10 of F(0) (its gap bounds its suboptimality)
        assert.ok(ref.gap <= 1e-10 * ref.objectiveAtZero, `FISTA gap ${ref.gap}`);
        assert.ok(Math.abs(a.objective - ref.objective) <= 1e-8 * ref.objective, `${a.objective} vs ${ref.objective}`);
        assert.ok(maxDiff(a.W.data, ref.W.data) <= 1e-3 * (1 + maxAbs(ref.W.data)), `W differs by ${maxDiff(a.W.data, ref.W.data)}`);
        const F = m.obj(D, a); // the evaluator, from first principles
        assert.ok(Math.abs(F - a.objective) <= 1e-10 * F, `${F} vs ${a.objective}`);
      });
    }

    it('its gap bounds the true suboptimality along the run; a capped run reports converged: false with the gap of its point', () => {
      const D = PROBLEMS[2]![1]();
      const o = m.weights(D);
      const star = m.fit(D, { ...o, solver: 'fista', tol: 1e-12, maxIter: 400000 }).objective;
      for (const cap of [3, 20, 60]) {
        const a = m.fit(D, { ...o, tol: 1e-14, maxIter: cap });
        assert.equal(a.status, 'max-iterations');
        assert.ok(!a.converged && Number.isFinite(a.gap) && a.gap > 0, `gap ${a.gap}`);
        assert.equal(a.iterations, cap);
        const F = m.obj(D, a);
        assert.ok(Math.abs(F - a.objective) <= 1e-9 * F, 'the reported objective is that of the returned (P, Q)');
        assert.ok(F - star <= a.gap * (1 + 1e-9) + 1e-12 * star, `suboptimality ${F - star} > gap ${a.gap} (cap ${cap})`);
      }
    });

    it('warm starts {P, Q}: a converged fit restarts certified at once; a nearby fit starts closer', () => {
      const D = PROBLEMS[1]![1]();
      const o = m.weights(D);
      const a = m.fit(D, { ...o, tol: 1e-9 });
      const again = m.fit(D, { ...o, tol: 1e-9, warmStart: { P: a.P, Q: a.Q } });
      assert.equal(again.status, 'converged');
      assert.equal(again.iterations, 0);
      const key = 'lambda1';
      const near = m.fit(D, { ...o, [key]: o[key]! * 1.05, tol: 1e-9 });
      const cold = m.fit(D, { ...o, [key]: o[key]! * 1.1, tol: 1e-9 });
      const warm = m.fit(D, { ...o, [key]: o[key]! * 1.1, tol: 1e-9, warmStart: { P: near.P, Q: near.Q } });
      assert.equal(warm.status, 'converged');
      assert.ok(Math.abs(warm.objective - cold.objective) <= 1e-7 * cold.objective);
      // the start is used: the first certificate (at the start point, iteration 0) is the nearby fit's
      const first = (f: Fit): number => f.history[0]!.certificate;
      assert.equal(warm.history[0]!.iteration, 0);
      assert.ok(first(warm) < 0.1 * first(cold), `first gaps ${first(warm)} vs ${first(cold)}`);
    });
  });
}

describe('decomposition ADMM: the solver option', () => {
  it('FISTA when the Grams are too large; bad values named', () => {
    assert.equal(admmAffordable(28, 139, 139), true); // School
    assert.equal(admmAffordable(2000, 50, 50), false); // 50 eigendecompositions of 2000×2000
    assert.equal(admmAffordable(2000, 50, 1), false); // T·d² = 2e8 doubles of inverses
    const D = sharedProblem(30, 5, 3, 2, 44).data;
    assert.throws(() => robustMtfl(D, { lambda1: 0.1, lambda2: 0.1, solver: 'bcd' as never }), /solver: expected one of 'fista', 'admm'/);
    assert.throws(() => sparseLowRank(D, { lambda1: 0.1, tau: 1, solver: 'cd' as never }), /solver: expected one of 'fista', 'admm'/);
  });
});
