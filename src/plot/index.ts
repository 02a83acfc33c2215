/**
 * Pictures of a fit: Vega-Lite specifications compiled with `vega-lite` and rendered to SVG in Node
 * by a headless `vega` View (no browser, no canvas). Each picture has a `…Spec` function returning
 * the Vega-Lite specification (to embed or restyle) and an async function returning the SVG text.
 *
 * Rendering is deterministic: the same fit gives the same SVG.
 *
 * @packageDocumentation
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import type { HistoryEntry, Mat } from '../types.js';

/**
 * What the pictures need from a fit: a library fit (`groupLasso(…)`, `traceNorm(…)`, …) qualifies,
 * and so does a fit file read by the CLI (W as nested arrays d×T).
 * @example
 * ```ts
 * await heatmapW({ W: [[1, 0], [0, 2]], taskLabels: ['a', 'b'] });
 * ```
 * @see {@link heatmapW}
 */
export interface PlotFit {
  /** W, d×T: a row-major {@link Mat} or nested arrays (d rows of length T). */
  readonly W: Mat | readonly (readonly number[])[];
  /** Convergence history (for {@link convergencePlot}). */
  readonly history?:
    | readonly Pick<HistoryEntry, 'iteration' | 'certificate' | 'objective' | 'time'>[]
    | readonly Pick<HistoryEntry, 'iteration' | 'certificate'>[]
    | readonly { iteration: number; certificate: number | null; objective?: number | null; time?: number | null }[];
  /** Which certificate the history holds (axis title). @default 'certificate' */
  readonly certificateKind?: string;
  /** Task labels, length T. @default '1' … 'T' */
  readonly taskLabels?: readonly string[];
  /** Feature names, length d. @default 'x1' … 'xd' */
  readonly featureNames?: readonly string[];
}

/**
 * Options shared by the pictures.
 * @example
 * ```ts
 * await convergencePlot(fit, { title: 'School', width: 600 });
 * ```
 * @see {@link heatmapW}, {@link convergencePlot}
 */
export interface PlotOptions {
  /** Title of the picture. @default a description of the picture */
  title?: string;
  /** Width in pixels of the plotting area (heatmap: of one cell when `cellSize` is used). @default 400 */
  width?: number;
  /** Height in pixels of the plotting area. @default 300 */
  height?: number;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function asMat(W: PlotFit['W']): Mat {
  if (Array.isArray(W)) {
    const rows = W.length;
    const cols = rows === 0 ? 0 : (W[0] as readonly number[]).length;
    const data = new Float64Array(rows * cols);
    (W as readonly (readonly number[])[]).forEach((r, i) => {
      if (r.length !== cols) throw new RangeError(`W: row ${i} has ${r.length} entries, expected ${cols} (same as row 0)`);
      for (let j = 0; j < cols; j++) data[i * cols + j] = r[j]!;
    });
    return { rows, cols, data };
  }
  const m = W as Mat;
  if (!(m.data instanceof Float64Array) || m.data.length !== m.rows * m.cols) {
    throw new TypeError('W: expected a Mat { rows, cols, data } or nested arrays d×T');
  }
  return m;
}

function labels(given: readonly string[] | undefined, n: number, prefix: string, what: string): string[] {
  if (given === undefined) return Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
  if (given.length !== n) throw new RangeError(`${what}: has ${given.length} entries, expected ${n}`);
  return [...given];
}

/**
 * Renders a Vega-Lite specification to SVG text with a headless Vega view.
 * @param spec - a Vega-Lite top-level specification
 * @returns the SVG document
 * @example
 * ```ts
 * const svg = await renderSvg({ data: { values: [{ a: 1 }] }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } });
 * ```
 * @see {@link heatmapW}, {@link convergencePlot}, {@link singularValuesPlot}
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vgSpec = compile(spec).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  try {
    return normaliseIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Vega numbers gradient and clip-path ids with process-wide counters, so the second rendering of the
 * same picture would differ; renumber them from 0 in order of first appearance (deterministic output).
 */
function normaliseIds(svg: string): string {
  const seen = new Map<string, string>();
  const next = new Map<string, number>();
  return svg.replace(/(id="|url\(#)(gradient_|clip|pattern_)(\d+)/g, (_m, pre: string, kind: string, num: string) => {
    const key = kind + num;
    let id = seen.get(key);
    if (id === undefined) {
      const k = next.get(kind) ?? 0;
      next.set(kind, k + 1);
      seen.set(key, (id = `${kind}${k}`));
    }
    return pre + id;
  });
}

/**
 * Vega-Lite specification of the heatmap of Wᵀ: one row per task, one column per feature, one cell
 * per entry, coloured on a diverging scale centred at 0; entries exactly zero are grey.
 * @param fit - the fit (W and optional labels)
 * @param options - title and cell size (`width`/`height` are per cell here; defaults 14 and 10)
 * @returns the specification (T·d rect marks)
 * @example
 * ```ts
 * const spec = heatmapSpec(fit, { title: 'School, L1/L2' });
 * ```
 * @see {@link heatmapW}
 */
export function heatmapSpec(fit: PlotFit, options: PlotOptions = {}): TopLevelSpec {
  const W = asMat(fit.W);
  const d = W.rows, T = W.cols;
  const tasks = labels(fit.taskLabels, T, '', 'taskLabels');
  const feats = labels(fit.featureNames, d, 'x', 'featureNames');
  const values: { task: string; feature: string; w: number; zero: boolean }[] = [];
  let zeros = 0;
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < d; j++) {
      const w = W.data[j * T + t]!;
      if (w === 0) zeros++;
      values.push({ task: tasks[t]!, feature: feats[j]!, w, zero: w === 0 });
    }
  }
  const cw = options.width ?? 14, ch = options.height ?? 10;
  return {
    $schema: SCHEMA,
    title: {
      text: options.title ?? 'Wᵀ (tasks × features)',
      subtitle: `${zeros} of ${T * d} entries exactly zero (grey)`,
    },
    data: { values },
    width: { step: cw },
    height: { step: ch },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'feature', type: 'ordinal', sort: feats, title: 'feature', axis: { labelAngle: -90 } },
      y: { field: 'task', type: 'ordinal', sort: tasks, title: 'task', axis: T > 60 ? { labels: false, ticks: false } : {} },
      color: {
        condition: { test: 'datum.zero', value: '#9e9e9e' },
        field: 'w', type: 'quantitative', title: 'w', scale: { scheme: 'redblue', domainMid: 0 },
      },
      tooltip: [{ field: 'task', type: 'ordinal' }, { field: 'feature', type: 'ordinal' }, { field: 'w', type: 'quantitative' }],
    },
    config: { view: { stroke: null } },
  } as TopLevelSpec;
}

/**
 * Heatmap of Wᵀ (tasks × features) as SVG; zero entries (features dropped by a sparse model) are grey.
 * @param fit - the fit
 * @param options - title, cell size
 * @returns the SVG document
 * @example
 * ```ts
 * writeFileSync('w.svg', await heatmapW(groupLasso(data, { lambda: 0.1 })));
 * ```
 * @see {@link heatmapSpec}
 */
export async function heatmapW(fit: PlotFit, options: PlotOptions = {}): Promise<string> {
  return renderSvg(heatmapSpec(fit, options));
}

/**
 * Vega-Lite specification of the convergence plot on a log-scale y axis against the iteration: the
 * certificate (one point per recorded history entry with a positive finite certificate, drawn
 * first) and, when the history records objectives, the objective suboptimality
 * F(W_k) − min_k F(W_k) (relative to the smallest objective in the history; entries where it is
 * zero, such as the minimiser itself, cannot be drawn on the log axis and are left out).
 * @param fit - the fit (its `history`)
 * @param options - title, size
 * @returns the specification
 * @throws RangeError when the history has no positive finite certificate
 * @example
 * ```ts
 * const spec = convergenceSpec(fit);
 * ```
 * @see {@link convergencePlot}
 */
export function convergenceSpec(fit: PlotFit, options: PlotOptions = {}): TopLevelSpec {
  const kind = fit.certificateKind ?? 'certificate';
  const subName = 'F − min F';
  const values: { iteration: number; time: number | null; value: number; series: string }[] = [];
  const history = (fit.history ?? []) as readonly {
    iteration: number; certificate: number | null; objective?: number | null; time?: number | null;
  }[];
  const timeOf = (h: { time?: number | null }): number | null => (typeof h.time === 'number' && Number.isFinite(h.time) ? h.time : null);
  for (const h of history) {
    const c = h.certificate;
    if (typeof c === 'number' && Number.isFinite(c) && c > 0) values.push({ iteration: h.iteration, time: timeOf(h), value: c, series: kind });
  }
  if (values.length === 0) {
    throw new RangeError('history: no entry with a positive finite certificate; expected a fit with a recorded convergence history');
  }
  let fmin = Infinity;
  for (const h of history) if (typeof h.objective === 'number' && Number.isFinite(h.objective)) fmin = Math.min(fmin, h.objective);
  let subCount = 0;
  if (Number.isFinite(fmin)) {
    for (const h of history) {
      const f = h.objective;
      if (typeof f === 'number' && Number.isFinite(f) && f - fmin > 0) {
        values.push({ iteration: h.iteration, time: timeOf(h), value: f - fmin, series: subName });
        subCount++;
      }
    }
  }
  // a second panel against wall-clock time when every point carries one
  const withTime = values.every((v) => v.time !== null);
  const domain = subCount > 0 ? [kind, subName] : [kind];
  const yTitle = subCount > 0 ? `${kind}; objective − min objective (F − min F)` : kind;
  const layer = (series: string, x: 'iteration' | 'time'): unknown => ({
    transform: [{ filter: { field: 'series', equal: series } }],
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: x, type: 'quantitative', title: x === 'iteration' ? 'iteration' : 'time (s)' },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { type: 'log' } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain }, legend: { labelLimit: 400 } },
    },
  });
  const panel = (x: 'iteration' | 'time'): unknown => ({
    width: options.width ?? 400,
    height: options.height ?? 300,
    layer: subCount > 0 ? [layer(kind, x), layer(subName, x)] : [layer(kind, x)],
  });
  const title = options.title ?? (subCount > 0
    ? `Convergence: ${kind} and objective suboptimality per iteration${withTime ? ' and time' : ''}`
    : `Convergence: ${kind} per iteration${withTime ? ' and time' : ''}`);
  const base = { $schema: SCHEMA, title, data: { values } };
  return (withTime ? { ...base, hconcat: [panel('iteration'), panel('time')] } : { ...base, ...(panel('iteration') as object) }) as TopLevelSpec;
}

/**
 * Convergence plot as SVG: the certificate and the objective suboptimality against the iteration (and,
 * when the history records it, against time in a second panel), log scale.
 * @param fit - the fit
 * @param options - title, size
 * @returns the SVG document
 * @throws RangeError when the history has no positive finite certificate
 * @example
 * ```ts
 * writeFileSync('conv.svg', await convergencePlot(fit));
 * ```
 * @see {@link convergenceSpec}
 */
export async function convergencePlot(fit: PlotFit, options: PlotOptions = {}): Promise<string> {
  return renderSvg(convergenceSpec(fit, options));
}

/**
 * The singular values of W, descending (length min(d, T)), by ml-matrix's SVD.
 * @param W - W (d×T) as a Mat or nested arrays
 * @returns σ_1 ≥ … ≥ σ_min(d,T) ≥ 0
 * @example
 * ```ts
 * weightSingularValues([[3, 0], [0, 4]]); // [4, 3]
 * ```
 * @see {@link singularValuesPlot}
 */
export function weightSingularValues(W: PlotFit['W']): number[] {
  const M = asMat(W);
  if (M.rows === 0 || M.cols === 0) return [];
  const A = new Matrix(M.rows, M.cols);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.cols; j++) A.set(i, j, M.data[i * M.cols + j]!);
  // ml-matrix needs rows ≥ columns for the thin SVD path; transpose (same singular values)
  const B = A.rows >= A.columns ? A : A.transpose();
  const s = new SingularValueDecomposition(B, { computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal;
  return s.slice(0, Math.min(M.rows, M.cols)).map((x) => Math.max(0, x)).sort((a, b) => b - a);
}

/**
 * Vega-Lite specification of the singular values of W: one bar per singular value, descending.
 * @param fit - the fit (W)
 * @param options - title, size
 * @returns the specification (min(d, T) bars)
 * @example
 * ```ts
 * const spec = singularValuesSpec(traceNorm(data, { lambda: 0.1 }));
 * ```
 * @see {@link singularValuesPlot}
 */
export function singularValuesSpec(fit: PlotFit, options: PlotOptions = {}): TopLevelSpec {
  const s = weightSingularValues(fit.W);
  const values = s.map((sigma, i) => ({ index: i + 1, sigma }));
  return {
    $schema: SCHEMA,
    title: options.title ?? 'Singular values of W',
    data: { values },
    width: options.width ?? 400,
    height: options.height ?? 300,
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'index', type: 'ordinal', title: 'i' },
      y: { field: 'sigma', type: 'quantitative', title: 'σ_i' },
    },
  } as TopLevelSpec;
}

/**
 * Bar chart of the singular values of W as SVG (the spectrum a trace-norm or low-rank fit shrinks).
 * @param fit - the fit
 * @param options - title, size
 * @returns the SVG document
 * @example
 * ```ts
 * writeFileSync('sv.svg', await singularValuesPlot(fit));
 * ```
 * @see {@link singularValuesSpec}
 */
export async function singularValuesPlot(fit: PlotFit, options: PlotOptions = {}): Promise<string> {
  return renderSvg(singularValuesSpec(fit, options));
}
export { forecastPlot, forecastSpec, type ForecastSeries, type ForecastPlotOptions } from './forecast.js';
export { clusterMatrixPlot, clusterMatrixSpec, type ClusterMatrixInput } from './clusterMatrix.js';
export { pathPlot, pathSpec, cvPlot, cvSpec, type PathPlotInput, type CvPlotInput } from './selection.js';
