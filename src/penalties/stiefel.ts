/**
 * The Stiefel manifold St(d, h) = {P ∈ ℝ^{d×h} : PᵀP = I_h}: its QR retraction R_P(ξ) = qf(P + ξ)
 * (the Q factor with positive diagonal R), the projection of a Euclidean gradient onto the tangent space
 * at P, and the indicator's prox (the projection of a full-rank matrix onto the manifold, the polar
 * factor, is not needed by the models; the QR retraction is). Used by the joint feature projection
 * model (Li, Tian, Liu & Tao 2015).
 *
 * References: P.-A. Absil, R. Mahony & R. Sepulchre, *Optimization Algorithms on Matrix Manifolds*
 * (2008), Example 4.1.3 (QR retraction) and (3.35) (tangent projection).
 *
 * @packageDocumentation
 */
import { orthonormalizeColumns } from '../linalg/orthonormalize.js';

/**
 * The QR retraction on St(d, h): out = qf(P + τ·ξ), PᵀP = I afterwards to about 1e-15.
 * @param P - the point, d×h row-major
 * @param xi - the tangent direction, d×h
 * @param tau - the step
 * @param d - rows
 * @param h - columns (≤ d)
 * @param out - d×h output (may alias P)
 * @param work - d·h scratch @default a new buffer
 * @example
 * ```ts
 * stiefelRetractQR(P, G, -step, d, h, P); // a Riemannian gradient step in place
 * ```
 * @see {@link stiefelTangentProject}
 */
export function stiefelRetractQR(
  P: Float64Array, xi: Float64Array, tau: number, d: number, h: number, out: Float64Array, work = new Float64Array(d * h),
): void {
  for (let i = 0; i < d * h; i++) out[i] = P[i]! + tau * xi[i]!; // P + τξ
  orthonormalizeColumns(out, d, h, work);
}

/**
 * Projects a Euclidean gradient G onto the tangent space at P: out = G − P sym(PᵀG), the Riemannian
 * gradient for the embedded metric.
 * @param P - the point, d×h (PᵀP = I)
 * @param G - the Euclidean gradient, d×h
 * @param d - rows
 * @param h - columns
 * @param out - d×h output (must not alias P; may alias G)
 * @example
 * ```ts
 * stiefelTangentProject(P, egrad, d, h, rgrad);
 * ```
 * @see {@link stiefelRetractQR}
 */
export function stiefelTangentProject(P: Float64Array, G: Float64Array, d: number, h: number, out: Float64Array): void {
  // S = sym(PᵀG) (h×h)
  const S = new Float64Array(h * h);
  for (let i = 0; i < d; i++) {
    for (let a = 0; a < h; a++) {
      const p = P[i * h + a]!;
      if (p === 0) continue;
      for (let b = 0; b < h; b++) S[a * h + b]! += p * G[i * h + b]!;
    }
  }
  for (let a = 0; a < h; a++) for (let b = a + 1; b < h; b++) {
    const v = 0.5 * (S[a * h + b]! + S[b * h + a]!);
    S[a * h + b] = v;
    S[b * h + a] = v;
  }
  // out = G − P S
  for (let i = 0; i < d; i++) {
    for (let b = 0; b < h; b++) {
      let s = 0;
      for (let a = 0; a < h; a++) s += P[i * h + a]! * S[a * h + b]!;
      out[i * h + b] = G[i * h + b]! - s;
    }
  }
}
