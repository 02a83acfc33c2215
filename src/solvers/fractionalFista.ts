/**
 * The generic path for min_{W, M} L(W) + c·tr(Zᵀ(ηI + M)⁻¹Z), 0 ⪯ M ⪯ I, tr M = k (Z = W for convex
 * ASO, M d×d; Z = Wᵀ for convex clustered MTL, M T×T): accelerated projected gradient on (W, M)
 * jointly through the package's {@link fista} (backtracking, adaptive restart), the projection of
 * the M block being an eigendecomposition followed by the capped-simplex projection of the
 * eigenvalues. Exact symmetric gradients: ∇_Z = 2c (ηI + M)⁻¹ Z, ∇_M = −c (ηI + M)⁻¹ Z Zᵀ (ηI + M)⁻¹.
 * It is the reference the structured alternation ({@link fractionalMM}) is measured against.
 *
 * Extrapolated points can have M-eigenvalues below 0; when η ≤ 1 that may leave the domain
 * ηI + M ≻ 0, so the smooth part floors the eigenvalues of ηI + M at η/2 (iterates are always
 * feasible: the objective and certificates are computed at feasible points).
 *
 * References: A. Beck & M. Teboulle, SIAM J. Imaging Sci. 2, 2009; J. Chen, L. Tang, J. Liu & J. Ye,
 * ICML 2009; J. Zhou, J. Chen & J. Ye, NIPS 2011.
 *
 * @packageDocumentation
 */
import type { ProgressCallback } from '../types.js';
import type { QuadraticLoss } from '../datafits/quadratic.js';
import { gemmNN, gemmNT, gemmTN } from '../linalg/blas.js';
import { createSymEigWorkspace, symEigInto } from '../linalg/eig.js';
import { SpectralCappedSimplex } from '../penalties/spectralCappedSimplex.js';
import { fista, type FistaResult, type ProxFunction, type SmoothFunction } from './fista.js';

/** Options of {@link fractionalFista}. */
export interface FractionalFistaOptions {
  /** `'rows'` (M d×d) or `'cols'` (M T×T). */
  side: 'rows' | 'cols';
  /** tr M. */
  k: number;
  /** η > 0. */
  eta: number;
  /** c > 0. */
  c: number;
  /** Absolute tolerance on the fixed-point residual over (W, M). */
  tolAbs: number;
  /** Iteration cap. */
  maxIter: number;
  /** Called at every certificate check with { iteration, maxIter, objective, certificate, tol } (progress bars). @default undefined */
  onProgress?: ProgressCallback;
}

/**
 * Runs FISTA on (W, M) from W = 0, M = (k/n) I.
 * @param loss - the squared-loss datafit
 * @param o - side, k, η, c, tolerance, cap
 * @returns the FISTA result; x = [W (d×T, row-major), M (n×n)]
 * @example
 * ```ts
 * const res = fractionalFista(loss, { side: 'rows', k: 3, eta, c, tolAbs, maxIter: 10000 });
 * ```
 * @see {@link fractionalMM} (the structured solver)
 */
export function fractionalFista(loss: QuadraticLoss, o: FractionalFistaOptions): FistaResult {
  const { d, T } = loss;
  const { eta, c, k } = o;
  const rows = o.side === 'rows';
  // Z = W (n×p = d×T) or Wᵀ (T×d)
  const n = rows ? d : T, p = rows ? T : d;
  const nW = d * T, nM = n * n;
  const Zb = new Float64Array(nW); // Z, n×p
  const cacheM = new Float64Array(nM), vals = new Float64Array(n), vecsT = new Float64Array(nM);
  let cacheValid = false;
  const ws = createSymEigWorkspace(n);
  const view = { rows: n, cols: n, data: cacheM };
  const Pz = new Float64Array(nW), Zg = new Float64Array(nW), inv = new Float64Array(n);
  const ZZ = new Float64Array(nM);
  const loadZ = (x: Float64Array): void => {
    if (rows) Zb.set(x.subarray(0, nW));
    else for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) Zb[t * d + j] = x[j * T + t]!; // Z = Wᵀ
  };
  const ensureEig = (x: Float64Array): void => {
    if (cacheValid) {
      let same = true;
      for (let i = 0; i < nM && same; i++) same = x[nW + i] === cacheM[i];
      if (same) return;
    }
    cacheM.set(x.subarray(nW, nW + nM));
    view.data = cacheM;
    symEigInto(view, vals, vecsT, ws);
    cacheValid = true;
  };
  /** Pz = diag(inv) Qᵀ Z (rotated, scaled); returns tr(Zᵀ(ηI + M)⁻¹Z). */
  const rotate = (x: Float64Array): number => {
    ensureEig(x);
    loadZ(x);
    for (let i = 0; i < n; i++) inv[i] = 1 / Math.max(eta + vals[i]!, 0.5 * eta);
    gemmNN(n, p, n, vecsT, Zb, Pz, 0); // Qᵀ Z (rows of vecsT are the eigenvectors)
    let tr = 0;
    for (let i = 0; i < n; i++) {
      const s = inv[i]!;
      for (let j = 0; j < p; j++) {
        const v = Pz[i * p + j]!;
        tr += s * v * v;
        Pz[i * p + j] = s * v;
      }
    }
    return tr;
  };
  const smooth: SmoothFunction = {
    dim: nW + nM,
    stateSize: loss.residualSize,
    computeState: (x, s) => loss.residual(x, s), // reads the W block
    value: (x, s) => loss.valueFromResidual(s) + c * rotate(x),
    gradient: (x, s, g) => {
      rotate(x);
      gemmTN(n, p, n, vecsT, Pz, Zg, 0); // (ηI + M)⁻¹ Z
      loss.gradient(s, g); // ∇L into the W block
      if (rows) for (let i = 0; i < nW; i++) g[i]! += 2 * c * Zg[i]!;
      else for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) g[j * T + t]! += 2 * c * Zg[t * d + j]!;
      // ∇_M = −c Zg Zgᵀ, exactly symmetric
      gemmNT(n, n, p, Zg, Zg, ZZ, 0);
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) {
          const v = -0.5 * c * (ZZ[i * n + j]! + ZZ[j * n + i]!);
          g[nW + i * n + j] = v;
          g[nW + j * n + i] = v;
        }
      }
    },
  };
  const C = new SpectralCappedSimplex(n, k);
  const Mout = new Float64Array(nM);
  const prox: ProxFunction = {
    value: () => 0, // the indicator of the constraint set: iterates are feasible
    prox: (v, _step, out) => {
      for (let i = 0; i < nW; i++) out[i] = v[i]!;
      // M ← Proj(V_M) onto {0 ⪯ M ⪯ I, tr M = k}; its eigendecomposition is cached for the value
      C.prox(v.subarray(nW, nW + nM), 1, Mout);
      out.set(Mout, nW);
      cacheM.set(Mout);
      vals.set(C.values);
      vecsT.set(C.vectorsT);
      cacheValid = true;
    },
  };
  const x0 = new Float64Array(nW + nM);
  for (let i = 0; i < n; i++) x0[nW + i * n + i] = k / n;
  return fista(smooth, prox, x0, { lipschitz: loss.lipschitz() + (2 * c) / eta, tol: o.tolAbs, maxIter: o.maxIter, restart: true, checkEvery: 10, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
}
