// The decomposition models (W = P + Q) and the temporal group lasso: certificates on random problems,
// reductions to the one-structure models as λ₂ → ∞ (and TGL with λ₂ = 0 = group lasso + ridge),
// W = 0 at λ_max, the evaluators against mathjs, named errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as math from 'mathjs';
import { DIRTY_AUTO_BCD_SWEEPS, dirty, dirtyObjective, dirtyLambdaMax } from '../src/models/dirty.js';
import { robustMtfl, robustMtflObjective, robustMtflLambdaMax } from '../src/models/robustMtfl.js';
import { robustMtl, robustMtlObjective, robustMtlLambdaMax } from '../src/models/robustMtl.js';
import { sparseLowRank, sparseLowRankObjective, sparseLowRankLambdaMax } from '../src/models/sparseLowRank.js';
import { temporalGroupLasso, temporalGroupLassoObjective } from '../src/models/temporalGroupLasso.js';
import { groupLasso } from '../src/models/groupLasso.js';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { traceNorm } from '../src/models/traceNorm.js';
import { thinSvd } from '../src/linalg/svd.js';
import { sharedProblem, perTaskProblem } from './helpers/random.js';

const maxAbs = (a: Float64Array): number => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const maxDiff = (a: Float64Array, b: Float64Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

const MODELS = [
  { name: 'dirty q = ∞', fit: (D: never, o: never) => dirty(D, o), obj: dirtyObjective, lmax: dirtyLambdaMax, extra: { q: Infinity } },
  { name: 'dirty q = 2', fit: (D: never, o: never) => dirty(D, o), obj: dirtyObjective, lmax: dirtyLambdaMax, extra: { q: 2 } },
  { name: 'robust MTFL', fit: (D: never, o: never) => robustMtfl(D, o), obj: robustMtflObjective, lmax: robustMtflLambdaMax, extra: {} },
  { name: 'robust MTL', fit: (D: never, o: never) => robustMtl(D, o), obj: robustMtlObjective, lmax: robustMtlLambdaMax, extra: {} },
  { name: 'sparse + low rank', fit: (D: never, o: never) => sparseLowRank(D, o), obj: sparseLowRankObjective, lmax: sparseLowRankLambdaMax, extra: {} },
] as const;

for (const m of MODELS) {
  describe(`decomposition model: ${m.name}`, () => {
    for (const [label, prob] of [['shared', sharedProblem(50, 8, 4, 3, 31)], ['per-task', perTaskProblem([30, 40, 25, 35], 7, 2, 32)]] as const) {
      it(`certifies its fit by the duality gap; the evaluator reproduces the objective (${label})`, () => {
        const lm = (m.lmax as (d: unknown, p: unknown) => { lambda1: number; lambda2: number })(prob.data, m.extra);
        const opts = { lambda1: 0.3 * lm.lambda1, lambda2: 0.5 * lm.lambda2, tol: 1e-9, ...m.extra };
        const fit = (m.fit as (d: unknown, o: unknown) => ReturnType<typeof dirty>)(prob.data, opts);
        assert.equal(fit.status, 'converged');
        assert.ok(fit.converged && fit.gap <= 1e-9 * fit.objectiveAtZero);
        const F = (m.obj as (...a: unknown[]) => number)(prob.data, fit.P, fit.Q, opts, fit.intercepts);
        assert.ok(Math.abs(F - fit.objective) <= 1e-10 * fit.objective, `${F} vs ${fit.objective}`);
        for (let i = 0; i < fit.W.data.length; i++) assert.ok(Math.abs(fit.W.data[i]! - fit.P.data[i]! - fit.Q.data[i]!) <= 1e-15 * (1 + Math.abs(fit.W.data[i]!)));
      });
    }

    it('W = 0 at λ_max of both blocks, not below', () => {
      const prob = sharedProblem(40, 6, 3, 2, 33);
      const lm = (m.lmax as (d: unknown, p: unknown) => { lambda1: number; lambda2: number })(prob.data, m.extra);
      const at = (m.fit as (d: unknown, o: unknown) => ReturnType<typeof dirty>)(prob.data, { lambda1: lm.lambda1 * (1 + 1e-9), lambda2: lm.lambda2 * (1 + 1e-9), ...m.extra });
      assert.equal(maxAbs(at.W.data), 0);
      assert.ok(at.converged);
      const below = (m.fit as (d: unknown, o: unknown) => ReturnType<typeof dirty>)(prob.data, { lambda1: 0.9 * lm.lambda1, lambda2: 0.9 * lm.lambda2, ...m.extra });
      assert.ok(maxAbs(below.W.data) > 0);
    });

    it('names bad input', () => {
      const prob = sharedProblem(20, 3, 2, 1, 34);
      const f = m.fit as (d: unknown, o: unknown) => unknown;
      assert.throws(() => f(prob.data, { lambda1: -1, lambda2: 0.1 }), /lambda1: expected a finite number ≥ 0, got -1/);
      assert.throws(() => f(prob.data, { lambda1: 0.1 }), /the option lambda2 is required/);
      assert.throws(() => f(prob.data, { lambda1: 0.1, lambda2: 0.1, lamda2: 1 }), /unknown option 'lamda2' \(did you mean lambda2\?\)/);
      assert.throws(() => f(prob.data, { lambda1: 0.1, lambda2: 0.1, warmStart: { P: [[1]], Q: [[1]] } }), /warmStart\.P: expected a d×T = 3×2 matrix, got 1×1/);
    });
  });
}

describe('decompositions reduce to their one-structure model as λ₂ → ∞', () => {
  const prob = perTaskProblem([40, 30, 45], 6, 2, 35);
  it('dirty → group lasso (q = ∞ and 2); robust MTFL → group lasso q = 2', () => {
    for (const q of [Infinity, 2]) {
      const lm = dirtyLambdaMax(prob.data, { q });
      const gl = groupLasso(prob.data, { lambda: 0.3 * lm.lambda1, q, tol: 1e-12 });
      const dm = dirty(prob.data, { lambda1: 0.3 * lm.lambda1, lambda2: 1e3 * lm.lambda2, q, tol: 1e-12, maxIter: 100000 });
      assert.equal(maxAbs(dm.Q.data), 0);
      assert.ok(maxDiff(dm.W.data, gl.W.data) <= 1e-6 * (1 + maxAbs(gl.W.data)), `${maxDiff(dm.W.data, gl.W.data)}`);
    }
    const lm = robustMtflLambdaMax(prob.data);
    const gl = groupLasso(prob.data, { lambda: 0.3 * lm.lambda1, q: 2, tol: 1e-12 });
    const rm = robustMtfl(prob.data, { lambda1: 0.3 * lm.lambda1, lambda2: 1e3 * lm.lambda2, tol: 1e-12, maxIter: 100000 });
    assert.equal(maxAbs(rm.Q.data), 0);
    assert.ok(maxDiff(rm.W.data, gl.W.data) <= 1e-6 * (1 + maxAbs(gl.W.data)));
  });
  it('robust MTL → trace norm; sparse + low rank → lasso (group lasso q = 1)', () => {
    const lm = robustMtlLambdaMax(prob.data);
    const tn = traceNorm(prob.data, { lambda: 0.3 * lm.lambda1, tol: 1e-12 });
    const rm = robustMtl(prob.data, { lambda1: 0.3 * lm.lambda1, lambda2: 1e3 * lm.lambda2, tol: 1e-12, maxIter: 100000 });
    assert.equal(maxAbs(rm.Q.data), 0);
    assert.ok(maxDiff(rm.W.data, tn.W.data) <= 1e-6 * (1 + maxAbs(tn.W.data)));
    const sm = sparseLowRankLambdaMax(prob.data);
    const la = groupLasso(prob.data, { lambda: 0.3 * sm.lambda1, q: 1, tol: 1e-12 });
    const sl = sparseLowRank(prob.data, { lambda1: 0.3 * sm.lambda1, lambda2: 1e3 * sm.lambda2, tol: 1e-12, maxIter: 100000 });
    assert.equal(maxAbs(sl.Q.data), 0);
    assert.ok(maxDiff(sl.W.data, la.W.data) <= 1e-6 * (1 + maxAbs(la.W.data)));
  });
});

describe('dirty objective against mathjs', () => {
  it('equals a mathjs recomputation from the raw rows', () => {
    const prob = sharedProblem(15, 4, 3, 2, 36);
    const fit = dirty(prob.data, { lambda1: 0.05, lambda2: 0.02, lossScale: 'sum' });
    const X = math.matrix(Array.from({ length: 15 }, (_, i) => Array.from(prob.data.X!.subarray(i * 4, i * 4 + 4))));
    const Y = math.matrix(Array.from({ length: 15 }, (_, i) => Array.from(prob.data.Y!.subarray(i * 3, i * 3 + 3))));
    const toM = (a: Float64Array) => math.matrix(Array.from({ length: 4 }, (_, j) => Array.from(a.subarray(j * 3, j * 3 + 3))));
    const W = math.add(toM(fit.P.data), toM(fit.Q.data));
    const B = math.multiply(math.ones(15, 1), math.matrix([Array.from(fit.intercepts)]));
    const R = math.subtract(math.subtract(Y, math.multiply(X, W)), B) as math.Matrix;
    const loss = 0.5 * (math.sum(math.dotMultiply(R, R)) as number);
    const P = toM(fit.P.data).toArray() as number[][];
    const rows = P.reduce((s, r) => s + Math.max(...r.map(Math.abs)), 0);
    const l1 = (toM(fit.Q.data).toArray() as number[][]).flat().reduce((s, x) => s + Math.abs(x), 0);
    const want = loss + 0.05 * rows + 0.02 * l1;
    assert.ok(Math.abs(want - fit.objective) <= 1e-10 * want, `${want} vs ${fit.objective}`);
  });
});

describe('temporal group lasso', () => {
  const prob = perTaskProblem([30, 35, 40, 30, 45], 6, 3, 37);
  it('with λ₂ = 0 equals the group lasso with ridge λ₁', () => {
    const tg = temporalGroupLasso(prob.data, { lambda1: 0.05, lambda2: 0, lambda3: 0.08, tol: 1e-12, maxIter: 100000 });
    const gl = groupLasso(prob.data, { lambda: 0.08, ridge: 0.05, q: 2, tol: 1e-12 });
    assert.equal(tg.certificateKind, 'duality-gap');
    assert.ok(tg.converged);
    assert.ok(maxDiff(tg.W.data, gl.W.data) <= 1e-6 * (1 + maxAbs(gl.W.data)));
  });
  it('with λ₂ > 0: certified fixed point, objective by the evaluator, smoother than without', () => {
    const o = { lambda1: 0.01, lambda2: 0.5, lambda3: 0.02, tol: 1e-9 };
    const tg = temporalGroupLasso(prob.data, o);
    assert.equal(tg.status, 'converged');
    assert.ok(tg.certificate <= tg.tolAbs);
    const F = temporalGroupLassoObjective(prob.data, tg.W, o, tg.intercepts);
    assert.ok(Math.abs(F - tg.objective) <= 1e-10 * F);
    const rough = temporalGroupLasso(prob.data, { ...o, lambda2: 0 });
    const diff = (w: Float64Array) => { let s = 0; for (let j = 0; j < 6; j++) for (let t = 0; t < 4; t++) s += (w[j * 5 + t]! - w[j * 5 + t + 1]!) ** 2; return s; };
    assert.ok(diff(tg.W.data) < diff(rough.W.data));
    assert.throws(() => temporalGroupLasso(prob.data, { lambda2: 0.1, lambda3: 0.1, lambda: 1 } as never), /unknown option 'lambda'/);
  });
});

describe('sparse + low rank, constrained form ‖Q‖_* ≤ τ (MALSAR Least_SparseTrace)', () => {
  const prob = perTaskProblem([40, 30, 45, 35], 6, 2, 35);
  const nuclear = (Q: { rows: number; cols: number; data: Float64Array }): number => Array.from(thinSvd(Q).s).reduce((a, b) => a + b, 0);
  it('τ = ‖Q*‖_* of a penalised fit (λ₂) gives the same W; its objective drops λ₂‖Q‖_*; the gap certifies it', () => {
    const pen = sparseLowRank(prob.data, { lambda1: 0.05, lambda2: 0.03, tol: 1e-12, maxIter: 100000 });
    const nuc = nuclear(pen.Q);
    assert.ok(nuc > 0.1, 'Q ≠ 0 at these weights');
    const con = sparseLowRank(prob.data, { lambda1: 0.05, tau: nuc, tol: 1e-12, maxIter: 100000 });
    assert.equal(con.status, 'converged');
    assert.ok(con.gap <= 1e-12 * con.objectiveAtZero);
    assert.ok(maxDiff(con.W.data, pen.W.data) <= 1e-6 * (1 + maxAbs(pen.W.data)), `${maxDiff(con.W.data, pen.W.data)}`);
    assert.ok(Math.abs(con.objective + 0.03 * nuc - pen.objective) <= 1e-9 * pen.objective);
    assert.ok(nuclear(con.Q) <= nuc * (1 + 1e-12));
    assert.deepEqual([con.options.tau, con.options.lambda2], [nuc, null]);
    const F = sparseLowRankObjective(prob.data, con.P, con.Q, con.options, con.intercepts);
    assert.ok(Math.abs(F - con.objective) <= 1e-10 * F);
    assert.equal(sparseLowRankObjective(prob.data, con.P, pen.Q, { lambda1: 0.05, tau: 0.5 * nuc }, con.intercepts), Infinity);
  });
  it('τ = 0 is the lasso on P', () => {
    const lm = sparseLowRankLambdaMax(prob.data);
    const la = groupLasso(prob.data, { lambda: 0.3 * lm.lambda1, q: 1, tol: 1e-12 });
    const con = sparseLowRank(prob.data, { lambda1: 0.3 * lm.lambda1, tau: 0, tol: 1e-12, maxIter: 100000 });
    assert.equal(maxAbs(con.Q.data), 0);
    assert.ok(con.converged);
    assert.ok(maxDiff(con.W.data, la.W.data) <= 1e-6 * (1 + maxAbs(la.W.data)));
  });
  it('τ large (inactive) is the λ₂ = 0 limit: W = the least-squares fit, P = 0', () => {
    const p = sharedProblem(30, 4, 3, 2, 38);
    const X = math.matrix(Array.from({ length: 30 }, (_, i) => Array.from(p.data.X!.subarray(i * 4, i * 4 + 4))));
    const Y = math.matrix(Array.from({ length: 30 }, (_, i) => Array.from(p.data.Y!.subarray(i * 3, i * 3 + 3))));
    const Xt = math.transpose(X);
    const Wls = Float64Array.from((math.multiply(math.inv(math.multiply(Xt, X)), math.multiply(Xt, Y)) as math.Matrix).toArray().flat() as number[]);
    const con = sparseLowRank(p.data, { lambda1: 0.1, tau: 10 * nuclear({ rows: 4, cols: 3, data: Wls }), fitIntercept: false, tol: 1e-13, maxIter: 100000 });
    assert.ok(con.converged);
    assert.ok(maxDiff(con.W.data, Wls) <= 1e-6 * (1 + maxAbs(Wls)), `${maxDiff(con.W.data, Wls)}`);
    assert.ok(maxAbs(con.P.data) <= 1e-6);
  });
  it('the gap bounds the true suboptimality (against a tight second solve)', () => {
    const o = { lambda1: 0.05, tau: 2 };
    const tight = sparseLowRank(prob.data, { ...o, tol: 1e-13, maxIter: 100000 });
    for (const maxIter of [2, 8, 30]) {
      const loose = sparseLowRank(prob.data, { ...o, maxIter });
      const sub = loose.objective - tight.objective;
      assert.ok(Number.isFinite(loose.gap) && sub >= -1e-12 * tight.objective && sub <= loose.gap * (1 + 1e-9) + 1e-13 * tight.objective, `${sub} vs gap ${loose.gap}`);
    }
  });
  it('names bad τ', () => {
    assert.throws(() => sparseLowRank(prob.data, { lambda1: 0.1, tau: -1 }), /tau: expected a finite number ≥ 0, got -1/);
    assert.throws(() => sparseLowRank(prob.data, { lambda1: 0.1, tau: Infinity }), /tau: expected a finite number ≥ 0/);
    assert.throws(() => sparseLowRank(prob.data, { lambda1: 0.1, tau: 1, lambda2: 1 } as never), /give lambda2 \(penalised form\) or tau \(constrained form ‖Q‖_\* ≤ τ\), not both/);
    assert.throws(() => sparseLowRank(prob.data, { lambda1: 0.1 } as never), /the option lambda2 is required/);
    assert.throws(() => sparseLowRank(prob.data, { lambda1: 0.1, tau: 1, taw: 2 } as never), /unknown option 'taw' \(did you mean tau\?\)/);
  });
});

describe('dirty model: the BCD route against the FISTA route', () => {
  for (const [label, prob] of [['shared', sharedProblem(50, 8, 4, 3, 31)], ['per-task', perTaskProblem([30, 40, 25, 35], 7, 2, 32)]] as const) {
    for (const q of [Infinity, 2]) {
      it(`same objective to 1e-8 relative, both certified (${label}, q = ${q})`, () => {
        const lm = dirtyLambdaMax(prob.data, { q });
        const o = { lambda1: 0.3 * lm.lambda1, lambda2: 0.5 * lm.lambda2, q, tol: 1e-11, maxIter: 100000 };
        const a = dirty(prob.data, { ...o, solver: 'fista' }), b = dirty(prob.data, { ...o, solver: 'bcd' });
        assert.equal(b.status, 'converged');
        assert.equal(b.options.solver, 'bcd');
        assert.equal(a.options.solver, 'fista');
        const c = dirty(prob.data, o); // the default: BCD, then ADMM if BCD has not converged in 30 sweeps
        assert.equal(c.options.solver, 'auto');
        assert.ok(c.converged && c.gap <= 1e-11 * c.objectiveAtZero);
        assert.ok(Math.abs(a.objective - c.objective) <= 1e-8 * a.objective, `${a.objective} vs ${c.objective}`);
        assert.ok(b.gap <= 1e-11 * b.objectiveAtZero);
        assert.ok(Math.abs(a.objective - b.objective) <= 1e-8 * a.objective, `${a.objective} vs ${b.objective}`);
        assert.ok(maxDiff(a.W.data, b.W.data) <= 1e-4 * (1 + maxAbs(a.W.data)));
        const F = dirtyObjective(prob.data, b.P, b.Q, b.options, b.intercepts);
        assert.ok(Math.abs(F - b.objective) <= 1e-10 * F);
      });
    }
  }
  it('per-task designs of very different scales: the P row step uses each task\'s curvature, and BCD converges (#12)', () => {
    // with one step 1/max_t L_jt the tasks of small scale barely moved: the gap stalled (School: ≈ 2500 after 20000 epochs)
    const base = perTaskProblem([30, 40, 25, 35], 7, 2, 34);
    const scales = [1, 30, 0.05, 5];
    const tasks = base.data.tasks.map((tk, t) => ({
      X: { rows: tk.n, cols: tk.X.length / tk.n, data: tk.X.map((x) => x * scales[t]!) }, y: Float64Array.from(tk.y),
    }));
    const data = MultiTaskData.fromTasks(tasks);
    const lm = dirtyLambdaMax(data);
    const o = { lambda1: 0.2 * lm.lambda1, lambda2: 0.3 * lm.lambda2, tol: 1e-10 };
    const b = dirty(data, { ...o, solver: 'bcd', maxIter: 3000 });
    assert.equal(b.status, 'converged', `gap ${b.gap} after ${b.iterations} epochs`);
    const a = dirty(data, { ...o, solver: 'fista', maxIter: 200000 });
    assert.equal(a.status, 'converged');
    assert.ok(Math.abs(a.objective - b.objective) <= 1e-8 * a.objective, `${a.objective} vs ${b.objective}`);
    // at smaller weights BCD needs more than DIRTY_AUTO_BCD_SWEEPS sweeps: 'auto' turns to ADMM from BCD's
    // point and reaches the same optimum
    const o2 = { lambda1: 0.05 * lm.lambda1, lambda2: 0.075 * lm.lambda2, tol: 1e-10 };
    const b2 = dirty(data, { ...o2, solver: 'bcd', maxIter: 5000 }), a2 = dirty(data, { ...o2, solver: 'fista', maxIter: 400000 });
    assert.ok(b2.converged && a2.converged && b2.iterations > DIRTY_AUTO_BCD_SWEEPS, `BCD: ${b2.iterations} sweeps`);
    const c = dirty(data, o2);
    assert.ok(c.converged && c.iterations > DIRTY_AUTO_BCD_SWEEPS, `auto: ${c.status} after ${c.iterations}`);
    assert.ok(Math.abs(a2.objective - c.objective) <= 1e-8 * a2.objective, `${a2.objective} vs ${c.objective}`);
    assert.ok(c.history.every((h, i) => i === 0 || h.iteration > c.history[i - 1]!.iteration), 'history in order across the switch');
    // capped after the switch: not converged, and its finite gap bounds the suboptimality
    const short = dirty(data, { ...o2, tol: 1e-15, maxIter: DIRTY_AUTO_BCD_SWEEPS + 5 });
    assert.ok(short.status === 'max-iterations' && !short.converged && Number.isFinite(short.gap));
    assert.equal(short.iterations, DIRTY_AUTO_BCD_SWEEPS + 5);
    assert.ok(dirtyObjective(data, short.P, short.Q, short.options, short.intercepts) - a2.objective <= short.gap * (1 + 1e-9) + 1e-12 * a2.objective);
  });
  it('reports an unconverged run with its finite gap; W = 0 at λ_max; a bad solver is named', () => {
    const prob = sharedProblem(40, 6, 3, 2, 33);
    const lm = dirtyLambdaMax(prob.data);
    const short = dirty(prob.data, { lambda1: 0.1 * lm.lambda1, lambda2: 0.1 * lm.lambda2, solver: 'bcd', maxIter: 1, tol: 1e-14 });
    assert.equal(short.status, 'max-iterations');
    assert.ok(!short.converged && Number.isFinite(short.gap) && short.gap > 0);
    const at = dirty(prob.data, { lambda1: lm.lambda1 * (1 + 1e-9), lambda2: lm.lambda2 * (1 + 1e-9), solver: 'bcd' });
    assert.equal(maxAbs(at.W.data), 0);
    assert.ok(at.converged);
    assert.throws(() => dirty(prob.data, { lambda1: 1, lambda2: 1, solver: 'cd' as never }), /solver: expected one of 'auto', 'fista', 'bcd', 'admm'/);
  });
});
