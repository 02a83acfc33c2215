/**
 * `mtlearn cv`: K-fold cross-validation over a grid, the choice of the parameter, and the refit.
 *
 * @packageDocumentation
 */
import { checkPathOptions } from '../../selection/path.js';
import { crossValidate, type CrossValidateOptions } from '../../selection/crossValidate.js';
import type { MetricName } from '../../selection/metrics.js';
import { fmt, type CliIO } from '../errors.js';
import { jsonSafe } from '../fitFile.js';
import { dataBlock, makeFitFile, objectiveText } from '../fitRecord.js';
import { alignTaskLabels } from '../labels.js';
import { writeOutput } from '../output.js';
import { progressBar } from '../progress.js';
import { short } from './path.js';
import { withFitHook } from '../selection.js';
import { CV_FORMAT, SELECTION_VERSION, writeSelectionJson, type CvFile } from '../selectionFiles.js';
import { pointCounter, selectionSetup, type SelectionOpts } from '../selectionSetup.js';

/**
 * The options of `mtlearn cv`.
 * @example
 * ```ts
 * const o: CvOpts = { ...selectionOpts, folds: 5, metric: 'mse', oneSe: false };
 * ```
 * @see {@link cmdCv}
 */
export interface CvOpts extends SelectionOpts {
  /** Number of folds. */
  folds?: number;
  /** Metric to optimise. */
  metric: MetricName;
  /** Refit at the one-standard-error choice. */
  oneSe: boolean;
  /** Worker threads. */
  workers?: number;
}

function jsonObject(v: unknown): Record<string, unknown> {
  const s = jsonSafe(v);
  return s !== null && typeof s === 'object' ? { ...s } : {};
}

/**
 * Runs `mtlearn cv`. `--seed` seeds the folds and (when it takes one) the model.
 * @param o - the parsed options
 * @param io - output streams
 * @example
 * ```ts
 * await cmdCv(opts, io);
 * ```
 * @see {@link CvOpts}
 */
export async function cmdCv(o: CvOpts, io: CliIO): Promise<void> {
  if (o.modelSeed !== undefined) io.stderr.write('mtlearn: warning: --model-seed is deprecated; --seed seeds both the folds and the model\n');
  const { model, pm, given, grid, loaded, data, taskLabels, featureNames, modelOptions, inputs } = selectionSetup(o, 'cv');
  const param = pm.spec.paramName;
  const where = loaded.files.join(', ');
  let lambdaMax: number | null = null;
  let values: number[];
  if (grid.lambdas !== undefined) values = grid.lambdas;
  else {
    lambdaMax = pm.spec.lambdaMax!(data, modelOptions);
    values = Array.from(checkPathOptions({ nLambdas: grid.nLambdas, lambdaMinRatio: grid.lambdaMinRatio }, lambdaMax).lambdas);
  }
  const folds = o.folds ?? 5, seed = o.seed ?? 0, workers = o.workers ?? 1;
  const cvOptions: CrossValidateOptions = { grid: values, folds, seed, metric: o.metric, oneStandardError: o.oneSe, workers, refit: false };
  // one bar over the fold fits and the refit: serially one unit per grid point of every fold (counted as the
  // fits start), on workers one unit per finished fold; either way the rate and the time left show from unit 2
  const units = workers === 1 ? folds * values.length : folds;
  const bar = progressBar(io.stderr, workers === 1
    ? `${model.name} cv (${folds} folds × ${values.length} points, refit)`
    : `${model.name} cv (${folds} folds on ${workers} workers, refit)`, units + 1);
  bar.update(0);
  let cv: Awaited<ReturnType<typeof crossValidate>>;
  let fit: ReturnType<typeof model.fit>;
  try {
    cv = await alignTaskLabels(taskLabels, where, () => (!bar.active
      ? crossValidate(data, pm.fn, cvOptions, modelOptions)
      : workers === 1
        ? withFitHook(pm, pointCounter(param, bar), (fn) => crossValidate(data, fn, cvOptions, modelOptions))
        : crossValidate(data, pm.fn, { ...cvOptions, progress: (done) => bar.update(done) }, modelOptions)));
    bar.update(units);
    const picked = cv.grid[cv.chosenIndex] as number;
    fit = alignTaskLabels(taskLabels, where, () => model.fit(data, { ...given, [param]: picked }));
    bar.update(units + 1);
  } finally {
    bar.finish();
  }
  const chosen = cv.grid[cv.chosenIndex] as number;
  const refit = makeFitFile(model, fit, dataBlock(data, loaded, taskLabels, featureNames), {
    cv: { rule: o.oneSe ? 'one-standard-error' : 'minimum', chosenIndex: cv.chosenIndex, [param]: chosen },
  }, o.timings);
  const K = cv.foldValues.rows, G = cv.foldValues.cols;
  const foldValues: number[][] = [];
  for (let k = 0; k < K; k++) foldValues.push(Array.from(cv.foldValues.data.subarray(k * G, (k + 1) * G)));
  const file: CvFile = {
    format: CV_FORMAT, version: SELECTION_VERSION, model: model.name, paramName: param, lambdaMax,
    data: dataBlock(data, loaded, taskLabels, featureNames),
    options: jsonObject(modelOptions),
    cv: { folds, seed, metric: o.metric, oneStandardError: o.oneSe, workers },
    grid: cv.grid as number[], mean: Array.from(cv.mean), standardError: Array.from(cv.standardError), foldValues,
    bestIndex: cv.bestIndex, oneStandardErrorIndex: cv.oneStandardErrorIndex,
    best: cv.best as number, oneStandardErrorChoice: cv.oneStandardErrorChoice as number,
    chosenIndex: cv.chosenIndex, chosen,
    refit: jsonObject(refit),
    ...(o.timings ? { time: cv.time } : {}),
  };
  writeOutput(o.out, writeSelectionJson(jsonObject(file)), inputs);
  io.stdout.write(
    `${model.name} cv over ${param} (${folds} folds, ${o.metric}): min at ${short(cv.best as number)} (index ${cv.bestIndex}), ` +
    `1-SE at ${short(cv.oneStandardErrorChoice as number)} (index ${cv.oneStandardErrorIndex}); refit at ${short(chosen)} ` +
    `${objectiveText(fit.objective, fit.options)} -> ${o.out}\n`,
  );
  if (!fit.converged) io.stderr.write(`mtlearn: warning: the refit did not converge in ${fit.iterations} iterations (certificate ${fmt(fit.certificate)})\n`);
}
