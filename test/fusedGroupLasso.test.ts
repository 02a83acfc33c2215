// The convex fused group lasso: the 1-D TV prox (Condat's direct algorithm) against a brute-force dual
// solve and the T = 2 closed form; the model against an independent ADMM (λ₂ = 0: sparse group lasso;
// λ₁ = λ₃ = 0: fused lasso alone; all three); W = 0 at λ_max and not below; the duality gap bounds the
// true suboptimality; the evaluator; named errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as math from 'mathjs';
import { tvProx } from '../src/linalg/tvProx.js';
import { FusedGroupRowPenalty } from '../src/penalties/fusedGroupRow.js';
import { fusedGroupLasso, fusedGroupLassoLambdaMax, fusedGroupLassoObjective } from '../src/models/fusedGroupLasso.js';
import { groupLasso } from '../src/models/groupLasso.js';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { mulberry32, gaussian } from './helpers/random.js';

const maxAbs = (a: Float64Array): number => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const maxDiff = (a: Float64Array, b: Float64Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

/** prox_{λTV}(y) by coordinate descent on the dual box QP min_{|u_e| ≤ λ} ½‖y − Dᵀu‖² (x = y − Dᵀu). */
function tvByDual(y: Float64Array, lam: number): Float64Array {
  const T = y.length, u = new Float64Array(Math.max(T - 1, 0)), x = Float64Array.from(y);
  for (let sweep = 0; sweep < 100000; sweep++) {
    let change = 0;
    for (let e = 0; e < T - 1; e++) {
      // x_e = r − u_e, x_{e+1} = s + u_e: minimise ½(r − u)² + ½(s + u)² over |u| ≤ λ
      const old = u[e]!, r = x[e]! + old, s = x[e + 1]! - old;
      const v = Math.max(-lam, Math.min(lam, (r - s) / 2));
      u[e] = v;
      x[e] = r - v;
      x[e + 1] = s + v;
      change = Math.max(change, Math.abs(v - old));
    }
    if (change < 1e-15) break;
  }
  return x;
}

describe('1-D total-variation prox (Condat 2013)', () => {
  it('equals the brute-force dual solve on random rows (ties and zeros included), also in place', () => {
    const rnd = mulberry32(5);
    for (let trial = 0; trial < 600; trial++) {
      const T = 1 + Math.floor(rnd() * 9), lam = 2 * rnd();
      const y = Float64Array.from({ length: T }, () => (rnd() < 0.3 ? 0 : Math.round((6 * rnd() - 3) * 10) / 10));
      const out = new Float64Array(T);
      tvProx(y, 0, T, lam, out, 0);
      assert.ok(maxDiff(out, tvByDual(y, lam)) <= 1e-12, `T = ${T}, λ = ${lam}, y = ${Array.from(y)}`);
      const inPlace = Float64Array.from(y);
      tvProx(inPlace, 0, T, lam, inPlace, 0);
      assert.deepEqual(inPlace, out);
    }
  });
  it('T = 2 closed form: the mean when |y₁ − y₂| ≤ 2λ, else each moved by λ towards the other', () => {
    const rnd = mulberry32(6);
    for (let trial = 0; trial < 200; trial++) {
      const y = Float64Array.of(4 * rnd() - 2, 4 * rnd() - 2), lam = rnd();
      const out = new Float64Array(2);
      tvProx(y, 0, 2, lam, out, 0);
      const dlt = y[0]! - y[1]!;
      const want = Math.abs(dlt) <= 2 * lam ? [(y[0]! + y[1]!) / 2, (y[0]! + y[1]!) / 2] : [y[0]! - lam * Math.sign(dlt), y[1]! + lam * Math.sign(dlt)];
      assert.ok(Math.abs(out[0]! - want[0]!) <= 1e-15 && Math.abs(out[1]! - want[1]!) <= 1e-15);
    }
  });
  it('the row dual norm is the smallest s with prox_{sΩ}(g) = 0 (an upper bound within 1e-14)', () => {
    const rnd = mulberry32(7), g = gaussian(rnd);
    for (const [l1, l2, l3] of [[0.3, 0.4, 0.5], [0, 1, 0.2], [0.5, 0, 0], [0, 0.7, 0]]) {
      const h = new FusedGroupRowPenalty(l1!, l2!, l3!, 5);
      for (let k = 0; k < 20; k++) {
        const v = Float64Array.from({ length: 5 }, g);
        if (l1 === 0 && l3 === 0) {
          const m = v.reduce((a, b) => a + b, 0) / 5;
          for (let t = 0; t < 5; t++) v[t]! -= m; // the TV seminorm's dual is finite on mean-zero rows only
        }
        const s = h.rowDualNorm(v, 0);
        const z = new Float64Array(5);
        h.proxRow(v, s, 0, z);
        // the seminorm's s is in closed form: its prox is the mean-zero constant, 0 up to rounding
        const zeroTol = l1 === 0 && l3 === 0 ? 1e-14 * maxAbs(v) : 0;
        assert.ok(maxAbs(z) <= zeroTol, `${maxAbs(z)}`);
        h.proxRow(v, s * (1 - 1e-9), 0, z);
        assert.ok(maxAbs(z) > 1e-3 * zeroTol + 1e-13 * maxAbs(v));
      }
      if (l1 === 0 && l3 === 0) assert.equal(h.rowDualNorm(Float64Array.of(1, 0, 0, 0, 0), 0), Infinity);
    }
  });
});

/** Per-task data with the raw X_t, y_t kept for the independent solve. */
function problem(ns: number[], d: number, seed: number) {
  const g = gaussian(mulberry32(seed));
  const T = ns.length;
  const tasks = ns.map((n, t) => {
    const X = Float64Array.from({ length: n * d }, g);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = X[i * d]! * (1 + 0.2 * t) - X[i * d + 1]! * (t < T / 2 ? 1 : 0.3) + 0.5 * g();
    return { X: { rows: n, cols: d, data: X }, y };
  });
  return { data: MultiTaskData.fromTasks(tasks), tasks, d, T };
}

/**
 * ADMM for ½Σ_t ‖y_t − X_t w_t‖² + λ₁‖Z₁‖₁ + λ₂‖Z₂‖₁ + λ₃ Σ_j ‖z₃^j‖₂ s.t. Z₁ = W, Z₂ = WH, Z₃ = W (lossScale
 * 'sum', no intercepts): each term's own prox (soft and block thresholding), the W-step a linear solve.
 */
function admm(p: ReturnType<typeof problem>, l1: number, l2: number, l3: number, iters = 30000, rho = 1): Float64Array {
  const { d, T } = p, n = d * T, k = T - 1;
  const M = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const b = new Float64Array(n);
  p.tasks.forEach((task, t) => {
    const X = task.X.data, m = task.X.rows;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < d; j++) {
        b[j * T + t]! += X[i * d + j]! * task.y[i]!; // Xᵀy
        for (let l = 0; l < d; l++) M[j * T + t]![l * T + t]! += X[i * d + j]! * X[i * d + l]!; // XᵀX
      }
    }
  });
  for (let j = 0; j < d; j++) {
    for (let t = 0; t < T; t++) {
      M[j * T + t]![j * T + t]! += 2 * rho;
      // ρ HHᵀ: the path Laplacian on each row
      if (t > 0) { M[j * T + t]![j * T + t]! += rho; M[j * T + t]![j * T + t - 1]! -= rho; }
      if (t + 1 < T) { M[j * T + t]![j * T + t]! += rho; M[j * T + t]![j * T + t + 1]! -= rho; }
    }
  }
  const Minv = (math.inv(M) as number[][]).map((r) => Float64Array.from(r));
  const W = new Float64Array(n), Z1 = new Float64Array(n), U1 = new Float64Array(n), Z3 = new Float64Array(n), U3 = new Float64Array(n);
  const Z2 = new Float64Array(d * k), U2 = new Float64Array(d * k), r = new Float64Array(n);
  const soft = (x: number, a: number): number => (x > a ? x - a : x < -a ? x + a : 0);
  for (let it = 0; it < iters; it++) {
    for (let i = 0; i < n; i++) r[i] = b[i]! + rho * (Z1[i]! - U1[i]! + Z3[i]! - U3[i]!);
    for (let j = 0; j < d; j++) {
      for (let e = 0; e < k; e++) {
        const c = rho * (Z2[j * k + e]! - U2[j * k + e]!); // ((Z₂ − U₂)Hᵀ): +c at t = e, −c at t = e + 1
        r[j * T + e]! += c;
        r[j * T + e + 1]! -= c;
      }
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let l = 0; l < n; l++) s += Minv[i]![l]! * r[l]!;
      W[i] = s;
    }
    for (let i = 0; i < n; i++) {
      Z1[i] = soft(W[i]! + U1[i]!, l1 / rho);
      U1[i]! += W[i]! - Z1[i]!;
    }
    for (let j = 0; j < d; j++) {
      for (let e = 0; e < k; e++) {
        const dw = W[j * T + e]! - W[j * T + e + 1]!;
        Z2[j * k + e] = soft(dw + U2[j * k + e]!, l2 / rho);
        U2[j * k + e]! += dw - Z2[j * k + e]!;
      }
      let s = 0;
      for (let t = 0; t < T; t++) s += (W[j * T + t]! + U3[j * T + t]!) ** 2;
      const f = Math.sqrt(s) > l3 / rho ? 1 - l3 / rho / Math.sqrt(s) : 0;
      for (let t = 0; t < T; t++) Z3[j * T + t] = f * (W[j * T + t]! + U3[j * T + t]!);
      for (let t = 0; t < T; t++) U3[j * T + t]! += W[j * T + t]! - Z3[j * T + t]!;
    }
  }
  return W;
}

describe('convex fused group lasso', () => {
  const p = problem([25, 30, 28, 35], 4, 41);
  const base = { lossScale: 'sum' as const, fitIntercept: false, tol: 1e-12, maxIter: 100000 };
  for (const [name, l1, l2, l3] of [['all three', 0.8, 2, 3], ['λ₂ = 0 (sparse group lasso)', 1, 0, 4], ['λ₁ = λ₃ = 0 (fused lasso alone)', 0, 3, 0]] as const) {
    it(`equals an independent ADMM solve: ${name}`, () => {
      const fit = fusedGroupLasso(p.data, { ...base, lambda1: l1, lambda2: l2, lambda3: l3 });
      assert.equal(fit.status, 'converged');
      assert.equal(fit.certificateKind, l1 === 0 && l3 === 0 ? 'fixed-point-residual' : 'duality-gap');
      const Wa = admm(p, l1, l2, l3);
      const Fa = fusedGroupLassoObjective(p.data, { rows: p.d, cols: p.T, data: Wa }, { lambda1: l1, lambda2: l2, lambda3: l3, lossScale: 'sum' });
      assert.ok(fit.objective <= Fa * (1 + 1e-12), `FISTA ${fit.objective} vs ADMM ${Fa}`);
      assert.ok(Fa - fit.objective <= 1e-8 * fit.objective, `FISTA ${fit.objective} vs ADMM ${Fa}`);
      assert.ok(maxDiff(fit.W.data, Wa) <= 1e-4 * (1 + maxAbs(Wa)), `${maxDiff(fit.W.data, Wa)}`);
    });
  }

  it('λ₁ = λ₂ = 0 is the group lasso (q = 2), solved by BCD', () => {
    const fit = fusedGroupLasso(p.data, { lambda3: 0.2, tol: 1e-12 });
    const gl = groupLasso(p.data, { lambda: 0.2, q: 2, tol: 1e-12 });
    assert.ok(maxDiff(fit.W.data, gl.W.data) <= 1e-7 * (1 + maxAbs(gl.W.data)));
  });

  it('W = 0 at λ_max, not just below: λ₃ for given λ₁, λ₂, and the common scale of (λ₁, λ₂, λ₃)', () => {
    const m = fusedGroupLassoLambdaMax(p.data, { lambda1: 0.02, lambda2: 0.05 });
    const at = fusedGroupLasso(p.data, { lambda1: 0.02, lambda2: 0.05, lambda3: m.lambda3 * (1 + 1e-9) });
    assert.equal(maxAbs(at.W.data), 0);
    assert.ok(at.converged);
    assert.ok(maxAbs(fusedGroupLasso(p.data, { lambda1: 0.02, lambda2: 0.05, lambda3: m.lambda3 * 0.99 }).W.data) > 0);
    const { scale } = fusedGroupLassoLambdaMax(p.data, { lambda1: 0.02, lambda2: 0.05, lambda3: 0.1 });
    for (const [c, zero] of [[scale * (1 + 1e-9), true], [scale * 0.99, false]] as const) {
      const f = fusedGroupLasso(p.data, { lambda1: 0.02 * c, lambda2: 0.05 * c, lambda3: 0.1 * c });
      assert.equal(maxAbs(f.W.data) === 0, zero, `c = ${c}`);
    }
  });

  it('the duality gap bounds the true suboptimality (against a tight second solve); the evaluator reproduces the objective', () => {
    const o = { lambda1: 0.01, lambda2: 0.03, lambda3: 0.05 };
    const tight = fusedGroupLasso(p.data, { ...o, tol: 1e-13, maxIter: 100000 });
    for (const maxIter of [3, 10, 30]) {
      const loose = fusedGroupLasso(p.data, { ...o, maxIter });
      assert.ok(Number.isFinite(loose.certificate));
      const sub = loose.objective - tight.objective;
      assert.ok(sub >= -1e-12 * tight.objective && sub <= loose.certificate * (1 + 1e-9) + 1e-13 * tight.objective, `suboptimality ${sub} vs gap ${loose.certificate}`);
    }
    const F = fusedGroupLassoObjective(p.data, tight.W, tight.options, tight.intercepts);
    assert.ok(Math.abs(F - tight.objective) <= 1e-12 * F);
  });

  it('names bad input', () => {
    assert.throws(() => fusedGroupLasso(p.data, { lambda1: -1, lambda3: 0.1 }), /lambda1: expected a finite number ≥ 0, got -1/);
    assert.throws(() => fusedGroupLasso(p.data, { lambda1: 0.1 } as never), /the option lambda3 is required/);
    assert.throws(() => fusedGroupLasso(p.data, { lambda3: 0.1, lamda2: 1 } as never), /unknown option 'lamda2' \(did you mean lambda2\?\)/);
    assert.throws(() => fusedGroupLasso(p.data, { lambda3: 0.1, warmStart: [[1]] }), /warmStart: expected a d×T = 4×4 matrix, got 1×1/);
    assert.throws(() => fusedGroupLassoObjective(p.data, { rows: 1, cols: 1, data: new Float64Array(1) }, { lambda3: 1 }), /W: expected a d×T = 4×4 matrix/);
  });
});
