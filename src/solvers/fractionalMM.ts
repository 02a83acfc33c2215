/**
 * Exact alternation for min_{W, M} L(W) + c·tr(Zᵀ(ηI + M)⁻¹Z) over 0 ⪯ M ⪯ I, tr M = k (convex ASO,
 * Z = W; convex clustered MTL, Z = Wᵀ), jointly convex. For fixed W the M-step has a closed form
 * ({@link MatrixFractional}); for fixed M the W-step is the quadratic
 *   min_W L(W) + c tr(Zᵀ P Z),  P = (ηI + M)⁻¹,
 * solved exactly: per task (H_t + 2cP) w_t = b_t (ASO, d×d Cholesky per task, one for a shared
 * design with equal task scales) or H(W) + W(2cP) = B (clustered, conjugate gradients with the task
 * coupling 2cP, {@link TaskCoupledSolver}). Each W-step minimises a quadratic that majorises
 * f(W) = L(W) + p(W) (p the penalty with M minimised out) and touches it at the current W, so the
 * iteration is majorise–minimise: f never increases. It is accelerated by Anderson extrapolation on
 * the fixed-point map W ↦ W-step(M*(W)) (depth 5), an extrapolated point being kept only when it
 * lowers f below the plain step.
 *
 * References: J. Zhou, J. Chen & J. Ye, "Clustered multi-task learning via alternating structure
 * optimization", NIPS 2011; J. Chen, L. Tang, J. Liu & J. Ye, ICML 2009; D. G. Anderson, "Iterative
 * procedures for nonlinear integral equations", J. ACM 12, 1965; H. F. Walker & P. Ni, "Anderson
 * acceleration for fixed-point iterations", SIAM J. Numer. Anal. 49, 2011.
 *
 * @packageDocumentation
 */
import { choleskyFactor, choleskySolveFactored } from '../linalg/cholesky.js';
import { FractionalRowStep } from './fractionalRowStep.js';
import type { MatrixFractional } from './matrixFractional.js';
import { TaskCoupledSolver } from './pcg.js';
import type { TaskQuadratic } from './taskQuadratic.js';

/** Options of {@link fractionalMM}. */
export interface FractionalMMOptions {
  /** Stop when `certificate(W)` ≤ tolAbs. */
  tolAbs: number;
  /** Maximum alternations. */
  maxIter: number;
  /** The stopping certificate at W; `pen` holds M*(W) when it is called (once per iteration). */
  certificate: (W: Float64Array) => number;
  /** Anderson depth (0: plain alternation). @default 5 */
  anderson?: number;
  /** Called after every certificate with (iteration, f(W), certificate). @default none */
  onCheck?: (iteration: number, objective: number, certificate: number) => void;
}

/** The outcome of {@link fractionalMM}. */
export interface FractionalMMResult {
  /** Alternations done. */
  iterations: number;
  /** The last certificate. */
  certificate: number;
  /** f(W) = L(W) + p(W) at the returned W (Gram form). */
  objective: number;
  /** `'converged'`, `'max-iterations'` or `'non-finite'`. */
  status: 'converged' | 'max-iterations' | 'non-finite';
}

/**
 * Runs the accelerated exact alternation from W (in: the start; out: the solution). On return the
 * penalty object holds M*(W) of the returned W.
 *
 * @param q - Gram statistics of the loss
 * @param pen - the penalty with M minimised out (its side chooses the W-step)
 * @param W - d×T, in/out
 * @param options - tolerance, cap, certificate
 * @returns iterations, certificate, objective, status
 * @example
 * ```ts
 * const res = fractionalMM(q, new MatrixFractional(d, T, 'rows', h, eta, c), W, { tolAbs, maxIter: 500, certificate });
 * ```
 * @see {@link MatrixFractional}
 */
export function fractionalMM(q: TaskQuadratic, pen: MatrixFractional, W: Float64Array, options: FractionalMMOptions): FractionalMMResult {
  const { d, T } = q;
  const dT = d * T;
  const m = options.anderson ?? 5;
  const G = new Float64Array(dT);
  const f = (x: Float64Array): number => {
    // f(x) = L(x) + p(x); leaves M*(x) in `pen`
    q.gradient(x, G);
    return q.valueFromGradient(x, G) + pen.evaluate(x);
  };
  const step = makeWStep(q, pen);
  // Anderson history: differences of the map values and of the residuals r = Φ(x) − x
  const dX: Float64Array[] = [], dR: Float64Array[] = [];
  const prevPhi = new Float64Array(dT), prevR = new Float64Array(dT), phi = new Float64Array(dT), res = new Float64Array(dT);
  const cand = new Float64Array(dT);
  let havePrev = false;
  let bnorm = 0;
  for (let k = 0; k < dT; k++) bnorm += q.B[k]! * q.B[k]!;
  const floor = 1e-14 * Math.sqrt(bnorm);
  let fx = f(W); // pen holds M*(W)
  let cert = options.certificate(W);
  let it = 0;
  let status: FractionalMMResult['status'] = 'max-iterations';
  for (;;) {
    if (!Number.isFinite(fx) || !Number.isFinite(cert)) { status = 'non-finite'; break; }
    options.onCheck?.(it, fx, cert);
    if (cert <= options.tolAbs) { status = 'converged'; break; }
    if (it >= options.maxIter) break;
    it++;
    // Φ(W): the W-step for M = M*(W) (held by pen), solved to a fraction of the current certificate
    phi.set(W);
    step(phi, Math.max(floor, 1e-3 * cert));
    for (let k = 0; k < dT; k++) res[k] = phi[k]! - W[k]!;
    if (havePrev && m > 0) {
      // ΔΦ and ΔR of the last two steps, in recycled buffers
      const a = dX.length >= m ? dX.shift()! : new Float64Array(dT);
      const b = dR.length >= m ? dR.shift()! : new Float64Array(dT);
      for (let k = 0; k < dT; k++) { a[k] = phi[k]! - prevPhi[k]!; b[k] = res[k]! - prevR[k]!; }
      dX.push(a);
      dR.push(b);
    }
    prevPhi.set(phi);
    prevR.set(res);
    havePrev = true;
    const fPhi = f(phi); // pen holds M*(Φ)
    let accepted = false, penAtPhi = true;
    if (dR.length > 0) {
      // γ = argmin ‖r − ΔR γ‖ (normal equations, Tikhonov-regularised); x⁺ = Φ − ΔX γ
      const p = dR.length;
      const A = new Float64Array(p * p), rhs = new Float64Array(p), gam = new Float64Array(p);
      let tr = 0;
      for (let i = 0; i < p; i++) {
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let k = 0; k < dT; k++) s += dR[i]![k]! * dR[j]![k]!;
          A[i * p + j] = s;
          A[j * p + i] = s;
        }
        tr += A[i * p + i]!;
        let s = 0;
        for (let k = 0; k < dT; k++) s += dR[i]![k]! * res[k]!;
        rhs[i] = s;
      }
      for (let i = 0; i < p; i++) A[i * p + i]! += 1e-10 * tr;
      if (tr > 0 && choleskyFactor(p, A, 0)) {
        choleskySolveFactored(p, A, rhs, gam);
        cand.set(phi);
        for (let i = 0; i < p; i++) {
          const g = gam[i]!;
          for (let k = 0; k < dT; k++) cand[k]! -= g * dX[i]![k]!;
        }
        const fc = f(cand); // pen holds M*(cand)
        penAtPhi = false;
        if (Number.isFinite(fc) && fc < fPhi) {
          W.set(cand);
          fx = fc;
          accepted = true;
        }
      }
    }
    if (!accepted) {
      W.set(phi);
      fx = fPhi;
      if (!penAtPhi) f(W);
    }
    cert = options.certificate(W);
  }
  return { iterations: it, certificate: cert, objective: fx, status };
}

/**
 * The W-step W ← argmin L(W) + c tr(Zᵀ P Z) for the P held by `pen` (W: warm start in, solution out);
 * exact for ASO (Cholesky), to the residual `tol` for the clustered coupling (CG).
 */
function makeWStep(q: TaskQuadratic, pen: MatrixFractional): (W: Float64Array, tol: number) => void {
  const { d, T } = q;
  const c2 = 2 * pen.c;
  if (pen.side === 'cols') {
    const cg = new TaskCoupledSolver(q);
    const A = new Float64Array(T * T);
    return (W, tol) => {
      const P = pen.shiftedInverse();
      for (let k = 0; k < T * T; k++) A[k] = c2 * P[k]!;
      cg.setCoupling(A);
      cg.solve(q.B, W, tol, 10 * d * T + 100);
    };
  }
  // rows: per task (H_t + 2cP) w_t = b_t (directly, or by Woodbury around H_t + 2cβI)
  const rows = new FractionalRowStep(q, pen);
  return (W) => rows.solve(W);
}
