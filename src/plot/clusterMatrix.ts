/**
 * Heatmap of the task-similarity matrix M (T×T) of a clustered model: the relaxed M of convex
 * clustered MTL (Zhou, Chen & Ye, "Clustered multi-task learning via alternating structure
 * optimization", NIPS 2011), or the normalised cluster indicator E(EᵀE)⁻¹Eᵀ of a hard assignment
 * (k-cluster mean-regularized MTL). Block-diagonal structure, after ordering the tasks by cluster,
 * shows the clusters.
 *
 * @packageDocumentation
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Mat } from '../types.js';
import { renderSvg, type PlotOptions } from './index.js';

/**
 * What {@link clusterMatrixPlot} draws.
 * @example
 * ```ts
 * await clusterMatrixPlot({ M: fit.M, clusters: Array.from(fit.clusters) });
 * ```
 * @see {@link clusterMatrixPlot}
 */
export interface ClusterMatrixInput {
  /** M, T×T: a row-major {@link Mat} or nested arrays. */
  readonly M: Mat | readonly (readonly number[])[];
  /** Cluster label of each task; when given, tasks are ordered by cluster (stable). */
  readonly clusters?: readonly number[];
  /** Task labels, length T. @default '1' … 'T' */
  readonly taskLabels?: readonly string[];
}

function square(M: ClusterMatrixInput['M']): { T: number; at: (i: number, j: number) => number } {
  if (Array.isArray(M)) {
    const rows = M as readonly (readonly number[])[];
    const T = rows.length;
    rows.forEach((r, i) => {
      if (r.length !== T) throw new RangeError(`M: row ${i} has ${r.length} entries, expected ${T} (a square T×T matrix)`);
    });
    return { T, at: (i, j) => rows[i]![j]! };
  }
  const m = M as Mat;
  if (!(m.data instanceof Float64Array) || m.rows !== m.cols || m.data.length !== m.rows * m.cols) {
    throw new RangeError('M: expected a square T×T Mat { rows, cols, data } or nested arrays');
  }
  return { T: m.rows, at: (i, j) => m.data[i * m.cols + j]! };
}

/**
 * Vega-Lite specification of the heatmap of M: one cell per task pair, sequential colour scale.
 * @param input - M, optional clusters and task labels
 * @param options - title; `width`/`height` are the cell size (default 12)
 * @returns the specification (T² rect marks)
 * @throws RangeError when M is not square or labels/clusters have the wrong length
 * @example
 * ```ts
 * const spec = clusterMatrixSpec({ M: [[0.5, 0.5], [0.5, 0.5]] });
 * ```
 * @see {@link clusterMatrixPlot}
 */
export function clusterMatrixSpec(input: ClusterMatrixInput, options: PlotOptions = {}): TopLevelSpec {
  const { T, at } = square(input.M);
  const labels = input.taskLabels ? [...input.taskLabels] : Array.from({ length: T }, (_, i) => String(i + 1));
  if (labels.length !== T) throw new RangeError(`taskLabels: has ${labels.length} entries, expected ${T}`);
  let order = Array.from({ length: T }, (_, i) => i);
  const cl = input.clusters;
  if (cl !== undefined) {
    if (cl.length !== T) throw new RangeError(`clusters: has ${cl.length} entries, expected ${T}`);
    order = order.sort((a, b) => cl[a]! - cl[b]! || a - b);
  }
  const sorted = order.map((i) => labels[i]!);
  const values: { row: string; col: string; m: number; cluster: number | null }[] = [];
  for (const i of order) for (const j of order) values.push({ row: labels[i]!, col: labels[j]!, m: at(i, j), cluster: cl ? cl[i]! : null });
  const cell = options.width ?? 12;
  const k = cl ? new Set(cl).size : 0;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: options.title ?? 'Task similarity M (T × T)',
      subtitle: cl ? `tasks ordered by cluster (${k} cluster${k === 1 ? '' : 's'})` : 'tasks in data order',
    },
    data: { values },
    width: { step: cell },
    height: { step: options.height ?? cell },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'col', type: 'ordinal', sort: sorted, title: 'task', axis: T > 60 ? { labels: false, ticks: false } : { labelAngle: -90 } },
      y: { field: 'row', type: 'ordinal', sort: sorted, title: 'task', axis: T > 60 ? { labels: false, ticks: false } : {} },
      color: { field: 'm', type: 'quantitative', title: 'M', scale: { scheme: 'blues' } },
      tooltip: [{ field: 'row', type: 'ordinal' }, { field: 'col', type: 'ordinal' }, { field: 'm', type: 'quantitative' }],
    },
    config: { view: { stroke: null } },
  } as TopLevelSpec;
}

/**
 * Heatmap of the task-similarity matrix M of a clustered model as SVG.
 * @param input - M, optional clusters (orders the tasks) and task labels
 * @param options - title, cell size
 * @returns the SVG document
 * @throws RangeError when M is not square or labels/clusters have the wrong length
 * @example
 * ```ts
 * const fit = clusteredConvex(data, { rho1: 1, rho2: 0.1, k: 3 });
 * writeFileSync('m.svg', await clusterMatrixPlot({ M: fit.M, clusters: Array.from(fit.clusters) }));
 * ```
 * @see {@link clusterMatrixSpec}
 */
export async function clusterMatrixPlot(input: ClusterMatrixInput, options: PlotOptions = {}): Promise<string> {
  return renderSvg(clusterMatrixSpec(input, options));
}
