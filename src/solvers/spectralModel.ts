/**
 * One entry point for the spectral models (trace norm, squared trace norm, rank constraint): the
 * datafit through a loss backend, a {@link SpectralPenalty}, and either solver — FISTA
 * ({@link spectralProxGrad}) or ADMM with exact per-task solves ({@link spectralAdmm}) — stopping on a
 * duality gap built from the terms every spectral dual shares (L(W), ⟨2s⊙R, Ỹ⟩ and the singular
 * values of V = −∇L(W)), or on the fixed-point residual when the problem has no dual certificate.
 *
 * @packageDocumentation
 */
import type { Mat } from '../types.js';
import type { HistoryEntry, ProgressCallback } from '../types.js';
import type { QuadraticLoss } from '../datafits/quadratic.js';
import { spectralNorm, thinSvdInto } from '../linalg/svd.js';
import { spectralProxGrad, type AffineSmooth, type SolverStatus } from './spectralProxGrad.js';
import type { SpectralPenalty } from './spectralPenalties.js';
import { spectralAdmm, taskEigen } from './spectralAdmm.js';
import type { Datafit } from '../datafits/types.js';
import { taskNormalEquations, type TaskNormalEquations } from '../datafits/normalEquations.js';
import { createSvdBuffers, factoredGramState, frobeniusSq, spectralLipschitz } from './spectralTools.js';

/** A datafit of the core's state layer with its backend kind ({@link quadraticDatafit}). */
export type KindedDatafit = Datafit & {
  readonly kind: 'residual' | 'gram';
  /** The Gram backend's normal equations (absent for the residual backend). */
  readonly ne?: TaskNormalEquations;
};

/**
 * A duality gap from the shared terms: B = L(W), A = ⟨2s⊙R, Ỹ⟩, the singular values of V = −∇L(W)
 * (only σ_max unless the caller asked for the full spectrum), h(W) and ‖W‖²_F.
 */
export type SpectralGap = (B: number, A: number, sV: Float64Array, penaltyValue: number, froW: number) => { gap: number; primal: number };

/** What {@link solveSpectral} returns. */
export interface SpectralSolveResult {
  /** Final W. */
  readonly x: Float64Array;
  /** Its backend state. */
  readonly state: Float64Array;
  /** L(W) + ρ‖W‖²_F + h(W). */
  readonly objective: number;
  /** The last certificate. */
  readonly certificate: number;
  /** Iterations. */
  readonly iterations: number;
  /** Why it stopped. */
  readonly status: SolverStatus;
  /** Checks (objective and certificate). */
  readonly history: HistoryEntry[];
  /** Singular values of W. */
  readonly singularValues: Float64Array;
}

/**
 * Which solver `'auto'` picks: ADMM when its per-task systems are affordable, FISTA otherwise, whatever
 * the loss backend's kind (on the residual backend ADMM builds the normal equations G_t = X̃_tᵀX̃_t,
 * c_t = X̃_tᵀỹ_t itself, Σ_t n_t·d² operations once). Affordable means both
 * - the eigendecompositions of the distinct task Grams (one for a shared design without missing
 *   responses, else one per task) cost at most 2e7 operations (School: 139 × 28³), and
 * - ADMM's W step (T·d² per iteration) costs no more than the products X̃W of one residual-form
 *   gradient (n·d·T for a shared design, Σ_t n_t·d per task) — always true where the Gram backend is
 *   preferred, and on School's CV folds (~7.6k rows, residual backend: 1.1e5 against 2.1e5).
 * ADMM's W step inverts each task's curvature exactly, so on ill-conditioned designs such as School it
 * needs far fewer iterations than FISTA; where d > n on a shared design FISTA's iterations are the
 * cheaper ones.
 * @param loss - the datafit
 * @returns `'admm'` or `'fista'`
 * @example
 * ```ts
 * chooseSpectralSolver(new QuadraticLoss(data, { lossScale: 'mean' })); // 'admm' on School
 * ```
 * @see {@link solveSpectral}, {@link spectralAdmm}
 */
export function chooseSpectralSolver(loss: QuadraticLoss): 'admm' | 'fista' {
  const { d, T } = loss;
  const grams = loss.shared && loss.mask === null ? 1 : T;
  if (grams * d * d * d > 2e7) return 'fista';
  if (loss.normalEquations !== null) return 'admm'; // statistics: no rows, only the Gram form
  const products = loss.shared ? loss.n * d * T : loss.data.totalSize * d;
  return T * d * d <= products ? 'admm' : 'fista';
}

/**
 * Minimises L(W) + ρ‖W‖²_F + h(σ(W)) (see the module documentation).
 * @param loss - the datafit
 * @param backend - the datafit: residual or Gram evaluation of L ({@link quadraticDatafit})
 * @param W0 - start (d·T; copied)
 * @param pen - the spectral penalty h
 * @param ridge - ρ ≥ 0
 * @param gap - the duality gap from the shared terms, or null for the fixed-point residual (FISTA only)
 * @param fullSpectrum - whether `gap` needs every singular value of V (else σ_max only)
 * @param tolAbs - absolute tolerance on the certificate
 * @param maxIter - iteration cap
 * @param solver - `'fista'` or `'admm'` (ADMM needs a gap)
 * @param onProgress - progress callback at every certificate check
 * @returns W, objective, certificate, status, history, singular values
 * @example
 * ```ts
 * const res = solveSpectral(loss, backend, W0, traceNormValues(0.1), 0, gapFn, false, 1e-8, 10000, 'admm');
 * ```
 * @see {@link spectralProxGrad}, {@link spectralAdmm}
 */
export function solveSpectral(
  loss: QuadraticLoss, backend: KindedDatafit, W0: Float64Array, pen: SpectralPenalty, ridge: number, gap: SpectralGap | null,
  fullSpectrum: boolean, tolAbs: number, maxIter: number, solver: 'fista' | 'admm', onProgress?: ProgressCallback,
): SpectralSolveResult {
  const progress = onProgress ? { onProgress } : {};
  const { d, T } = loss;
  const k = Math.min(d, T);
  const V = new Float64Array(d * T);
  const Vm: Mat = { rows: d, cols: T, data: V };
  const svdBuf = createSvdBuffers(d, T);
  const primals: number[] = [];
  /** The gap at W with state S (R = residual form or Gram form, through the backend). */
  const gapAt = (x: Float64Array, S: Float64Array, hx: number): number => {
    const terms = backend.dualTerms(x, S, V); // V = −∇L(W)
    const A = terms.innerY, B = terms.value;
    for (let i = 0; i < V.length; i++) if (!Number.isFinite(V[i]!)) return NaN;
    let sV: Float64Array;
    if (!fullSpectrum) {
      svdBuf.s[0] = spectralNorm(Vm, svdBuf.work);
      sV = svdBuf.s.subarray(0, Math.min(1, k));
    } else {
      thinSvdInto(Vm, svdBuf.U, svdBuf.s, svdBuf.V, svdBuf.work);
      sV = svdBuf.s;
    }
    const g = gap!(B, A, sV, hx, frobeniusSq(x));
    primals.push(g.primal);
    return g.gap;
  };
  if (solver === 'admm' && gap !== null) {
    const ne = backend.ne ?? taskNormalEquations(loss); // the Gram backend's, when it holds them
    const eig = taskEigen(ne, d, T);
    // ρ₀: the mean curvature 2s_t·tr(G_t)/d over the tasks
    let rho0 = 0;
    for (let t = 0; t < T; t++) {
      const e = eig.vals[eig.index(t)]!;
      let tr = 0;
      for (let a = 0; a < d; a++) tr += e[a]!;
      rho0 += (2 * loss.scales[t]! * tr) / d;
    }
    rho0 = rho0 / T + 2 * ridge;
    const S = new Float64Array(backend.stateSize);
    const res = spectralAdmm(ne, eig, loss.scales, d, T, pen, rho0, {
      ridge, tol: tolAbs, maxIter, checkEvery: 10, start: W0, ...progress,
      certificate: (Z, hz) => {
        backend.computeState(Z, S);
        return gapAt(Z, S, hz);
      },
    });
    backend.computeState(res.x, S);
    const objective = backend.value(res.x, S) + res.penaltyValue + ridge * frobeniusSq(res.x);
    return {
      x: res.x, state: S, objective, certificate: res.certificate, iterations: res.iterations, status: res.status,
      history: res.history.map((h, i) => ({ iteration: h.iteration, objective: primals[i] ?? NaN, certificate: h.certificate, time: h.time })),
      singularValues: res.singularValues,
    };
  }
  const G = new Float64Array(d * T);
  const factored = factoredGramState(backend, loss);
  const smooth: AffineSmooth = factored ? new FactoredRidgeSmooth(backend, ridge, factored) : new RidgeSmooth(backend, ridge);
  const certificate = gap !== null
    ? (x: Float64Array, s: Float64Array, _L: number, hx: number) => gapAt(x, s, hx)
    : pen.isConstraint ? undefined : (x: Float64Array, s: Float64Array) => {
      // no dual: ‖∇f(W)‖_F (the fixed-point residual when h = 0)
      smooth.gradient(x, s, G);
      let r = 0;
      for (let i = 0; i < G.length; i++) r += G[i]! * G[i]!;
      return Math.sqrt(r);
    };
  const res = spectralProxGrad(smooth, d, T, pen, W0, {
    lipschitz: spectralLipschitz(backend, loss) + 2 * ridge, tol: tolAbs, maxIter, checkEvery: 10, andersonMemory: 5, accelerate: true, ...progress,
    ...(certificate ? { certificate } : {}),
  });
  return {
    x: res.x, state: res.state, objective: res.objective, certificate: res.certificate, iterations: res.iterations,
    status: res.status, history: res.history, singularValues: res.singularValues,
  };
}

/**
 * The smooth part L(W) + ρ‖W‖²_F of {@link solveSpectral} as an {@link AffineSmooth}. A class rather
 * than an object of closures: the solver's calls then keep one target from one fit to the next, so V8's
 * optimised code of the solver loop is not thrown away at every new fit ("wrong call target").
 */
class RidgeSmooth implements AffineSmooth {
  readonly dim: number;
  readonly stateSize: number;
  constructor(protected readonly backend: KindedDatafit, private readonly ridge: number) {
    this.dim = backend.dim;
    this.stateSize = backend.stateSize;
  }
  computeState(x: Float64Array, s: Float64Array): void {
    this.backend.computeState(x, s);
  }
  value(x: Float64Array, s: Float64Array): number {
    return this.backend.value(x, s) + (this.ridge > 0 ? this.ridge * frobeniusSq(x) : 0);
  }
  gradient(x: Float64Array, s: Float64Array, g: Float64Array): void {
    this.backend.gradient(x, s, g);
    // ∇(L + ρ‖W‖²_F) = ∇L + 2ρW
    const r2 = 2 * this.ridge;
    if (r2 > 0) for (let i = 0; i < x.length; i++) g[i]! += r2 * x[i]!;
  }
}

/** {@link RidgeSmooth} with the factored state S = (G·P)·Qᵀ of a shared-design Gram backend. */
class FactoredRidgeSmooth extends RidgeSmooth {
  constructor(backend: KindedDatafit, ridge: number, private readonly factored: NonNullable<ReturnType<typeof factoredGramState>>) {
    super(backend, ridge);
  }
  computeStateFactored(P: Float64Array, Qt: Float64Array, k: number, state: Float64Array): void {
    this.factored(P, Qt, k, state);
  }
}
