/**
 * FISTA for graph-regularized multi-task learning (the reference path of `graphRegularized`).
 *
 * @packageDocumentation
 */
import type { QuadraticLoss } from '../datafits/quadratic.js';
import type { ProgressCallback } from '../types.js';
import { gemmNN } from '../linalg/blas.js';
import { createSymEigWorkspace, symEigInto } from '../linalg/eig.js';
import { rowNorm } from '../penalties/index.js';
import { fista, type ProxFunction, type SmoothFunction } from './fista.js';

/**
 * The generic path of graph-regularized MTL: FISTA on the smooth part L + ρ₁‖WR‖² + ρ‖W‖²
 * (∇ = ∇L + 2ρ₁ W K + 2ρ W, K = R Rᵀ) with the ℓ1 prox — the solver before the structured ones.
 * @param loss - the squared-loss datafit
 * @param K - R Rᵀ (T×T)
 * @param W0 - the start (d×T)
 * @param opts - ρ₁, ρ₂, ρ, the iteration cap and the progress callback
 * @param tolAbs - absolute tolerance of the certificate
 * @param certificate - the duality gap at (W, residuals), or null for the fixed-point residual
 * @returns the FISTA result
 * @example
 * ```ts
 * const res = fistaGraph(loss, K, new Float64Array(d * T), { rho1: 1, rho2: 0.1, ridge: 0, maxIter: 1000 }, 1e-8, gap);
 * ```
 * @see A. Beck & M. Teboulle, SIAM J. Imaging Sci. 2, 2009.
 */
export function fistaGraph(
  loss: QuadraticLoss, K: Float64Array, W0: Float64Array, opts: { rho1: number; rho2: number; ridge: number; maxIter: number; onProgress?: ProgressCallback }, tolAbs: number,
  certificate: ((x: Float64Array, s: Float64Array) => number) | null,
): ReturnType<typeof fista> {
  const { d, T } = loss;
  const { rho1, rho2, ridge } = opts;
  const dT = d * T;
  const WK = new Float64Array(dT);
  const kvals = new Float64Array(T);
  symEigInto({ rows: T, cols: T, data: K }, kvals, null, createSymEigWorkspace(T));
  const kmax = Math.max(kvals[0]!, 0);
  const l1 = rowNorm(1, T);
  const smooth: SmoothFunction = {
    dim: dT,
    stateSize: loss.residualSize,
    computeState: (x, s) => loss.residual(x, s),
    value: (x, s) => {
      let fro = 0, g = 0;
      if (ridge > 0) for (let k = 0; k < dT; k++) fro += x[k]! * x[k]!;
      if (rho1 > 0) {
        gemmNN(d, T, T, x, K, WK, 0); // ‖W R‖² = ⟨W, W K⟩
        for (let k = 0; k < dT; k++) g += x[k]! * WK[k]!;
      }
      return loss.valueFromResidual(s) + rho1 * Math.max(g, 0) + ridge * fro;
    },
    gradient: (x, s, g) => {
      loss.gradient(s, g);
      if (rho1 > 0) {
        gemmNN(d, T, T, x, K, WK, 0);
        for (let k = 0; k < dT; k++) g[k]! += 2 * rho1 * WK[k]!;
      }
      if (ridge > 0) for (let k = 0; k < dT; k++) g[k]! += 2 * ridge * x[k]!;
    },
  };
  const prox: ProxFunction = {
    value: (x) => {
      let s = 0;
      for (let k = 0; k < x.length; k++) s += Math.abs(x[k]!);
      return rho2 * s;
    },
    prox: (v, step, out) => {
      if (rho2 === 0) { out.set(v); return; }
      l1.prox(v, 0, v.length, step * rho2, out, 0);
    },
  };
  return fista(smooth, prox, W0, {
    lipschitz: loss.lipschitz() + 2 * rho1 * kmax + 2 * ridge,
    tol: tolAbs, maxIter: opts.maxIter, checkEvery: 10, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(certificate ? { certificate } : {}),
  });
}
