/**
 * The heatmap of a fit's weights Wᵀ (tasks × features), as in the weight-matrix pictures of
 * joint feature selection (G. Obozinski, B. Taskar & M. I. Jordan, "Joint covariate selection and
 * joint subspace selection for multiple classification problems", Stat. Comput. 20, 2010): rows a
 * sparse model dropped show as grey columns.
 *
 * @packageDocumentation
 */
import type { TopLevelSpec } from 'vega-lite';
import type { HistoryEntry } from '../types.js';
import { renderSvg, asMat, labelsOf, SCHEMA, AXIS_FORMAT, type PlotMatrix, type PlotOptions } from './render.js';
import { matrixImageSpec } from './matrix.js';

/**
 * What the pictures of a fit need: every model's fit (`groupLasso(…)`, `traceNorm(…)`, `lowRank(…)`,
 * `meanRegularized(…)`, …) qualifies, and so does a fit file read by the CLI (W as nested arrays d×T).
 * @example
 * ```ts
 * await heatmapW({ W: [[1, 0], [0, 2]], taskLabels: ['a', 'b'] });
 * ```
 * @see {@link heatmapW}, {@link convergencePlot}, {@link singularValuesPlot}
 */
export interface PlotFit {
  /** W, d×T: a row-major {@link Mat} or nested arrays (d rows of length T). */
  readonly W: PlotMatrix;
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
  /** The options of the fit (its `lambda`, `rank` or `h` are stated in the singular-value picture). */
  readonly options?: object;
  /** The rank a low-rank model reports (stated in the singular-value picture). */
  readonly rank?: number;
}

/**
 * Options of {@link heatmapW}.
 * @example
 * ```ts
 * await heatmapW(fit, { cells: 'image', width: 6, height: 4 });
 * ```
 * @see {@link heatmapW}
 */
export interface HeatmapOptions extends PlotOptions {
  /**
   * How cells are drawn: one SVG rectangle per cell with a tooltip (`'rects'`), or one embedded PNG
   * image (`'image'`, a few kB for any size); `'auto'` uses rectangles up to 1024 cells.
   * @default 'auto'
   */
  cells?: 'auto' | 'rects' | 'image';
}

/**
 * Vega-Lite specification of the heatmap of Wᵀ: one row per task, one column per feature, coloured
 * on a diverging scale centred at 0; entries exactly zero are grey.
 * @param fit - the fit (W and optional labels)
 * @param options - title, cell size (`width`/`height` are per cell here; defaults 14 and 10, or 12
 *   and 3 for more than 60 tasks), how cells are drawn
 * @returns the specification (T·d rect marks, or one image mark)
 * @example
 * ```ts
 * const spec = heatmapSpec(fit, { title: 'School, L1/L2' });
 * ```
 * @see {@link heatmapW}
 */
export function heatmapSpec(fit: PlotFit, options: HeatmapOptions = {}): TopLevelSpec {
  if (fit === null || typeof fit !== 'object') throw new TypeError('fit: expected a fit { W, … } (a library fit or a parsed fit file)');
  const W = asMat(fit.W, 'fit.W');
  const d = W.rows, T = W.cols;
  const tasks = labelsOf(fit.taskLabels, T, '', 'taskLabels');
  const feats = labelsOf(fit.featureNames, d, 'x', 'featureNames');
  let zeros = 0;
  for (let i = 0; i < W.data.length; i++) if (W.data[i] === 0) zeros++;
  const cells = options.cells ?? 'auto';
  if (cells !== 'auto' && cells !== 'rects' && cells !== 'image') throw new RangeError(`options.cells: expected 'auto', 'rects' or 'image', got ${String(cells)}`);
  const text = options.title ?? `Wᵀ (${T} tasks × ${d} features)`;
  const subtitle = `${zeros} of ${T * d} entries exactly zero (grey); diverging colours centred at 0`;
  if (cells === 'image' || (cells === 'auto' && T * d > 1024)) {
    return matrixImageSpec({
      rows: T, cols: d, at: (t, j) => W.data[j * T + t]!, rowLabels: tasks, colLabels: feats, rowTitle: 'task', colTitle: 'feature',
      cellWidth: options.width ?? 14, cellHeight: options.height ?? (T > 60 ? 3 : 10), zeroGrey: true, legendTitle: 'w', title: { text, subtitle },
    });
  }
  const values: { task: string; feature: string; w: number; zero: boolean }[] = [];
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < d; j++) {
      const w = W.data[j * T + t]!;
      values.push({ task: tasks[t]!, feature: feats[j]!, w, zero: w === 0 });
    }
  }
  let m = 0;
  for (let i = 0; i < W.data.length; i++) m = Math.max(m, Math.abs(W.data[i]!));
  if (m === 0) m = 1;
  const cw = options.width ?? 14, ch = options.height ?? 10;
  return {
    $schema: SCHEMA,
    title: { text, subtitle },
    data: { values },
    width: { step: cw },
    height: { step: ch },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'feature', type: 'ordinal', sort: feats, title: 'feature', axis: { labelAngle: -90 } },
      y: { field: 'task', type: 'ordinal', sort: tasks, title: 'task', axis: T > 60 ? { labels: false, ticks: false } : {} },
      color: {
        condition: { test: 'datum.zero', value: '#9e9e9e' },
        field: 'w', type: 'quantitative', title: 'w', scale: { scheme: 'redblue', domain: [-m, m] }, legend: { format: AXIS_FORMAT },
      },
      tooltip: [{ field: 'task', type: 'ordinal' }, { field: 'feature', type: 'ordinal' }, { field: 'w', type: 'quantitative' }],
    },
    config: { view: { stroke: null } },
  } as TopLevelSpec;
}

/**
 * Heatmap of Wᵀ (tasks × features) as SVG; zero entries (features dropped by a sparse model) are grey.
 * @param fit - the fit
 * @param options - title, cell size, how cells are drawn
 * @returns the SVG document
 * @example
 * ```ts
 * writeFileSync('w.svg', await heatmapW(groupLasso(data, { lambda: 0.1 })));
 * ```
 * @see {@link heatmapSpec}
 */
export async function heatmapW(fit: PlotFit, options: HeatmapOptions = {}): Promise<string> {
  return renderSvg(heatmapSpec(fit, options));
}
