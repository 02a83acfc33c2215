/**
 * The multi-task squared loss L(W, b) = Σ_t s_t ‖y_t − X_t w_t − b_t·1‖² (see `docs/objectives.md`,
 * "Loss and its scaling"), as a datafit object the solvers share.
 *
 * Intercepts are profiled out: for fixed W the optimal b_t is the mean residual of task t, and the
 * loss at that b equals the loss of the centred problem. The datafit therefore works with centred
 * residuals when `fitIntercept` is set, and {@link QuadraticLoss.intercepts} recovers b from W.
 *
 * @packageDocumentation
 */
import type { LossScale } from '../types.js';
import type { MultiTaskData } from '../data/MultiTaskData.js';
import { dot } from '../linalg/blas.js';
import type { SharedDesign } from './sharedDesign.js';
import { centreResidualColumns, centreShared, centreTasks, profiledIntercepts } from './centring.js';
import { squaredLossLipschitz } from './lipschitz.js';

export { lossScaleFactor, multiTaskLoss, checkW } from './lossValue.js';
import { lossScaleFactor } from './lossValue.js';
import { implicitResidual, implicitResidualSize, implicitResidualTerms, statisticsNormalEquations, type StatisticsNormalEquations } from './statisticsLoss.js';
import { noRows, rowsNeeded } from '../data/statisticsOf.js';

/** Options of {@link QuadraticLoss}. */
export interface QuadraticLossOptions {
  /** Loss scaling. @default 'mean' */
  lossScale?: LossScale;
  /** Profile out unpenalised per-task intercepts. @default true */
  fitIntercept?: boolean;
  /** Extra per-task weights multiplying s_t (used by uncertainty weighting). @default all 1 */
  taskWeights?: Float64Array;
}

/**
 * The squared-loss datafit in a solver-friendly, preprocessed form.
 *
 * Residual layout (`R`, length {@link QuadraticLoss.residualSize}):
 * - per-task data: the tasks' residual vectors one after the other (task t at `offsets[t]`);
 * - shared design: an n×T row-major matrix with 0 at missing responses.
 * With `fitIntercept`, residuals are centred over each task's observed rows (profiled intercepts).
 *
 * The object holds work buffers and is not re-entrant: one instance per solver.
 *
 * @example
 * ```ts
 * const loss = new QuadraticLoss(data, { lossScale: 'mean' });
 * const R = new Float64Array(loss.residualSize);
 * loss.residual(W.data, R);
 * const value = loss.valueFromResidual(R);
 * ```
 * @see {@link multiTaskLoss}
 */
export class QuadraticLoss {
  /** Number of features d. */
  readonly d: number;
  /** Number of tasks T. */
  readonly T: number;
  /** The data this loss was built from. */
  readonly data: MultiTaskData;
  /** Per-task scales s_t (including task weights). */
  readonly scales: Float64Array;
  /** Whether intercepts are profiled out. */
  readonly fitIntercept: boolean;
  /** Loss scaling in use. */
  readonly lossScale: LossScale;
  /** Length of a residual buffer. */
  readonly residualSize: number;
  /** Start of each task's residual (per-task layout only). */
  readonly offsets: Int32Array;
  /**
   * Per-task designs X̃_t as row-major arrays, centred when fitting intercepts (per-task layout). Large
   * designs are centred on the fly by {@link QuadraticLoss.taskDesigns}, and then these arrays are formed
   * on first access (a copy): solvers use the designs' products instead.
   */
  get Xs(): readonly Float64Array[] {
    if (this.normalEquations !== null) return noRows<Float64Array[]>([], 'the per-task designs QuadraticLoss.Xs');
    return (this.xsCache ??= this.taskDesigns.map((D) => D.materialise()));
  }
  /** The per-task designs X̃_t with their products (per-task layout; empty otherwise). */
  readonly taskDesigns: readonly SharedDesign[];
  /** Per-task responses, centred when fitting intercepts (per-task layout). */
  readonly ys: readonly Float64Array[];
  /**
   * The shared design X̃ as a row-major n×d array (centred globally when fitting intercepts without
   * missing responses), or null for per-task data. When X̃ is centred it is formed on first access
   * (a copy of X): solvers use {@link QuadraticLoss.design}'s products instead, which centre on the fly.
   */
  get X(): Float64Array | null {
    return this.design === null ? null : this.design.materialise();
  }
  /** Whether the data have one shared design (then {@link QuadraticLoss.design} is set). */
  readonly shared: boolean;
  /** The shared design X̃ with its products (centred without a copy), or null for per-task data. */
  readonly design: SharedDesign | null;
  /** Shared responses n×T, 0 at missing entries (centred per task when fitting intercepts). */
  readonly Y: Float64Array | null;
  /** Observation mask n×T (1 = observed) or null when nothing is missing. */
  readonly mask: Uint8Array | null;
  /** Shared rows n (0 for per-task data). */
  readonly n: number;
  /** Feature means per task, T×d row-major (used for intercepts); zeros when not fitting intercepts. */
  readonly xMeans: Float64Array;
  /** Response means per task (length T); zeros when not fitting intercepts. */
  readonly yMeans: Float64Array;
  /**
   * The centred normal equations when the data are sufficient statistics ({@link MultiTaskData.fromStatistics}):
   * then residuals are held implicitly (r_t = a_t ỹ_t − X̃_t w_t, `implicitResidualTerms`) and only
   * what needs the rows themselves (`Xs`, `ys`, `columnMajor`) throws.
   */
  readonly normalEquations: StatisticsNormalEquations | null;
  /** Whether the residuals must be re-centred each time (shared design with missing responses). */
  private readonly centerResiduals: boolean;
  /** The (centred, masked) responses in the residual layout: R at W = 0 (null for statistics). */
  private readonly yLayout: Float64Array | null;
  /** 2 s_t and 1 per task: the weights of {@link QuadraticLoss.innerWithY}. */
  private readonly twoScales: Float64Array;
  private readonly ones: Float64Array;
  private readonly wt: Float64Array;
  private readonly gt: Float64Array;
  private sRbuf: Float64Array | null;
  private readonly tmean: Float64Array;
  private colMajor: Float64Array[] | null = null;
  private xsCache: Float64Array[] | null = null;
  private lipschitzCache = -1;
  private xtyCache: Float64Array | null = null;

  /**
   * @param data - the multi-task data (not modified)
   * @param options - loss scaling, intercepts and task weights
   */
  constructor(data: MultiTaskData, options: QuadraticLossOptions = {}) {
    const lossScale = options.lossScale ?? 'mean';
    const fitIntercept = options.fitIntercept ?? true;
    const { d, T } = data;
    this.data = data;
    this.d = d;
    this.T = T;
    this.lossScale = lossScale;
    this.fitIntercept = fitIntercept;
    this.scales = new Float64Array(T);
    this.twoScales = new Float64Array(T);
    this.ones = new Float64Array(T).fill(1);
    for (let t = 0; t < T; t++) {
      const w = options.taskWeights ? options.taskWeights[t]! : 1;
      this.scales[t] = lossScaleFactor(lossScale, data.taskSizes[t]!, T) * w;
      this.twoScales[t] = 2 * this.scales[t]!;
    }
    this.xMeans = new Float64Array(T * d);
    this.yMeans = new Float64Array(T);
    this.wt = new Float64Array(d);
    this.tmean = new Float64Array(T);
    this.gt = new Float64Array(d);
    this.offsets = new Int32Array(T + 1);
    this.normalEquations = null;
    if (data.kind === 'statistics') {
      const ne = statisticsNormalEquations(data.statistics!, fitIntercept);
      this.normalEquations = ne;
      this.xMeans.set(ne.xMeans);
      this.yMeans.set(ne.yMeans);
      // no rows: per-task designs, responses and residual offsets throw when touched
      this.taskDesigns = [];
      this.ys = noRows<Float64Array[]>([], 'the per-task responses QuadraticLoss.ys');
      this.offsets = noRows(new Int32Array(T + 1), 'the residual offsets QuadraticLoss.offsets');
      this.design = null; this.shared = false; this.Y = null; this.mask = null; this.n = 0;
      this.residualSize = implicitResidualSize(d, T); // residuals held implicitly (statisticsLoss.ts)
      this.centerResiduals = false;
      this.yLayout = null;
    } else if (data.kind === 'tasks') {
      const rows = centreTasks(data, fitIntercept, this.xMeans, this.yMeans, this.offsets);
      this.taskDesigns = rows.designs;
      this.ys = rows.ys;
      this.yLayout = rows.yLayout;
      this.design = null; this.shared = false; this.Y = null; this.mask = null; this.n = 0;
      this.residualSize = this.offsets[T]!;
      this.centerResiduals = false;
    } else {
      const rows = centreShared(data, fitIntercept, this.xMeans, this.yMeans);
      this.n = data.n;
      this.taskDesigns = []; this.ys = []; this.shared = true;
      this.residualSize = data.n * T;
      this.design = rows.design;
      this.Y = rows.Y;
      this.yLayout = rows.Y;
      this.mask = rows.mask;
      this.centerResiduals = rows.centerResiduals;
    }
    this.sRbuf = null;
  }

  /** The scaled-residual work buffer of {@link QuadraticLoss.correlation} (allocated on first use). */
  private get sR(): Float64Array {
    return (this.sRbuf ??= new Float64Array(this.residualSize));
  }

  /**
   * R = P(Y − X W): the (centred, masked) residuals at W.
   * @param W - weights d×T row-major (W.data)
   * @param R - output, length {@link QuadraticLoss.residualSize}
   */
  residual(W: Float64Array, R: Float64Array): void {
    const { d, T } = this;
    if (this.normalEquations !== null) { implicitResidual(W, R, d, T); return; }
    if (this.design === null) {
      const wt = this.wt;
      for (let t = 0; t < T; t++) {
        // r_t = y_t − X_t w_t
        for (let j = 0; j < d; j++) wt[j] = W[j * T + t]!;
        const off = this.offsets[t]!, end = this.offsets[t + 1]!, y = this.yLayout!;
        this.taskDesigns[t]!.timesVector(wt, R, off);
        for (let i = off; i < end; i++) R[i] = y[i]! - R[i]!;
      }
      return;
    }
    // R = Y − X W  (n×T)
    const n = this.n, Y = this.Y!;
    this.design.times(W, T, R);
    for (let k = 0; k < n * T; k++) R[k] = Y[k]! - R[k]!;
    const mask = this.mask;
    if (mask) for (let k = 0; k < n * T; k++) if (!mask[k]) R[k] = 0;
    if (this.centerResiduals) centreResidualColumns(R, mask!, n, T, this.data.taskSizes, this.tmean);
  }

  /**
   * Σ_t c_t ⟨a_t, b_t⟩ over the residual layout (task blocks, or the columns of an n×T matrix).
   * @param A - residual-shaped
   * @param B - residual-shaped
   * @param c - per-task weights, length T
   * @returns the weighted inner product
   */
  private taskInner(A: Float64Array, B: Float64Array, c: Float64Array): number {
    const T = this.T;
    let total = 0;
    if (this.design === null) {
      // Σ_t c_t a_tᵀ b_t, task t at offsets[t]
      for (let t = 0; t < T; t++) {
        const off = this.offsets[t]!;
        total += c[t]! * dot(this.offsets[t + 1]! - off, A, off, B, off);
      }
      return total;
    }
    // Σ_i Σ_t c_t A_it B_it  (n×T)
    for (let i = 0; i < this.n; i++) {
      const o = i * T;
      for (let t = 0; t < T; t++) total += c[t]! * A[o + t]! * B[o + t]!;
    }
    return total;
  }

  /**
   * Σ_t s_t ‖r_t‖²: the loss at the W whose residuals are R (with optimal intercepts if fitted).
   * @param R - residuals from {@link QuadraticLoss.residual}
   * @returns the loss value
   */
  valueFromResidual(R: Float64Array): number {
    if (this.normalEquations !== null) return implicitResidualTerms(this.normalEquations, this.scales, R, 'value', false, null, this.gt);
    return this.taskInner(R, R, this.scales);
  }

  /**
   * V = Xᵀ (c ⊙ R) with c_t = 2 s_t: column t is 2 s_t X_tᵀ r_t. This is −∇L(W) for the W whose
   * residuals are R, and the dual-constraint matrix Xᵀ U at the dual point U = 2 s ⊙ R.
   * @param R - residuals
   * @param V - output d×T row-major
   */
  correlation(R: Float64Array, V: Float64Array): void {
    if (this.normalEquations !== null) { implicitResidualTerms(this.normalEquations, this.scales, R, 'value', false, V, this.gt); return; }
    const { d, T } = this;
    if (this.design === null) {
      const gt = this.gt;
      for (let t = 0; t < T; t++) {
        this.taskDesigns[t]!.transposeTimesVector(R, this.offsets[t]!, gt);
        const c = this.twoScales[t]!;
        for (let j = 0; j < d; j++) V[j * T + t] = c * gt[j]!;
      }
      return;
    }
    // V = Xᵀ (R diag(2s))
    const n = this.n, sR = this.sR;
    for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) sR[i * T + t] = this.twoScales[t]! * R[i * T + t]!;
    this.design.transposeTimes(sR, T, V);
  }

  /**
   * ∇L(W) = −Xᵀ(2 s ⊙ R).
   * @param R - residuals at W
   * @param G - output d×T
   */
  gradient(R: Float64Array, G: Float64Array): void {
    this.correlation(R, G);
    for (let k = 0; k < G.length; k++) G[k] = -G[k]!;
  }

  /**
   * Σ_t c_t ⟨r_t, y_t⟩ with the (centred) responses; with `weighted` c_t = 2 s_t, else c_t = 1.
   * Used by duality gaps: ⟨U, Y⟩ for the dual point U = 2 s ⊙ R.
   * @param R - residual-shaped vector
   * @param weighted - multiply task t by 2 s_t
   * @returns the inner product
   */
  innerWithY(R: Float64Array, weighted: boolean): number {
    if (this.normalEquations !== null) return implicitResidualTerms(this.normalEquations, this.scales, R, 'innerY', weighted, null, this.gt);
    return this.taskInner(R, this.yLayout!, weighted ? this.twoScales : this.ones);
  }

  /**
   * The loss at W = 0 (with optimal intercepts if fitted): Σ_t s_t ‖y_t (centred)‖².
   * @returns L(0, b₀)
   */
  valueAtZero(): number {
    const ne = this.normalEquations;
    if (ne !== null) {
      let total = 0;
      for (let t = 0; t < this.T; t++) total += this.scales[t]! * ne.yy[t]!;
      return total;
    }
    // R(0) = the (centred, masked) responses
    return this.taskInner(this.yLayout!, this.yLayout!, this.scales);
  }

  /**
   * XᵀY with the (centred, masked) responses, d×T, unscaled: column t is X_tᵀ y_t. Computed once
   * (a blocked product on the column-major design) and cached; the correlation at W = 0 is
   * column t times 2 s_t.
   * @returns the cached d×T matrix (do not modify)
   */
  xty(): Float64Array {
    if (this.xtyCache) return this.xtyCache;
    if (this.normalEquations !== null) return (this.xtyCache = this.normalEquations.C);
    const { d, T } = this;
    const out = new Float64Array(d * T);
    if (this.design === null) {
      const g = this.gt;
      for (let t = 0; t < T; t++) {
        this.taskDesigns[t]!.transposeTimesVector(this.yLayout!, this.offsets[t]!, g);
        for (let j = 0; j < d; j++) out[j * T + t] = g[j]!;
      }
    } else {
      // XᵀY straight from the row-major X (n×d) and Y (n×T)
      this.design!.transposeTimes(this.Y!, T, out);
    }
    this.xtyCache = out;
    return out;
  }

  /**
   * The optimal intercepts for W: b_t = ȳ_t − x̄_tᵀ w_t (zeros when not fitting intercepts).
   * @param W - weights d×T row-major
   * @returns b, length T
   */
  intercepts(W: Float64Array): Float64Array {
    return profiledIntercepts(W, this.fitIntercept ? this.xMeans : null, this.yMeans, this.d, this.T);
  }

  /**
   * An estimate of the Lipschitz constant of ∇L: max_t 2 s_t σ_max(X_t)² (power iteration, times
   * 1.01; solvers backtrack when it is too small).
   * @returns L
   */
  lipschitz(): number {
    if (this.lipschitzCache < 0) this.lipschitzCache = squaredLossLipschitz(this) * 1.01;
    return this.lipschitzCache;
  }

  /**
   * Column-major copies of the designs (Xᵀ, d×n_t row-major) for coordinate-wise access: feature j
   * of task t is the contiguous row j of `columnMajor()[t]` (one shared entry for a shared design).
   * Computed once and cached.
   * @returns one d×n matrix per task (per-task layout) or a single one (shared design)
   */
  columnMajor(): Float64Array[] {
    if (this.normalEquations !== null) throw rowsNeeded(`the residuals of the squared loss (QuadraticLoss.columnMajor)`);
    if (this.colMajor) return this.colMajor;
    const d = this.d;
    if (this.design === null) {
      this.colMajor = this.taskDesigns.map((D) => D.transposeInto(new Float64Array(D.n * d)));
    } else {
      this.colMajor = [this.design.transposeInto(new Float64Array(this.n * d))];
    }
    return this.colMajor;
  }
}
