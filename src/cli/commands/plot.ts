/**
 * `mtlearn plot`: SVG pictures of fit, path and cv files.
 *
 * @packageDocumentation
 */
import { clusterMatrixPlot, convergencePlot, cvPlot, heatmapW, pathPlot, singularValuesPlot, type PlotFit } from '../../plot/index.js';
import { dataInputs } from '../data.js';
import { InputMismatchError, UsageError, type CliIO } from '../errors.js';
import { FitFileError, parseFitFile, type FitFileHistoryEntry } from '../fitFile.js';
import { CLI_MODELS, findCliModel, FitStateError } from '../cliModels.js';
import { refuseInputAsOutput, writeOutput } from '../output.js';
import { parseCvFile, parsePathFile } from '../selectionFiles.js';

/**
 * The pictures of `mtlearn plot --kind`.
 * @example
 * ```ts
 * PLOT_KINDS.includes('heatmap'); // true
 * ```
 */
export const PLOT_KINDS = ['heatmap', 'convergence', 'singular-values', 'cluster-matrix', 'path', 'cv'] as const;

/**
 * The options of `mtlearn plot`.
 * @example
 * ```ts
 * const o: PlotOpts = { fit: 'fit.json', kind: 'heatmap', out: 'w.svg' };
 * ```
 * @see {@link cmdPlot}
 */
export interface PlotOpts {
  /** Fit (or cv) JSON. */
  fit?: string;
  /** Path JSON. */
  path?: string;
  /** Cv JSON. */
  cv?: string;
  /** λ to mark on a path. */
  selected?: number;
  /** The picture. */
  kind: (typeof PLOT_KINDS)[number];
  /** Output SVG. */
  out: string;
  /** Title. */
  title?: string;
}

/**
 * Thins a long convergence history for plotting: the entries are cut into `maxPoints / 4` runs of
 * consecutive iterations, and each run keeps the entries with the smallest and largest certificate
 * and objective (what a log-scale picture of either shows), plus the first and the last entry. A
 * history of at most `maxPoints` entries is returned as is.
 * @param history - the entries in iteration order
 * @param maxPoints - the most entries kept (≥ 8)
 * @returns the kept entries, in order
 * @default maxPoints 4000
 * @example
 * ```ts
 * thinHistory(Array.from({ length: 200000 }, (_, i) => ({ iteration: i, objective: 1 / (i + 1), certificate: 1 / (i + 1) }))).length; // ≤ 4000
 * ```
 */
export function thinHistory<H extends Pick<FitFileHistoryEntry, 'certificate' | 'objective'>>(history: readonly H[], maxPoints = 4000): H[] {
  const n = history.length;
  if (n <= maxPoints) return history.slice();
  const runs = Math.max(1, Math.floor(maxPoints / 4) - 1);
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  for (let r = 0; r < runs; r++) {
    const a = Math.floor((r * n) / runs), b = Math.floor(((r + 1) * n) / runs);
    let cMin = -1, cMax = -1, fMin = -1, fMax = -1;
    for (let i = a; i < b; i++) {
      const c = history[i]!.certificate, f = history[i]!.objective;
      if (typeof c === 'number' && Number.isFinite(c) && c > 0) {
        if (cMin < 0 || c < (history[cMin]!.certificate as number)) cMin = i;
        if (cMax < 0 || c > (history[cMax]!.certificate as number)) cMax = i;
      }
      if (typeof f === 'number' && Number.isFinite(f)) {
        if (fMin < 0 || f < history[fMin]!.objective) fMin = i;
        if (fMax < 0 || f > history[fMax]!.objective) fMax = i;
      }
    }
    for (const i of [cMin, cMax, fMin, fMax]) if (i >= 0) keep[i] = 1;
  }
  const out: H[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(history[i]!);
  return out;
}

/** `plot --kind path|cv`: the pictures of the JSON files of `mtlearn path` and `mtlearn cv`. */
async function selectionPlot(o: PlotOpts): Promise<string> {
  const opts = o.title !== undefined ? { title: o.title } : {};
  if (o.fit !== undefined) throw new UsageError(`--kind ${o.kind} reads ${o.kind === 'path' ? '--path path.json (and optionally --cv cv.json)' : '--cv cv.json'}, not --fit`);
  if (o.kind === 'cv') {
    if (o.cv === undefined) throw new UsageError('--kind cv needs --cv cv.json (written by mtlearn cv)');
    if (o.selected !== undefined) throw new UsageError('--selected applies to --kind path only');
    const c = parseCvFile(o.cv);
    // a path over the same grid gives the top axis of non-zero rows (a cv file carries no counts)
    const p = o.path !== undefined ? parsePathFile(o.path) : null;
    if (p !== null && (c.model !== p.model || c.paramName !== p.paramName)) {
      throw new InputMismatchError(`${o.path}: a path of ${p.model} over ${p.paramName}; expected ${c.model} over ${c.paramName} as in ${o.cv}`);
    }
    try {
      return await cvPlot({ ...c, metric: c.cv?.metric ?? 'cv error' }, { ...opts, ...(p ? { path: { points: p.points } } : {}) });
    } catch (e) {
      if (e instanceof RangeError || e instanceof TypeError) throw new FitFileError(o.cv, e.message);
      throw e;
    }
  }
  if (o.path === undefined) throw new UsageError('--kind path needs --path path.json (written by mtlearn path)');
  if (o.cv !== undefined && o.selected !== undefined) throw new UsageError('give --selected or --cv, not both');
  const p = parsePathFile(o.path);
  let selected: number | null = typeof p.selected === 'number' ? p.selected : null;
  if (o.selected !== undefined) selected = o.selected;
  if (o.cv !== undefined) {
    const c = parseCvFile(o.cv);
    if (c.model !== p.model || c.paramName !== p.paramName) {
      throw new InputMismatchError(`${o.cv}: cross-validates ${c.model} over ${c.paramName}; expected ${p.model} over ${p.paramName} as in ${o.path}`);
    }
    selected = c.grid[c.chosenIndex]!;
  }
  if (selected !== null && !(selected > 0 && Number.isFinite(selected))) throw new UsageError(`--selected: expected a finite number > 0, got ${selected}`);
  try {
    return await pathPlot({ model: p.model, paramName: p.paramName, featureNames: p.data.featureNames, points: p.points, selected }, opts);
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new FitFileError(o.path, e.message);
    throw e;
  }
}

/** The picture of a fit file. */
async function fitPlot(o: PlotOpts, fitPath: string): Promise<string> {
  const f = parseFitFile(fitPath);
  const history = o.kind === 'convergence' ? thinHistory(f.history) : [];
  const pf: PlotFit = {
    W: f.W, options: f.options, taskLabels: f.data.taskLabels, featureNames: f.data.featureNames, certificateKind: f.certificateKind,
    history: history.map((h) => ({
      iteration: h.iteration, certificate: typeof h.certificate === 'number' ? h.certificate : null,
      objective: typeof h.objective === 'number' ? h.objective : null,
      time: typeof h.time === 'number' ? h.time : null,
    })),
  };
  const opts = o.title !== undefined ? { title: o.title } : {};
  if (o.kind === 'heatmap') return heatmapW(pf, opts);
  if (o.kind === 'convergence') {
    try {
      return await convergencePlot(pf, opts);
    } catch (e) {
      if (e instanceof RangeError) throw new FitFileError(fitPath, e.message);
      throw e;
    }
  }
  if (o.kind === 'cluster-matrix') {
    let model;
    try {
      model = findCliModel(f.model);
    } catch (e) {
      throw new FitFileError(fitPath, `model: ${(e as Error).message}`);
    }
    if (!model.clusterMatrix) {
      throw new UsageError(`--kind cluster-matrix needs a clustered model (${CLI_MODELS.filter((m) => m.clusterMatrix).map((m) => m.name).join(', ')}), but ${fitPath} holds ${f.model}`);
    }
    let cm;
    try {
      cm = model.clusterMatrix(f.state ?? {}, f.data.T);
    } catch (e) {
      if (e instanceof FitStateError) throw new FitFileError(fitPath, e.message);
      throw e;
    }
    return clusterMatrixPlot({ ...cm, taskLabels: f.data.taskLabels }, opts);
  }
  return singularValuesPlot(pf, opts);
}

/**
 * Runs `mtlearn plot`.
 * @param o - the parsed options
 * @param io - output streams
 * @example
 * ```ts
 * await cmdPlot({ fit: 'fit.json', kind: 'convergence', out: 'c.svg' }, io);
 * ```
 * @see {@link PlotOpts}
 */
export async function cmdPlot(o: PlotOpts, io: CliIO): Promise<void> {
  const inputs = dataInputs(o);
  refuseInputAsOutput(o.out, inputs);
  let svg: string;
  if (o.kind === 'path' || o.kind === 'cv') svg = await selectionPlot(o);
  else {
    if (o.fit === undefined) throw new UsageError(`--kind ${o.kind} needs --fit fit.json (written by mtlearn fit, or a cv JSON)`);
    if (o.path !== undefined || o.cv !== undefined || o.selected !== undefined) throw new UsageError('--path, --cv and --selected apply to --kind path and cv only');
    svg = await fitPlot(o, o.fit);
  }
  writeOutput(o.out, svg.endsWith('\n') ? svg : `${svg}\n`, inputs);
  io.stderr.write(`mtlearn: ${o.kind} plot -> ${o.out}\n`);
}
