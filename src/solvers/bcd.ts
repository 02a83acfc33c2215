/**
 * Block coordinate descent over the rows of W for min_W f(W) + ρ‖W‖²_F + Σ_j h_j(w^j), generic over a
 * row-separable penalty h, with working sets (Massias, Gramfort & Salmon, "Celer", ICML 2018; Johnson &
 * Guestrin, "Blitz", ICML 2015), gap-safe screening for norm penalties (Ndiaye, Fercoq, Gramfort &
 * Salmon, JMLR 18, 2017) and Anderson extrapolation (Bertrand & Massias, AISTATS 2021).
 *
 * Row step: the exact minimiser of the row's quadratic majorant with per-coordinate curvatures
 * L_jt = 2 s_t ‖x̃_tj‖² + 2ρ (Tseng & Yun, "A coordinate gradient descent method for nonsmooth
 * separable minimization", Math. Program. 117, 2009):
 *   w^j ← argmin_w Σ_t (L_jt/2) w_t² − b_t w_t + h_j(w),   b_t = L_jt w_jt + v_jt − 2ρ w_jt,
 * which is prox_{h_j/L}(w^j + (v_j − 2ρw^j)/L) when all L_jt equal L, the penalty's `proxRowDiag` when
 * it has one, and an accelerated proximal-gradient solve of that T-dimensional problem otherwise (so
 * tasks whose columns have different scales each take a full step; issue #11).
 *
 * Stopping: the duality gap of the full problem (norm penalties λΣ‖w^j‖ or ρ > 0) or, otherwise, the
 * Frobenius norm of the minimal-norm subgradient (fixed-point residual) or its largest row (option
 * `stationarity`), ≤ tolAbs. Non-convex row penalties (`convex: false`: block MCP, SCAD) take the
 * exact row prox with one step 1/max_t L_jt; BCD from W = 0 then finds a stationary point. Inner solves on a
 * working set stop when the largest row KKT violation seen during a sweep (computed for free from the
 * row gradients) falls below 0.3 (warm starts: 0.1) × that of the last full check; the full certificate is computed only
 * between working sets, against the best dual point of the fit (the screening sphere is centred there).
 *
 * @packageDocumentation
 */
import type { HistoryEntry, ProgressCallback } from '../types.js';
import type { RowNorm, RowPenalty } from '../penalties/types.js';
import type { BcdDatafit, RowDualTerms } from './bcdDatafit.js';
import { AndersonMemory, andersonStep } from './anderson.js';
import { groupLassoGap, TightDual } from './bcdGap.js';
import { solveRowDiag } from './rowDiag.js';
import { innerTolerance, strongZeroRows, topRows } from './topRows.js';
import { SKIP_BELOW, SKIP_FIRST, roundRows } from './roundRows.js';

/**
 * A row penalty for BCD: the core's {@link RowPenalty} (h(W) = Σ_j h_j(w^j), with h_j(0) = 0 = min h_j
 * assumed) plus optional capabilities.
 */
export interface BcdPenalty extends RowPenalty {
  /** Optional exact out ← argmin_w Σ_t (L_t/2) w_t² − b_t w_t + h_j(w) (L_t ≥ 0). */
  proxRowDiag?(b: Float64Array, L: Float64Array, j: number, out: Float64Array): void;
  /** For h = λ Σ_j ‖w^j‖ (convex norm): the row norm, enabling the duality gap and gap-safe screening. */
  readonly rowNorm?: RowNorm;
  /** λ, with {@link BcdPenalty.rowNorm}. */
  readonly weight?: number;
  /**
   * True when h_j(w) = λ‖w‖₂ for every row (no row weights) with the plain prox, so a datafit's fused
   * {@link GroupL2Sweep} may run the row steps instead of {@link bcd}'s generic step.
   */
  readonly plainGroupL2?: boolean;
}

/**
 * A fused epoch of L1/L2 group-lasso row steps (issue #11): the row steps of {@link bcd} at rows
 * ws[0..p) in that order, each exactly as the generic step does it for h_j(w) = λ‖w‖₂ with all L_jt
 * equal to Lrow[j] − 2ρ:
 *   z = v_j − 2ρ w^j (v_j = −∇_j f at the current state),  viol_j = dist(z, λ∂‖w^j‖₂),
 *   w^j ← prox_{λ‖·‖₂/Lrow[j]}(w^j + z/Lrow[j])  (w^j ← 0 when Lrow[j] = 0),
 * W (d×T row-major) and the datafit's state updated in place.
 * @returns max_j viol_j over the sweep (NaN when a value is not finite)
 */
export type GroupL2Sweep = (ws: Int32Array, p: number, W: Float64Array, Lrow: Float64Array, lambda: number, ridge: number) => number;

/** Options of {@link bcd}. */
export interface BcdOptions {
  /** ρ ≥ 0, the weight of ‖W‖²_F (part of the smooth term). @default 0 */
  ridge?: number;
  /** Absolute tolerance on the certificate. */
  tolAbs: number;
  /** Maximum number of epochs (sweeps over a working set). */
  maxIter: number;
  /** Use working sets. @default true */
  workingSet?: boolean;
  /** Gap-safe screening (norm penalties with ρ = 0). @default true */
  screening?: boolean;
  /** Anderson extrapolation of the working-set iterates every 5 sweeps. @default true */
  anderson?: boolean;
  /**
   * The certificate when there is no duality gap: `'frobenius'` = (Σ_j dist(−∇_j, ∂h_j(w^j))²)^{1/2},
   * `'max-row'` = max_j dist(−∇_j, ∂h_j(w^j)) (the stationarity residual of non-convex penalties).
   * @default 'frobenius'
   */
  stationarity?: 'frobenius' | 'max-row';
  /** Called after every epoch's certificate. @default undefined */
  onProgress?: ProgressCallback;
  /** The design's rows n (residual form: the first working set, d/5 rows, may then exceed 100, up to n/2). @default undefined */
  samples?: number;
  /** Residual form, norm penalties: zero rows far from entering sit out a round's later sweeps (roundRows.ts). @default true */
  skipRows?: boolean;
}

/** How a {@link bcd} run ended. */
export type BcdStatus = 'converged' | 'max-iterations' | 'non-finite';

/** What {@link bcd} returns. */
export interface BcdResult {
  W: Float64Array;
  /** f(W) + ρ‖W‖² + h(W) (from the internal state). */
  primal: number;
  /** The final certificate (duality gap or fixed-point residual). */
  gap: number;
  certificateKind: 'duality-gap' | 'fixed-point-residual';
  /** Epochs (sweeps) done. */
  iterations: number;
  /** True only when a finite certificate ≤ a finite tolAbs. */
  converged: boolean;
  status: BcdStatus;
  history: HistoryEntry[];
  /** Rows removed by gap-safe screening. */
  screened: number;
  backend: 'gram' | 'residual';
  /** Final working-set size. */
  workingSetSize: number;
}

const WS_MIN = 10;
const WS_GROW = 4;
/** The residual form's smallest working set, d/5 rows within [WS_MIN, max(100, n/2)] (n unknown: 100): an epoch over p rows
 * costs ~4·n·T·p flops, a check 2·n·d·T, so it saves checks (issue #11; 2000×2000×50 at 0.1·λ_max: 400 rows, one check
 * fewer). The Gram form keeps WS_MIN (a row costs a Gram column). */
function residualWsMin(d: number, n?: number): number {
  return Math.max(WS_MIN, Math.min(Math.round(d / 5), n === undefined ? 100 : Math.max(100, Math.round(n / 2))));
}

/** Work buffers of one run (allocated once per call, never per iteration). */
class Work {
  readonly v: Float64Array; readonly z: Float64Array; readonly b: Float64Array; readonly L: Float64Array;
  readonly wNew: Float64Array; readonly delta: Float64Array; readonly y: Float64Array; readonly prev: Float64Array;
  readonly g: Float64Array; readonly row: Float64Array;
  constructor(T: number) {
    this.row = new Float64Array(T);
    this.v = new Float64Array(T); this.z = new Float64Array(T); this.b = new Float64Array(T); this.L = new Float64Array(T);
    this.wNew = new Float64Array(T); this.delta = new Float64Array(T); this.y = new Float64Array(T);
    this.prev = new Float64Array(T); this.g = new Float64Array(T);
  }
}

/**
 * Block coordinate descent with working sets, screening and Anderson extrapolation (see the module
 * comment) for min_W f(W) + ρ‖W‖²_F + Σ_j h_j(w^j).
 *
 * @param f - the row-wise datafit state (reset from W0 here; reusable across calls on the same data)
 * @param h - the row penalty
 * @param W0 - starting point d×T (copied, not modified)
 * @param opts - see {@link BcdOptions}
 * @returns the solution, certificate, status and history
 * @example
 * ```ts
 * const f = createBcdDatafit(loss);
 * const res = bcd(f, groupNormRowPenalty(rowNorm(2, T), lambda, T), new Float64Array(d * T), {
 *   tolAbs: 1e-6 * loss.valueAtZero(), maxIter: 10000,
 * });
 * res.status; res.gap;
 * ```
 * @see {@link createBcdDatafit}, {@link groupLassoGap}
 */
export function bcd(f: BcdDatafit, h: BcdPenalty, W0: Float64Array, opts: BcdOptions): BcdResult {
  const { d, T } = f;
  const ridge = opts.ridge ?? 0, tolAbs = opts.tolAbs, maxIter = opts.maxIter;
  const useWs = opts.workingSet ?? true, useAnderson = opts.anderson ?? true;
  const norm = h.rowNorm, lambda = h.weight ?? 0;
  const gapMode = norm !== undefined && (lambda > 0 || ridge > 0);
  const canScreen = gapMode && (opts.screening ?? true) && ridge === 0 && lambda > 0;
  const start = performance.now();
  const W = Float64Array.from(W0);
  const warm = W.some((x) => x !== 0);
  const V = new Float64Array(d * T);
  const k = new Work(T);
  const dt: RowDualTerms = { value: 0, innerY: 0 };
  const gapWork = new Float64Array(Math.max(T, 1));
  const active = new Uint8Array(d).fill(1);
  const ws = new Int32Array(d), order = new Int32Array(d), activeList = new Int32Array(d), sub = new Int32Array(d);
  const skipRows = (opts.skipRows ?? true) && f.kind === 'residual' && norm !== undefined && lambda > 0;
  const score = new Float64Array(d), selWork = new Float64Array(d);
  const Lc = f.coordinateLipschitz(), cmax = f.columnNormMax();
  // uniform[j]: all L_jt equal (plain prox step); Lrow[j] = max_t L_jt + 2ρ
  const uniform = new Uint8Array(d), Lrow = new Float64Array(d);
  let allUniform = true;
  for (let j = 0; j < d; j++) {
    let lo = Infinity, hi = 0;
    for (let t = 0; t < T; t++) { const x = Lc[j * T + t]!; lo = Math.min(lo, x); hi = Math.max(hi, x); }
    uniform[j] = lo === hi ? 1 : 0;
    Lrow[j] = hi + 2 * ridge;
    if (!uniform[j] && hi > 0) allUniform = false;
  }
  // the fused sweep of the datafit, when it has one for this penalty (asked after each reset)
  const fusable = h.plainGroupL2 === true && allUniform && f.groupL2Sweep !== undefined;
  const mem = new AndersonMemory();
  let ext = new Float64Array(0);
  const history: HistoryEntry[] = [];
  // gap-safe sphere: ‖(XᵀU*)_j‖_{q*} ≤ α‖V_j‖_{q*} + cq max_t‖x_tj‖ · r, κ = min_t 1/(2 s_t) (strong concavity)
  const qs = norm ? norm.qStar : 2;
  const cq = Number.isFinite(qs) ? Math.pow(T, Math.max(0, 1 / qs - 0.5)) : 1;
  const kappa = f.dualStrongConcavity();

  /** Penalty + ridge over rows list[0..p) of W (or all rows), or with those rows' values from x (p·T, compact). */
  const penaltyOf = (list: Int32Array | null, p: number, x: Float64Array | null = null): number => {
    let pen = 0, fro = 0;
    const cnt = list ? p : d;
    for (let a = 0; a < cnt; a++) {
      const j = list ? list[a]! : a;
      const row = k.row;
      if (x !== null) for (let t = 0; t < T; t++) row[t] = x[a * T + t]!;
      else for (let t = 0; t < T; t++) row[t] = W[j * T + t]!;
      pen += h.rowValue(row, j);
      if (ridge > 0) for (let t = 0; t < T; t++) fro += row[t]! * row[t]!;
    }
    return pen + ridge * fro;
  };

  /** One row step at row j (rows ws[0..p) kept exact); returns the row's KKT violation before the step. */
  const step = (j: number, p: number): number => {
    const o = j * T, row = k.row;
    for (let t = 0; t < T; t++) row[t] = W[o + t]!;
    f.rowNegGradient(j, k.v);
    // z = −∂(f + ρ‖W‖²)/∂w^j = v − 2ρ w^j
    for (let t = 0; t < T; t++) k.z[t] = k.v[t]! - 2 * ridge * row[t]!;
    const viol = h.subdiffDistance(W, j, k.z);
    const Lj = Lrow[j]!;
    const wNew = k.wNew;
    if (Lj === 0) {
      // f does not depend on row j: its best value minimises h_j alone, i.e. 0
      wNew.fill(0);
    } else if (uniform[j] || (h.convex === false && !h.proxRowDiag)) {
      // w ← prox_{h_j/L}(w + z/L) (a non-convex h: L = max_t L_jt, a majorant of the row's diagonal
      // curvature, so the step is the exact minimiser of a majorant and f + h never increases)
      for (let t = 0; t < T; t++) wNew[t] = row[t]! + k.z[t]! / Lj;
      h.proxRow(wNew, 1 / Lj, j, wNew);
    } else {
      // exact row majorant with per-coordinate curvatures: b_t = L_jt w_t + z_t
      for (let t = 0; t < T; t++) {
        const Lt = Lc[o + t]! + 2 * ridge;
        k.L[t] = Lt;
        k.b[t] = Lt * row[t]! + k.z[t]!;
      }
      wNew.set(row);
      if (h.proxRowDiag) h.proxRowDiag(k.b, k.L, j, wNew);
      else solveRowDiag(h, j, k.b, k.L, Lj, wNew, k);
    }
    let changed = false;
    for (let t = 0; t < T; t++) {
      const dx = wNew[t]! - row[t]!;
      k.delta[t] = dx;
      if (dx !== 0) changed = true;
    }
    if (changed) {
      for (let t = 0; t < T; t++) W[o + t] = wNew[t]!;
      f.updateRow(j, k.delta, ws, p);
    }
    return viol;
  };

  /** Sets the rows rows[0..p) of W to x (p·T values), keeping the state in step. */
  const setRows = (x: Float64Array, p: number, rows: Int32Array): void => {
    for (let a = 0; a < p; a++) {
      const j = rows[a]!, o = j * T;
      let changed = false;
      for (let t = 0; t < T; t++) {
        const dx = x[a * T + t]! - W[o + t]!;
        k.delta[t] = dx;
        if (dx !== 0) changed = true;
      }
      if (changed) {
        for (let t = 0; t < T; t++) W[o + t] = x[a * T + t]!;
        f.updateRow(j, k.delta, ws, p);
      }
    }
  };

  f.reset(W);
  let epochs = 0, gap = Infinity, primal = NaN, screened = 0, wsSize = 0, prevP = 0, prevGap = Infinity;
  let status: BcdStatus = 'max-iterations';
  // the best dual point of the fit (value, α·V): the residuals' dual lags the primal's convergence
  let bestDual = -Infinity, recorded = 0, prevWsN = -1;
  const prevWs = new Int32Array(d);
  const Vbest = new Float64Array(canScreen ? d * T : 0), tight = canScreen && qs === 2 ? TightDual.of(f, norm!, lambda) : null;
  for (;;) {
    // full certificate: V = −∇f(W) over the rows not screened out (screened rows are 0 at the optimum,
    // so the gap of the reduced problem certifies the full one)
    let nAct = 0;
    for (let j = 0; j < d; j++) if (active[j]) activeList[nAct++] = j;
    const reduced = screened > 0;
    if (reduced) f.fullNegGradient(W, V, activeList, nAct);
    else f.fullNegGradient(W, V);
    f.internalDualTerms(W, dt);
    let kktAll = 0, kktRowMax = 0;
    for (let j = 0; j < d; j++) {
      if (!active[j]) continue;
      // z_j = V_j − 2ρ w^j;  score_j = its KKT violation
      for (let t = 0; t < T; t++) k.z[t] = V[j * T + t]! - 2 * ridge * W[j * T + t]!;
      const s = h.subdiffDistance(W, j, k.z);
      score[j] = s;
      kktAll += s * s;
      kktRowMax = Math.max(kktRowMax, s);
    }
    if (gapMode) {
      const g = groupLassoGap(dt.value, dt.innerY, V, W, d, T, norm!, lambda, ridge, gapWork, reduced ? activeList : null, nAct);
      primal = g.primal;
      if (g.dual > bestDual) {
        bestDual = g.dual;
        if (canScreen) for (let a = 0; a < nAct; a++) for (let t = 0, o = activeList[a]! * T; t < T; t++) Vbest[o + t] = g.alpha * V[o + t]!;
      }
      // P(W) − max of the duals seen (each a lower bound of P*: screened rows are 0 at the optimum)
      gap = Math.max(0, primal - bestDual);
      if (tight !== null && gap > tolAbs && history.length > 0) gap = Math.max(0, primal - (bestDual = tight.improve(W, V, dt.innerY, dt.value, reduced ? activeList : null, nAct, tolAbs, primal, bestDual, Vbest)));
    } else {
      gap = opts.stationarity === 'max-row' ? kktRowMax : Math.sqrt(kktAll);
      primal = dt.value + penaltyOf(null, 0);
    }
    history.push({ iteration: epochs, objective: primal, certificate: gap, time: (performance.now() - start) / 1000 });
    opts.onProgress?.({ iteration: epochs, maxIter, objective: primal, certificate: gap, tol: tolAbs });
    if (!Number.isFinite(gap) || !Number.isFinite(primal)) { status = 'non-finite'; break; }
    if (Number.isFinite(tolAbs) && gap <= tolAbs) { status = 'converged'; break; }
    if (epochs >= maxIter) { status = 'max-iterations'; break; }

    if (canScreen) {
      // gap-safe rule around the best dual point θ: ‖X̃_jᵀθ‖_{q*} + cq‖x_j‖·√(2 (P − D(θ))/κ) < λ  ⇒  w*_j = 0
      const radius = Math.sqrt((2 * gap) / kappa);
      let zeroed = false;
      for (let j = 0; j < d; j++) {
        if (!active[j]) continue;
        if (norm!.dualNorm(Vbest, j * T, T) + cq * cmax[j]! * radius >= lambda) continue;
        active[j] = 0;
        screened++;
        let nz = false;
        for (let t = 0; t < T; t++) { k.delta[t] = -W[j * T + t]!; if (W[j * T + t] !== 0) nz = true; }
        if (!nz) continue;
        W.fill(0, j * T, j * T + T);
        if (f.kind === 'residual') f.updateRow(j, k.delta, ws, 0);
        else zeroed = true;
      }
      if (zeroed) f.reset(W);
    }

    // working set: nonzero rows first, then the rows that violate their optimality condition most
    let nActive = 0, nnz = 0, kktMax = 0, nViol = 0;
    for (let j = 0; j < d; j++) {
      if (!active[j]) continue;
      let nz = false;
      for (let t = 0; t < T; t++) if (W[j * T + t] !== 0) { nz = true; break; }
      kktMax = Math.max(kktMax, score[j]!);
      if (nz) { nnz++; score[j] = Infinity; }
      else if (norm && lambda > 0 && (score[j] = (norm.dualNorm(V, j * T, T) - lambda) / Math.max(cmax[j]!, 1e-300)) > 0) nViol++;
      order[nActive++] = j;
    }
    let p = nActive;
    if (useWs && nActive > 0) {
      // grow when the last one filled up or stalled, while zero rows violate ‖v_j‖ ≤ λ; else nonzero rows + ½
      const stalled = prevGap < Infinity && gap > 0.5 * prevGap;
      const full = prevP > 0 && nnz >= 0.75 * prevP;
      const wsMin = f.kind === 'residual' ? residualWsMin(d, opts.samples) : WS_MIN;
      // a warm start: the nonzero rows and the strong set (glmnet's policy on a path; topRows.ts), ≥ WS_MIN rows
      p = Math.min(nActive, warm && norm && lambda > 0 ? Math.max(WS_MIN, nnz + strongZeroRows(order, nActive, score, V, T, norm, lambda, selWork))
        : nViol === 0 && norm && lambda > 0 ? Math.max(wsMin, nnz + Math.ceil(nnz / 2))
        : Math.max(wsMin, 2 * nnz, full ? WS_GROW * prevP : stalled ? 2 * prevP : prevP));
      if (p < nActive) {
        topRows(order, nActive, score, p, ws, selWork); // ascending, as order is
      } else {
        ws.set(order.subarray(0, p));
      }
    } else {
      ws.set(order.subarray(0, p));
    }
    prevP = p;
    prevGap = gap;
    wsSize = p;
    f.prepare(ws, p);
    if (ext.length < p * T) ext = new Float64Array(p * T);
    // the same working set as before the check: its sweeps continue one sequence for the extrapolation
    let same = p === prevWsN;
    for (let a = 0; same && a < p; a++) same = ws[a] === prevWs[a];
    prevWs.set(ws.subarray(0, p)); prevWsN = p;
    if (!same) { mem.begin(p * T); recorded = 0; }

    // inner sweeps until the largest KKT violation in a sweep ≤ c · that of the full check (c: innerTolerance)
    const innerTol = innerTolerance(warm, history.length, kktMax, gap, tolAbs, gapMode && ridge === 0 && lambda > 0 ? (primal - dt.value) / lambda : 0);
    const sweep = fusable ? f.groupL2Sweep!() : null;
    let list = ws, pl = p; // the rows swept (roundRows.ts: not the zero rows far from entering)
    for (let round = 0; ; round++) {
      if (round <= 1 && skipRows && (pl = roundRows(ws, p, W, T, V, norm!, (round === 0 ? SKIP_FIRST : SKIP_BELOW) * lambda, sub)) < p) {
        list = sub; mem.begin(pl * T); recorded = 0; prevWsN = -1;
      }
      let sweepMax = 0;
      if (sweep !== null) sweepMax = sweep(list, pl, W, Lrow, lambda, ridge);
      else for (let a = 0; a < pl; a++) sweepMax = Math.max(sweepMax, step(list[a]!, p));
      epochs++;
      if (!Number.isFinite(sweepMax)) break;
      if (sweepMax <= innerTol || epochs >= maxIter) break;
      // record W_S; every K sweeps try the extrapolated point, kept only if it lowers the objective
      if (useAnderson) andersonStep(mem, ++recorded, f, list, pl, W, ext, dt, penaltyOf, setRows);
    }
  }
  return {
    W, primal, gap, certificateKind: gapMode ? 'duality-gap' : 'fixed-point-residual', iterations: epochs,
    converged: status === 'converged', status, history, screened, backend: f.kind, workingSetSize: wsSize,
  };
}
