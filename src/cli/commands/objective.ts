/**
 * `mtlearn objective`: recomputes a fit's objective from its file and the data.
 *
 * @packageDocumentation
 */
import { alignToFit, loadData } from '../data.js';
import { fmt, type CliIO } from '../errors.js';
import { FitFileError, parseFitFile } from '../fitFile.js';
import { fitFileW } from '../fitFile.js';
import { lossScaleNote } from '../fitRecord.js';
import { findCliModel, FitStateError } from '../cliModels.js';
import type { DataOpts } from '../options.js';

/**
 * The options of `mtlearn objective`.
 * @example
 * ```ts
 * const o: ObjectiveOpts = { fit: 'fit.json', data: 'school.csv', taskColumn: 'task', responseColumn: 'y' };
 * ```
 * @see {@link cmdObjective}
 */
export interface ObjectiveOpts extends DataOpts {
  /** The fit (or cv) JSON. */
  fit: string;
}

/**
 * Runs `mtlearn objective`: prints the value on standard output and its loss scale on standard error.
 * @param o - the parsed options
 * @param io - output streams
 * @example
 * ```ts
 * cmdObjective({ fit: 'fit.json', data: 'school.csv', taskColumn: 'task', responseColumn: 'y' }, io);
 * ```
 * @see {@link ObjectiveOpts}
 */
export function cmdObjective(o: ObjectiveOpts, io: CliIO): void {
  const f = parseFitFile(o.fit);
  let model;
  try {
    model = findCliModel(f.model);
  } catch (e) {
    throw new FitFileError(o.fit, `model: ${(e as Error).message}`);
  }
  const data = alignToFit(loadData(o, true), f);
  let v: number;
  try {
    v = model.objective(data, fitFileW(f), Float64Array.from(f.intercepts), f.options, f.state ?? {});
  } catch (e) {
    if (e instanceof FitStateError) throw new FitFileError(o.fit, e.message);
    throw e;
  }
  io.stdout.write(`${fmt(v)}\n`);
  const note = lossScaleNote(f.options);
  if (note) io.stderr.write(`mtlearn: ${f.model} objective (${note})\n`);
}
