/**
 * The fit file of a fit (shared by `fit` and the refit of `cv`), the data block of every output
 * file, and the one-line summaries, which always state the loss scale of the objective.
 *
 * @packageDocumentation
 */
import type { MultiTaskData } from '../data/MultiTaskData.js';
import type { LossScale } from '../types.js';
import type { Loaded } from './data.js';
import { FIT_FORMAT, FIT_VERSION, type FitFile } from './fitFile.js';
import type { CliFit, CliModel } from './cliModels.js';

const EXTRA_KEYS: readonly string[] = ['lambdaMax', 'nonzeroRows', 'rank', 'singularValues', 'screened', 'objectiveAtZero', 'gradientScale', 'local'];

/**
 * The `data` block of fit, path and cv files.
 * @param data - the data
 * @param loaded - the files it came from
 * @param taskLabels - task labels in column order of W
 * @param featureNames - feature names in row order of W
 * @returns the block
 * @example
 * ```ts
 * dataBlock(data, loaded, ['1', '2'], ['x1']).T; // 2
 * ```
 * @see {@link makeFitFile}
 */
export function dataBlock(data: MultiTaskData, loaded: Loaded, taskLabels: string[], featureNames: string[]): FitFile['data'] {
  return {
    layout: loaded.layout, files: loaded.files, d: data.d, T: data.T, n: data.totalSize, taskSizes: Array.from(data.taskSizes), taskLabels, featureNames,
  };
}

/**
 * The fit file of a fit: W, intercepts, objective, certificate, options, state, history and the
 * model's extras (λ_max, non-zero rows, rank, …) merged with `extra`.
 * @param model - the command-line model
 * @param fit - its fit
 * @param block - the data block ({@link dataBlock})
 * @param extra - more extras (λ ratio, the cv choice)
 * @param timings - whether to record times in the history
 * @returns the fit file
 * @example
 * ```ts
 * writeFitJson(makeFitFile(model, fit, dataBlock(data, loaded, labels, names), {}, true));
 * ```
 * @see {@link dataBlock}
 */
export function makeFitFile(model: CliModel, fit: CliFit, block: FitFile['data'], extra: Record<string, unknown>, timings: boolean): FitFile {
  const extras: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fit)) if (EXTRA_KEYS.includes(k) && v !== undefined) extras[k] = v;
  Object.assign(extras, extra);
  const { rows: d, cols: T } = fit.W;
  const W: number[][] = [];
  for (let j = 0; j < d; j++) W.push(Array.from(fit.W.data.subarray(j * T, (j + 1) * T)));
  return {
    format: FIT_FORMAT, version: FIT_VERSION, model: model.name, data: block,
    options: { ...fit.options }, W, intercepts: Array.from(fit.intercepts), objective: fit.objective,
    certificate: fit.certificate, certificateKind: fit.certificateKind, converged: fit.converged, iterations: fit.iterations,
    extras,
    ...(fit.state !== undefined ? { state: fit.state } : {}),
    history: fit.history.map((h) => ({
      iteration: h.iteration, objective: h.objective, certificate: Number.isFinite(h.certificate) ? h.certificate : null,
      ...(timings ? { time: h.time } : {}),
    })),
  };
}

const LOSS_FORMULAS: Readonly<Record<LossScale, string>> = {
  sum: '(1/2)Σ_t Σ_i (y − xᵀw_t − b_t)²',
  mean: 'Σ_t (1/(2n_t))Σ_i (y − xᵀw_t − b_t)²',
  'task-mean': '(1/T)Σ_t (1/n_t)Σ_i (y − xᵀw_t − b_t)²',
};

/**
 * The loss scale of a fit's options as shown beside every objective, e.g.
 * `loss scale task-mean: (1/T)Σ_t (1/n_t)Σ_i (y − xᵀw_t − b_t)²`.
 * @param options - the fit's resolved options
 * @returns the note (empty when the options carry no loss scale)
 * @example
 * ```ts
 * lossScaleNote({ lossScale: 'mean' }); // 'loss scale mean: Σ_t (1/(2n_t))Σ_i (y − xᵀw_t − b_t)²'
 * ```
 */
export function lossScaleNote(options: object): string {
  const s: unknown = Object.entries(options).find(([k]) => k === 'lossScale')?.[1];
  return s === 'sum' || s === 'mean' || s === 'task-mean' ? `loss scale ${s}: ${LOSS_FORMULAS[s]}` : '';
}

/**
 * `objective=98.5 (loss scale task-mean: …)`.
 * @param objective - the value
 * @param options - the fit's options
 * @returns the text
 * @example
 * ```ts
 * objectiveText(1.5, { lossScale: 'sum' }); // 'objective=1.5 (loss scale sum: …)'
 * ```
 */
export function objectiveText(objective: number, options: object): string {
  const note = lossScaleNote(options);
  return `objective=${String(objective)}${note ? ` (${note})` : ''}`;
}
