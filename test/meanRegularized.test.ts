// Tests of mean-regularized MTL (src/models/meanRegularized.ts): the exact structured solver against
// FISTA, the A ↔ B parameter relation, the gradient and the objective evaluator (against mathjs).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as math from 'mathjs';
import {
  meanRegularized, meanRegularizedObjective, meanRegularizedGradient, meanRegularizedWeights,
} from '../src/models/meanRegularized.js';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import type { Mat } from '../src/types.js';
import { mulberry32, normal, relatedTasks, relMaxDiff } from './helpers/taskRelationsData.js';

const perTask = relatedTasks({ d: 8, T: 6, n: [15, 22, 9, 30, 12, 18], seed: 3, offsets: true });
const shared = relatedTasks({ d: 10, T: 7, n: 40, seed: 5, shared: true, offsets: true });
const missing = relatedTasks({ d: 6, T: 5, n: 30, seed: 9, shared: true, missing: 0.3, offsets: true });
const wide = relatedTasks({ d: 20, T: 5, n: 8, seed: 11 }); // n_t < d: singular task Grams

describe('meanRegularized: exact solve vs FISTA', () => {
  const cases = [
    ['per-task, form A', perTask.data, { form: 'A' as const, rho: 0.5, lambda: 3 }],
    ['per-task, form B μ=0', perTask.data, { form: 'B' as const, lambda: 0.05 }],
    ['per-task, form B μ>0', perTask.data, { form: 'B' as const, lambda: 0.05, mu: 0.2 }],
    ['shared, form A λ<1', shared.data, { form: 'A' as const, rho: 2, lambda: 0.3 }],
    ['shared, form B μ=0', shared.data, { form: 'B' as const, lambda: 0.02, lossScale: 'sum' as const }],
    ['shared+missing, form B', missing.data, { form: 'B' as const, lambda: 0.1, mu: 0.05, lossScale: 'task-mean' as const }],
    ['wide (n_t < d), form B μ=0', wide.data, { form: 'B' as const, lambda: 0.05 }],
    ['no intercept, form A', perTask.data, { form: 'A' as const, rho: 0.3, lambda: 2, fitIntercept: false }],
  ] as const;
  for (const [name, data, params] of cases) {
    it(name, () => {
      const ex = meanRegularized(data, { ...params, tol: 1e-12 });
      const fi = meanRegularized(data, { ...params, solver: 'fista', tol: 1e-12, maxIter: 50000 });
      assert.equal(ex.options.solverUsed, 'exact');
      assert.ok(ex.converged, `exact certificate ${ex.certificate} scale ${ex.certificateScale}`);
      assert.ok(fi.converged, `fista certificate ${fi.certificate} after ${fi.iterations}`);
      assert.ok(ex.certificate <= 1e-12 * ex.certificateScale);
      assert.ok(relMaxDiff(ex.W.data, fi.W.data) < 1e-8, `W differ by ${relMaxDiff(ex.W.data, fi.W.data)}`);
      assert.ok(Math.abs(ex.objective - fi.objective) <= 1e-10 * Math.abs(ex.objective));
      assert.ok(relMaxDiff(ex.intercepts, fi.intercepts) < 1e-8);
      assert.equal(ex.certificateKind, 'fixed-point-residual');
    });
  }
});

describe('meanRegularized: degenerate parameters', () => {
  it('α = p_dev = 0 solves exactly when every task Gram is definite, else falls back to FISTA', () => {
    for (const p of [{ form: 'A' as const, rho: 1, lambda: 0 }, { form: 'B' as const, lambda: 0, mu: 1 }]) {
      const ex = meanRegularized(perTask.data, { ...p, tol: 1e-12 });
      const fi = meanRegularized(perTask.data, { ...p, solver: 'fista', tol: 1e-12, maxIter: 20000 });
      assert.equal(ex.options.solverUsed, 'exact');
      assert.ok(ex.converged && fi.converged);
      assert.ok(relMaxDiff(ex.W.data, fi.W.data) < 1e-8);
      const wideFit = meanRegularized(wide.data, p); // n_t < d: H_t singular, A_t = H_t not factorable
      assert.equal(wideFit.options.solverUsed, 'fista');
      assert.ok(wideFit.converged && wideFit.certificate <= 1e-10 * wideFit.certificateScale);
    }
  });
});

describe('meanRegularized: the two backends of the exact solver agree', () => {
  it('shared design (eigen backend) = the same data split per task (Cholesky backend)', () => {
    for (const params of [{ form: 'A' as const, rho: 1, lambda: 4 }, { form: 'B' as const, lambda: 0.03 }]) {
      const a = meanRegularized(shared.data, params);
      const b = meanRegularized(shared.data.toTasks(), params);
      assert.ok(relMaxDiff(a.W.data, b.W.data) < 1e-10, `${relMaxDiff(a.W.data, b.W.data)}`);
      assert.ok(Math.abs(a.objective - b.objective) <= 1e-12 * a.objective);
    }
  });
});

describe('meanRegularized: form A ↔ form B', () => {
  const D = perTask.data, T = D.T;
  it('minimising B over w₀ for fixed W gives A with ρ = λTμ/(λT+μ), ρλ_A/T = λ_B (random W, μ > 0)', () => {
    const g = normal(mulberry32(21));
    const W: Mat = { rows: D.d, cols: T, data: Float64Array.from({ length: D.d * T }, () => g()) };
    const b = Float64Array.from({ length: T }, () => g());
    const lamB = 0.07, mu = 0.4;
    const rho = (lamB * T * mu) / (lamB * T + mu), lamA = (lamB * T) / rho;
    const FA = meanRegularizedObjective(D, W, { form: 'A', rho, lambda: lamA }, b);
    // F_B at the minimising w₀ = λT w̄/(λT + μ)
    const wbar = new Float64Array(D.d);
    for (let j = 0; j < D.d; j++) { let s = 0; for (let t = 0; t < T; t++) s += W.data[j * T + t]!; wbar[j] = s / T; }
    const FBat = (w0: Float64Array): number => {
      const dW = Float64Array.from(W.data);
      for (let j = 0; j < D.d; j++) for (let t = 0; t < T; t++) dW[j * T + t]! -= w0[j]!;
      return meanRegularizedObjective(D, { w0, dW: { rows: D.d, cols: T, data: dW } }, { form: 'B', lambda: lamB, mu }, b);
    };
    const w0star = wbar.map((v) => (lamB * T * v) / (lamB * T + mu));
    assert.ok(Math.abs(FBat(w0star) - FA) <= 1e-12 * FA, `${FBat(w0star)} vs ${FA}`);
    // and any other w₀ is worse
    for (let r = 0; r < 5; r++) {
      const w0 = w0star.map((v) => v + 0.1 * g());
      assert.ok(FBat(w0) > FA);
    }
    // the Mat form of the B evaluator is the profiled value
    assert.ok(Math.abs(meanRegularizedObjective(D, W, { form: 'B', lambda: lamB, mu }, b) - FA) <= 1e-12 * FA);
  });

  it('B(λ_B, μ > 0) and A(ρ = λTμ/(λT+μ), λ_A = λ_B T/ρ) reach the same optimum', () => {
    const lamB = 0.05, mu = 0.2;
    const { pMean: rho } = meanRegularizedWeights({ form: 'B', lambda: lamB, mu }, T);
    assert.ok(Math.abs(rho - (lamB * T * mu) / (lamB * T + mu)) < 1e-15);
    const fb = meanRegularized(D, { form: 'B', lambda: lamB, mu });
    const fa = meanRegularized(D, { form: 'A', rho, lambda: (lamB * T) / rho });
    assert.ok(Math.abs(fa.objective - fb.objective) <= 1e-12 * fb.objective, `${fa.objective} vs ${fb.objective}`);
    assert.ok(relMaxDiff(fa.W.data, fb.W.data) < 1e-10);
    // B's shared part is λT w̄/(λT+μ), not w̄
    for (let j = 0; j < D.d; j++) assert.ok(Math.abs(fb.w0[j]! - (lamB * T * fb.wbar[j]!) / (lamB * T + mu)) < 1e-12);
  });

  it('A(ρ, λ_A > 1) is B(λ_B = ρλ_A/T, μ = ρλ_A/(λ_A − 1))', () => {
    const rho = 0.5, lamA = 3;
    const fa = meanRegularized(D, { form: 'A', rho, lambda: lamA });
    const fb = meanRegularized(D, { form: 'B', lambda: (rho * lamA) / T, mu: (rho * lamA) / (lamA - 1) });
    assert.ok(Math.abs(fa.objective - fb.objective) <= 1e-12 * fa.objective);
    assert.ok(relMaxDiff(fa.W.data, fb.W.data) < 1e-10);
  });

  it('B with μ = 0 has no finite A counterpart (the map gives ρ = 0): it is the limit ρ → 0 with ρλ_A/T = λ_B', () => {
    const lamB = 0.05;
    const fb = meanRegularized(D, { form: 'B', lambda: lamB });
    // the literal map ρ = λTμ/(λT+μ) = 0 gives the unpenalised problem, a different optimum
    const f0 = meanRegularized(D, { form: 'A', rho: 0, lambda: 1 });
    assert.ok(fb.objective - f0.objective > 1e-3 * fb.objective);
    let prev = Infinity;
    for (const rho of [1e-2, 1e-4, 1e-6]) {
      const fa = meanRegularized(D, { form: 'A', rho, lambda: (lamB * T) / rho });
      const gap = Math.abs(fa.objective - fb.objective);
      assert.ok(fa.objective >= fb.objective - 1e-12 * fb.objective); // A adds ρ‖w̄‖² ≥ 0
      assert.ok(gap < prev);
      assert.ok(gap <= rho * 1e3, `gap ${gap} for ρ = ${rho}`);
      prev = gap;
    }
  });
});

describe('meanRegularized: gradient, evaluator, certificate', () => {
  const D = perTask.data, T = D.T, d = D.d;
  const params = [{ form: 'A' as const, rho: 0.7, lambda: 0.4 }, { form: 'B' as const, lambda: 0.05, mu: 0.3, lossScale: 'sum' as const }];
  it('gradient = central finite differences of the objective (intercepts fixed at b*(W), envelope theorem)', () => {
    const g = normal(mulberry32(4));
    for (const p of params) {
      const W: Mat = { rows: d, cols: T, data: Float64Array.from({ length: d * T }, () => g()) };
      const G = meanRegularizedGradient(D, W, p);
      const b = new QuadraticLoss(D, { lossScale: p.lossScale ?? 'mean' }).intercepts(W.data);
      for (let r = 0; r < 6; r++) {
        const V = Float64Array.from({ length: d * T }, () => g());
        const h = 1e-4;
        const Wp = { rows: d, cols: T, data: W.data.map((v, k) => v + h * V[k]!) };
        const Wm = { rows: d, cols: T, data: W.data.map((v, k) => v - h * V[k]!) };
        const fd = (meanRegularizedObjective(D, Wp, p, b) - meanRegularizedObjective(D, Wm, p, b)) / (2 * h);
        let an = 0;
        for (let k = 0; k < d * T; k++) an += G.data[k]! * V[k]!;
        assert.ok(Math.abs(fd - an) <= 1e-7 * Math.max(1, Math.abs(an)), `fd ${fd} vs analytic ${an}`);
      }
    }
  });

  it('objective evaluator = an independent mathjs computation (form A and B, per-task data)', () => {
    const g = normal(mulberry32(8));
    const W: Mat = { rows: d, cols: T, data: Float64Array.from({ length: d * T }, () => g()) };
    const b = Array.from({ length: T }, () => g());
    const Wm = math.matrix(Array.from({ length: d }, (_, j) => Array.from(W.data.subarray(j * T, (j + 1) * T))));
    let loss = 0;
    for (let t = 0; t < T; t++) {
      const { X, y } = D.task(t);
      const Xt = math.matrix(Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * d, (i + 1) * d))));
      const wt = math.column(Wm, t) as math.Matrix;
      const pred = math.add(math.multiply(Xt, wt), b[t]!) as math.Matrix;
      const r = math.subtract(math.reshape(math.matrix(Array.from(y)), [X.rows, 1]), pred) as math.Matrix;
      loss += (1 / (2 * X.rows)) * (math.sum(math.dotMultiply(r, r)) as number);
    }
    const wbar = math.divide(math.multiply(Wm, math.ones(T, 1)), T) as math.Matrix;
    const dev = math.subtract(Wm, math.multiply(wbar, math.ones(1, T))) as math.Matrix;
    const mean2 = math.sum(math.dotMultiply(wbar, wbar)) as number;
    const dev2 = math.sum(math.dotMultiply(dev, dev)) as number;
    const rho = 0.7, lamA = 0.4;
    const FA = loss + rho * (mean2 + (lamA / T) * dev2);
    const ours = meanRegularizedObjective(D, W, { form: 'A', rho, lambda: lamA }, b);
    assert.ok(Math.abs(ours - FA) <= 1e-12 * FA, `${ours} vs ${FA}`);
    // form B with explicit (w₀, ΔW)
    const w0 = Float64Array.from({ length: d }, () => g());
    const w0m = math.reshape(math.matrix(Array.from(w0)), [d, 1]);
    const dWm = math.subtract(Wm, math.multiply(w0m, math.ones(1, T))) as math.Matrix;
    const dWflat = Float64Array.from((dWm.toArray() as number[][]).flat());
    const lamB = 0.2, mu = 0.6;
    const FB = loss + lamB * (math.sum(math.dotMultiply(dWm, dWm)) as number) + mu * (math.sum(math.dotMultiply(w0m, w0m)) as number);
    const oursB = meanRegularizedObjective(D, { w0, dW: { rows: d, cols: T, data: dWflat } }, { form: 'B', lambda: lamB, mu }, b);
    assert.ok(Math.abs(oursB - FB) <= 1e-12 * FB, `${oursB} vs ${FB}`);
  });

  it('the fit reports its objective by the evaluator, a small certificate and zero gradient', () => {
    for (const p of params) {
      const fit = meanRegularized(D, p);
      const again = meanRegularizedObjective(D, fit.W, p, fit.intercepts);
      assert.ok(Math.abs(fit.objective - again) <= 1e-12 * again);
      const G = meanRegularizedGradient(D, fit.W, p);
      let gn = 0;
      for (const v of G.data) gn += v * v;
      assert.ok(Math.sqrt(gn) <= 1e-10 * fit.certificateScale);
      assert.ok(fit.certificate <= 1e-10 * fit.certificateScale && fit.converged);
      // W = w₀1ᵀ + ΔW
      for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) {
        assert.ok(Math.abs(fit.W.data[j * T + t]! - fit.w0[j]! - fit.dW.data[j * T + t]!) < 1e-14);
      }
      // predict = X w_t + b_t
      const { X, y } = D.task(2);
      const pr = fit.predict(X, 2);
      assert.equal(pr.length, y.length);
    }
  });

  it('rejects invalid options naming the argument', () => {
    assert.throws(() => meanRegularized(D, { form: 'A', rho: -1, lambda: 1 }), (e: unknown) => e instanceof RangeError && /rho/.test(e.message));
    assert.throws(() => meanRegularized(D, { form: 'B', lambda: 1, mu: NaN }), (e: unknown) => e instanceof RangeError && /mu/.test(e.message));
    assert.throws(() => meanRegularized(D, { form: 'C' } as never), (e: unknown) => e instanceof RangeError && /form/.test(e.message));
    assert.throws(() => meanRegularized(D, { form: 'B', lambda: 1, solver: 'cg' } as never), /solver/);
    assert.throws(() => meanRegularized(D, { form: 'B', lambda: 1, solver: 'fista', warmStart: { rows: 1, cols: 1, data: new Float64Array(1) } }), /warmStart/);
    assert.throws(() => meanRegularizedObjective(D, { rows: d, cols: T + 1, data: new Float64Array(d * (T + 1)) }, { form: 'A', rho: 1, lambda: 1 }), /W/);
  });
});
