/**
 * Block coordinate descent for the L1/Lq group lasso over the feature rows of W, with working sets
 * (Massias, Gramfort & Salmon, "Celer", ICML 2018; Johnson & Guestrin, "Blitz", 2015) and gap-safe
 * screening (Ndiaye, Fercoq, Gramfort & Salmon, "Gap safe screening rules for sparsity enforcing
 * penalties", JMLR 18, 2017).
 *
 * Each block step is a proximal gradient step on row j with the block Lipschitz constant
 * L_j = 2 max_t s_t ‖x_tj‖² (+ 2ρ):  w^j ← prox_{λ/L_j ‖·‖_q}(w^j − ∇_j/L_j).
 *
 * Two state representations ("backends"):
 * - **gram**: C = XᵀR = XᵀY − XᵀX W is kept for the working-set rows; a row update costs |S|·T.
 *   Gram columns XᵀX[:, j] are computed only for working-set features (one blocked product per
 *   working-set growth). Used for a shared design without missing responses when n ≥ d, and for
 *   per-task designs whose per-task Gram matrices are small.
 * - **residual**: R = Y − XW is kept; a row update costs 2·Σ_t n_t. Used otherwise.
 *
 * @packageDocumentation
 */
import type { HistoryEntry } from '../types.js';
import type { RowNorm } from '../penalties/types.js';
import type { QuadraticLoss } from '../datafits/quadratic.js';
import { dot, gemmTN } from '../linalg/blas.js';
import { transposeInto } from '../linalg/mat.js';
import { groupLassoGap } from '../models/groupLassoCore.js';

/** A state representation for {@link bcdGroupLasso}. */
interface Backend {
  readonly kind: 'gram' | 'residual';
  /** (Re)computes the state from W (all rows). */
  reset(W: Float64Array): void;
  /** Makes the working-set rows ready (e.g. their Gram columns). */
  prepare(ws: Int32Array, k: number, W: Float64Array): void;
  /** out[t] = V_jt = 2 s_t x_tjᵀ r_t (the negative gradient row). */
  corrRow(j: number, out: Float64Array): void;
  /** Applies W[j, :] += δ to the state (keeping rows ws[0..k) exact). */
  update(j: number, delta: Float64Array, ws: Int32Array, k: number): void;
  /** V ← Xᵀ(2 s ⊙ R) for all rows; refreshes the state of every row. */
  full(W: Float64Array, V: Float64Array): void;
  /** [Σ_t s_t‖r_t‖², Σ_t 2 s_t ⟨r_t, y_t⟩] at the current W. */
  lossAndInner(W: Float64Array, out: Float64Array): void;
  /** Block Lipschitz constants 2 max_t s_t ‖x_tj‖² (upper bounds). */
  readonly lip: Float64Array;
  /** max_t ‖x_tj‖ (upper bounds), for screening. */
  readonly colNormMax: Float64Array;
}

/** Residual backend: R = P(Y − XW) maintained explicitly. */
class ResidualBackend implements Backend {
  readonly kind = 'residual' as const;
  readonly lip: Float64Array;
  readonly colNormMax: Float64Array;
  private readonly R: Float64Array;
  private readonly cols: Float64Array[];
  private readonly acc: Float64Array;

  constructor(private readonly loss: QuadraticLoss) {
    const { d, T } = loss;
    this.R = new Float64Array(loss.residualSize);
    this.cols = loss.columnMajor();
    this.acc = new Float64Array(T);
    this.lip = new Float64Array(d);
    this.colNormMax = new Float64Array(d);
    const s = loss.scales;
    if (loss.X === null) {
      for (let t = 0; t < T; t++) {
        const n = loss.offsets[t + 1]! - loss.offsets[t]!;
        const Xc = this.cols[t]!;
        for (let j = 0; j < d; j++) {
          const sq = dot(n, Xc, j * n, Xc, j * n);
          this.lip[j] = Math.max(this.lip[j]!, 2 * s[t]! * sq);
          this.colNormMax[j] = Math.max(this.colNormMax[j]!, Math.sqrt(sq));
        }
      }
    } else {
      // shared design: ‖x_tj‖ ≤ ‖x_j‖ (a row subset, centring only shrinks it)
      const n = loss.n;
      const Xc = this.cols[0]!;
      let smax = 0;
      for (let t = 0; t < T; t++) smax = Math.max(smax, s[t]!);
      for (let j = 0; j < d; j++) {
        const sq = dot(n, Xc, j * n, Xc, j * n);
        this.lip[j] = 2 * smax * sq;
        this.colNormMax[j] = Math.sqrt(sq);
      }
    }
  }

  reset(W: Float64Array): void {
    this.loss.residual(W, this.R);
  }

  prepare(): void {}

  corrRow(j: number, out: Float64Array): void {
    const loss = this.loss;
    const T = loss.T, s = loss.scales, R = this.R;
    if (loss.X === null) {
      // V_jt = 2 s_t x_tjᵀ r_t
      for (let t = 0; t < T; t++) {
        const off = loss.offsets[t]!;
        const n = loss.offsets[t + 1]! - off;
        out[t] = 2 * s[t]! * dot(n, this.cols[t]!, j * n, R, off);
      }
      return;
    }
    // V_j = 2 s ⊙ (Σ_i x_ij R[i, :])
    const n = loss.n, Xc = this.cols[0]!, acc = this.acc;
    acc.fill(0);
    const base = j * n;
    for (let i = 0; i < n; i++) {
      const x = Xc[base + i]!;
      if (x === 0) continue;
      const o = i * T;
      for (let t = 0; t < T; t++) acc[t]! += x * R[o + t]!;
    }
    for (let t = 0; t < T; t++) out[t] = 2 * s[t]! * acc[t]!;
  }

  update(j: number, delta: Float64Array): void {
    const loss = this.loss;
    const T = loss.T, R = this.R;
    if (loss.X === null) {
      // r_t −= δ_t x_tj
      for (let t = 0; t < T; t++) {
        const dt = delta[t]!;
        if (dt === 0) continue;
        const off = loss.offsets[t]!;
        const n = loss.offsets[t + 1]! - off;
        const Xc = this.cols[t]!;
        const base = j * n;
        for (let i = 0; i < n; i++) R[off + i]! -= dt * Xc[base + i]!;
      }
      return;
    }
    const n = loss.n, Xc = this.cols[0]!, base = j * n;
    const mask = loss.mask;
    if (!mask) {
      // R[i, :] −= x_ij δ
      for (let i = 0; i < n; i++) {
        const x = Xc[base + i]!;
        if (x === 0) continue;
        const o = i * T;
        for (let t = 0; t < T; t++) R[o + t]! -= x * delta[t]!;
      }
      return;
    }
    // masked: R[i, t] −= (x_ij − m_tj) δ_t on observed entries (m = per-task means when centring)
    const m = loss.xMeans, d = loss.d;
    const centred = loss.fitIntercept;
    for (let i = 0; i < n; i++) {
      const x = Xc[base + i]!;
      const o = i * T;
      for (let t = 0; t < T; t++) {
        if (!mask[o + t]) continue;
        R[o + t]! -= (centred ? x - m[t * d + j]! : x) * delta[t]!;
      }
    }
  }

  full(_W: Float64Array, V: Float64Array): void {
    this.loss.correlation(this.R, V);
  }

  lossAndInner(_W: Float64Array, out: Float64Array): void {
    out[0] = this.loss.valueFromResidual(this.R);
    out[1] = this.loss.innerWithY(this.R, true);
  }
}

/** Gram backend: C = XᵀY − XᵀX W kept for the working-set rows. */
class GramBackend implements Backend {
  readonly kind = 'gram' as const;
  readonly lip: Float64Array;
  readonly colNormMax: Float64Array;
  /** XᵀY (centred), d×T, unscaled. */
  private readonly XtY: Float64Array;
  /** ‖y_t‖² (centred). */
  private readonly yy: Float64Array;
  /** C = XᵀY − XᵀXW, d×T. */
  private readonly C: Float64Array;
  private readonly shared: boolean;
  /** Shared: Gram column j at slot[j]*d in `cols` (−1 = not computed). Per-task: full Gram per task. */
  private readonly slot: Int32Array;
  private cols: Float64Array;
  private nSlots = 0;
  private readonly grams: Float64Array[];
  private readonly diag: Float64Array;

  constructor(private readonly loss: QuadraticLoss) {
    const { d, T } = loss;
    this.XtY = new Float64Array(d * T);
    this.C = new Float64Array(d * T);
    this.yy = new Float64Array(T);
    this.lip = new Float64Array(d);
    this.colNormMax = new Float64Array(d);
    this.slot = new Int32Array(d).fill(-1);
    this.diag = new Float64Array(d * T);
    const s = loss.scales;
    if (loss.X !== null) {
      this.shared = true;
      const n = loss.n;
      const X = loss.X;
      this.XtY.set(loss.xty());
      const Y = loss.Y!;
      for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) this.yy[t]! += Y[i * T + t]! * Y[i * T + t]!;
      let smax = 0;
      for (let t = 0; t < T; t++) smax = Math.max(smax, s[t]!);
      // ‖x_j‖² for every column, in one row-major pass
      const csq = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const o = i * d;
        for (let j = 0; j < d; j++) csq[j]! += X[o + j]! * X[o + j]!;
      }
      for (let j = 0; j < d; j++) {
        const sq = csq[j]!;
        this.lip[j] = 2 * smax * sq;
        this.colNormMax[j] = Math.sqrt(sq);
        for (let t = 0; t < T; t++) this.diag[j * T + t] = sq;
      }
      this.cols = new Float64Array(d * Math.min(d, 16));
      this.grams = [];
    } else {
      this.shared = false;
      this.cols = new Float64Array(0);
      const grams: Float64Array[] = [];
      const g = new Float64Array(d);
      for (let t = 0; t < T; t++) {
        const off = loss.offsets[t]!;
        const n = loss.offsets[t + 1]! - off;
        const X = loss.Xs[t]!, y = loss.ys[t]!;
        // G_t = X_tᵀ X_t,  (XᵀY)_t = X_tᵀ y_t
        const G = new Float64Array(d * d);
        gemmTN(d, d, n, X, X, G, 0);
        grams.push(G);
        gemmTN(d, 1, n, X, y, g, 0);
        for (let j = 0; j < d; j++) this.XtY[j * T + t] = g[j]!;
        this.yy[t] = dot(n, y, 0, y, 0);
        for (let j = 0; j < d; j++) {
          const sq = G[j * d + j]!;
          this.lip[j] = Math.max(this.lip[j]!, 2 * s[t]! * sq);
          this.colNormMax[j] = Math.max(this.colNormMax[j]!, Math.sqrt(sq));
          this.diag[j * T + t] = sq;
        }
      }
      this.grams = grams;
    }
  }

  /** Computes the shared Gram columns XᵀX[:, j] for the listed features that lack them. */
  private ensureColumns(list: Int32Array, k: number): void {
    if (!this.shared) return;
    const d = this.loss.d, n = this.loss.n, X = this.loss.X!;
    let missing = 0;
    for (let a = 0; a < k; a++) if (this.slot[list[a]!]! < 0) missing++;
    if (missing === 0) return;
    if ((this.nSlots + missing) * d > this.cols.length) {
      const cap = Math.min(d, Math.max(2 * (this.nSlots + missing), 16));
      const bigger = new Float64Array(cap * d);
      bigger.set(this.cols.subarray(0, this.nSlots * d));
      this.cols = bigger;
    }
    // gather the missing features' columns X_S (n×m, row-major) and compute XᵀX_S (d×m) in one product
    const idx: number[] = [];
    for (let a = 0; a < k; a++) if (this.slot[list[a]!]! < 0) idx.push(list[a]!);
    const m = idx.length;
    const XS = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      for (let a = 0; a < m; a++) XS[i * m + a] = X[o + idx[a]!]!;
    }
    const G = new Float64Array(d * m);
    gemmTN(d, m, n, X, XS, G, 0);
    // store column a (= Gram row, by symmetry) contiguously in its slot
    const out = this.cols.subarray(this.nSlots * d, (this.nSlots + missing) * d);
    transposeInto(G, d, m, out);
    for (let a = 0; a < idx.length; a++) this.slot[idx[a]!] = this.nSlots + a;
    this.nSlots += missing;
  }

  reset(W: Float64Array): void {
    const d = this.loss.d, T = this.loss.T;
    const nz = new Int32Array(d);
    let k = 0;
    for (let j = 0; j < d; j++) {
      for (let t = 0; t < T; t++) if (W[j * T + t] !== 0) { nz[k++] = j; break; }
    }
    this.ensureColumns(nz, k);
    this.recompute(W, nz, k);
  }

  /** C = XᵀY − Σ_{j ∈ nz} G[:, j] W[j, :] for all rows. */
  private recompute(W: Float64Array, nz: Int32Array, k: number): void {
    const d = this.loss.d, T = this.loss.T, C = this.C;
    C.set(this.XtY);
    for (let a = 0; a < k; a++) {
      const j = nz[a]!;
      if (this.shared) {
        const off = this.slot[j]! * d;
        const col = this.cols;
        for (let i = 0; i < d; i++) {
          const g = col[off + i]!;
          if (g === 0) continue;
          const o = i * T, wo = j * T;
          for (let t = 0; t < T; t++) C[o + t]! -= g * W[wo + t]!;
        }
      } else {
        for (let t = 0; t < T; t++) {
          const w = W[j * T + t]!;
          if (w === 0) continue;
          const G = this.grams[t]!;
          for (let i = 0; i < d; i++) C[i * T + t]! -= G[j * d + i]! * w;
        }
      }
    }
  }

  prepare(ws: Int32Array, k: number): void {
    this.ensureColumns(ws, k);
  }

  corrRow(j: number, out: Float64Array): void {
    const T = this.loss.T, s = this.loss.scales, C = this.C;
    for (let t = 0; t < T; t++) out[t] = 2 * s[t]! * C[j * T + t]!;
  }

  update(j: number, delta: Float64Array, ws: Int32Array, k: number): void {
    const d = this.loss.d, T = this.loss.T, C = this.C;
    if (this.shared) {
      // C[i, :] −= G[i, j] δ  for i in the working set
      const off = this.slot[j]! * d, col = this.cols;
      for (let a = 0; a < k; a++) {
        const i = ws[a]!;
        const g = col[off + i]!;
        if (g === 0) continue;
        const o = i * T;
        for (let t = 0; t < T; t++) C[o + t]! -= g * delta[t]!;
      }
      return;
    }
    // C[i, t] −= G_t[i, j] δ_t
    for (let t = 0; t < T; t++) {
      const dt = delta[t]!;
      if (dt === 0) continue;
      const G = this.grams[t]!;
      const go = j * d;
      for (let a = 0; a < k; a++) {
        const i = ws[a]!;
        C[i * T + t]! -= G[go + i]! * dt;
      }
    }
  }

  full(W: Float64Array, V: Float64Array): void {
    const d = this.loss.d, T = this.loss.T, s = this.loss.scales;
    const nz = new Int32Array(d);
    let k = 0;
    for (let j = 0; j < d; j++) {
      for (let t = 0; t < T; t++) if (W[j * T + t] !== 0) { nz[k++] = j; break; }
    }
    this.ensureColumns(nz, k);
    this.recompute(W, nz, k);
    for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) V[j * T + t] = 2 * s[t]! * this.C[j * T + t]!;
  }

  lossAndInner(W: Float64Array, out: Float64Array): void {
    // ‖r_t‖² = ‖y_t‖² − w_tᵀ(XᵀY)_t − w_tᵀ c_t,  ⟨r_t, y_t⟩ = ‖y_t‖² − w_tᵀ(XᵀY)_t  (nonzero rows only)
    const d = this.loss.d, T = this.loss.T, s = this.loss.scales;
    let loss = 0, inner = 0;
    for (let t = 0; t < T; t++) {
      let wxy = 0, wc = 0;
      for (let j = 0; j < d; j++) {
        const w = W[j * T + t]!;
        if (w === 0) continue;
        wxy += w * this.XtY[j * T + t]!;
        wc += w * this.C[j * T + t]!;
      }
      const yy = this.yy[t]!;
      loss += s[t]! * Math.max(0, yy - wxy - wc);
      inner += 2 * s[t]! * (yy - wxy);
    }
    out[0] = loss;
    out[1] = inner;
  }
}

const ANDERSON_K = 5;

/** F restricted to the working set (rows outside it are zero): loss + λ Σ‖w^j‖ + ρ‖W‖². */
function wsObjective(
  backend: Backend, norm: RowNorm, W: Float64Array, ws: Int32Array, p: number, T: number,
  lambda: number, ridge: number, li: Float64Array,
): number {
  backend.lossAndInner(W, li);
  let pen = 0, fro = 0;
  for (let a = 0; a < p; a++) {
    const j = ws[a]!;
    pen += norm.norm(W, j * T, T);
    if (ridge > 0) for (let t = 0; t < T; t++) fro += W[j * T + t]! ** 2;
  }
  return li[0]! + lambda * pen + ridge * fro;
}

/**
 * Anderson extrapolation of the BCD iterates (as in Bertrand & Massias, "Anderson acceleration of
 * coordinate descent", AISTATS 2021): with the last K+1 iterates w_0 … w_K and differences
 * u_k = w_{k+1} − w_k, solve (UᵀU) c = 1, c ← c / Σc, and take w_e = Σ_k c_k w_{k+1}. The point
 * replaces W only if it lowers the objective; otherwise W is left as it was.
 */
function andersonStep(
  backend: Backend, norm: RowNorm, W: Float64Array, ws: Int32Array, p: number, T: number,
  lambda: number, ridge: number, hist: Float64Array, nHist: number, stride: number,
  delta: Float64Array, li: Float64Array,
): void {
  const K = ANDERSON_K;
  const slotOf = (age: number): number => ((nHist - 1 - age) % (K + 1) + (K + 1)) % (K + 1); // age 0 = newest
  // Gram matrix of the differences u_k = w(age k) − w(age k+1), k = 0..K−1
  const M = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      const a0 = slotOf(a) * stride, a1 = slotOf(a + 1) * stride, b0 = slotOf(b) * stride, b1 = slotOf(b + 1) * stride;
      let sdot = 0;
      for (let i = 0; i < stride; i++) sdot += (hist[a0 + i]! - hist[a1 + i]!) * (hist[b0 + i]! - hist[b1 + i]!);
      M[a * K + b] = sdot;
      M[b * K + a] = sdot;
    }
  }
  let tr = 0;
  for (let a = 0; a < K; a++) tr += M[a * K + a]!;
  if (!(tr > 0)) return;
  for (let a = 0; a < K; a++) M[a * K + a]! += 1e-10 * tr;
  // solve M c = 1 by Gaussian elimination with partial pivoting
  const c = new Float64Array(K).fill(1);
  for (let col = 0; col < K; col++) {
    let piv = col;
    for (let r = col + 1; r < K; r++) if (Math.abs(M[r * K + col]!) > Math.abs(M[piv * K + col]!)) piv = r;
    if (M[piv * K + col] === 0) return;
    if (piv !== col) {
      for (let k = 0; k < K; k++) { const tmp = M[col * K + k]!; M[col * K + k] = M[piv * K + k]!; M[piv * K + k] = tmp; }
      const tmp = c[col]!; c[col] = c[piv]!; c[piv] = tmp;
    }
    for (let r = col + 1; r < K; r++) {
      const f = M[r * K + col]! / M[col * K + col]!;
      for (let k = col; k < K; k++) M[r * K + k]! -= f * M[col * K + k]!;
      c[r]! -= f * c[col]!;
    }
  }
  for (let r = K - 1; r >= 0; r--) {
    let sacc = c[r]!;
    for (let k = r + 1; k < K; k++) sacc -= M[r * K + k]! * c[k]!;
    c[r] = sacc / M[r * K + r]!;
  }
  let csum = 0;
  for (let k = 0; k < K; k++) csum += c[k]!;
  if (!Number.isFinite(csum) || csum === 0) return;
  const before = wsObjective(backend, norm, W, ws, p, T, lambda, ridge, li);
  // W_S ← Σ_k c_k w(age k), applying each row change to the backend state
  for (let a = 0; a < p; a++) {
    const j = ws[a]!;
    let changed = false;
    for (let t = 0; t < T; t++) {
      let we = 0;
      for (let k = 0; k < K; k++) we += (c[k]! / csum) * hist[slotOf(k) * stride + a * T + t]!;
      const dt = we - W[j * T + t]!;
      delta[t] = dt;
      if (dt !== 0) changed = true;
    }
    if (changed) {
      for (let t = 0; t < T; t++) W[j * T + t]! += delta[t]!;
      backend.update(j, delta, ws, p);
    }
  }
  const after = wsObjective(backend, norm, W, ws, p, T, lambda, ridge, li);
  if (after < before) return;
  // reject: restore the newest iterate
  const s0 = slotOf(0) * stride;
  for (let a = 0; a < p; a++) {
    const j = ws[a]!;
    let changed = false;
    for (let t = 0; t < T; t++) {
      const dt = hist[s0 + a * T + t]! - W[j * T + t]!;
      delta[t] = dt;
      if (dt !== 0) changed = true;
    }
    if (changed) {
      for (let t = 0; t < T; t++) W[j * T + t] = hist[s0 + a * T + t]!;
      backend.update(j, delta, ws, p);
    }
  }
}

/** Options of {@link bcdGroupLasso}. */
export interface BcdOptions {
  /** λ ≥ 0. */
  lambda: number;
  /** ρ ≥ 0 (ridge). */
  ridge: number;
  /** Absolute duality-gap tolerance. */
  tolAbs: number;
  /** Maximum number of epochs (passes over the working set). */
  maxIter: number;
  /** Use working sets. */
  workingSet: boolean;
  /** Use gap-safe screening (only when ρ = 0). */
  screening: boolean;
  /** Anderson extrapolation of the working-set iterates every 5 epochs. @default true */
  anderson?: boolean;
  /** Force a backend (default: by problem shape). */
  backend?: 'gram' | 'residual' | 'auto';
}

/** What {@link bcdGroupLasso} returns. */
export interface BcdResult {
  W: Float64Array;
  primal: number;
  gap: number;
  iterations: number;
  converged: boolean;
  history: HistoryEntry[];
  /** Rows removed by gap-safe screening. */
  screened: number;
  /** Which backend ran. */
  backend: 'gram' | 'residual';
  /** Final working-set size. */
  workingSetSize: number;
}

/**
 * Chooses the BCD state representation by problem shape: Gram when each row update is cheaper with
 * cached Gram entries than with residuals (shared design without missing values and n ≥ d/4; per-task
 * designs with mean n_t ≥ d/2 and T·d² ≤ 2²⁴), residual otherwise.
 * @param loss - the datafit
 * @returns the backend kind
 * @example
 * ```ts
 * chooseBackend(loss); // 'gram' for n = 20000, d = 500
 * ```
 * @see {@link bcdGroupLasso}
 */
export function chooseBackend(loss: QuadraticLoss): 'gram' | 'residual' {
  const { d, T } = loss;
  if (loss.X !== null) return !loss.mask && loss.n * 4 >= d ? 'gram' : 'residual';
  const total = loss.offsets[T]!;
  return total / T >= d / 2 && T * d * d <= 1 << 24 ? 'gram' : 'residual';
}

/**
 * The BCD state for one datafit, reusable across fits on the same data (a regularization path):
 * Gram columns and XᵀY computed by one fit serve the next. Build it with {@link createBcdState}.
 */
export interface BcdState {
  /** The datafit it belongs to. */
  readonly loss: QuadraticLoss;
  /** Which representation it keeps. */
  readonly kind: 'gram' | 'residual';
  /** @internal */
  readonly backend: Backend;
}

/**
 * Builds a reusable BCD state for `loss` (see {@link BcdState}).
 * @param loss - the datafit
 * @param kind - `'gram'`, `'residual'` or `'auto'` ({@link chooseBackend})
 * @returns the state
 * @example
 * ```ts
 * const state = createBcdState(loss, 'auto');
 * bcdGroupLasso(loss, norm, W0, opts, state); // later fits on the same loss reuse its Gram columns
 * ```
 * @see {@link bcdGroupLasso}
 */
export function createBcdState(loss: QuadraticLoss, kind: 'gram' | 'residual' | 'auto' = 'auto'): BcdState {
  const k = kind === 'auto' ? chooseBackend(loss) : kind;
  return { loss, kind: k, backend: k === 'gram' ? new GramBackend(loss) : new ResidualBackend(loss) };
}

/**
 * Block coordinate descent with working sets and gap-safe screening for
 * min_W L(W) + λ Σ_j ‖w^j‖_q + ρ‖W‖²_F. Stops when the duality gap of the full problem is ≤ tolAbs.
 *
 * @param loss - the datafit (scales, intercepts handled there)
 * @param norm - the row norm ‖·‖_q
 * @param W0 - starting point d×T (copied)
 * @param opts - see {@link BcdOptions}
 * @param state - optional reusable state from {@link createBcdState} (same `loss`)
 * @returns the solution, its primal value, gap and history
 * @example
 * ```ts
 * const res = bcdGroupLasso(loss, rowNorm(2, T), new Float64Array(d * T), {
 *   lambda, ridge: 0, tolAbs: 1e-6 * loss.valueAtZero(), maxIter: 10000, workingSet: true, screening: true,
 * });
 * ```
 * @see {@link groupLassoGap}
 */
export function bcdGroupLasso(loss: QuadraticLoss, norm: RowNorm, W0: Float64Array, opts: BcdOptions, state?: BcdState): BcdResult {
  const { d, T } = loss;
  const { lambda, ridge, tolAbs, maxIter } = opts;
  if (state && state.loss !== loss) throw new RangeError('state: built for another datafit; use createBcdState(loss)');
  const st = state ?? createBcdState(loss, opts.backend ?? 'auto');
  const kind = st.kind;
  const backend = st.backend;
  const start = performance.now();
  const W = Float64Array.from(W0);
  const V = new Float64Array(d * T);
  const grad = new Float64Array(T);
  const wNew = new Float64Array(T);
  const delta = new Float64Array(T);
  const work = new Float64Array(Math.max(T, 1));
  const li = new Float64Array(2);
  const active = new Uint8Array(d).fill(1);
  const ws = new Int32Array(d);
  const score = new Float64Array(d);
  const order = new Int32Array(d);
  const history: HistoryEntry[] = [];
  const qs = norm.qStar;
  // ‖a‖_{q*} ≤ cq ‖a‖₂ for a ∈ ℝ^T
  const cq = Number.isFinite(qs) ? Math.pow(T, Math.max(0, 1 / qs - 0.5)) : 1;
  // strong concavity of the dual: κ = min_t 1/(2 s_t)
  let smax = 0;
  for (let t = 0; t < T; t++) smax = Math.max(smax, loss.scales[t]!);
  const kappa = 1 / (2 * smax);
  const canScreen = opts.screening && ridge === 0 && lambda > 0;

  backend.reset(W);
  let epochs = 0;
  let gap = Infinity, primal = NaN;
  let converged = false;
  let screened = 0;
  let wsSize = 0;
  let prevP = 0;
  let prevGap = Infinity;
  for (;;) {
    // full gap: V = Xᵀ(2 s ⊙ R)
    backend.full(W, V);
    backend.lossAndInner(W, li);
    const g = groupLassoGap(li[0]!, li[1]!, V, W, d, T, norm, lambda, ridge, work, null, 0);
    gap = g.gap;
    primal = g.primal;
    history.push({ iteration: epochs, objective: primal, certificate: gap, time: (performance.now() - start) / 1000 });
    if (gap <= tolAbs) { converged = true; break; }
    if (epochs >= maxIter) break;

    // gap-safe screening: ‖(XᵀU*)_j‖_{q*} ≤ α‖V_j‖_{q*} + cq max_t‖x_tj‖ · r  < λ  ⇒  w*_j = 0
    if (canScreen) {
      const radius = Math.sqrt((2 * gap) / kappa);
      let zeroed = false;
      for (let j = 0; j < d; j++) {
        if (!active[j]) continue;
        const bound = g.alpha * norm.dualNorm(V, j * T, T) + cq * backend.colNormMax[j]! * radius;
        if (bound < lambda) {
          active[j] = 0;
          screened++;
          let nz = false;
          for (let t = 0; t < T; t++) if (W[j * T + t] !== 0) nz = true;
          if (nz) {
            for (let t = 0; t < T; t++) { delta[t] = -W[j * T + t]!; W[j * T + t] = 0; }
            zeroed = true;
            if (backend.kind === 'residual') backend.update(j, delta, ws, 0);
          }
        }
      }
      if (zeroed && backend.kind === 'gram') backend.reset(W);
    }

    // working set: nonzero rows first, then the rows closest to violating their KKT condition
    let nActive = 0, nnz = 0;
    for (let j = 0; j < d; j++) {
      if (!active[j]) continue;
      let nz = false;
      for (let t = 0; t < T; t++) if (W[j * T + t] !== 0) { nz = true; break; }
      if (nz) nnz++;
      // celer-style priority: signed distance of the dual point to row j's constraint, scaled by ‖x_j‖
      // (violators ‖V_j‖ > λ come first, whatever their column norm)
      score[j] = nz ? Infinity : (norm.dualNorm(V, j * T, T) - lambda) / Math.max(backend.colNormMax[j]!, 1e-300);
      order[nActive++] = j;
    }
    let p = nActive;
    if (opts.workingSet) {
      // grow the working set when the last one made too little progress on the full gap
      const stalled = prevGap < Infinity && gap > 0.5 * prevGap;
      p = Math.min(nActive, Math.max(10, 2 * nnz, stalled ? 2 * prevP : prevP));
      const idx = Array.from(order.subarray(0, nActive));
      idx.sort((a, b) => score[b]! - score[a]!);
      for (let a = 0; a < p; a++) ws[a] = idx[a]!;
      // keep a sorted feature order within the working set for memory locality
      ws.subarray(0, p).sort();
    } else {
      for (let a = 0; a < p; a++) ws[a] = order[a]!;
    }
    prevP = p;
    prevGap = gap;
    wsSize = p;
    backend.prepare(ws, p, W);

    // inner BCD epochs on the working set until its own gap ≤ 0.3 · (outer gap)
    const innerTol = opts.workingSet && p < nActive ? Math.max(0.3 * gap, 0.5 * tolAbs) : tolAbs;
    // Anderson extrapolation memory: the working-set rows after each of the last K+1 epochs
    const stride = p * T;
    const hist = new Float64Array((ANDERSON_K + 1) * stride);
    let nHist = 0;
    for (;;) {
      for (let a = 0; a < p; a++) {
        const j = ws[a]!;
        const Lj = backend.lip[j]! + 2 * ridge;
        if (Lj === 0) continue;
        // w_new = prox_{λ/L_j}(w_j − (−V_j + 2ρ w_j)/L_j)
        backend.corrRow(j, grad);
        const o = j * T;
        for (let t = 0; t < T; t++) wNew[t] = W[o + t]! + (grad[t]! - 2 * ridge * W[o + t]!) / Lj;
        norm.prox(wNew, 0, T, lambda / Lj, wNew, 0);
        let changed = false;
        for (let t = 0; t < T; t++) {
          const dt = wNew[t]! - W[o + t]!;
          delta[t] = dt;
          if (dt !== 0) changed = true;
        }
        if (changed) {
          for (let t = 0; t < T; t++) W[o + t] = wNew[t]!;
          backend.update(j, delta, ws, p);
        }
      }
      epochs++;
      if (epochs >= maxIter) break;
      if (opts.anderson !== false) {
        // record W_S; every K epochs try the Anderson-extrapolated point (kept only if it lowers F)
        const slot = nHist % (ANDERSON_K + 1);
        for (let a = 0; a < p; a++) hist.set(W.subarray(ws[a]! * T, ws[a]! * T + T), slot * stride + a * T);
        nHist++;
        if (nHist >= ANDERSON_K + 1 && nHist % ANDERSON_K === 0) {
          andersonStep(backend, norm, W, ws, p, T, lambda, ridge, hist, nHist, stride, delta, li);
        }
      }
      if (epochs % 5 === 0) {
        // working-set subproblem gap
        for (let a = 0; a < p; a++) {
          backend.corrRow(ws[a]!, grad);
          V.set(grad, ws[a]! * T);
        }
        backend.lossAndInner(W, li);
        const gs = groupLassoGap(li[0]!, li[1]!, V, W, d, T, norm, lambda, ridge, work, ws, p);
        if (gs.gap <= innerTol) break;
      }
    }
  }
  return { W, primal, gap, iterations: epochs, converged, history, screened, backend: kind, workingSetSize: wsSize };
}
