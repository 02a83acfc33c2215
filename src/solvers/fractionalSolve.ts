/**
 * One driver for the two matrix-fractional models (convex ASO, convex clustered MTL): runs the
 * structured alternation ({@link fractionalMM}, default) or the generic joint FISTA
 * ({@link fractionalFista}) and certifies the result the same way for both:
 *
 * - the certificate (as before the structured solver existed): the fixed-point residual of the
 *   projected gradient map over x = (W, M), ‖x − Proj(x − ∇F(x)/L)‖·L with L = L_loss + 2c/η, i.e.
 *   √(‖∇_W F‖² + L²‖M − Proj(M − ∇_M F/L)‖²), with ∇L from the raw residuals;
 * - the duality gap of the problem with M minimised out, p(W) + p*(−∇L(W)) + ⟨W, ∇L(W)⟩ at
 *   M = M*(W) ({@link MatrixFractional}): an upper bound on F(W, M*(W)) − F*.
 *
 * @packageDocumentation
 */
import type { QuadraticLoss } from '../datafits/quadratic.js';
import type { HistoryEntry, ProgressCallback } from '../types.js';
import { createSymEigWorkspace, symEigInto } from '../linalg/eig.js';
import { gemmNN, gemmNT, gemmTN } from '../linalg/blas.js';
import { SpectralCappedSimplex } from '../penalties/spectralCappedSimplex.js';
import { MatrixFractional } from './matrixFractional.js';
import { fractionalMM } from './fractionalMM.js';
import { fractionalFista } from './fractionalFista.js';
import { TaskQuadratic } from './taskQuadratic.js';

/** Options of {@link solveFractional}. */
export interface SolveFractionalOptions {
  /** `'rows'` (M d×d, convex ASO) or `'cols'` (M T×T, clustered). */
  side: 'rows' | 'cols';
  /** tr M. */
  k: number;
  /** η = ρ₂/ρ₁. */
  eta: number;
  /** c = ρ₁η(1 + η). */
  c: number;
  /** Relative tolerance: stop at certificate ≤ tol·‖∇L(0)‖. */
  tol: number;
  /** Iteration cap. */
  maxIter: number;
  /** `'alternating'` (structured, default) or `'fista'` (generic). */
  solver: 'alternating' | 'fista';
  /** Called at every certificate check with { iteration, maxIter, objective, certificate, tol } (progress bars). @default undefined */
  onProgress?: ProgressCallback;
}

/** What {@link solveFractional} returns. */
export interface FractionalSolution {
  /** W, d×T. */
  W: Float64Array;
  /** M, n×n (exactly symmetric, feasible). */
  M: Float64Array;
  /** The fixed-point residual (see the module documentation). */
  certificate: number;
  /** The duality gap of the reduced problem at W. */
  gap: number;
  /** ‖∇L(0)‖_F, the scale of the relative tolerance. */
  gradientScale: number;
  /** L(0), the scale for a relative gap. */
  valueAtZero: number;
  /** Iterations. */
  iterations: number;
  /** How the run ended. */
  status: 'converged' | 'max-iterations' | 'non-finite';
  /** Certificate along the way. */
  history: HistoryEntry[];
}

/**
 * Solves the matrix-fractional problem and certifies it (see the module documentation).
 * @param loss - the squared-loss datafit
 * @param o - side, k, η, c, tolerance, cap, solver
 * @returns W, M, certificate, gap, status, history
 * @example
 * ```ts
 * const s = solveFractional(loss, { side: 'cols', k: 3, eta: 0.1, c: 0.011, tol: 1e-8, maxIter: 1000, solver: 'alternating' });
 * ```
 * @see {@link fractionalMM}, {@link fractionalFista}
 */
export function solveFractional(loss: QuadraticLoss, o: SolveFractionalOptions): FractionalSolution {
  const start = performance.now();
  const { d, T } = loss;
  const dT = d * T;
  const n = o.side === 'rows' ? d : T;
  const q = new TaskQuadratic(loss);
  // the alternation's side: p(W) depends on σ(W) only (the same function for M d×d and M T×T when
  // tr M ≤ min(d, T)), so the clustered problem may run the row-side alternation, whose W-step is
  // exact and cheap when the task blocks are small (see rowSideAffordable)
  const altSide = o.side === 'cols' && o.solver === 'alternating' && rowSideAffordable(q, o.k) ? 'rows' : o.side;
  const pen = new MatrixFractional(d, T, altSide, o.k, o.eta, o.c);
  const Rres = new Float64Array(loss.residualSize);
  const GL = new Float64Array(dT), GP = new Float64Array(dT);
  let g0 = 0;
  for (let k = 0; k < dT; k++) g0 += q.B[k]! * q.B[k]!;
  const gradientScale = g0 > 0 ? Math.sqrt(g0) : 1;
  const tolAbs = o.tol * gradientScale;
  /** ‖∇_W F(W, M*(W))‖ with ∇L through the raw residuals (pen holds M*(W)). */
  const gradW = (W: Float64Array): number => {
    loss.residual(W, Rres);
    loss.gradient(Rres, GL);
    pen.gradient(W, GP);
    let s = 0;
    for (let k = 0; k < dT; k++) { const g = GL[k]! + GP[k]!; s += g * g; }
    return Math.sqrt(s);
  };
  const history: HistoryEntry[] = [];
  let W: Float64Array, M: Float64Array, iterations: number, status: FractionalSolution['status'];
  if (o.solver === 'alternating') {
    W = new Float64Array(dT);
    const res = fractionalMM(q, pen, W, {
      tolAbs: 0.5 * tolAbs, maxIter: o.maxIter, certificate: gradW,
      onCheck: (iteration, objective, certificate) => {
        history.push({ iteration, objective, certificate, time: (performance.now() - start) / 1000 });
        o.onProgress?.({ iteration, maxIter: o.maxIter, objective, certificate, tol: 0.5 * tolAbs });
      },
    });
    iterations = res.iterations;
    status = res.status;
    if (altSide === o.side) M = pen.optimalM(new Float64Array(n * n));
    else {
      // M*(W) on the model's own side (the penalty value and gradient do not depend on the side)
      const own = new MatrixFractional(d, T, o.side, o.k, o.eta, o.c);
      own.evaluate(W);
      M = own.optimalM(new Float64Array(n * n));
    }
  } else {
    const res = fractionalFista(loss, { side: o.side, k: o.k, eta: o.eta, c: o.c, tolAbs, maxIter: o.maxIter, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
    W = res.x.slice(0, dT);
    M = res.x.slice(dT);
    iterations = res.iterations;
    status = res.converged ? 'converged' : Number.isFinite(res.certificate) ? 'max-iterations' : 'non-finite';
    history.push(...res.history);
    pen.evaluate(W);
  }
  // the fixed-point residual at (W, M): W block ‖∇_W F(W, M)‖, M block L‖M − Proj(M − ∇_M F/L)‖
  const L = loss.lipschitz() + (2 * o.c) / o.eta;
  const certificate = fixedPointResidual(loss, W, M, o, L, Rres, GL);
  // the duality gap at M*(W): p(W) + p*(V) − ⟨W, V⟩, V = −∇L(W)
  const pW = pen.evaluate(W);
  loss.residual(W, Rres);
  loss.correlation(Rres, GL); // V = −∇L(W)
  let wv = 0;
  for (let k = 0; k < dT; k++) wv += W[k]! * GL[k]!;
  const gapRaw = pW + pen.conjugate(GL) - wv;
  const gap = Number.isFinite(gapRaw) ? Math.max(0, gapRaw) : NaN;
  if (!Number.isFinite(certificate)) status = 'non-finite';
  else if (certificate > tolAbs && status === 'converged') status = 'max-iterations';
  else if (certificate <= tolAbs && status !== 'non-finite') status = 'converged';
  return { W, M, certificate, gap, gradientScale, valueAtZero: q.valueAtZero, iterations, status, history };
}

/**
 * Whether the clustered (T×T) problem runs the row-side alternation: tr M ≤ min(d, T) (the reduced
 * problems coincide) and the row W-step is cheap — d ≤ T (a direct d×d factorisation per distinct
 * task block per step, School: 139 × 28³) or d > T with the blocks' inverses of the Woodbury step
 * affordable once; in total at most 2e8 operations for the distinct blocks' d³. Below 1e6 the W-step
 * costs microseconds either way and the task-side alternation is kept: it needed fewer steps on small
 * problems (14 against 20 at d = 8, T = 4) and its path is the steadier one under rounding (fits from
 * rows and from sufficient statistics agree to 1e-15 in W, against 1e-9 on the row side).
 */
function rowSideAffordable(q: TaskQuadratic, k: number): boolean {
  const { d, T } = q;
  if (k > Math.min(d, T)) return false;
  const cost = (q.G !== null ? 1 : T) * d * d * d;
  return cost >= 1e6 && cost <= 2e8;
}

/** √(‖∇_W F(W, M)‖² + L²‖M − Proj(M − ∇_M F(W, M)/L)‖²) from the raw residuals and M's eigendecomposition. */
function fixedPointResidual(
  loss: QuadraticLoss, W: Float64Array, M: Float64Array, o: SolveFractionalOptions, L: number, Rres: Float64Array, G: Float64Array,
): number {
  const { d, T } = loss;
  const rows = o.side === 'rows';
  const n = rows ? d : T, p = rows ? T : d, nn = n * n;
  const { eta, c } = o;
  // P = (ηI + M)⁻¹ from M's eigendecomposition
  const vals = new Float64Array(n), Q = new Float64Array(nn), ws = createSymEigWorkspace(n);
  for (let i = 0; i < d * T; i++) if (!Number.isFinite(W[i]!)) return NaN;
  for (let i = 0; i < nn; i++) if (!Number.isFinite(M[i]!)) return NaN;
  symEigInto({ rows: n, cols: n, data: Float64Array.from(M) }, vals, Q, ws);
  const Bq = new Float64Array(nn), P = new Float64Array(nn);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Bq[i * n + j] = Q[i * n + j]! / (eta + Math.max(vals[i]!, 0));
  gemmTN(n, n, n, Q, Bq, P, 0);
  // Z = W (n×p) or Wᵀ; PZ = P Z
  const Z = new Float64Array(d * T), PZ = new Float64Array(d * T);
  if (rows) Z.set(W);
  else for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) Z[t * d + j] = W[j * T + t]!;
  gemmNN(n, p, n, P, Z, PZ, 0);
  // ∇_W F = ∇L + 2c (P Z)ᵀ-layout
  loss.residual(W, Rres);
  loss.gradient(Rres, G);
  let gw = 0;
  for (let j = 0; j < d; j++) {
    for (let t = 0; t < T; t++) {
      const g = G[j * T + t]! + 2 * c * (rows ? PZ[j * T + t]! : PZ[t * d + j]!);
      gw += g * g;
    }
  }
  // ∇_M F = −c (PZ)(PZ)ᵀ; Proj(M − ∇_M/L) = eigendecomposition + capped simplex
  const GM = new Float64Array(nn);
  gemmNT(n, n, p, PZ, PZ, GM, 0);
  const A = new Float64Array(nn);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = M[i * n + j]! + (c / L) * 0.5 * (GM[i * n + j]! + GM[j * n + i]!);
  for (let i = 0; i < nn; i++) if (!Number.isFinite(A[i]!)) return NaN;
  if (!Number.isFinite(gw)) return NaN;
  const proj = new Float64Array(nn);
  new SpectralCappedSimplex(n, o.k).prox(A, 1, proj);
  let gm = 0;
  for (let i = 0; i < nn; i++) gm += (M[i]! - proj[i]!) ** 2;
  return Math.sqrt(gw + L * L * gm);
}
