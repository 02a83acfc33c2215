/**
 * Task weighting by homoscedastic uncertainty (A. Kendall, Y. Gal & R. Cipolla, "Multi-task learning
 * using uncertainty to weigh losses for scene geometry and semantics", CVPR 2018), for any model
 * whose loss accepts per-task weights.
 *
 * Joint objective, with s_t the loss scale of `lossScale` and SSE_t = ‖y_t − X_t w_t − b_t‖²:
 *
 *   F(W, b, σ) = Σ_t s_t ( SSE_t / σ_t² + n_t log σ_t² ) + penalty(W).
 *
 * With `lossScale: 'sum'` (s_t = 1/2) this is Σ_t ( SSE_t / (2σ_t²) + n_t log σ_t ) + penalty(W), the
 * form of `docs/objectives.md`; with `'mean'` it is Σ_t ( MSE_t / (2σ_t²) + log σ_t ) + penalty(W),
 * Kendall et al.'s per-task mean losses. For fixed σ the W-step is the model with
 * `taskWeights_t = 1/σ_t²`; for fixed W the minimiser is σ_t² = SSE_t / n_t. Alternating the two
 * (block coordinate descent) never increases F (up to the W-step solver tolerance).
 *
 * @packageDocumentation
 */
import type { LossScale } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { makePredict } from '../models/predict.js';
import { lossScaleFactor } from '../datafits/quadratic.js';
import { evaluateWeights } from './metrics.js';
import { type ModelFitLike, type ModelFunction } from '../models/table.js';
import { modelOptionsRecord, resolveModel } from './path.js';

/** Options of {@link fitWithUncertainty} (the model's own options are passed separately). */
export interface UncertaintyOptions {
  /** Maximum number of alternations (W-step + σ-step). @default 50 */
  maxIter?: number;
  /** Stop when the relative decrease of F is ≤ tol. @default 1e-8 */
  tol?: number;
  /** Floor of σ_t² relative to the variance of task t's responses, > 0 (avoids log 0 on a perfect fit). @default 1e-8 */
  minVarianceRatio?: number;
}

/** {@link UncertaintyOptions} with defaults filled in. */
export type ResolvedUncertaintyOptions = Required<UncertaintyOptions>;

/** The result of {@link fitWithUncertainty}. */
export interface UncertaintyFit<F extends ModelFitLike = ModelFitLike> {
  /** The model's fit at the final weights (W, intercepts, predict, …). */
  readonly fit: F;
  /** Learned noise levels σ_t (length T). */
  readonly sigma: Float64Array;
  /** The task weights 1/σ_t² used by the final fit. */
  readonly taskWeights: Float64Array;
  /** The joint objective F(W, b, σ) at the end. */
  readonly objective: number;
  /** F after each alternation (non-increasing up to the solver tolerance). */
  readonly history: Float64Array;
  /** Alternations performed. */
  readonly iterations: number;
  /** Whether the relative decrease fell below `tol` and the final inner fit converged. */
  readonly converged: boolean;
  /**
   * Why the alternation stopped: `'converged'`, `'max-iterations'` (the alternation cap), or
   * `'inner-not-converged'` (the objective settled but the last model fit did not converge).
   */
  readonly status: 'converged' | 'max-iterations' | 'inner-not-converged';
  /** Options actually used. */
  readonly options: ResolvedUncertaintyOptions;
}

/**
 * Validates the options of {@link fitWithUncertainty} (its one `checkOptions`).
 * @param options - user options
 * @returns the resolved options
 * @throws TypeError / RangeError naming the offending option and the expected range
 * @example
 * ```ts
 * checkUncertaintyOptions({}).maxIter; // 50
 * ```
 * @see {@link fitWithUncertainty}
 */
export function checkUncertaintyOptions(options: UncertaintyOptions): ResolvedUncertaintyOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected an object { maxIter, tol, minVarianceRatio }');
  const maxIter = options.maxIter ?? 50;
  if (typeof maxIter !== 'number' || !Number.isInteger(maxIter) || maxIter < 1) throw new RangeError(`maxIter: expected an integer ≥ 1, got ${String(maxIter)}`);
  const tol = options.tol ?? 1e-8;
  if (typeof tol !== 'number' || !(tol >= 0) || !Number.isFinite(tol)) throw new RangeError(`tol: expected a finite number ≥ 0, got ${String(tol)}`);
  const minVarianceRatio = options.minVarianceRatio ?? 1e-8;
  if (typeof minVarianceRatio !== 'number' || !(minVarianceRatio > 0) || !Number.isFinite(minVarianceRatio)) {
    throw new RangeError(`minVarianceRatio: expected a finite number > 0, got ${String(minVarianceRatio)}`);
  }
  return { maxIter, tol, minVarianceRatio };
}

/**
 * Fits a model with per-task noise levels σ_t learned jointly (Kendall, Gal & Cipolla 2018):
 * alternates the model fit with task weights 1/σ_t² (warm-started) and the closed-form update
 * σ_t² = SSE_t / n_t, which decreases the joint objective F (see the module documentation) at every
 * step. Noisier tasks get a larger σ_t and a smaller weight.
 *
 * @param data - a {@link MultiTaskData} or per-task `{ X, y }` array
 * @param model - any model of the model table (`MODEL_TABLE`, `registerModel`); rows with
 *   `taskWeights: true` (groupLasso) take the weights directly, others are fitted on rescaled
 *   per-task data √w_t·(X_t, y_t), which gives the same weighted objective
 * @param modelOptions - the model's options, typed by the model (e.g. `{ lambda: 0.1 }`); `taskWeights` and warm starts are set here
 * @param options - alternation options
 * @returns the final fit, σ, weights and the objective history; `converged` is false (with `status`)
 *   when the alternation hit `maxIter` or the last model fit did not converge
 * @throws TypeError / RangeError on invalid arguments, or a model that does not accept task weights
 * @example
 * ```ts
 * const u = fitWithUncertainty(data, groupLasso, { lambda: 0.05 });
 * u.sigma;            // per-task noise level
 * u.fit.predict(X, 0);
 * ```
 * @see {@link crossValidate}
 */
export function fitWithUncertainty<O extends object, F extends ModelFitLike>(
  data: MultiTaskData | readonly TaskInput[], model: ModelFunction<O, F>,
  modelOptions: NoInfer<UncertaintyModelOptions<O>>, options: UncertaintyOptions = {},
): UncertaintyFit<F> {
  const D = asData(data);
  const m = resolveModel(model);
  if (!m.registered) {
    throw new RangeError(`model: '${m.row.name}' is not in the model table (registerModel(defineModel({ name, fit, pathParam, … })))`);
  }
  if (modelOptions === undefined) throw new TypeError(`modelOptions: expected an object of ${m.row.name} options`);
  const base0 = modelOptionsRecord(modelOptions, m, 'modelOptions');
  const spec = m.row;
  const opts = checkUncertaintyOptions(options);
  // Models that take `taskWeights` get them directly. Any other model is fitted on rescaled per-task
  // data √w_t·(X_t, y_t): its loss Σ s_t‖√w_t(y_t − X_t w_t − b'_t)‖² is the weighted loss, W is
  // unchanged and the intercepts come back as b_t = b'_t / √w_t.
  const perTask = spec.taskWeights ? null : D.toTasks();
  const direct = (d: MultiTaskData, o: Record<string, unknown>): F => model(d, completeOptions<O>(o));
  const run = (d: MultiTaskData, o: Record<string, unknown>): F => {
    const w = o['taskWeights'] as Float64Array;
    const o2: Record<string, unknown> = { ...o };
    if (!spec.warmStart) delete o2['warmStart'];
    if (!perTask) return direct(d, o2);
    delete o2['taskWeights'];
    const scaled = MultiTaskData.fromTasks(perTask.tasks.map((task, t) => {
      const r = Math.sqrt(w[t]!);
      const X = new Float64Array(task.X.length), y = new Float64Array(task.n);
      for (let i = 0; i < X.length; i++) X[i] = r * task.X[i]!; // X̃_t = √w_t X_t
      for (let i = 0; i < task.n; i++) y[i] = r * task.y[i]!; // ỹ_t = √w_t y_t
      return { X: { rows: task.n, cols: perTask.d, data: X }, y };
    }));
    const f = direct(scaled, o2);
    const b = new Float64Array(perTask.T);
    for (let t = 0; t < perTask.T; t++) b[t] = f.intercepts[t]! / Math.sqrt(w[t]!);
    return { ...f, intercepts: b, predict: makePredict(f.W, b) };
  };
  const modelOptionsRecord0 = base0;
  const { T } = D;
  const lossScale = lossScaleOption(modelOptionsRecord0['lossScale']);
  const s = new Float64Array(T), n = D.taskSizes;
  for (let t = 0; t < T; t++) s[t] = lossScaleFactor(lossScale, n[t]!, T);
  const base: Record<string, unknown> = { ...modelOptionsRecord0 };
  delete base['taskWeights'];

  const weights = new Float64Array(T).fill(1);
  const sigma2 = new Float64Array(T);
  const floor = new Float64Array(T);
  let fit = run(D, { ...base, taskWeights: Float64Array.from(weights) });
  {
    const m = evaluateWeights(fit.W, fit.intercepts, D).perTask;
    for (let t = 0; t < T; t++) floor[t] = opts.minVarianceRatio * Math.max(m.sst[t]! / n[t]!, Number.MIN_VALUE);
  }
  const history: number[] = [];
  let settled = false, iterations = 0, objective = Infinity;
  for (let it = 0; it < opts.maxIter; it++) {
    // σ-step: σ_t² = SSE_t / n_t at the current (W, b)
    const sse = evaluateWeights(fit.W, fit.intercepts, D).perTask.sse;
    for (let t = 0; t < T; t++) sigma2[t] = Math.max(sse[t]! / n[t]!, floor[t]!);
    // W-step with taskWeights = 1/σ²
    for (let t = 0; t < T; t++) weights[t] = 1 / sigma2[t]!;
    fit = run(D, { ...base, taskWeights: Float64Array.from(weights), warmStart: fit.W });
    iterations++;
    // F = model objective (Σ s_t w_t SSE_t + penalty) + Σ s_t n_t log σ_t²
    let F = fit.objective;
    for (let t = 0; t < T; t++) F += s[t]! * n[t]! * Math.log(sigma2[t]!);
    history.push(F);
    const prev = objective;
    objective = F;
    if (prev - F <= opts.tol * Math.abs(F)) { settled = true; break; }
  }
  // report σ at the final W (the σ-step optimum for the returned fit)
  const sse = evaluateWeights(fit.W, fit.intercepts, D).perTask.sse;
  const sigma = new Float64Array(T);
  let finalF = fit.objective;
  for (let t = 0; t < T; t++) {
    finalF -= s[t]! * weights[t]! * sse[t]!;
    const v = Math.max(sse[t]! / n[t]!, floor[t]!);
    sigma[t] = Math.sqrt(v);
    finalF += s[t]! * (sse[t]! / v + n[t]! * Math.log(v));
  }
  return {
    fit, sigma, taskWeights: Float64Array.from(weights), objective: finalF, history: Float64Array.from(history),
    iterations, converged: settled && fit.converged,
    status: !settled ? 'max-iterations' : fit.converged ? 'converged' : 'inner-not-converged', options: opts,
  };
}

/** The model options `fitWithUncertainty` takes: the model's own, without `taskWeights` and `warmStart` (set here). */
export type UncertaintyModelOptions<O> = O extends unknown ? Omit<O, 'taskWeights' | 'warmStart'> : never;

function lossScaleOption(v: unknown): LossScale {
  if (v === undefined) return 'mean';
  if (v === 'sum' || v === 'mean' || v === 'task-mean') return v;
  throw new RangeError(`lossScale: expected 'sum', 'mean' or 'task-mean', got ${String(v)}`);
}

/** The options as the model's type (built from the user's checked options; the model validates the values). */
function completeOptions<O extends object>(o: Record<string, unknown>): O {
  return o as O;
}
