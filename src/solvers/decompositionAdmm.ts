/**
 * ADMM with exact per-task solves for the decomposition models W = P + Q,
 *
 *   min_{P,Q} Σ_t s_t ‖ỹ_t − X̃_t(p_t + q_t)‖² + h_P(P) + h_Q(Q)
 *
 * (robust MTFL, robust MTL, sparse + low rank; any two penalties with a prox), split as (A, B) = (P, Q)
 * with the smooth part on (A, B) and the penalties on (P, Q) (Boyd, Parikh, Chu, Peleato & Eckstein,
 * "Distributed optimization and statistical learning via the alternating direction method of
 * multipliers", Found. Trends Mach. Learn. 3(1), 2011, §3, §4.4), run in its Douglas–Rachford form on
 * w = X + U (X = [A; B], U the scaled dual):
 * - **(P, Q) step**: Z = [P; Q] = (prox_{h_P/ρ}, prox_{h_Q/ρ})(w), each part's own prox (row or column
 *   shrinkage; singular value thresholding or the trace-norm ball's projection through the small Gram
 *   matrix), in the Euclidean metric;
 * - **(A, B) step** at [a; b] = 2Z − w: the minimiser of f(A + B) + ρ/2‖A − a‖² + ρ/2‖B − b‖² has
 *   A − a = B − b = −∇f(w̄)/ρ, so its sum w̄ = A + B solves (2s_tG_t + ρ/2 I) w̄_t = 2s_t c_t +
 *   ρ/2 (a_t + b_t) per task — one d×d product with the inverse built from G_t's eigendecomposition
 *   (once per fit; a new ρ costs T·d³ for the inverses) — and A = a − e, B = b − e, e = (a + b − w̄)/2;
 * - **w ← w + X − Z** (the dual update); ρ by residual balancing (§3.4.1); every K = 5 steps an
 *   Anderson extrapolation of the sequence w (Anderson 1965; as SCS 3 does for its Douglas–Rachford
 *   iteration: O'Donoghue, "Operator splitting for a homogeneous embedding of the linear
 *   complementarity problem", SIAM J. Optim. 31(3), 2021), kept only when the next fixed-point residual
 *   ‖X − Z‖ is no larger than the plain iterate's.
 * The (A, B) step inverts each task's curvature exactly, so the iteration count does not grow with the
 * spread of the task scales (School's tasks differ by orders of magnitude; one FISTA step 1/L for all
 * of them hits the iteration cap). The certificate is the caller's — the duality gap of the whole
 * problem at the prox output (P, Q), as the FISTA route computes it.
 *
 * @packageDocumentation
 */
import type { FitStatus, HistoryEntry, ProgressCallback } from '../types.js';
import type { QuadraticLoss } from '../datafits/quadratic.js';
import type { Penalty } from '../penalties/types.js';
import { taskNormalEquations, type TaskNormalEquations } from '../datafits/normalEquations.js';
import { taskEigen, type TaskEigen } from './spectralAdmm.js';
import { certified } from './certificates.js';
import { gemv } from '../linalg/blas.js';
import { AndersonMemory } from './anderson.js';
import { SpectralWorkspace } from './spectralWorkspace.js';
import { TraceNormPenalty } from '../penalties/traceNorm.js';
import { TraceNormBall } from '../penalties/traceNormBall.js';
import { projectL1Ball } from '../penalties/projections.js';
import type { DirtyBcdResult } from './decompositionBcd.js';

/** Options of {@link decompositionAdmm}. */
export interface DecompositionAdmmOptions {
  /** Absolute tolerance on the certificate. */
  readonly tolAbs: number;
  /** Iteration cap. */
  readonly maxIter: number;
  /** The certificate at x = [P; Q] (the duality gap) with the primal objective. */
  readonly certificate: (x: Float64Array) => { readonly gap: number; readonly primal: number };
  /** Certificate and ρ update every this many iterations. @default 10 */
  readonly checkEvery?: number;
  /** Progress callback at every certificate. @default undefined */
  readonly onProgress?: ProgressCallback;
}

/**
 * Whether {@link decompositionAdmm} suits a problem: the per-task Grams fit in memory (T·d² ≤ 4e6
 * doubles, the cache of `taskNormalEquations`) and their eigendecompositions (about 10d³ flops each,
 * one for a shared design without missing responses) cost at most `budget` flops.
 * @param d - features
 * @param T - tasks
 * @param grams - distinct Gram matrices (1 for a shared design without missing responses, else T)
 * @param budget - flops allowed for the eigendecompositions @default 2e9
 * @returns true when the ADMM route is affordable
 * @example
 * ```ts
 * admmAffordable(28, 139, 139); // true (School)
 * ```
 * @see {@link decompositionAdmm}
 */
export function admmAffordable(d: number, T: number, grams: number, budget = 2e9): boolean {
  return T * d * d <= 4e6 && 10 * grams * d ** 3 <= budget;
}

/**
 * Fits min f(P + Q) + h_P(P) + h_Q(Q) by ADMM with exact per-task solves (see the module documentation).
 * @param loss - the squared loss
 * @param hP - P's penalty (its prox is used)
 * @param hQ - Q's penalty (a norm or a ball indicator)
 * @param x0 - starting [P; Q] (2·d·T), not modified
 * @param opts - tolerance, cap, certificate, check period
 * @returns the final [P; Q] (a prox output), objective, certificate, iterations and status
 * @example
 * ```ts
 * const r = decompositionAdmm(loss, hP, hQ, new Float64Array(2 * d * T), { tolAbs: 1e-6 * loss.valueAtZero(), maxIter: 10000, certificate });
 * ```
 * @see {@link admmAffordable}; Boyd et al., Found. Trends Mach. Learn. 3(1), 2011
 */
export function decompositionAdmm(loss: QuadraticLoss, hP: Penalty, hQ: Penalty, x0: Float64Array, opts: DecompositionAdmmOptions): DirtyBcdResult {
  const { d, T } = loss;
  const n = d * T;
  const ne = taskNormalEquations(loss);
  const eig = taskEigen(ne, d, T);
  const s2 = loss.scales.map((s) => 2 * s);
  const C2 = new Float64Array(n);
  for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) C2[j * T + t] = s2[t]! * ne.C[j * T + t]!; // 2 s_t c_t
  const checkEvery = Math.max(1, Math.floor(opts.checkEvery ?? 10));
  let Z = Float64Array.from(x0), Zold = new Float64Array(2 * n);
  // w = X + U, the Douglas–Rachford variable; X the smooth step's output
  const w = new Float64Array(2 * n), X = new Float64Array(2 * n), safe = new Float64Array(2 * n);
  const inverses = new Float64Array(T * d * d); // A_t at [t·d², (t + 1)·d²)
  const col = new Float64Array(d), rhs = new Float64Array(d), wt = new Float64Array(d);
  const proxP = spectralProx(hP, d, T), proxQ = spectralProx(hQ, d, T);
  const mem = new AndersonMemory();
  mem.begin(2 * n);
  // ρ: the mean curvature 2 s_t tr(G_t)/d, doubled (the smooth step sees ρ/2)
  let rho = 0;
  for (let t = 0; t < T; t++) {
    const lam = eig.vals[eig.index(t)]!;
    let tr = 0;
    for (let a = 0; a < d; a++) tr += lam[a]!;
    rho += (2 * s2[t]! * tr) / d / T;
  }
  if (!(rho > 0) || !Number.isFinite(rho)) rho = 1;
  let inverseRho = NaN, changes = 0;
  const history: HistoryEntry[] = [];
  const start = performance.now();
  let gap = NaN, objective = NaN, it = 0, status = 'max-iterations' as FitStatus, fresh = false;
  const check = (): boolean => {
    const c = opts.certificate(Z);
    gap = c.gap;
    objective = c.primal;
    fresh = true;
    history.push({ iteration: it, objective, certificate: gap, time: (performance.now() - start) / 1000 });
    opts.onProgress?.({ iteration: it, maxIter: opts.maxIter, objective, certificate: gap, tol: opts.tolAbs });
    if (!Number.isFinite(gap) || !Number.isFinite(objective)) status = 'non-finite';
    else if (certified(gap, opts.tolAbs)) status = 'converged';
    return status !== 'max-iterations';
  };
  // a warm start starts the scaled dual too: w = Z₀ + U₀, U₀ = −∇f(P₀ + Q₀)/ρ (prox_{h/ρ}(w) = Z₀ at the optimum)
  if (!check() && Z.some((z) => z !== 0)) dualFromStart(ne, s2, C2, d, T, rho, Z, w, col, rhs);
  let pending = false, plainRes = Infinity;
  while (status === 'max-iterations' && it < opts.maxIter) {
    it++;
    if (inverseRho !== rho) {
      buildInverses(eig, s2, d, T, rho / 2, inverses);
      inverseRho = rho;
    }
    // Z = (prox_{h_P/ρ}, prox_{h_Q/ρ})(w); X = the smooth step at 2Z − w
    const sw = Zold; Zold = Z; Z = sw;
    proxP(w.subarray(0, n), 1 / rho, Z.subarray(0, n));
    proxQ(w.subarray(n), 1 / rho, Z.subarray(n));
    const rb = residualNorm(X, Z); // the primal residual of ADMM, ‖X − Z‖ with the X that produced w
    splitStep(C2, inverses, d, T, rho, Z, w, X, col, rhs, wt);
    const rp = residualNorm(X, Z); // the fixed-point residual (w⁺ − w = X − Z)
    if (pending) {
      pending = false;
      if (!(rp <= plainRes)) {
        // the extrapolated point did worse than the plain iterate: back to it, forget the memory
        w.set(safe);
        mem.begin(2 * n);
        fresh = false;
        continue;
      }
    }
    // w ← w + X − Z (the Douglas–Rachford step: ADMM's dual update and next prox input)
    for (let i = 0; i < 2 * n; i++) w[i]! += X[i]! - Z[i]!;
    fresh = false;
    if ((it % checkEvery === 0 || it === opts.maxIter) && check()) break;
    if (it % checkEvery === 0 && changes < MAX_CHANGES) {
      // residual balancing (§3.4.1): r = ‖X − Z‖, s = ρ‖Z − Z_old‖; the scaled dual U = w − X rescales with ρ
      const rd = rho * residualNorm(Z, Zold);
      const f = rb > BALANCE * rd || rd > BALANCE * rb ? Math.min(2, Math.max(0.5, Math.sqrt(rb / rd))) : 1;
      if (f !== 1) {
        rho *= f;
        for (let i = 0; i < 2 * n; i++) w[i] = X[i]! + (w[i]! - X[i]!) / f; // w = X + U/f
        changes++;
        mem.begin(2 * n);
        continue;
      }
    }
    // Anderson extrapolation of the Douglas–Rachford sequence w (every K steps), kept only when the
    // next fixed-point residual ‖X − Z‖ is no larger than the plain iterate's
    mem.next().set(w);
    mem.commit();
    if (mem.ready()) {
      safe.set(w);
      plainRes = rp;
      if (mem.extrapolate(w)) pending = true;
    }
  }
  if (status === 'max-iterations' && !fresh) check(); // the certificate of the returned Z (a rejected extrapolation ended the budget)
  return { x: Z, objective, certificate: gap, iterations: it, converged: status === 'converged', status, history };
}

/**
 * ρ is rebalanced when one ADMM residual exceeds the other BALANCE-fold, by √(ratio) clipped to
 * [1/2, 2], at most MAX_CHANGES times (each change rebuilds the per-task inverses, T·d³ flops).
 */
const BALANCE = 3, MAX_CHANGES = 40;

/**
 * prox_{step·h} of a decomposition part: for the trace norm and the trace-norm ball through the
 * eigendecomposition of the small Gram matrix ({@link SpectralWorkspace}: soft-thresholding of the
 * singular values, or their projection onto the ℓ1 ball of radius τ), else the penalty's own prox.
 * @param h - the part's penalty
 * @param d - rows
 * @param T - columns
 * @returns (V, step, out) ↦ out = prox_{step·h}(V)
 */
function spectralProx(h: Penalty, d: number, T: number): (V: Float64Array, step: number, out: Float64Array) => void {
  const trace = h instanceof TraceNormPenalty, ball = h instanceof TraceNormBall;
  if (!trace && !ball) return (V, step, out) => h.prox(V, step, out);
  const sw = new SpectralWorkspace(d, T), k = sw.k, sp = new Float64Array(k), l1 = new Float64Array(k);
  return (V, step, out) => {
    if (!sw.decompose(V)) { out.fill(NaN); return; }
    const s = sw.s;
    if (trace) {
      const tau = step * (h as TraceNormPenalty).weight;
      for (let i = 0; i < k; i++) s[i] = Math.max(s[i]! - tau, 0); // σ' = (σ − step·λ)₊
    } else {
      projectL1Ball(s, 0, k, (h as TraceNormBall).tau, sp, 0, l1); // σ' = Proj_{‖·‖₁ ≤ τ}(σ)
      s.set(sp);
    }
    sw.applyMap(out);
  };
}

/** A_t = (2s_tG_t + μI)⁻¹ = Q_tᵀ diag(1/(2s_tλ_ta + μ)) Q_t for every task (Q_t's rows are the eigenvectors), at out[t·d² ..). */
function buildInverses(eig: TaskEigen, s2: Float64Array, d: number, T: number, mu: number, out: Float64Array): void {
  const dd = d * d;
  for (let t = 0; t < T; t++) {
    const e = eig.index(t), base = t * dd;
    if (t > 0 && e === eig.index(t - 1) && s2[t] === s2[t - 1]) { out.copyWithin(base, base - dd, base); continue; } // a shared Gram
    const Qt = eig.vecT[e]!, lam = eig.vals[e]!;
    out.fill(0, base, base + dd);
    for (let a = 0; a < d; a++) {
      // A += q_a q_aᵀ / (2s_tλ_a + μ)  (upper triangle, mirrored below)
      const inv = 1 / (s2[t]! * lam[a]! + mu), o = a * d;
      for (let i = 0; i < d; i++) {
        const f = Qt[o + i]! * inv;
        if (f === 0) continue;
        const io = base + i * d;
        for (let j = i; j < d; j++) out[io + j]! += f * Qt[o + j]!;
      }
    }
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) out[base + j * d + i] = out[base + i * d + j]!;
  }
}

/**
 * The smooth step at (a; b) = 2Z − w (U = w here), w_t = A_t (2s_tc_t + ρ/2 (a_t + b_t)), e = (a + b − w)/2,
 * A = a − e, B = b − e (X = [A; B]).
 */
function splitStep(
  C2: Float64Array, inverses: Float64Array, d: number, T: number, rho: number,
  Z: Float64Array, U: Float64Array, X: Float64Array, m: Float64Array, r: Float64Array, wt: Float64Array,
): void {
  const n = d * T, h = rho / 2;
  for (let t = 0; t < T; t++) {
    // m = a_t + b_t, r = 2s_t c_t + ρ/2 m
    for (let j = 0; j < d; j++) {
      const q = j * T + t;
      m[j] = 2 * Z[q]! - U[q]! + 2 * Z[n + q]! - U[n + q]!;
      r[j] = C2[q]! + h * m[j]!;
    }
    gemv(d, d, inverses, t * d * d, r, 0, wt, 0, 0); // w_t = A_t r
    for (let i = 0; i < d; i++) {
      const q = i * T + t, e = 0.5 * (m[i]! - wt[i]!);
      X[q] = 2 * Z[q]! - U[q]! - e;
      X[n + q] = 2 * Z[n + q]! - U[n + q]! - e;
    }
  }
}

/** ‖X − Z‖. */
function residualNorm(X: Float64Array, Z: Float64Array): number {
  let r = 0;
  for (let i = 0; i < X.length; i++) r += (X[i]! - Z[i]!) ** 2;
  return Math.sqrt(r);
}

/**
 * The scaled dual of a warm start: U = V = −∇f(P₀ + Q₀)/ρ, ∇_t f(W) = 2s_t G_t w_t − 2s_t c_t — the
 * iteration's fixed point when (P₀, Q₀) is optimal, so a start near the solution stays near it.
 */
function dualFromStart(
  ne: TaskNormalEquations, s2: Float64Array, C2: Float64Array, d: number, T: number, rho: number,
  Z: Float64Array, U: Float64Array, w: Float64Array, g: Float64Array,
): void {
  const n = d * T;
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < d; j++) w[j] = Z[j * T + t]! + Z[n + j * T + t]!; // w_t = p_t + q_t
    gemv(d, d, ne.gram(t), 0, w, 0, g, 0, 0); // g = G_t w_t
    for (let i = 0; i < d; i++) {
      const q = i * T + t, u = (C2[q]! - s2[t]! * g[i]!) / rho; // u = −∇_t f/ρ
      U[q] = Z[q]! + u; // w = Z₀ + U₀
      U[n + q] = Z[n + q]! + u;
    }
  }
}
