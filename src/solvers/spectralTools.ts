/**
 * Small spectral helpers of the low-rank family: singular values, nuclear norm and numerical rank
 * of a matrix, overflow-safe norms, the gradient scale of relative tolerances, and the fast paths
 * the spectral solvers add to a {@link Datafit} (a factored state for low-rank iterates).
 *
 * @packageDocumentation
 */
import type { Mat } from '../types.js';
import type { Datafit } from '../datafits/types.js';
import type { QuadraticLoss } from '../datafits/quadratic.js';
import { gemmNN } from '../linalg/blas.js';
import type { TaskNormalEquations } from '../datafits/normalEquations.js';
import { gramLipschitz } from '../datafits/lipschitz.js';
import { createSvdWorkspace, thinSvdInto, type SvdWorkspace } from '../linalg/svd.js';

/**
 * The singular values of a matrix (descending), by {@link thinSvdInto}.
 * @param A - any m×n {@link Mat} with finite entries
 * @returns the min(m, n) singular values
 * @example
 * ```ts
 * singularValues(W)[0]; // σ_max(W)
 * ```
 * @see {@link nuclearNorm}
 */
export function singularValues(A: Mat): Float64Array {
  const k = Math.min(A.rows, A.cols);
  const s = new Float64Array(k);
  thinSvdInto(A, { rows: A.rows, cols: k, data: new Float64Array(A.rows * k) }, s,
    { rows: A.cols, cols: k, data: new Float64Array(A.cols * k) });
  return s;
}

/**
 * The nuclear (trace) norm ‖A‖_* = Σ_i σ_i(A).
 * @param A - any m×n {@link Mat}
 * @returns the sum of the singular values
 * @example
 * ```ts
 * nuclearNorm({ rows: 2, cols: 2, data: new Float64Array([3, 0, 0, -4]) }); // 7
 * ```
 * @see {@link singularValues}
 */
export function nuclearNorm(A: Mat): number {
  const s = singularValues(A);
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s[i]!;
  return sum;
}

/**
 * The numerical rank: the number of singular values > `rtol`·σ_max (0 for a zero matrix).
 * @param s - singular values, descending
 * @param rtol - relative threshold @default 1e-10
 * @returns the numerical rank
 * @example
 * ```ts
 * numericalRank(new Float64Array([2, 1, 1e-14])); // 2
 * ```
 * @see {@link singularValues}
 */
export function numericalRank(s: Float64Array, rtol = 1e-10): number {
  if (s.length === 0 || !(s[0]! > 0)) return 0;
  const cut = rtol * s[0]!;
  let r = 0;
  for (let i = 0; i < s.length; i++) if (s[i]! > cut) r++;
  return r;
}

/**
 * ‖A‖²_F of a flat array.
 * @param a - entries
 * @returns the sum of squares
 * @example
 * ```ts
 * frobeniusSq(new Float64Array([3, 4])); // 25
 * ```
 * @see {@link scaledNorm}
 */
export function frobeniusSq(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
}

/**
 * ‖u‖₂ of the first n entries without overflow or underflow (scaled by max |u_i|); NaN or ∞ when an
 * entry is.
 * @param n - length
 * @param u - entries
 * @returns the Euclidean norm
 * @example
 * ```ts
 * scaledNorm(2, new Float64Array([3e200, 4e200])); // 5e200 (the sum of squares would overflow)
 * ```
 * @see {@link frobeniusSq}
 */
export function scaledNorm(n: number, u: Float64Array): number {
  let amax = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(u[i]!);
    if (!(a <= amax)) amax = a; // NaN propagates
  }
  if (!(amax > 0) || !Number.isFinite(amax)) return amax;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = u[i]! / amax;
    s += v * v;
  }
  return amax * Math.sqrt(s);
}

/**
 * ‖∇L(0, b₀)‖_F, the scale of the relative tolerance of the fixed-point and stationarity certificates
 * (at W = 0 with an unconstrained step the fixed-point residual equals this norm). Overflow-safe;
 * 1 for a zero gradient.
 * @param f - the datafit
 * @returns the scale (> 0, or non-finite for non-finite data)
 * @example
 * ```ts
 * const tolAbs = tol * gradientScaleAtZero(quadraticDatafit(loss));
 * ```
 * @see {@link scaledNorm}
 */
export function gradientScaleAtZero(f: Datafit): number {
  const W = new Float64Array(f.dim);
  const S = new Float64Array(f.stateSize);
  const G = new Float64Array(f.dim);
  f.computeState(W, S);
  f.gradient(W, S, G);
  const g = scaledNorm(G.length, G);
  return g > 0 ? g : Number.isNaN(g) ? NaN : 1;
}

/** Buffers for a thin SVD of a fixed m×n shape, reused across iterations. */
export interface SvdBuffers {
  /** SVD workspace. */
  readonly work: SvdWorkspace;
  /** Left singular vectors, m×k. */
  readonly U: Mat;
  /** Singular values, length k. */
  readonly s: Float64Array;
  /** Right singular vectors, n×k. */
  readonly V: Mat;
}

/**
 * Allocates {@link SvdBuffers} for m×n matrices.
 * @param m - rows
 * @param n - columns
 * @returns the buffers
 * @example
 * ```ts
 * const b = createSvdBuffers(d, T);
 * thinSvdInto(A, b.U, b.s, b.V, b.work);
 * ```
 * @see {@link thinSvdInto}
 */
export function createSvdBuffers(m: number, n: number): SvdBuffers {
  const k = Math.min(m, n);
  return {
    work: createSvdWorkspace(m, n),
    U: { rows: m, cols: k, data: new Float64Array(m * k) },
    s: new Float64Array(k),
    V: { rows: n, cols: k, data: new Float64Array(n * k) },
  };
}

/**
 * The state of a factored W = P·Qᵀ (P d×k, Qᵀ k×T) for a Gram datafit on a shared design without
 * missing responses: S = G·W = (G·P)·Qᵀ, d²·k + d·T·k operations instead of d²·T — from the backend's
 * Gram matrix G when it holds one, else as X̃ᵀ(X̃·P)·Qᵀ (2·n·d·k + d·T·k). Returns undefined for
 * other datafits (the solver then calls `computeState` on W).
 * @param f - the datafit (its `kind`, and its normal equations `ne` when it has them)
 * @param loss - the loss whose centred shared design X̃ is read
 * @returns the fast state function, or undefined
 * @example
 * ```ts
 * const fast = factoredGramState(f, loss); // defined for fromShared data without NaN
 * ```
 * @see {@link Datafit}
 */
export function factoredGramState(
  f: Datafit & { readonly kind?: 'residual' | 'gram'; readonly ne?: TaskNormalEquations }, loss: QuadraticLoss,
): ((P: Float64Array, Qt: Float64Array, k: number, S: Float64Array) => void) | undefined {
  if (f.kind !== 'gram' || !loss.shared || loss.mask !== null) return undefined;
  const { d, T, n } = loss;
  const X = loss.design!;
  const G = f.ne?.sharedGram ? f.ne.gram(0) : null;
  const kmax = Math.min(d, T);
  const XP = G === null ? new Float64Array(n * kmax) : new Float64Array(0), GP = new Float64Array(d * kmax);
  return (P, Qt, k, S) => {
    if (k === 0) {
      S.fill(0);
      return;
    }
    if (G !== null) {
      gemmNN(d, k, d, G, P, GP, 0); // G P (d×k)
    } else {
      X.times(P, k, XP); // X̃ P (n×k)
      X.transposeTimes(XP, k, GP); // G P = X̃ᵀ(X̃ P)
    }
    gemmNN(d, T, k, GP, Qt, S, 0); // S = (G P) Qᵀ
  };
}

/**
 * The Lipschitz constant of ∇L for the spectral solvers: with a shared Gram matrix G held by the
 * datafit, 1.01·2·max_t s_t·λ_max(G) from the d×d matrix G ({@link gramLipschitz}, as the loss does for
 * data given by its statistics, with the loss's margin) instead of from the n×d design; otherwise the
 * datafit's own `lipschitz()`.
 * @param f - the datafit
 * @param loss - its loss (the task scales s_t)
 * @returns L (a slight underestimate is repaired by the solvers' backtracking)
 * @example
 * ```ts
 * spectralProxGrad(smooth, d, T, h, W0, { lipschitz: spectralLipschitz(backend, loss), tol, maxIter });
 * ```
 * @see {@link factoredGramState}
 */
export function spectralLipschitz(f: Datafit & { readonly ne?: TaskNormalEquations }, loss: QuadraticLoss): number {
  return f.ne?.sharedGram ? 1.01 * gramLipschitz(loss.d, loss.scales, f.ne) : f.lipschitz(); // the loss's 1 % margin
}

/**
 * {@link gradientScaleAtZero} of the squared loss itself (residual evaluation).
 * @param loss - the loss
 * @returns ‖∇L(0, b₀)‖_F (1 for a zero gradient)
 * @example
 * ```ts
 * gradientScaleAtZeroOfLoss(new QuadraticLoss(data));
 * ```
 * @see {@link gradientScaleAtZero}
 */
export function gradientScaleAtZeroOfLoss(loss: QuadraticLoss): number {
  const R = new Float64Array(loss.residualSize);
  const V = new Float64Array(loss.d * loss.T);
  loss.residual(V, R); // W = 0
  loss.correlation(R, V); // V = −∇L(0)
  const g = scaledNorm(V.length, V);
  return g > 0 ? g : Number.isNaN(g) ? NaN : 1;
}
