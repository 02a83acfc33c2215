/**
 * Row-wise Gram state of the squared loss: C = X̃ᵀỸ − X̃ᵀX̃W kept for the working-set rows, Gram
 * columns computed only for working-set features (Massias, Gramfort & Salmon, "Celer", ICML 2018).
 *
 * @packageDocumentation
 */
import type { QuadraticLoss } from './quadratic.js';
import type { RowBackend } from './rowBackend.js';
import { dot, gemmTN } from '../linalg/blas.js';
import { transposeInto } from '../linalg/mat.js';

/** Gram backend: C = XᵀY − XᵀX W kept for the working-set rows. */
export class GramRows implements RowBackend {
  readonly kind = 'gram' as const;
  readonly lip: Float64Array;
  readonly coordLip: Float64Array;
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
    this.coordLip = new Float64Array(d * T);
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
        for (let t = 0; t < T; t++) {
          this.diag[j * T + t] = sq;
          this.coordLip[j * T + t] = 2 * s[t]! * sq;
        }
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
          this.coordLip[j * T + t] = 2 * s[t]! * sq;
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


