/**
 * Pieces shared by the shared-low-rank-subspace models (trace norm, rank constraint, ASO, convex ASO):
 * option validation, nuclear norm, numerical rank, the gradient scale used by relative tolerances,
 * and the per-task normal equations (Gram matrices) of the squared loss.
 *
 * See `docs/objectives.md`, "Shared low-rank subspace".
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import type { QuadraticLoss } from '../datafits/quadratic.js';
import { dot, gemmNN, gemmTN, gemv, gemvT } from '../linalg/blas.js';
import { createSvdWorkspace, thinSvdInto, type SvdWorkspace } from '../linalg/svd.js';

/**
 * Checks that `v` is a number in [lo, hi] (NaN always rejected).
 * @param v - the value
 * @param name - option name for the message
 * @param lo - lower bound (inclusive)
 * @param hi - upper bound (inclusive)
 * @param allowInf - accept ±Infinity when inside the bounds
 * @returns v
 * @throws RangeError naming the option and the expected range
 * @example
 * ```ts
 * checkNumberIn(0.1, 'lambda', 0, Infinity); // 0.1
 * ```
 * @see {@link checkIntegerIn}
 */
export function checkNumberIn(v: unknown, name: string, lo: number, hi: number, allowInf = false): number {
  if (typeof v !== 'number' || Number.isNaN(v) || (!allowInf && !Number.isFinite(v)) || v < lo || v > hi) {
    throw new RangeError(`${name}: expected a number in [${lo}, ${hi === Infinity ? '∞' : hi}], got ${String(v)}`);
  }
  return v;
}

/**
 * Checks that `v` is an integer in [lo, hi].
 * @param v - the value
 * @param name - option name for the message
 * @param lo - lower bound (inclusive)
 * @param hi - upper bound (inclusive)
 * @returns v
 * @throws RangeError naming the option and the expected range
 * @example
 * ```ts
 * checkIntegerIn(3, 'rank', 1, 10); // 3
 * ```
 * @see {@link checkNumberIn}
 */
export function checkIntegerIn(v: unknown, name: string, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(`${name}: expected an integer in [${lo}, ${hi === Infinity ? '∞' : hi}], got ${String(v)}`);
  }
  return v;
}

/**
 * Checks a `lossScale` option.
 * @param v - the value (undefined → `'mean'`)
 * @returns the loss scale
 * @throws RangeError for anything but `'sum'`, `'mean'`, `'task-mean'`
 * @example
 * ```ts
 * checkLossScale(undefined); // 'mean'
 * ```
 * @see {@link checkBoolean}
 */
export function checkLossScale(v: unknown): LossScale {
  const s = v ?? 'mean';
  if (s !== 'sum' && s !== 'mean' && s !== 'task-mean') {
    throw new RangeError(`lossScale: expected 'sum', 'mean' or 'task-mean', got ${String(s)}`);
  }
  return s;
}

/**
 * Checks a boolean option.
 * @param v - the value (undefined → `dflt`)
 * @param name - option name
 * @param dflt - default
 * @returns the boolean
 * @throws TypeError when `v` is neither undefined nor a boolean
 * @example
 * ```ts
 * checkBoolean(undefined, 'fitIntercept', true); // true
 * ```
 * @see {@link checkLossScale}
 */
export function checkBoolean(v: unknown, name: string, dflt: boolean): boolean {
  const b = v ?? dflt;
  if (typeof b !== 'boolean') throw new TypeError(`${name}: expected a boolean, got ${typeof b}`);
  return b;
}

/**
 * Checks that `options` is an object.
 * @param options - the user's options
 * @param required - text naming the required fields, for the message
 * @throws TypeError when `options` is not an object
 * @example
 * ```ts
 * checkOptionsObject(opts, '{ lambda }');
 * ```
 * @see {@link checkNumberIn}
 */
export function checkOptionsObject(options: unknown, required: string): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`options: expected an object with at least ${required}`);
}

/**
 * The singular values of a matrix (descending), by {@link thinSvdInto}.
 * @param A - any m×n {@link Mat}
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
 * @see {@link nuclearNorm}
 */
export function frobeniusSq(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
}

/**
 * ‖∇L(0, b₀)‖_F, the size of the loss gradient at W = 0 with optimal intercepts: the scale of the
 * relative tolerance of the fixed-point-residual certificates (the residual ‖W − P(W − ∇/L)‖·L is a
 * gradient-like quantity, and at W = 0 with an unconstrained step it equals this norm). Never 0
 * (1 is returned for a zero gradient, i.e. y ≡ fitted intercepts).
 * @param loss - the datafit
 * @returns the scale (> 0)
 * @example
 * ```ts
 * const tolAbs = tol * gradientScaleAtZero(loss);
 * ```
 * @see {@link QuadraticLoss.correlation}
 */
export function gradientScaleAtZero(loss: QuadraticLoss): number {
  const R = new Float64Array(loss.residualSize);
  const V = new Float64Array(loss.d * loss.T);
  loss.residual(V, R);
  loss.correlation(R, V);
  const g = scaledNorm(V.length, V);
  return g > 0 ? g : 1;
}

/**
 * The per-task normal equations of the (centred, masked) squared loss: for task t,
 * ∇_t L(W) = 2 s_t (G_t w_t − c_t) with G_t = X̃_tᵀX̃_t (d×d) and c_t = X̃_tᵀỹ_t, X̃_t, ỹ_t the task's
 * observed rows, centred when intercepts are fitted.
 */
export interface TaskNormalEquations {
  /** Returns G_t (d×d row-major). May return a shared or a recomputed buffer: read it before the next call. */
  gram(t: number): Float64Array;
  /** c_t for every task, as a d×T row-major matrix (column t = c_t). */
  readonly C: Float64Array;
  /** Whether every task has the same G (a shared design without missing responses): `gram(t)` is one buffer. */
  readonly sharedGram: boolean;
  /** Whether the Grams are held in memory (false: `gram(t)` recomputes into one scratch buffer). */
  readonly cached: boolean;
  /** ‖ỹ_t‖² for every task (length T). */
  readonly yy: Float64Array;
}

/**
 * Builds the per-task Gram matrices G_t and cross products c_t of the centred data in `loss`.
 * Shared designs without missing responses share one G; per-task Grams are cached when T·d² ≤
 * `cacheBudget` doubles and recomputed on demand otherwise.
 * @param loss - the datafit (its centred designs are read, never written)
 * @param cacheBudget - maximum number of doubles for cached per-task Grams @default 4e6
 * @returns the normal equations
 * @example
 * ```ts
 * const ne = taskNormalEquations(loss);
 * const G0 = ne.gram(0); // X̃_0ᵀX̃_0
 * ```
 * @see {@link QuadraticLoss}
 */
export function taskNormalEquations(loss: QuadraticLoss, cacheBudget = 4e6): TaskNormalEquations {
  const { d, T } = loss;
  const C = new Float64Array(d * T);
  const yy = new Float64Array(T);
  const ct = new Float64Array(d);
  if (loss.X !== null && loss.mask === null) {
    // one shared (globally centred) design: G = XᵀX, C = XᵀY
    const n = loss.n, Y = loss.Y!;
    const G = new Float64Array(d * d);
    gemmTN(d, d, n, loss.X, loss.X, G, 0);
    gemmTN(d, T, n, loss.X, Y, C, 0);
    for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) yy[t]! += Y[i * T + t]! * Y[i * T + t]!;
    return { gram: () => G, C, sharedGram: true, cached: true, yy };
  }
  // per-task designs X̃_t (n_t×d): materialise them for shared designs with missing responses
  let designs: Float64Array[];
  let responses: Float64Array[];
  if (loss.X === null) {
    designs = loss.Xs as Float64Array[];
    responses = loss.ys as Float64Array[];
  } else {
    designs = [];
    responses = [];
    const X = loss.X, Y = loss.Y!, mask = loss.mask!, n = loss.n;
    for (let t = 0; t < T; t++) {
      const nt = loss.data.taskSizes[t]!;
      const Xt = new Float64Array(nt * d);
      const yt = new Float64Array(nt);
      const mx = loss.xMeans.subarray(t * d, (t + 1) * d); // zeros without intercepts
      let r = 0;
      for (let i = 0; i < n; i++) {
        if (!mask[i * T + t]) continue;
        for (let j = 0; j < d; j++) Xt[r * d + j] = X[i * d + j]! - mx[j]!;
        yt[r++] = Y[i * T + t]!; // Y is already centred per task over the observed rows
      }
      designs.push(Xt);
      responses.push(yt);
    }
  }
  for (let t = 0; t < T; t++) {
    const Xt = designs[t]!;
    const nt = responses[t]!.length;
    gemvT(nt, d, Xt, 0, responses[t]!, 0, ct, 0, 0);
    for (let j = 0; j < d; j++) C[j * T + t] = ct[j]!;
    yy[t] = dot(nt, responses[t]!, 0, responses[t]!, 0);
  }
  const cache = T * d * d <= cacheBudget;
  const grams: Float64Array[] = [];
  const scratch = cache ? null : new Float64Array(d * d);
  if (cache) {
    for (let t = 0; t < T; t++) {
      const G = new Float64Array(d * d);
      gemmTN(d, d, responses[t]!.length, designs[t]!, designs[t]!, G, 0);
      grams.push(G);
    }
  }
  return {
    gram: (t: number) => {
      if (cache) return grams[t]!;
      gemmTN(d, d, responses[t]!.length, designs[t]!, designs[t]!, scratch!, 0);
      return scratch!;
    },
    C,
    sharedGram: false,
    cached: cache,
    yy,
  };
}

/**
 * How a solver evaluates the squared loss: from residuals R = Y − XW (state = R, O(Σ_t n_t d) per
 * evaluation) or from Gram matrices (state = [G_t w_t]_t, O(Σ_t d²) per evaluation, L(W) =
 * Σ_t s_t(‖ỹ_t‖² − 2c_tᵀw_t + w_tᵀG_tw_t)). Both give the same values up to rounding; the Gram
 * form is cheaper when d is small against the number of rows.
 */
export interface LossBackend {
  /** Which form is used. */
  readonly kind: 'residual' | 'gram';
  /** A Lipschitz constant of ∇L (an estimate from power iterations, ×1.01; solvers backtrack). */
  lipschitz(): number;
  /** Length of the (affine) state. */
  readonly stateSize: number;
  /** state ← A(W) (residuals, or G_t w_t column by column). */
  computeState(W: Float64Array, state: Float64Array): void;
  /** state ← A(P·Qᵀ) for a factored W = P·Qᵀ (P d×k, Qt k×T): present for a shared Gram (G·P first). */
  computeStateFactored?(P: Float64Array, Qt: Float64Array, k: number, state: Float64Array): void;
  /** L(W) with optimal intercepts (≥ 0). */
  value(W: Float64Array, state: Float64Array): number;
  /** G ← ∇L(W) (d×T; only the first d·T entries of G are written). */
  gradient(W: Float64Array, state: Float64Array, G: Float64Array): void;
  /** V ← −∇L(W) = Xᵀ(2s⊙R); returns A = ⟨2s⊙R, Ỹ⟩ (the dual-objective term of a duality gap). */
  correlation(W: Float64Array, state: Float64Array, V: Float64Array): number;
}

/**
 * Builds the loss evaluation backend of a solver. `'auto'` picks the Gram form when it costs at most
 * half of the residual form per evaluation (d ≤ n/2 for a shared design, d ≤ mean n_t / 2 for
 * per-task designs) and the per-task Gram matrices fit in memory (T·d² ≤ 4e6 doubles).
 * @param loss - the datafit
 * @param choice - `'auto'`, `'residual'` or `'gram'` @default 'auto'
 * @returns the backend
 * @example
 * ```ts
 * const be = createLossBackend(loss, 'auto');
 * const state = new Float64Array(be.stateSize);
 * be.computeState(W, state);
 * be.value(W, state); // L(W)
 * ```
 * @see {@link taskNormalEquations}
 */
export function createLossBackend(loss: QuadraticLoss, choice: 'auto' | 'residual' | 'gram' = 'auto'): LossBackend {
  const { d, T } = loss;
  let useGram = choice === 'gram';
  if (choice === 'auto') {
    const sharedNoMask = loss.X !== null && loss.mask === null;
    const rows = loss.data.totalSize;
    useGram = sharedNoMask ? 2 * d <= loss.n : T * d * d <= 4e6 && 2 * d * T <= rows;
  }
  if (!useGram) {
    return {
      kind: 'residual',
      lipschitz: () => loss.lipschitz(),
      stateSize: loss.residualSize,
      computeState: (W, R) => loss.residual(W, R),
      value: (_W, R) => loss.valueFromResidual(R),
      gradient: (_W, R, G) => {
        loss.correlation(R, G);
        for (let k = 0; k < d * T; k++) G[k] = -G[k]!;
      },
      correlation: (_W, R, V) => {
        loss.correlation(R, V);
        return loss.innerWithY(R, true);
      },
    };
  }
  const ne = taskNormalEquations(loss, Infinity);
  const { C, yy } = ne;
  const scales = loss.scales;
  const wt = new Float64Array(d);
  const gt = new Float64Array(d);
  const GP = ne.sharedGram ? new Float64Array(d * Math.min(d, T)) : null;
  return {
    kind: 'gram',
    lipschitz: () => {
      // max_t 2 s_t λ_max(G_t), by power iteration on each distinct G_t (d² per step instead of n·d)
      let L = 0;
      const count = ne.sharedGram ? 1 : T;
      for (let t = 0; t < count; t++) {
        let smax = scales[t]!;
        if (ne.sharedGram) for (let u = 1; u < T; u++) smax = Math.max(smax, scales[u]!);
        L = Math.max(L, 2 * smax * symmetricPowerNorm(d, ne.gram(t), wt, gt));
      }
      return 1.01 * L;
    },
    stateSize: d * T,
    ...(GP ? {
      computeStateFactored: (P: Float64Array, Qt: Float64Array, k: number, S: Float64Array) => {
        // S = G W = (G P) Qᵀ
        if (k === 0) {
          S.fill(0);
          return;
        }
        gemmNN(d, k, d, ne.gram(0), P, GP, 0);
        gemmNN(d, T, k, GP, Qt, S, 0);
      },
    } : {}),
    computeState: (W, S) => {
      if (ne.sharedGram) {
        gemmNN(d, T, d, ne.gram(0), W, S, 0);
        return;
      }
      for (let t = 0; t < T; t++) {
        for (let j = 0; j < d; j++) wt[j] = W[j * T + t]!;
        gemv(d, d, ne.gram(t), 0, wt, 0, gt, 0, 0);
        for (let j = 0; j < d; j++) S[j * T + t] = gt[j]!;
      }
    },
    value: (W, S) => {
      // Σ_t s_t (‖ỹ_t‖² − 2 c_tᵀw_t + w_tᵀ(G_t w_t))
      let total = 0;
      for (let t = 0; t < T; t++) {
        let q = yy[t]!;
        for (let j = 0; j < d; j++) {
          const k = j * T + t;
          q += W[k]! * (S[k]! - 2 * C[k]!);
        }
        total += scales[t]! * Math.max(q, 0);
      }
      return total;
    },
    gradient: (_W, S, G) => {
      for (let j = 0; j < d; j++) {
        for (let t = 0; t < T; t++) {
          const k = j * T + t;
          G[k] = 2 * scales[t]! * (S[k]! - C[k]!);
        }
      }
    },
    correlation: (W, S, V) => {
      let A = 0;
      for (let t = 0; t < T; t++) {
        let q = yy[t]!;
        for (let j = 0; j < d; j++) q -= C[j * T + t]! * W[j * T + t]!;
        A += 2 * scales[t]! * q;
      }
      for (let j = 0; j < d; j++) {
        for (let t = 0; t < T; t++) {
          const k = j * T + t;
          V[k] = 2 * scales[t]! * (C[k]! - S[k]!);
        }
      }
      return A;
    },
  };
}

/**
 * Buffers for a thin SVD of a fixed m×n shape, reused across iterations.
 */
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
 * A seeded standard-normal generator (mulberry32 uniforms, Box–Muller), for reproducible starts.
 * @param seed - any integer (taken modulo 2³²)
 * @returns a function returning N(0, 1) draws
 * @example
 * ```ts
 * const g = seededNormal(42);
 * g(); // the same value on every run
 * ```
 * @see {@link orthonormalizeRows}
 */
export function seededNormal(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    let u = uniform();
    while (u <= 0) u = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/**
 * Orthonormalises the rows of the h×d matrix Θ in place by modified Gram–Schmidt applied twice
 * ("twice is enough": Giraud, Langou & Rozložník, Comput. Math. Appl. 50, 2005), so ΘΘᵀ = I to
 * about 1e-15. A row that becomes numerically dependent is replaced by the coordinate vector least
 * represented in the span of the previous rows, then orthonormalised.
 * @param theta - h×d row-major, h ≤ d (overwritten)
 * @param h - rows
 * @param d - columns
 * @example
 * ```ts
 * orthonormalizeRows(theta, 3, 10); // theta·thetaᵀ = I₃
 * ```
 * @see {@link seededNormal}
 */
export function orthonormalizeRows(theta: Float64Array, h: number, d: number): void {
  for (let i = 0; i < h; i++) {
    const io = i * d;
    let norm0 = 0;
    for (let c = 0; c < d; c++) norm0 += theta[io + c]! * theta[io + c]!;
    norm0 = Math.sqrt(norm0);
    for (let attempt = 0; attempt < 2; attempt++) {
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < i; p++) {
          const po = p * d;
          let ip = 0;
          for (let c = 0; c < d; c++) ip += theta[po + c]! * theta[io + c]!;
          for (let c = 0; c < d; c++) theta[io + c]! -= ip * theta[po + c]!;
        }
      }
      let nrm = 0;
      for (let c = 0; c < d; c++) nrm += theta[io + c]! * theta[io + c]!;
      nrm = Math.sqrt(nrm);
      if (nrm > 1e-10 * Math.max(norm0, 1e-300) && nrm > 0) {
        for (let c = 0; c < d; c++) theta[io + c]! /= nrm;
        break;
      }
      // dependent row: restart from the coordinate vector with the smallest projection on the span
      let best = 0, bestVal = Infinity;
      for (let c = 0; c < d; c++) {
        let s = 0;
        for (let p = 0; p < i; p++) s += theta[p * d + c]! * theta[p * d + c]!;
        if (s < bestVal) {
          bestVal = s;
          best = c;
        }
      }
      theta.fill(0, io, io + d);
      theta[io + best] = 1;
      norm0 = 1;
    }
  }
}

/**
 * Cholesky factorisation A = LLᵀ of a symmetric positive definite n×n matrix, in place: the lower
 * triangle of `A` receives L (the strict upper triangle is left untouched). Fails (returns false) when
 * a pivot is ≤ 1e-13·max_i A_ii, i.e. A is singular or indefinite to rounding.
 * @param n - order
 * @param A - n×n row-major (lower triangle overwritten by L)
 * @returns whether the factorisation succeeded
 * @example
 * ```ts
 * const A = new Float64Array([4, 2, 2, 3]);
 * choleskyFactor(2, A); // true; A's lower triangle = [[2, ·], [1, √2]]
 * ```
 * @see {@link choleskySolveFactored}; Golub & Van Loan, *Matrix Computations* (4th ed.), Algorithm 4.2.1
 */
export function choleskyFactor(n: number, A: Float64Array): boolean {
  let dmax = 0;
  for (let i = 0; i < n; i++) dmax = Math.max(dmax, Math.abs(A[i * n + i]!));
  const floor = 1e-13 * dmax;
  for (let j = 0; j < n; j++) {
    const jo = j * n;
    let s = A[jo + j]!;
    for (let k = 0; k < j; k++) s -= A[jo + k]! * A[jo + k]!;
    if (!(s > floor)) return false;
    const ljj = Math.sqrt(s);
    A[jo + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const io = i * n;
      let t = A[io + j]!;
      for (let k = 0; k < j; k++) t -= A[io + k]! * A[jo + k]!;
      A[io + j] = t * inv;
    }
  }
  return true;
}

/**
 * Solves LLᵀx = b with the factor from {@link choleskyFactor}.
 * @param n - order
 * @param L - the factor (lower triangle of an n×n row-major array)
 * @param b - right-hand side (length n; not modified unless it is `x`)
 * @param x - solution (length n; may alias b)
 * @example
 * ```ts
 * if (choleskyFactor(d, A)) choleskySolveFactored(d, A, rhs, w);
 * ```
 * @see {@link choleskyFactor}
 */
export function choleskySolveFactored(n: number, L: Float64Array, b: Float64Array, x: Float64Array): void {
  if (x !== b) x.set(b.subarray(0, n));
  for (let i = 0; i < n; i++) {
    const io = i * n;
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= L[io + k]! * x[k]!;
    x[i] = s / L[io + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
}

/**
 * λ_max of a symmetric positive semidefinite d×d matrix by power iteration (at most 200 steps,
 * relative change ≤ 1e-8), from a fixed start (reproducible).
 * @param d - order
 * @param G - d×d row-major
 * @param v - work vector (length d)
 * @param u - work vector (length d)
 * @returns the estimate (a lower bound converging from below)
 */
function symmetricPowerNorm(d: number, G: Float64Array, v: Float64Array, u: Float64Array): number {
  for (let j = 0; j < d; j++) v[j] = 1 + j / Math.max(d, 1);
  let nv = Math.sqrt(dot(d, v, 0, v, 0));
  if (!(nv > 0)) return 0;
  for (let j = 0; j < d; j++) v[j]! /= nv;
  let est = 0;
  for (let it = 0; it < 200; it++) {
    gemv(d, d, G, 0, v, 0, u, 0, 0); // u = G v
    nv = scaledNorm(d, u);
    if (!(nv > 0)) return 0;
    for (let j = 0; j < d; j++) v[j] = u[j]! / nv;
    const prev = est;
    est = nv;
    if (Math.abs(est - prev) <= 1e-8 * est) break;
  }
  return est;
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
