/**
 * FISTA: accelerated proximal gradient with backtracking and adaptive restart, for
 * min_x f(x) + h(x) with f smooth and h "prox-friendly".
 *
 * References: A. Beck & M. Teboulle, "A fast iterative shrinkage-thresholding algorithm for linear
 * inverse problems", SIAM J. Imaging Sci. 2(1), 2009; B. O'Donoghue & E. Candès, "Adaptive restart
 * for accelerated gradient schemes", Found. Comput. Math. 15, 2015.
 *
 * @packageDocumentation
 */
import type { FitStatus, HistoryEntry, ProgressCallback } from '../types.js';
import { certified } from './certificates.js';

/**
 * The smooth part f of a composite problem. f is evaluated through an *affine state* s = A(x) (for a
 * least-squares loss: the residuals). Because the state is affine in x, the state of the
 * extrapolated point y = x + β(x − x_prev) is s + β(s − s_prev), so FISTA needs one state
 * computation (forward pass) and one gradient (backward pass) per iteration. A smooth function that
 * is not a function of an affine map uses the identity: state = x.
 */
export interface SmoothFunction {
  /** Number of variables. */
  readonly dim: number;
  /** Length of the state vector. */
  readonly stateSize: number;
  /** state ← A(x); must be affine in x. */
  computeState(x: Float64Array, state: Float64Array): void;
  /** f(x) given x and its state. */
  value(x: Float64Array, state: Float64Array): number;
  /** g ← ∇f(x) given x and its state. */
  gradient(x: Float64Array, state: Float64Array, g: Float64Array): void;
}

/** The non-smooth part h with its proximal operator. */
export interface ProxFunction {
  /** h(x). */
  value(x: Float64Array): number;
  /** out ← prox_{step·h}(v) = argmin_z ½‖z − v‖² + step·h(z). `out` never aliases `v`. */
  prox(v: Float64Array, step: number, out: Float64Array): void;
}

/** Options of {@link fista}. */
export interface FistaOptions {
  /** Initial Lipschitz estimate of ∇f (backtracking doubles it as needed). */
  lipschitz: number;
  /** Maximum iterations. @default 10000 */
  maxIter?: number;
  /** Stop when the certificate is ≤ this absolute value. @default 1e-8 */
  tol?: number;
  /** Adaptive (gradient) restart of the momentum. @default true */
  restart?: boolean;
  /** Use momentum at all (false = plain proximal gradient, ISTA). @default true */
  accelerate?: boolean;
  /** Compute the certificate every this many iterations. @default 10 */
  checkEvery?: number;
  /**
   * The certificate (e.g. a duality gap) at the current iterate x with its state; returns a number
   * ≥ 0. When omitted, the fixed-point residual ‖x − prox_{h/L}(x − ∇f(x)/L)‖·L is used.
   */
  certificate?: (x: Float64Array, state: Float64Array) => number;
  /** Record objective and certificate in the history at every check. @default true */
  recordHistory?: boolean;
  /**
   * Most Lipschitz doublings of one backtracking search; each trial after the first also counts as an
   * iteration toward `maxIter`, so the fit always ends within its budget. @default 60
   */
  maxBacktracks?: number;
  /** Called at every certificate check (see {@link ProgressInfo}); never prints. @default undefined */
  onProgress?: ProgressCallback;
}

/** What {@link fista} returns. */
export interface FistaResult {
  /** The final iterate. */
  x: Float64Array;
  /** Its state A(x). */
  state: Float64Array;
  /** f(x) + h(x). */
  objective: number;
  /** The last certificate computed. */
  certificate: number;
  /** Iterations performed. */
  iterations: number;
  /** Whether a finite certificate reached the finite `tol` ({@link certified}). */
  converged: boolean;
  /** How the run ended; `'non-finite'` returns the last finite iterate. */
  status: FitStatus;
  /** The final Lipschitz estimate. */
  lipschitz: number;
  /** Objective and certificate at each check. */
  history: HistoryEntry[];
}

/**
 * Minimises f(x) + h(x) by FISTA with backtracking line search on the Lipschitz constant and
 * O'Donoghue–Candès gradient-based adaptive restart. Allocates its work buffers once; the loop
 * allocates nothing. Non-convergence is reported in the result (`converged: false`).
 *
 * @param f - the smooth part
 * @param h - the non-smooth part and its prox
 * @param x0 - the starting point (copied, not modified)
 * @param options - see {@link FistaOptions}
 * @returns the final iterate with its objective, certificate and history
 * @example
 * ```ts
 * const res = fista(smooth, prox, new Float64Array(smooth.dim), { lipschitz: 1, tol: 1e-10 });
 * res.converged; // true when the certificate reached tol
 * ```
 * @see {@link SmoothFunction}, {@link ProxFunction}
 */
export function fista(f: SmoothFunction, h: ProxFunction, x0: Float64Array, options: FistaOptions): FistaResult {
  const n = f.dim;
  const m = f.stateSize;
  const maxIter = options.maxIter ?? 10000;
  const tol = options.tol ?? 1e-8;
  const restart = options.restart ?? true;
  const accelerate = options.accelerate ?? true;
  const checkEvery = Math.max(1, options.checkEvery ?? 10);
  const record = options.recordHistory ?? true;
  const maxBacktracks = Math.max(1, options.maxBacktracks ?? 60);
  const onProgress = options.onProgress;
  let L = options.lipschitz > 0 && Number.isFinite(options.lipschitz) ? options.lipschitz : 1;

  let x = Float64Array.from(x0);
  let xPrev = Float64Array.from(x0);
  let xNew = new Float64Array(n);
  const y = new Float64Array(n);
  const g = new Float64Array(n);
  const v = new Float64Array(n);
  let s = new Float64Array(m);
  let sPrev = new Float64Array(m);
  let sNew = new Float64Array(m);
  const sy = new Float64Array(m);
  const gx = new Float64Array(n);

  f.computeState(x, s);
  sPrev.set(s);
  let fx = f.value(x, s);
  let tk = 1;
  const history: HistoryEntry[] = [];
  const start = performance.now();

  const certificate = (xc: Float64Array, sc: Float64Array): number => {
    if (options.certificate) return options.certificate(xc, sc);
    // fixed-point residual: ‖x − prox_{h/L}(x − ∇f(x)/L)‖ · L
    f.gradient(xc, sc, gx);
    for (let i = 0; i < n; i++) if (!Number.isFinite(gx[i]!)) return NaN;
    for (let i = 0; i < n; i++) v[i] = xc[i]! - gx[i]! / L;
    h.prox(v, 1 / L, y);
    let r = 0;
    for (let i = 0; i < n; i++) {
      const dlt = xc[i]! - y[i]!;
      r += dlt * dlt;
    }
    return Math.sqrt(r) * L;
  };
  const report = (it: number, obj: number, cert: number): void => {
    if (record) history.push({ iteration: it, objective: obj, certificate: cert, time: (performance.now() - start) / 1000 });
    if (onProgress) onProgress({ iteration: it, maxIter, objective: obj, certificate: cert, tol });
  };

  let status: FitStatus = 'max-iterations';
  let cert = Number.isFinite(fx) ? certificate(x, s) : NaN;
  report(0, fx + h.value(x), cert);
  if (!Number.isFinite(fx) || Number.isNaN(cert) || cert === Infinity) status = 'non-finite';
  else if (certified(cert, tol)) status = 'converged';
  let it = 0;
  let checkedAt = 0;
  loop: while (status === 'max-iterations' && it < maxIter) {
    it++;
    // extrapolation: y = x + β (x − x_prev), state likewise (affine)
    const tNext = accelerate ? (1 + Math.sqrt(1 + 4 * tk * tk)) / 2 : 1;
    const beta = accelerate ? (tk - 1) / tNext : 0;
    for (let i = 0; i < n; i++) y[i] = x[i]! + beta * (x[i]! - xPrev[i]!);
    for (let i = 0; i < m; i++) sy[i] = s[i]! + beta * (s[i]! - sPrev[i]!);
    const fy = beta === 0 ? fx : f.value(y, sy);
    f.gradient(y, sy, g);
    let gFinite = Number.isFinite(fy);
    for (let i = 0; i < n && gFinite; i++) gFinite = Number.isFinite(g[i]!);
    if (!gFinite) {
      status = 'non-finite';
      break;
    }
    // backtracking: find L with f(x+) ≤ f(y) + ⟨g, x+ − y⟩ + L/2 ‖x+ − y‖²  (bounded; trials count as iterations)
    let fNew = 0;
    for (let trial = 0; ; trial++) {
      for (let i = 0; i < n; i++) v[i] = y[i]! - g[i]! / L;
      h.prox(v, 1 / L, xNew);
      f.computeState(xNew, sNew);
      fNew = f.value(xNew, sNew);
      if (!Number.isFinite(fNew)) {
        status = 'non-finite';
        break loop;
      }
      let lin = 0, sq = 0;
      for (let i = 0; i < n; i++) {
        const dlt = xNew[i]! - y[i]!;
        lin += g[i]! * dlt;
        sq += dlt * dlt;
      }
      const bound = fy + lin + 0.5 * L * sq;
      if (fNew <= bound + 1e-12 * Math.max(1, Math.abs(fy)) || sq === 0) break;
      if (trial + 1 >= maxBacktracks || it >= maxIter || !Number.isFinite(2 * L)) {
        status = 'stalled';
        break loop;
      }
      L *= 2;
      it++;
    }
    // adaptive restart (gradient scheme): ⟨y − x+, x+ − x⟩ > 0 ⇒ reset momentum
    let restartNow = false;
    if (restart && accelerate) {
      let ip = 0;
      for (let i = 0; i < n; i++) ip += (y[i]! - xNew[i]!) * (xNew[i]! - x[i]!);
      restartNow = ip > 0;
    }
    // rotate buffers: x_prev ← x, x ← x+
    const tx = xPrev; xPrev = x; x = xNew; xNew = tx;
    const ts = sPrev; sPrev = s; s = sNew; sNew = ts;
    fx = fNew;
    tk = restartNow ? 1 : tNext;
    if (it - checkedAt >= checkEvery || it >= maxIter) {
      checkedAt = it;
      cert = certificate(x, s);
      report(it, fx + h.value(x), cert);
      if (Number.isNaN(cert) || cert === Infinity) status = 'non-finite';
      else if (certified(cert, tol)) status = 'converged';
    }
  }
  if (status !== 'converged' && status !== 'non-finite' && checkedAt !== it) {
    // the budget ran out between checks: certify the iterate we return
    cert = certificate(x, s);
    report(it, fx + h.value(x), cert);
    if (Number.isNaN(cert) || cert === Infinity) status = 'non-finite';
    else if (certified(cert, tol)) status = 'converged';
  }
  return {
    x, state: s, objective: fx + h.value(x), certificate: cert, iterations: it, converged: status === 'converged', status,
    lipschitz: L, history,
  };
}
