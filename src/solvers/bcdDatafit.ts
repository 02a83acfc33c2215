/**
 * The row-wise state of the squared loss for block coordinate descent over the rows of W: what
 * {@link bcd} needs of a datafit (row negative gradients, row updates, per-coordinate Lipschitz
 * constants), in two representations.
 *
 * - **residual**: R = Ỹ − X̃W is kept *task-major* (task t's residual contiguous), so the row
 *   gradient v_t = 2 s_t x̃_tjᵀ r_t is T dot products of length n_t and the update r_t −= δ_t x̃_tj
 *   T axpys; a row costs 4·Σ_t n_t flops.
 * - **gram**: C = X̃ᵀỸ − X̃ᵀX̃W is kept for the working-set rows; a row costs 2·|S|·T once the Gram
 *   columns X̃ᵀx̃_j of the working-set features are computed (one blocked product per growth).
 *
 * {@link chooseBackend} picks by a cost model (one Gram column costs 2nd flops, about as much as d/(2T)
 * residual row steps), see there.
 *
 * @packageDocumentation
 */
import type { QuadraticLoss } from '../datafits/quadratic.js';
import { axpy, dot, gemmNT, gemmTN } from '../linalg/blas.js';
import { allCorrelations, rowCorrelations, rowRankOneUpdate, transposeTiled } from './bcdKernels.js';

/** The dual-objective terms of the squared loss at the current state (see `groupLassoGap`). */
export interface RowDualTerms {
  /** f(W) = Σ_t s_t ‖r_t‖². */
  value: number;
  /** Σ_t 2 s_t ⟨r_t, ỹ_t⟩. */
  innerY: number;
}

/** What {@link bcd} needs of a datafit: an internal state kept in step with row updates. */
export interface BcdDatafit {
  readonly d: number;
  readonly T: number;
  /** Which internal representation is kept. */
  readonly kind: 'residual' | 'gram';
  /** (Re)computes the internal state from W (all rows). */
  reset(W: Float64Array): void;
  /** Makes rows ws[0..k) ready for {@link rowNegGradient} / {@link updateRow} (e.g. their Gram columns). */
  prepare(ws: Int32Array, k: number): void;
  /** out[t] = −∂f/∂W_jt at the internal state. */
  rowNegGradient(j: number, out: Float64Array): void;
  /** Applies W[j, :] += delta to the internal state (rows ws[0..k) kept exact by the Gram form). */
  updateRow(j: number, delta: Float64Array, ws: Int32Array, k: number): void;
  /** V ← −∇f(W) for all rows (W must be the W of the internal state). */
  fullNegGradient(W: Float64Array, V: Float64Array): void;
  /** f(W) and the linear dual term at the internal state. */
  internalDualTerms(W: Float64Array, out: RowDualTerms): void;
  /** Per-coordinate Lipschitz constants L_jt = 2 s_t ‖x̃_tj‖² (d×T row-major). */
  coordinateLipschitz(): Float64Array;
  /** Upper bounds of max_t ‖x̃_tj‖ (length d), for gap-safe screening. */
  columnNormMax(): Float64Array;
  /** κ = min_t 1/(2 s_t), the strong concavity of the dual (gap-safe sphere radius √(2 gap/κ)). */
  dualStrongConcavity(): number;
  /** X̃ᵀỸ (d×T, unscaled, cached): −∇f(0) column t is 2 s_t times column t (λ_max, the first check). */
  xty(): Float64Array;
}

/** Feature-major copies X̃ᵀ (d×n) of shared designs, one per loss. */
const colMajorCache = new WeakMap<QuadraticLoss, Float64Array>();
function sharedColumns(loss: QuadraticLoss): Float64Array {
  let c = colMajorCache.get(loss);
  if (!c) colMajorCache.set(loss, (c = transposeTiled(loss.X!, loss.n, loss.d, new Float64Array(loss.n * loss.d))));
  return c;
}

/** κ = min_t 1/(2 s_t). */
function kappaOf(loss: QuadraticLoss): number {
  let smax = 0;
  for (let t = 0; t < loss.T; t++) smax = Math.max(smax, loss.scales[t]!);
  return 1 / (2 * smax);
}

/**
 * Chooses the BCD state representation by cost. Residual row steps cost 4·n·T flops each; a Gram
 * column costs 2·n·d once, after which a row step costs 2·|S|·T. With about E = 16 sweeps over a
 * working set, the Gram form pays off when 2nd < E·4nT, i.e. d < 32·T (shared design without missing
 * responses, n ≥ d/4). Per-task designs: Gram when mean n_t ≥ d/2 and the T Gram matrices are small.
 * @param loss - the datafit
 * @returns the backend kind
 * @example
 * ```ts
 * chooseBackend(loss); // 'gram' for n = 20000, d = 500, T = 50; 'residual' for T = 5
 * ```
 * @see {@link createBcdDatafit}
 */
export function chooseBackend(loss: QuadraticLoss): 'gram' | 'residual' {
  const { d, T } = loss;
  if (loss.normalEquations !== null) return 'gram'; // sufficient statistics: only the Gram form exists
  if (loss.X !== null) return !loss.mask && loss.n * 4 >= d && d <= 32 * T ? 'gram' : 'residual';
  const total = loss.offsets[T]!;
  return total / T >= d / 2 && T * d * d <= 1 << 24 ? 'gram' : 'residual';
}

/**
 * Builds the row-wise state of `loss` for {@link bcd}; reusable across fits on the same loss (a path:
 * the Gram columns and XᵀY computed by one fit serve the next).
 * @param loss - the datafit
 * @param kind - `'gram'`, `'residual'` or `'auto'` ({@link chooseBackend}) @default 'auto'
 * @returns the state
 * @example
 * ```ts
 * const f = createBcdDatafit(loss);
 * bcd(f, penalty, W0, opts);
 * ```
 * @see {@link chooseBackend}
 */
export function createBcdDatafit(loss: QuadraticLoss, kind: 'gram' | 'residual' | 'auto' = 'auto'): BcdDatafit {
  const k = kind === 'auto' ? chooseBackend(loss) : kind;
  return k === 'gram' ? new GramRows(loss) : new ResidualRows(loss);
}

/** L_jt = 2 s_t ‖x̃_tj‖² and max_t ‖x̃_tj‖ from the squared column norms sq(j, t). */
function lipschitzFrom(loss: QuadraticLoss, sq: (j: number, t: number) => number): { L: Float64Array; cmax: Float64Array } {
  const { d, T } = loss;
  const L = new Float64Array(d * T), cmax = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let t = 0; t < T; t++) {
      const s = sq(j, t);
      L[j * T + t] = 2 * loss.scales[t]! * s;
      if (s > cmax[j]! ** 2) cmax[j] = Math.sqrt(s);
    }
  }
  return { L, cmax };
}

/** Residual representation, task-major: r_t at [off_t, off_t + n_t). */
class ResidualRows implements BcdDatafit {
  readonly kind = 'residual' as const;
  readonly d: number;
  readonly T: number;
  private readonly R: Float64Array;
  /** Task-major responses (shared design) or the per-task ones. */
  private readonly Yt: Float64Array;
  /** Column-major designs: feature j of task t at cols[t][j·n_t ..) (shared: one entry). */
  private readonly cols: Float64Array[];
  private readonly off: Int32Array;
  private readonly Lc: Float64Array;
  private readonly cmax: Float64Array;
  /** Shared design with missing responses: task-major mask and centring means. */
  private readonly maskT: Uint8Array | null;
  private readonly tmp: Float64Array;
  private readonly wrow: Float64Array;
  /** True while the state is that of W = 0 (the full gradient is then 2s ⊙ X̃ᵀỸ, cached). */
  private atZero = false;
  private xtyCache: Float64Array | null = null;

  constructor(private readonly loss: QuadraticLoss) {
    const { d, T } = loss;
    this.d = d;
    this.T = T;
    this.cols = loss.X === null ? loss.columnMajor() : [sharedColumns(loss)];
    this.off = new Int32Array(T + 1);
    if (loss.X === null) {
      this.off.set(loss.offsets);
      this.Yt = new Float64Array(loss.residualSize);
      for (let t = 0; t < T; t++) this.Yt.set(loss.ys[t]!, loss.offsets[t]!);
      this.maskT = null;
      this.tmp = new Float64Array(0);
      const cols = this.cols;
      ({ L: this.Lc, cmax: this.cmax } = lipschitzFrom(loss, (j, t) => {
        const n = loss.offsets[t + 1]! - loss.offsets[t]!;
        return dot(n, cols[t]!, j * n, cols[t]!, j * n);
      }));
    } else {
      const n = loss.n;
      for (let t = 0; t <= T; t++) this.off[t] = t * n;
      // Ỹᵀ (T×n) from the row-major n×T responses
      this.Yt = transposeTiled(loss.Y!, n, T, new Float64Array(n * T));
      this.tmp = new Float64Array(n * T);
      const Xc = this.cols[0]!;
      if (loss.mask) {
        this.maskT = new Uint8Array(n * T);
        for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) this.maskT[t * n + i] = loss.mask[i * T + t]!;
        // L_jt = 2 s_t Σ_i m_it (x_ij − m_tj)²
        const m = loss.xMeans, c = loss.fitIntercept;
        ({ L: this.Lc, cmax: this.cmax } = lipschitzFrom(loss, (j, t) => {
          let s = 0;
          const mj = c ? m[t * d + j]! : 0, mk = this.maskT!, base = j * n;
          for (let i = 0; i < n; i++) if (mk[t * n + i]) s += (Xc[base + i]! - mj) ** 2;
          return s;
        }));
      } else {
        this.maskT = null;
        const sq = new Float64Array(d);
        for (let j = 0; j < d; j++) sq[j] = dot(n, Xc, j * n, Xc, j * n);
        ({ L: this.Lc, cmax: this.cmax } = lipschitzFrom(loss, (j) => sq[j]!));
      }
    }
    this.R = new Float64Array(loss.residualSize);
    this.wrow = new Float64Array(T);
  }

  reset(W: Float64Array): void {
    const loss = this.loss;
    let zero = true;
    for (let k = 0; k < W.length; k++) if (W[k] !== 0) { zero = false; break; }
    this.atZero = zero;
    if (zero) { this.R.set(this.Yt); return; }
    if (loss.X === null) { loss.residual(W, this.R); return; }
    if (!this.maskT) {
      // Rᵀ = Ỹᵀ − Σ_{j: w^j ≠ 0} w^j x̃_jᵀ  (task-major, nonzero rows only)
      const R = this.R, T = this.T, n = loss.n, Xc = this.cols[0]!;
      R.set(this.Yt);
      for (let j = 0; j < this.d; j++) {
        let nz = false;
        for (let t = 0; t < T; t++) { const w = W[j * T + t]!; this.wrow[t] = w; if (w !== 0) nz = true; }
        if (nz) rowRankOneUpdate(n, T, Xc, j * n, this.wrow, R);
      }
      return;
    }
    // masked: R = (P(Ỹ − X̃W) centred)ᵀ, task-major
    loss.residual(W, this.tmp);
    transposeTiled(this.tmp, loss.n, this.T, this.R);
  }

  xty(): Float64Array {
    if (this.xtyCache) return this.xtyCache;
    if (this.loss.X === null) return (this.xtyCache = this.loss.xty());
    // X̃ᵀỸ from the feature-major design and the task-major responses
    const out = new Float64Array(this.d * this.T);
    allCorrelations(this.d, this.T, this.loss.n, this.cols[0]!, this.Yt, out);
    return (this.xtyCache = out);
  }

  prepare(): void {}

  rowNegGradient(j: number, out: Float64Array): void {
    // v_t = 2 s_t x̃_tjᵀ r_t
    const T = this.T, s = this.loss.scales, R = this.R, off = this.off;
    if (this.loss.X !== null) {
      const n = this.loss.n;
      rowCorrelations(n, T, this.cols[0]!, j * n, R, out);
      for (let t = 0; t < T; t++) out[t]! *= 2 * s[t]!;
      return;
    }
    for (let t = 0; t < T; t++) {
      const o = off[t]!, n = off[t + 1]! - o;
      out[t] = 2 * s[t]! * dot(n, this.cols[t]!, j * n, R, o);
    }
  }

  updateRow(j: number, delta: Float64Array): void {
    const T = this.T, R = this.R, off = this.off, loss = this.loss, shared = loss.X !== null;
    this.atZero = false;
    const mk = this.maskT;
    if (shared && !mk) {
      // R −= x̃_j δᵀ (task-major)
      rowRankOneUpdate(loss.n, T, this.cols[0]!, j * loss.n, delta, R);
      return;
    }
    for (let t = 0; t < T; t++) {
      const dt = delta[t]!;
      if (dt === 0) continue;
      const o = off[t]!, n = off[t + 1]! - o, X = this.cols[shared ? 0 : t]!;
      if (!mk) {
        // r_t −= δ_t x̃_tj
        axpy(n, -dt, X, j * n, R, o);
        continue;
      }
      // masked: r_it −= δ_t (x_ij − m_tj) on observed rows (m = per-task means when centring)
      const mj = loss.fitIntercept ? loss.xMeans[t * this.d + j]! : 0, base = j * n;
      for (let i = 0; i < n; i++) if (mk[o + i]) R[o + i]! -= dt * (X[base + i]! - mj);
    }
  }

  fullNegGradient(_W: Float64Array, V: Float64Array): void {
    const { d, T } = this, s = this.loss.scales, loss = this.loss;
    if (this.atZero) {
      // V = 2s ⊙ X̃ᵀỸ (cached by the loss, shared with λ_max)
      const G = this.xty();
      for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) V[j * T + t] = 2 * s[t]! * G[j * T + t]!;
      return;
    }
    if (loss.X === null) {
      for (let t = 0; t < T; t++) {
        const o = this.off[t]!, n = this.off[t + 1]! - o, X = this.cols[t]!;
        for (let j = 0; j < d; j++) V[j * T + t] = 2 * s[t]! * dot(n, X, j * n, this.R, o);
      }
      return;
    }
    // V = X̃ᵀR diag(2s): X̃ feature-major (d×n), R task-major (T×n)
    allCorrelations(d, T, loss.n, this.cols[0]!, this.R, V);
    for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) V[j * T + t]! *= 2 * s[t]!;
  }

  internalDualTerms(_W: Float64Array, out: RowDualTerms): void {
    // f = Σ_t s_t ‖r_t‖²,  innerY = Σ_t 2 s_t ⟨r_t, ỹ_t⟩
    let f = 0, a = 0;
    for (let t = 0; t < this.T; t++) {
      const o = this.off[t]!, n = this.off[t + 1]! - o, s = this.loss.scales[t]!;
      f += s * dot(n, this.R, o, this.R, o);
      a += 2 * s * dot(n, this.R, o, this.Yt, o);
    }
    out.value = f;
    out.innerY = a;
  }

  coordinateLipschitz(): Float64Array { return this.Lc; }
  columnNormMax(): Float64Array { return this.cmax; }
  dualStrongConcavity(): number { return kappaOf(this.loss); }
}

/** Gram representation: C = X̃ᵀỸ − X̃ᵀX̃W kept for the working-set rows. */
class GramRows implements BcdDatafit {
  readonly kind = 'gram' as const;
  readonly d: number;
  readonly T: number;
  private readonly XtY: Float64Array;
  private readonly yy: Float64Array;
  private readonly C: Float64Array;
  private readonly shared: boolean;
  /** Shared: Gram column j at slot[j]·d in `cols` (−1 = not computed). Per-task: full Gram per task. */
  private readonly slot: Int32Array;
  private cols: Float64Array;
  private nSlots = 0;
  private readonly grams: Float64Array[];
  private readonly Lc: Float64Array;
  private readonly cmax: Float64Array;
  private readonly nz: Int32Array;

  constructor(private readonly loss: QuadraticLoss) {
    const { d, T } = loss;
    this.d = d;
    this.T = T;
    this.C = new Float64Array(d * T);
    this.yy = new Float64Array(T);
    this.slot = new Int32Array(d).fill(-1);
    this.nz = new Int32Array(d);
    if (loss.X !== null) {
      this.shared = true;
      const n = loss.n, X = loss.X, Y = loss.Y!;
      // X̃ᵀỸ from the feature-major design and task-major responses (skinny-T friendly)
      this.XtY = new Float64Array(d * T);
      allCorrelations(d, T, n, sharedColumns(loss), transposeTiled(Y, n, T, new Float64Array(n * T)), this.XtY);
      // ‖ỹ_t‖²
      for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) this.yy[t]! += Y[i * T + t]! * Y[i * T + t]!;
      // ‖x̃_j‖² in one row-major pass
      const csq = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const o = i * d;
        for (let j = 0; j < d; j++) csq[j]! += X[o + j]! * X[o + j]!;
      }
      ({ L: this.Lc, cmax: this.cmax } = lipschitzFrom(loss, (j) => csq[j]!));
      this.cols = new Float64Array(d * Math.min(d, 16));
      this.grams = [];
    } else {
      this.shared = false;
      this.XtY = loss.xty();
      this.cols = new Float64Array(0);
      const grams: Float64Array[] = [];
      const ne = loss.normalEquations; // data given by sufficient statistics: G̃_t and ‖ỹ_t‖² are given
      for (let t = 0; t < T && ne !== null; t++) {
        grams.push(ne.gram(t));
        this.yy[t] = ne.yy[t]!;
      }
      for (let t = 0; t < T && ne === null; t++) {
        const n = loss.offsets[t + 1]! - loss.offsets[t]!;
        const X = loss.Xs[t]!, y = loss.ys[t]!;
        // G_t = X̃_tᵀ X̃_t
        const G = new Float64Array(d * d);
        gemmTN(d, d, n, X, X, G, 0);
        grams.push(G);
        this.yy[t] = dot(n, y, 0, y, 0);
      }
      this.grams = grams;
      ({ L: this.Lc, cmax: this.cmax } = lipschitzFrom(loss, (j, t) => grams[t]![j * d + j]!));
    }
  }

  /** Computes the shared Gram columns X̃ᵀx̃_j for the listed features that lack them. */
  private ensureColumns(list: Int32Array, k: number): void {
    if (!this.shared) return;
    const d = this.d, n = this.loss.n;
    let m = 0;
    for (let a = 0; a < k; a++) if (this.slot[list[a]!]! < 0) m++;
    if (m === 0) return;
    if ((this.nSlots + m) * d > this.cols.length) {
      const cap = Math.min(d, Math.max(2 * (this.nSlots + m), 16));
      const bigger = new Float64Array(cap * d);
      bigger.set(this.cols.subarray(0, this.nSlots * d));
      this.cols = bigger;
    }
    // X̃_Sᵀ (m×n) gathered from the column-major design, then G_S = X̃ᵀX̃_S as (X̃_Sᵀ X̃) rows: m×d
    const Xc = sharedColumns(this.loss);
    const XS = new Float64Array(m * n);
    let a2 = 0;
    for (let a = 0; a < k; a++) {
      const j = list[a]!;
      if (this.slot[j]! >= 0) continue;
      XS.set(Xc.subarray(j * n, j * n + n), a2 * n);
      this.slot[j] = this.nSlots + a2++;
    }
    // rows of (X̃_Sᵀ X̃) = Gram columns (by symmetry), straight into their slots
    gemmNT(m, d, n, XS, Xc, this.cols.subarray(this.nSlots * d, (this.nSlots + m) * d), 0);
    this.nSlots += m;
  }

  private nonzeroRows(W: Float64Array): number {
    const { d, T } = this;
    let k = 0;
    for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) if (W[j * T + t] !== 0) { this.nz[k++] = j; break; }
    return k;
  }

  reset(W: Float64Array): void {
    const k = this.nonzeroRows(W);
    this.ensureColumns(this.nz, k);
    // C = X̃ᵀỸ − Σ_{j ∈ nz} G[:, j] W[j, :]
    const { d, T } = this, C = this.C;
    C.set(this.XtY);
    for (let a = 0; a < k; a++) {
      const j = this.nz[a]!, wo = j * T;
      if (this.shared) {
        const off = this.slot[j]! * d, col = this.cols;
        for (let i = 0; i < d; i++) {
          const g = col[off + i]!;
          if (g === 0) continue;
          const o = i * T;
          for (let t = 0; t < T; t++) C[o + t]! -= g * W[wo + t]!;
        }
      } else {
        for (let t = 0; t < T; t++) {
          const w = W[wo + t]!;
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

  rowNegGradient(j: number, out: Float64Array): void {
    // v_t = 2 s_t C_jt
    const T = this.T, s = this.loss.scales, C = this.C;
    for (let t = 0; t < T; t++) out[t] = 2 * s[t]! * C[j * T + t]!;
  }

  updateRow(j: number, delta: Float64Array, ws: Int32Array, k: number): void {
    const d = this.d, T = this.T, C = this.C;
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
      const G = this.grams[t]!, go = j * d;
      for (let a = 0; a < k; a++) {
        const i = ws[a]!;
        C[i * T + t]! -= G[go + i]! * dt;
      }
    }
  }

  fullNegGradient(W: Float64Array, V: Float64Array): void {
    this.reset(W);
    const { d, T } = this, s = this.loss.scales, C = this.C;
    for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) V[j * T + t] = 2 * s[t]! * C[j * T + t]!;
  }

  internalDualTerms(W: Float64Array, out: RowDualTerms): void {
    // ‖r_t‖² = ‖ỹ_t‖² − w_tᵀ(X̃ᵀỸ)_t − w_tᵀ c_t,  ⟨r_t, ỹ_t⟩ = ‖ỹ_t‖² − w_tᵀ(X̃ᵀỸ)_t  (nonzero rows)
    const { d, T } = this, s = this.loss.scales;
    let f = 0, inner = 0;
    for (let t = 0; t < T; t++) {
      let wxy = 0, wc = 0;
      for (let j = 0; j < d; j++) {
        const w = W[j * T + t]!;
        if (w === 0) continue;
        wxy += w * this.XtY[j * T + t]!;
        wc += w * this.C[j * T + t]!;
      }
      const yy = this.yy[t]!;
      f += s[t]! * Math.max(0, yy - wxy - wc);
      inner += 2 * s[t]! * (yy - wxy);
    }
    out.value = f;
    out.innerY = inner;
  }

  coordinateLipschitz(): Float64Array { return this.Lc; }
  columnNormMax(): Float64Array { return this.cmax; }
  dualStrongConcavity(): number { return kappaOf(this.loss); }
  xty(): Float64Array { return this.XtY; }
}
