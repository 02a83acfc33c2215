/**
 * A dual point of the L1/L2 group lasso whose duality gap tracks the primal suboptimality (issue #11).
 *
 * The rescaled residual θ = α·2s ⊙ R (see `groupLassoGap`) loses, against the dual optimum θ*,
 *   D(θ*) − D(θ) = Σ_{j∈S} (λ‖w*_j‖ − ⟨w*_j, x̃_jᵀθ⟩) + ‖θ − θ*‖²/(4s),
 * first order in the slack λ − ‖x̃_jᵀθ‖ of every support row j, and one scaling α for all rows leaves
 * each of them slack by about ‖R − R*‖ ~ √(P(W) − P*). When the support has more rows than the design has
 * observations (the loss is not strongly convex on it) BCD converges slowly on the support and that term
 * dominates: measured on the 35th point of the 200×2000×5 path, gap 1.75e-6·F(0) at a suboptimality of
 * 1.5e-11·F(0) (gap ≈ ½√(suboptimality)).
 *
 * Here the dual point is moved so that every support row is tight to first order. With v_j = −∇_j f(W),
 * u_j = v_j/‖v_j‖ and Δ = X̃_S B, B_j = β_j u_j (the residual of W' = W − B), the rows' gradients at W'
 * are v_j + 2s ⊙ x̃_jᵀΔ; the Gauss–Newton step for the m = |S| equations ‖v_j(W')‖ = λ solves
 *   G β = c,  G_jk = Σ_t u_jt 2s_t (x̃_jᵀx̃_k) u_kt,  c_j = λ − ‖v_j‖   (G ⪰ 0),
 * by conjugate gradients preconditioned by diag(G) (G_jj = Σ_t u_jt² L_jt). A product G p is two
 * skinny products with the gathered support columns, Δᵀ = B(p)ᵀ X̃_Sᵀ and X̃_Sᵀ Δ (4·n·m·T flops, about
 * an epoch's); CG stops when the first-order loss it leaves, Σ_j ‖w_j‖ r_j + Σ_j ‖w_j‖·max_j (−r_j)
 * (r = c − Gβ; the second term is the rescaling's), is ≤ {@link TIGHT_TARGET}·tolAbs, or after
 * {@link TIGHT_MAX_CG} products. Everything at W' follows from linearity without touching the
 * datafit's state: v_j(W') = v_j + 2s ⊙ x̃_jᵀΔ on the support and on the zero rows that the bound
 * ‖v_j(W') − v_j‖₂ ≤ ‖x̃_j‖·max_t 2s_t‖Δ_t‖ cannot keep below max(λ, max_S ‖v_j(W')‖) (the other zero rows
 * enter with that bound), and the dual terms A' = A + Σ 2s_t B_jt (X̃ᵀỸ)_jt, B' = B + Σ B_jt v_jt +
 * Σ_t s_t ‖Δ_t‖². The dual point is α·2s ⊙ (R + Δ) with α the one rescaling of `groupLassoGap`
 * (`rescaledDual`), feasible on every row in use whatever β is, so its value bounds P* from below; its
 * slack is second order, so the gap ≈ P(W) − P* + O(‖R − R*‖²).
 *
 * A construction in the spirit of the dual extrapolation of Massias, Gramfort & Salmon ("Celer", ICML
 * 2018; "Dual extrapolation for sparse GLMs", JMLR 21, 2020), which extrapolates R instead.
 *
 * @packageDocumentation
 */
import type { RowNorm } from '../penalties/types.js';
import type { BcdDatafit } from './bcdDatafit.js';
import { rescaledDual } from './certificates.js';
import { gemmNT, gemmTN } from '../linalg/blas.js';
import { freeF64, residentOrHeap } from '../linalg/wasm/matrix.js';

/** The most products G p of one {@link TightDual.dual} call. */
export const TIGHT_MAX_CG = 25;

/** CG stops when the first-order loss it leaves is ≤ this many times tolAbs (measured on the 200×2000×5 path, same
 * epochs: 201 products at tol 1e-6 and 652 at 1e-9; a stop at ¼·tolAbs on the bound Σ_j ‖w_j‖·max_j |r_j| took 237 and 721). */
export const TIGHT_TARGET = 0.5;

/**
 * The largest slack max_j |λ − ‖v_j‖| / λ of the support rows at which {@link TightDual.dual} runs (measured on
 * the 200×2000×5 path at tol 1e-6: the calls that certified had ≤ 8e-4, those that did not ≥ 4.5e-3 and used
 * the most products).
 */
export const TIGHT_SLACK = 2e-3;

/** A shared design without missing responses as a residual-form state holds it (see `BcdDatafit.supportDesign`). */
export interface SupportDesign {
  /** X̃ feature-major: column j at [j·n, (j + 1)·n). */
  readonly X: Float64Array;
  /** Observations. */
  readonly n: number;
  /** The loss's per-task scales s_t. */
  readonly scales: Float64Array;
}

/**
 * The support-tight dual point of a residual-form BCD fit (q = 2, ρ = 0, shared design): see the module
 * comment. Runs only while the support has more rows than the design has observations. Work buffers grow
 * with the support and live as long as the fit.
 */
export class TightDual {
  private alpha = 0;
  private m = 0;
  /** Work buffers, allocated when the dual point first runs in this fit. */
  private w: TightWork | null = null;
  /** The support rows' largest slack at the last call, and at the last call that did not certify (∞: none). */
  private lastSlack = Infinity;
  private failedSlack = Infinity;

  /**
   * @param f - the residual-form state (its `xty`, Lipschitz constants and column norms are used)
   * @param design - the design's feature-major columns and the loss's scales
   * @param norm - the row norm (q = 2)
   * @param lambda - λ > 0
   */
  constructor(private readonly f: BcdDatafit, private readonly design: SupportDesign, private readonly norm: RowNorm, private readonly lambda: number) {}

  /**
   * A support-tight dual for the fit of f when f has the shared design it needs (`supportDesign`), else null.
   * @param f - the BCD state
   * @param norm - the row norm (q = 2)
   * @param lambda - λ > 0
   * @returns the helper, or null
   * @example
   * ```ts
   * const tight = TightDual.of(f, rowNorm(2, T), lambda);
   * ```
   */
  static of(f: BcdDatafit, norm: RowNorm, lambda: number): TightDual | null {
    const design = f.supportDesign?.() ?? null;
    return design === null ? null : new TightDual(f, design, norm, lambda);
  }

  /**
   * The value of the support-tight dual point at W (V = −∇f(W) on the rows in use, A and B the datafit's
   * dual terms at W). Not run (−∞) when no row is nonzero, the support has no more rows than the design
   * has observations, or W is not near the optimum (a zero row violates its condition by more than the
   * support rows miss λ, or they miss it by more than {@link TIGHT_SLACK}·λ or a quarter of their miss at
   * the last call that did not certify).
   * @param W - the weights (d×T)
   * @param V - −∇f(W), valid on the rows in use
   * @param innerY - A = Σ_t 2s_t ⟨r_t, ỹ_t⟩ at W
   * @param loss - B = Σ_t s_t ‖r_t‖² at W
   * @param rows - the rows in use (not screened out), or null for all
   * @param count - how many entries of `rows`
   * @param tolAbs - the tolerance on the gap
   * @returns the dual value, a lower bound of the optimum (−∞ when not run)
   * @example
   * ```ts
   * const D = tight.dual(W, V, dt.innerY, dt.value, null, 0, tolAbs); // P(W) − D certifies W
   * ```
   */
  dual(W: Float64Array, V: Float64Array, innerY: number, loss: number, rows: Int32Array | null, count: number, tolAbs: number): number {
    const { d, T } = this.f, lambda = this.lambda, norm = this.norm, Lc = this.f.coordinateLipschitz();
    const { X, n } = this.design;
    const cnt = rows ? count : d;
    let m = 0, wsum = 0, zeroMax = 0, cMax = 0;
    for (let a = 0; a < cnt; a++) {
      const j = rows ? rows[a]! : a, o = j * T;
      const wn = norm.norm(W, o, T), vn = norm.dualNorm(V, o, T);
      if (wn === 0) { zeroMax = Math.max(zeroMax, vn); continue; }
      if (!(vn > 0)) return -Infinity;
      cMax = Math.max(cMax, Math.abs(lambda - vn));
      wsum += wn;
      m++;
    }
    this.m = 0;
    if (m <= n || zeroMax - lambda > cMax || cMax > Math.min(TIGHT_SLACK * lambda, 0.25 * this.failedSlack)) return -Infinity;
    this.lastSlack = cMax;
    const w = (this.w ??= TightWork.of(X, d, T, n)), S = w.S, U = w.U;
    m = 0;
    for (let a = 0; a < cnt; a++) {
      const j = rows ? rows[a]! : a, o = j * T;
      if (norm.norm(W, o, T) === 0) continue;
      // u_j = v_j/‖v_j‖, c_j = λ − ‖v_j‖, G_jj = Σ_t u_jt² L_jt
      const vn = norm.dualNorm(V, o, T);
      let g = 0;
      for (let t = 0; t < T; t++) { const u = V[o + t]! / vn; U[m * T + t] = u; g += u * u * Lc[o + t]!; }
      if (!(g > 0)) return -Infinity;
      S[m] = j; w.c[m] = lambda - vn; w.diag[m] = g; w.wn[m] = norm.norm(W, o, T);
      m++;
    }
    this.m = m;
    // the support's columns, gathered (rows of X̃_Sᵀ) in the kernels' memory for this call (the products read
    // it there without copies)
    w.XS = residentOrHeap(m * n, 0);
    try {
      return this.solve(W, V, innerY, loss, rows, count, tolAbs, m, wsum);
    } finally {
      freeF64(w.XS);
      w.XS = new Float64Array(0);
    }
  }

  /** {@link TightDual.dual} after its gates: CG, then the dual value at W' (m support rows in w.S, Σ‖w_j‖ = wsum). */
  private solve(W: Float64Array, V: Float64Array, innerY: number, loss: number, rows: Int32Array | null, count: number, tolAbs: number, m: number, wsum: number): number {
    const { d, T } = this.f, lambda = this.lambda, norm = this.norm, w = this.w!, S = w.S, U = w.U;
    const { X, n, scales } = this.design;
    const cnt = rows ? count : d;
    for (let a = 0; a < m; a++) w.XS.set(X.subarray(S[a]! * n, S[a]! * n + n), a * n);
    // PCG on G β = c from β = 0 (x ← β)
    const { c, x, r, z, p, q, diag } = w;
    const target = TIGHT_TARGET * tolAbs;
    let rz = 0;
    for (let a = 0; a < m; a++) { x[a] = 0; r[a] = c[a]!; z[a] = r[a]! / diag[a]!; p[a] = z[a]!; rz += r[a]! * z[a]!; }
    w.Zx.fill(0, 0, m * T); w.Dtx.fill(0);
    for (let it = 0; it < TIGHT_MAX_CG && rz > 0; it++) {
      this.product(m, p, q);
      let pq = 0;
      for (let a = 0; a < m; a++) pq += p[a]! * q[a]!;
      if (!(pq > 0)) break;
      const step = rz / pq;
      for (let a = 0; a < m * T; a++) w.Zx[a]! += step * w.Z[a]!;
      for (let a = 0; a < w.Dtx.length; a++) w.Dtx[a]! += step * w.Dt[a]!;
      // the first-order loss left: Σ_j ‖w_j‖ r_j (r_j = λ − ‖v_j(W')‖ to first order) + Σ_j ‖w_j‖ · max_j (−r_j)
      // (the rescaling α ≈ 1 − max_j (−r_j)/λ)
      let over = 0, slack = 0, rz2 = 0;
      for (let a = 0; a < m; a++) {
        x[a]! += step * p[a]!; r[a]! -= step * q[a]!;
        over = Math.max(over, -r[a]!); slack += w.wn[a]! * r[a]!;
        z[a] = r[a]! / diag[a]!; rz2 += r[a]! * z[a]!;
      }
      if (slack + wsum * over <= target) break;
      const beta = rz2 / rz;
      rz = rz2;
      for (let a = 0; a < m; a++) p[a] = z[a]! + beta * p[a]!;
    }
    // Δ = X̃_S B(β) and Z = X̃_Sᵀ Δ (accumulated with β); W' = W − B(β)
    const { V2, W2, Bp, Zx: Z, Dtx: Dt } = w, G = this.f.xty();
    for (let a = 0; a < m * T; a++) Bp[a] = x[(a / T) | 0]! * U[a]!;
    W2.set(W);
    let vS = 0, dA = 0, dB = 0;
    for (let a = 0; a < m; a++) {
      const o = S[a]! * T;
      for (let t = 0; t < T; t++) {
        const b = Bp[a * T + t]!;
        W2[o + t] = W[o + t]! - b;
        V2[o + t] = V[o + t]! + 2 * scales[t]! * Z[a * T + t]!;
        // A' − A = Σ 2 s_t B_jt (X̃ᵀỸ)_jt,  the cross term of B' − B: Σ B_jt v_jt
        dA += 2 * scales[t]! * b * G[o + t]!;
        dB += b * V[o + t]!;
      }
      vS = Math.max(vS, norm.dualNorm(V2, o, T));
    }
    // Σ_t s_t ‖Δ_t‖² and ρ² = Σ_t (2 s_t ‖Δ_t‖)² (‖2s ⊙ x̃_jᵀΔ‖₂ ≤ ‖x̃_j‖ ρ, Cauchy–Schwarz per task)
    let rho = 0;
    for (let t = 0; t < T; t++) {
      let s2 = 0;
      for (let i = 0; i < n; i++) s2 += Dt[t * n + i]! ** 2;
      dB += scales[t]! * s2;
      rho += 4 * scales[t]! * scales[t]! * s2;
    }
    rho = Math.sqrt(rho);
    const cmax = this.f.columnNormMax(), cap = Math.max(lambda, vS), near = w.near;
    let k = 0, vmax = vS;
    for (let a = 0; a < cnt; a++) {
      const j = rows ? rows[a]! : a, o = j * T;
      if (norm.norm(W, o, T) !== 0) continue;
      const vn = norm.dualNorm(V, o, T), bound = (vn + cmax[j]! * rho) * (1 + 1e-12);
      if (bound > cap) { near[k++] = j; continue; }
      // the bound as the dual point's row: v_j scaled to norm `bound` (its norm bounds the true row's)
      const sc = vn > 0 ? bound / vn : 0;
      for (let t = 0; t < T; t++) V2[o + t] = sc * V[o + t]!;
      if (vn === 0) V2[o] = bound;
      vmax = Math.max(vmax, bound);
    }
    if (k > 0) vmax = Math.max(vmax, this.exactRows(V, near, k));
    // D(α·2s ⊙ (R + Δ)) = α A' − α² B', α ≤ λ / max_j ‖v_j(W')‖ (the one rescaling of groupLassoGap)
    const g = rescaledDual(innerY + dA, loss + dB, lambda, vmax * (1 + 1e-12), null);
    this.alpha = g.alpha;
    return Number.isFinite(g.dual) ? g.dual : -Infinity;
  }

  /**
   * The better of `best` and the support-tight dual value at W ({@link TightDual.dual}); when the latter
   * wins, `Vbest` receives its dual point's rows α·v_j(W') (bounds for some zero rows: the screening
   * sphere's centre, where larger norms only screen less).
   * @param W - the weights (d×T)
   * @param V - −∇f(W), valid on the rows in use
   * @param innerY - the datafit's A at W
   * @param loss - the datafit's B at W (its value)
   * @param rows - the rows in use, or null for all
   * @param count - how many entries of `rows`
   * @param tolAbs - the tolerance on the gap
   * @param primal - the objective at W
   * @param best - the best dual value so far
   * @param Vbest - d×T, the best dual point so far (as −∇f-like rows)
   * @returns max(best, the new dual value)
   * @example
   * ```ts
   * bestDual = tight.improve(W, V, dt.innerY, dt.value, null, 0, tolAbs, primal, bestDual, Vbest);
   * ```
   */
  improve(
    W: Float64Array, V: Float64Array, innerY: number, loss: number, rows: Int32Array | null, count: number, tolAbs: number,
    primal: number, best: number, Vbest: Float64Array,
  ): number {
    const dual = this.dual(W, V, innerY, loss, rows, count, tolAbs);
    if (dual > -Infinity && primal - dual > tolAbs) this.failedSlack = this.lastSlack;
    if (!(dual > best)) return best;
    const T = this.f.T, cnt = rows ? count : this.f.d, w = this.w!;
    for (let a = 0; a < cnt; a++) for (let t = 0, o = (rows ? rows[a]! : a) * T; t < T; t++) Vbest[o + t] = this.alpha * w.V2[o + t]!;
    return dual;
  }

  /**
   * The last point of {@link TightDual.dual} (for tests): W' = W − B(β) and α, so that the dual point is
   * α·2s ⊙ R(W'); null when the last call did not run.
   * @returns W' (d×T, a view valid until the next call) and α, or null
   */
  lastPoint(): { W: Float64Array; alpha: number } | null {
    return this.m > 0 && this.w !== null ? { W: this.w.W2, alpha: this.alpha } : null;
  }

  /** q = G p, leaving B(p) in Bp, Δᵀ = B(p)ᵀ X̃_Sᵀ in Dt and X̃_Sᵀ Δ in Z. */
  private product(m: number, p: Float64Array, q: Float64Array): void {
    const w = this.w!, T = this.f.T, U = w.U, Bp = w.Bp, Z = w.Z, n = this.design.n, s = this.design.scales;
    // B_jt = p_j u_jt;  Δᵀ (T×n) = Bᵀ X̃_Sᵀ;  Z (m×T) = X̃_Sᵀ Δ
    for (let a = 0; a < m * T; a++) Bp[a] = p[(a / T) | 0]! * U[a]!;
    gemmTN(T, n, m, Bp, w.XS, w.Dt, 0);
    gemmNT(m, T, n, w.XS, w.Dt, Z, 0);
    // q_j = Σ_t u_jt 2 s_t Z_jt
    for (let a = 0; a < m; a++) {
      let v = 0;
      for (let t = 0; t < T; t++) v += U[a * T + t]! * 2 * s[t]! * Z[a * T + t]!;
      q[a] = v;
    }
  }

  /** max_j ‖v_j(W')‖ over rows[0..k), written into V2: v_j + 2s ⊙ x̃_jᵀΔ (Δᵀ of B(β) in Dtx). */
  private exactRows(V: Float64Array, rows: Int32Array, k: number): number {
    const w = this.w!, T = this.f.T, { X, n, scales } = this.design, V2 = w.V2, Dt = w.Dtx;
    const block = residentOrHeap(k * n, 0), out = w.Z;
    for (let a = 0; a < k; a++) block.set(X.subarray(rows[a]! * n, rows[a]! * n + n), a * n);
    gemmNT(k, T, n, block, Dt, out, 0);
    freeF64(block);
    let vmax = 0;
    for (let a = 0; a < k; a++) {
      const o = rows[a]! * T;
      for (let t = 0; t < T; t++) V2[o + t] = V[o + t]! + 2 * scales[t]! * out[a * T + t]!;
      vmax = Math.max(vmax, this.norm.dualNorm(V2, o, T));
    }
    return vmax;
  }
}

/** {@link TightWork} per design (its feature-major X̃). */
const works = new WeakMap<Float64Array, TightWork>();

/** The work buffers of a {@link TightDual} (d rows, T tasks, n observations). */
class TightWork {
  readonly V2: Float64Array; readonly W2: Float64Array; readonly U: Float64Array;
  readonly S: Int32Array; readonly near: Int32Array;
  readonly c: Float64Array; readonly x: Float64Array; readonly r: Float64Array;
  readonly z: Float64Array; readonly p: Float64Array; readonly q: Float64Array; readonly diag: Float64Array;
  /** ‖w_j‖ of the support rows. */
  readonly wn: Float64Array;
  /** B(p) (m×T), X̃_Sᵀ Δ (m×T), Δᵀ (T×n); Z and Δᵀ of B(β), accumulated along CG; the gathered columns (m×n). */
  readonly Bp: Float64Array; readonly Z: Float64Array; readonly Dt: Float64Array;
  readonly Zx: Float64Array; readonly Dtx: Float64Array;
  XS: Float64Array = new Float64Array(0);
  /**
   * The buffers for a design (kept with its feature-major X̃ across the fits of a path).
   * @param X - the design's feature-major X̃
   * @param d - rows of W
   * @param T - tasks
   * @param n - observations
   * @returns the buffers
   */
  static of(X: Float64Array, d: number, T: number, n: number): TightWork {
    let w = works.get(X);
    if (w === undefined || w.V2.length !== d * T || w.Dt.length !== T * n) works.set(X, (w = new TightWork(d, T, n)));
    return w;
  }
  constructor(d: number, T: number, n: number) {
    this.V2 = new Float64Array(d * T); this.W2 = new Float64Array(d * T); this.U = new Float64Array(d * T);
    this.S = new Int32Array(d); this.near = new Int32Array(d);
    this.c = new Float64Array(d); this.x = new Float64Array(d); this.r = new Float64Array(d);
    this.z = new Float64Array(d); this.p = new Float64Array(d); this.q = new Float64Array(d); this.diag = new Float64Array(d);
    this.wn = new Float64Array(d);
    this.Bp = new Float64Array(d * T); this.Z = new Float64Array(d * T); this.Dt = new Float64Array(T * n);
    this.Zx = new Float64Array(d * T); this.Dtx = new Float64Array(T * n);
  }
}
