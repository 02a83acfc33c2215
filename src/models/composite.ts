/**
 * Composition for users: fit any datafit with any compatible penalty and solver, and get the same fit
 * object as the built-in models, certificate included (in the spirit of skglm's
 * `GeneralizedLinearEstimator`, Bertrand, Klopfenstein, Massias et al., NeurIPS 2022).
 *
 * @packageDocumentation
 */
import type { FitResultBase, FitStatus, HistoryEntry, LossScale, Mat, MatLike, ProgressCallback } from '../types.js';
import type { Datafit } from '../datafits/types.js';
import type { NormPenalty, Penalty, SmoothPenalty } from '../penalties/types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss } from '../datafits/quadratic.js';
import { quadraticDatafit, type DatafitBackend } from '../datafits/state.js';
import { RidgePenalty } from '../penalties/ridge.js';
import { fista, type SmoothFunction } from '../solvers/fista.js';
import { normPenaltyGap } from '../solvers/certificates.js';
import { makePredict } from './predict.js';
import { checkBoolean, checkMat, checkNumber, checkOneOf, checkOptionKeys, checkOptionsObject } from '../util/checks.js';

/** Options of {@link fitComposite}. */
export interface CompositeOptions<P extends Penalty = Penalty> {
  /** The (non-smooth) penalty h, or a factory called with (d, T). */
  penalty: P | ((d: number, T: number) => P);
  /** Smooth penalties added to the datafit (ridge, mean deviation, graph). @default [] */
  smooth?: readonly SmoothPenalty[];
  /** Loss scaling. @default 'mean' */
  lossScale?: LossScale;
  /** Unpenalised per-task intercepts. @default true */
  fitIntercept?: boolean;
  /** Residual or Gram evaluation of the loss. @default 'auto' */
  backend?: DatafitBackend;
  /** The solver; FISTA accepts every penalty. @default 'fista' */
  solver?: 'fista';
  /**
   * Relative tolerance: the duality gap ≤ tol·F(0, b₀) for a norm penalty (with at most a ridge as
   * smooth term), else the fixed-point residual ≤ tol·‖∇f(0)‖_F. @default 1e-6
   */
  tol?: number;
  /** Iteration budget (backtracking steps included). @default 10000 */
  maxIter?: number;
  /** Starting W (d×T), any matrix form. @default null (zeros) */
  warmStart?: MatLike | null;
  /** Adaptive restart of FISTA's momentum. @default true */
  restart?: boolean;
  /** Certificate every this many iterations. @default 10 */
  checkEvery?: number;
  /** Progress callback at every certificate check. @default undefined */
  onProgress?: ProgressCallback;
}

/** The options of a composite fit with every default filled in. */
export interface ResolvedCompositeOptions {
  readonly lossScale: LossScale;
  readonly fitIntercept: boolean;
  readonly backend: DatafitBackend;
  readonly solver: 'fista';
  readonly tol: number;
  readonly maxIter: number;
  readonly restart: boolean;
  readonly checkEvery: number;
}

/** What {@link fitComposite} returns. */
export interface CompositeFit<P extends Penalty = Penalty> extends FitResultBase<ResolvedCompositeOptions> {
  readonly status: FitStatus;
  /** The penalty object used (e.g. a trace norm's `lastRank`). */
  readonly penalty: P;
  /** The absolute tolerance the certificate had to meet. */
  readonly tolAbs: number;
}

const KEYS = ['penalty', 'smooth', 'lossScale', 'fitIntercept', 'backend', 'solver', 'tol', 'maxIter', 'warmStart', 'restart', 'checkEvery', 'onProgress'];

/**
 * Checks and fills in the scalar options of {@link fitComposite} (everything but the penalties,
 * the warm start and the callback); also used by models that offer another solver on the same options.
 * @param o - the options object (keys already checked)
 * @returns the resolved options
 * @throws TypeError / RangeError naming the option
 * @example
 * ```ts
 * resolveCompositeOptions({ tol: 1e-8 }).maxIter; // 10000
 * ```
 * @see {@link fitComposite}
 */
export function resolveCompositeOptions(o: Record<string, unknown>): ResolvedCompositeOptions {
  return {
    lossScale: checkOneOf(o.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean'),
    fitIntercept: checkBoolean(o.fitIntercept, 'fitIntercept', true),
    backend: checkOneOf(o.backend, 'backend', ['auto', 'residual', 'gram'] as const, 'auto'),
    solver: checkOneOf(o.solver, 'solver', ['fista'] as const, 'fista'),
    tol: o.tol === undefined ? 1e-6 : checkNumber(o.tol, 'tol', { min: 0, minExclusive: true }),
    maxIter: o.maxIter === undefined ? 10000 : checkNumber(o.maxIter, 'maxIter', { min: 1, integer: true }),
    restart: checkBoolean(o.restart, 'restart', true),
    checkEvery: o.checkEvery === undefined ? 10 : checkNumber(o.checkEvery, 'checkEvery', { min: 1, integer: true }),
  };
}

function isNormPenalty(p: Penalty): p is NormPenalty {
  const q = p as Partial<NormPenalty>;
  return typeof q.weight === 'number' && typeof q.norm === 'function' && typeof q.dualNorm === 'function';
}

/**
 * The smooth part f + Σ smooth penalties as one FISTA smooth function over the datafit's state.
 * @param f - the datafit
 * @param smooth - smooth penalties
 * @returns a SmoothFunction
 * @example
 * ```ts
 * fista(smoothSum(f, [new RidgePenalty(0.1)]), h, W0, { lipschitz: f.lipschitz() + 0.2 });
 * ```
 * @see {@link fitComposite}
 */
export function smoothSum(f: Datafit, smooth: readonly SmoothPenalty[]): SmoothFunction {
  if (smooth.length === 0) return f;
  const g = new Float64Array(f.dim);
  return {
    dim: f.dim,
    stateSize: f.stateSize,
    computeState: (W, s) => f.computeState(W, s),
    value: (W, s) => {
      let v = f.value(W, s);
      for (const p of smooth) v += p.value(W);
      return v;
    },
    gradient: (W, s, G) => {
      f.gradient(W, s, G); // G = ∇f + Σ ∇h_smooth
      for (const p of smooth) {
        p.gradient(W, g);
        for (let i = 0; i < G.length; i++) G[i]! += g[i]!;
      }
    },
  };
}

/**
 * Fits min_W f(W) + Σ smooth(W) + h(W) for the squared loss f of `data` and any penalty h, by FISTA,
 * and returns a fit object like the built-in models': W, intercepts, objective, certificate (a duality
 * gap when h is a {@link NormPenalty} and the only smooth term is a ridge, else the fixed-point
 * residual), `converged` / `status`, history and predict.
 *
 * @param data - the multi-task data (or per-task inputs)
 * @param options - see {@link CompositeOptions}
 * @returns the fit
 * @throws TypeError / RangeError for bad options (unknown keys name the closest valid one)
 * @example
 * ```ts
 * const fit = fitComposite(data, { penalty: (d, T) => new TraceNormPenalty(0.1, d, T) });
 * fit.certificate <= fit.tolAbs; // when fit.converged
 * ```
 * @see {@link fista}, {@link normPenaltyGap}; Q. Bertrand et al., "Beyond L1: faster and better sparse
 *   models with skglm", NeurIPS 2022
 */
export function fitComposite<P extends Penalty>(data: MultiTaskData | readonly TaskInput[], options: CompositeOptions<P>): CompositeFit<P> {
  const o = checkOptionsObject(options, 'fitComposite options', ['penalty']);
  checkOptionKeys(o, KEYS, 'fitComposite options');
  const D = asData(data);
  const { d, T } = D;
  const opts = resolveCompositeOptions(o);
  const penalty: P = typeof options.penalty === 'function' ? options.penalty(d, T) : options.penalty;
  if (typeof penalty !== 'object' || penalty === null || typeof penalty.prox !== 'function' || typeof penalty.value !== 'function') {
    throw new TypeError('penalty: expected a Penalty { value(W), prox(V, step, out) } or a factory (d, T) => Penalty');
  }
  const smooth = options.smooth ?? [];
  if (!Array.isArray(smooth)) throw new TypeError('smooth: expected an array of smooth penalties');
  const W0 = o.warmStart == null
    ? new Float64Array(d * T)
    : checkMat(o.warmStart, 'warmStart', { rows: d, cols: T, label: `d×T = ${d}×${T}` }).data;
  const loss = new QuadraticLoss(D, { lossScale: opts.lossScale, fitIntercept: opts.fitIntercept });
  const f = quadraticDatafit(loss, opts.backend);
  const F = smoothSum(f, smooth);
  let smoothL = 0;
  for (const p of smooth) smoothL += p.lipschitz();
  const ridge = smooth.length === 1 && smooth[0] instanceof RidgePenalty ? smooth[0].weight : smooth.length === 0 ? 0 : NaN;
  const useGap = isNormPenalty(penalty) && !Number.isNaN(ridge);
  const V = new Float64Array(d * T);
  let tolAbs: number;
  if (useGap) {
    tolAbs = opts.tol * (f.valueAtZero() + penalty.value(new Float64Array(d * T)));
  } else {
    const s0 = new Float64Array(f.stateSize);
    F.computeState(new Float64Array(d * T), s0);
    F.gradient(new Float64Array(d * T), s0, V);
    let g = 0;
    for (let i = 0; i < V.length; i++) g += V[i]! * V[i]!;
    tolAbs = opts.tol * (g > 0 ? Math.sqrt(g) : 1);
  }
  const res = fista(F, penalty, W0, {
    lipschitz: f.lipschitz() + smoothL,
    tol: tolAbs,
    maxIter: opts.maxIter,
    restart: opts.restart,
    checkEvery: opts.checkEvery,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(useGap
      ? {
          certificate: (x: Float64Array, s: Float64Array): number =>
            normPenaltyGap(f.dualTerms(x, s, V), V, x, penalty as NormPenalty, ridge).gap,
        }
      : {}),
  });
  const W: Mat = { rows: d, cols: T, data: res.x };
  const intercepts = f.intercepts(res.x);
  const history: HistoryEntry[] = res.history;
  return {
    W, intercepts, objective: res.objective, certificate: res.certificate,
    certificateKind: useGap ? 'duality-gap' : 'fixed-point-residual',
    iterations: res.iterations, converged: res.converged, status: res.status, history, options: opts,
    penalty, tolAbs, predict: makePredict(W, intercepts),
  };
}
