/**
 * `mtlearn path`: a model fitted along a decreasing grid of its regularisation parameter.
 *
 * @packageDocumentation
 */
import { weightSingularValues } from '../../plot/fitPlots.js';
import { path, type PathOptions } from '../../selection/path.js';
import type { CliIO } from '../errors.js';
import { jsonSafe } from '../fitFile.js';
import { dataBlock, lossScaleNote } from '../fitRecord.js';
import { alignTaskLabels } from '../labels.js';
import { writeOutput } from '../output.js';
import { progressBar } from '../progress.js';
import { PATH_FORMAT, SELECTION_VERSION, rowNorms, writeSelectionJson, type PathFile, type PathFilePoint } from '../selectionFiles.js';
import { finiteOrNull, selectionSetup, type SelectionOpts } from '../selectionSetup.js';

/**
 * A grid value for a one-line summary: 4 significant digits (the JSON keeps every digit).
 * @param v - the value
 * @returns e.g. `'83.71'`, `'0.0008371'`
 * @example
 * ```ts
 * short(83.70971885503566); // '83.71'
 * ```
 */
export function short(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

/**
 * Runs `mtlearn path`.
 * @param o - the parsed options
 * @param io - output streams
 * @example
 * ```ts
 * await cmdPath(opts, io);
 * ```
 * @see {@link SelectionOpts}
 */
export async function cmdPath(o: SelectionOpts, io: CliIO): Promise<void> {
  const { model, pm, grid, loaded, data, taskLabels, featureNames, modelOptions, inputs } = selectionSetup(o, 'path');
  const param = pm.spec.paramName;
  const options: PathOptions = grid.lambdas !== undefined
    ? { lambdas: grid.lambdas, strongRules: o.strongRules }
    : { nLambdas: grid.nLambdas, lambdaMinRatio: grid.lambdaMinRatio, strongRules: o.strongRules };
  const bar = progressBar(io.stderr, `${model.name} path`, grid.nLambdas);
  bar.update(0);
  const withBar: PathOptions = bar.active ? { ...options, progress: (done) => bar.update(done) } : options;
  const result = alignTaskLabels(taskLabels, loaded.files.join(', '), () => path(data, pm.fn, withBar, modelOptions));
  bar.update(grid.nLambdas);
  bar.finish();
  const points: PathFilePoint[] = result.points.map((p) => ({
    lambda: p.lambda, objective: p.objective, certificate: p.certificate, converged: p.converged, iterations: p.iterations,
    nonzeroRows: p.nonzeroRows, rank: p.rank === undefined ? null : finiteOrNull(p.rank), screened: p.screened, discarded: p.discarded, kktViolations: p.kktViolations,
    rowNorms: rowNorms(p.W), ...(p.rank !== undefined ? { singularValues: weightSingularValues(p.W) } : {}), ...(o.timings ? { time: p.time } : {}),
  }));
  const file: PathFile = {
    format: PATH_FORMAT, version: SELECTION_VERSION, model: model.name, paramName: param, lambdaMax: finiteOrNull(result.lambdaMax),
    data: dataBlock(data, loaded, taskLabels, featureNames),
    options: { ...modelOptions },
    path: {
      nLambdas: result.options.nLambdas, lambdaMinRatio: result.options.lambdaMinRatio,
      strongRules: result.options.strongRules, warmStart: result.options.warmStart,
    },
    points,
    ...(o.timings ? { time: result.time } : {}),
  };
  const safe = jsonSafe(file);
  writeOutput(o.out, writeSelectionJson(safe !== null && typeof safe === 'object' ? { ...safe } : {}), inputs);
  const notConverged = result.points.filter((p) => !p.converged).length;
  const last = result.points[result.points.length - 1]!;
  const note = lossScaleNote({ lossScale: modelOptions['lossScale'] ?? model.defaultLossScale });
  io.stdout.write(
    `${model.name} path over ${param}: ${result.points.length} points from ${short(result.points[0]!.lambda)} to ${short(last.lambda)}; ` +
    `nonzero rows ${result.points[0]!.nonzeroRows} -> ${last.nonzeroRows}${last.rank !== undefined ? `, rank ${result.points[0]!.rank} -> ${last.rank}` : ''}; ` +
    `objectives with ${note} -> ${o.out}\n`,
  );
  if (notConverged > 0) io.stderr.write(`mtlearn: warning: ${notConverged} of ${result.points.length} path points did not converge\n`);
}
