/**
 * `mtlearn fit`: fits one model on a long CSV or a shared design and writes the fit file.
 *
 * @packageDocumentation
 */
import { MultiTaskData } from '../../data/MultiTaskData.js';
import { alignTaskLabels } from '../labels.js';
import { dataInputs, loadData, loadedData, type Loaded } from '../data.js';
import { fmt, UsageError, type CliIO } from '../errors.js';
import { writeFitJson } from '../fitFile.js';
import { dataBlock, makeFitFile, objectiveText } from '../fitRecord.js';
import { readGraphCsv } from '../graph.js';
import { findCliModel, type CliFit, type CliModel, type CliParamName, type CliParams } from '../cliModels.js';
import { givenParams, PARAM_FLAGS, type DataOpts, type ModelOpts } from '../options.js';
import { refuseInputAsOutput, writeOutput } from '../output.js';
import { progressBar, solverProgress, type Progress } from '../progress.js';
import { fitStatisticsInput } from './stats.js';

/**
 * The options of `mtlearn fit`.
 * @example
 * ```ts
 * const o: FitOpts = { model: 'group-lasso', data: 'a.csv', out: 'f.json', lambda: 0.1, intercept: true, timings: true, taskColumn: 'task', responseColumn: 'y' };
 * ```
 * @see {@link cmdFit}
 */
export interface FitOpts extends DataOpts, ModelOpts {
  /** Model name. */
  model: string;
  /** Output fit JSON. */
  out: string;
  /** False with --no-timings. */
  timings: boolean;
  /** Fit from this statistics file (written by `mtlearn stats`). */
  stats?: string;
  /** Stream --data into statistics and fit from them. */
  stream?: boolean;
}

/**
 * Checks the given parameters against the model: each must apply, the required ones must be given.
 * @param modelName - the model
 * @param given - the parameters
 * @param hasGraph - whether --graph was given
 * @returns the model
 * @throws {@link UsageError} naming the offending option and what the model takes
 * @example
 * ```ts
 * checkFitParams('low-rank', { rank: 2 }, false);
 * ```
 */
export function checkFitParams(modelName: string, given: CliParams, hasGraph: boolean): CliModel {
  const model = findCliModel(modelName);
  const keys = Object.keys(given).filter((k): k is CliParamName => k in PARAM_FLAGS);
  if (hasGraph) keys.push('graph');
  for (const k of keys) {
    if (!model.params.includes(k)) {
      throw new UsageError(`option ${PARAM_FLAGS[k]} does not apply to model ${model.name} (it takes ${model.params.map((p) => PARAM_FLAGS[p]).join(', ')})`);
    }
  }
  if (given.lambda !== undefined && given.lambdaRatio !== undefined) throw new UsageError('give --lambda or --lambda-ratio, not both');
  for (const r of model.required) {
    if (given[r] === undefined && !(r === 'lambda' && given.lambdaRatio !== undefined)) {
      throw new UsageError(`model ${model.name} needs ${PARAM_FLAGS[r]}${r === 'lambda' && model.lambdaMax ? ' (or --lambda-ratio)' : ''}`);
    }
  }
  try {
    model.check(given);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  return model;
}

/**
 * Runs `mtlearn fit`.
 * @param o - the parsed options
 * @param io - output streams
 * @example
 * ```ts
 * cmdFit(opts, { stdout: process.stdout, stderr: process.stderr });
 * ```
 * @see {@link FitOpts}
 */
export async function cmdFit(o: FitOpts, io: CliIO): Promise<void> {
  const t0 = performance.now();
  const given = givenParams(o);
  const model = checkFitParams(o.model, given, o.graph !== undefined);
  const inputs = dataInputs(o);
  if (o.stats !== undefined) inputs.push({ flag: '--stats', file: o.stats });
  refuseInputAsOutput(o.out, inputs);
  let loaded: Loaded, data: MultiTaskData, taskLabels: string[], featureNames: string[];
  if (o.stats !== undefined || o.stream === true) {
    // data larger than memory: the fit sees only the sufficient statistics
    const s = await fitStatisticsInput(o, io);
    loaded = { layout: 'statistics', files: s.files };
    data = MultiTaskData.fromStatistics(s.stats);
    taskLabels = [...s.stats.taskLabels]; featureNames = [...s.stats.featureNames];
  } else {
    loaded = loadData(o, true);
    ({ data, taskLabels, featureNames } = loadedData(loaded));
  }
  if (o.graph !== undefined) given.graph = readGraphCsv(o.graph, taskLabels);
  const t1 = performance.now();
  let lambdaMax: number | undefined;
  if (given.lambdaRatio !== undefined) {
    if (!(given.lambdaRatio > 0 && given.lambdaRatio <= 1)) throw new UsageError(`--lambda-ratio: expected a number in (0, 1], got ${given.lambdaRatio}`);
    if (model.lambdaMax === undefined) throw new UsageError(`option --lambda-ratio does not apply to model ${model.name} (it has no λ_max)`);
    lambdaMax = refuseStatistics(model, data, () => model.lambdaMax!(data, given));
    given.lambda = given.lambdaRatio * lambdaMax;
  }
  let bar: Progress | null = null;
  const solver = solverProgress(io.stderr, model.name, 'certificate');
  const fit: CliFit = alignTaskLabels(taskLabels, o.stats ?? o.data ?? o.Y ?? '', () => refuseStatistics(model, data, () => model.fit(data, given, {
    progress: (done, total) => {
      bar ??= progressBar(io.stderr, `${model.name} restarts`, total);
      bar.update(done);
    },
    ...(solver.active ? { solverProgress: (it: number, c: number, tol: number) => solver.update(it, c, tol) } : {}),
  })));
  (bar as Progress | null)?.finish();
  solver.finish();
  const t2 = performance.now();
  const extras: Record<string, unknown> = {};
  if (given.lambdaRatio !== undefined) extras['lambdaRatio'] = given.lambdaRatio;
  if (lambdaMax !== undefined) extras['lambdaMax'] = lambdaMax;
  const file = makeFitFile(model, fit, dataBlock(data, loaded, taskLabels, featureNames), extras, o.timings);
  if (o.timings) {
    const t3 = performance.now();
    file.timings = { read: (t1 - t0) / 1000, fit: (t2 - t1) / 1000, total: (t3 - t0) / 1000 };
  }
  writeOutput(o.out, writeFitJson(file), inputs);
  io.stdout.write(
    `${model.name}: d=${data.d} T=${data.T} n=${data.totalSize} ${objectiveText(fit.objective, fit.options)} ${fit.certificateKind}=${fmt(fit.certificate)} ` +
    `converged=${fit.converged} iterations=${fit.iterations} -> ${o.out}\n`,
  );
  if (!fit.converged) io.stderr.write(`mtlearn: warning: ${model.name} did not converge in ${fit.iterations} iterations (certificate ${fmt(fit.certificate)})\n`);
}

/**
 * Runs `work`, turning a model's refusal of sufficient statistics (a TypeError naming what it needs)
 * into a usage error that names the model and the way out.
 * @param model - the model
 * @param data - the data (refusals are rewritten only for kind `'statistics'`)
 * @param work - the fit
 * @returns its result
 * @throws {@link UsageError} when the model cannot fit from statistics
 * @example
 * ```ts
 * refuseStatistics(model, data, () => model.fit(data, params, {}));
 * ```
 */
export function refuseStatistics<R>(model: CliModel, data: MultiTaskData, work: () => R): R {
  try {
    return work();
  } catch (e) {
    if (data.kind === 'statistics' && e instanceof TypeError && /sufficient statistics/.test(e.message)) {
      throw new UsageError(`model ${model.name} cannot fit from sufficient statistics (--stats, --stream): ${e.message.split('\n')[0]}; fit it from the rows with --data`);
    }
    throw e;
  }
}
