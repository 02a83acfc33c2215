/**
 * Heatmap of the task-similarity matrix M (T×T) of a clustered model: the relaxed M of convex
 * clustered MTL (J. Zhou, J. Chen & J. Ye, "Clustered multi-task learning via alternating structure
 * optimization", NIPS 2011), or the normalised cluster indicator M = E(EᵀE)⁻¹Eᵀ of a hard assignment
 * (k-cluster mean-regularized MTL; L. Jacob, F. Bach & J.-P. Vert, "Clustered multi-task learning:
 * a convex formulation", NIPS 2008). Tasks are ordered by cluster and the block boundaries are drawn,
 * so the block-diagonal structure shows; colours are diverging and centred at 0. The matrix is drawn as
 * one embedded PNG image, so a 139×139 matrix is a few kilobytes of SVG.
 *
 * @packageDocumentation
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Mat } from '../types.js';
import { renderSvg, asMat, labelsOf, type PlotMatrix, type PlotOptions } from './render.js';
import { matrixImageSpec } from './matrix.js';

/**
 * What {@link clusterMatrixPlot} draws: a `clusteredConvex(…)` fit (M and clusters), a
 * `clusteredMeanRegularized(…)` fit (its `assignment`; M is the normalised indicator), or
 * `{ M, clusters? }` from the CLI's fit file.
 * @example
 * ```ts
 * await clusterMatrixPlot(clusteredConvex(data, { rho1: 1, rho2: 0.1, k: 3 }));
 * await clusterMatrixPlot(clusteredMeanRegularized(data, { k: 3, lambda: 1, mu: 0.1 }));
 * ```
 * @see {@link clusterMatrixPlot}
 */
export interface ClusterMatrixInput {
  /** M, T×T (absent for a hard assignment: then M = E(EᵀE)⁻¹Eᵀ of `assignment`). */
  readonly M?: PlotMatrix;
  /** Cluster of each task (clustered convex MTL); tasks are ordered by cluster. */
  readonly clusters?: ArrayLike<number>;
  /** Cluster of each task (clustered mean-regularized MTL), used when `clusters` is absent. */
  readonly assignment?: ArrayLike<number>;
  /** Task labels, length T. @default '1' … 'T' */
  readonly taskLabels?: readonly string[];
}

/**
 * The normalised cluster indicator M = E(EᵀE)⁻¹Eᵀ: M_ij = 1/|c| when tasks i and j are both in cluster c, else 0.
 * @param clusters - cluster of each task
 * @returns M (T×T)
 * @example
 * ```ts
 * clusterIndicator([0, 0, 1]).data; // [0.5, 0.5, 0, 0.5, 0.5, 0, 0, 0, 1]
 * ```
 * @see {@link clusterMatrixPlot}
 */
export function clusterIndicator(clusters: ArrayLike<number>): Mat {
  const T = clusters.length;
  const size = new Map<number, number>();
  for (let t = 0; t < T; t++) size.set(clusters[t]!, (size.get(clusters[t]!) ?? 0) + 1);
  const data = new Float64Array(T * T);
  for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) if (clusters[i] === clusters[j]) data[i * T + j] = 1 / size.get(clusters[i]!)!;
  return { rows: T, cols: T, data };
}

/**
 * Vega-Lite specification of the heatmap of M: tasks ordered by cluster (stable), block boundaries
 * as rules, diverging colours centred at 0, one image for the cells.
 * @param input - M and/or the clusters, task labels
 * @param options - title; `width`/`height` are the cell size (default 12 up to 40 tasks, else 4)
 * @returns the specification (one image mark, k − 1 boundary rules per direction)
 * @throws TypeError when neither M nor an assignment is given; RangeError when M is not square or
 *   labels/clusters have the wrong length
 * @example
 * ```ts
 * const spec = clusterMatrixSpec({ M: [[0.5, 0.5], [0.5, 0.5]] });
 * ```
 * @see {@link clusterMatrixPlot}
 */
export function clusterMatrixSpec(input: ClusterMatrixInput, options: PlotOptions = {}): TopLevelSpec {
  if (input === null || typeof input !== 'object') throw new TypeError('input: expected { M, clusters? } or a clustered fit');
  const cl = input.clusters ?? input.assignment;
  if (input.M === undefined && cl === undefined) {
    throw new TypeError('input: expected M (clusteredConvex fit, or { M } from a fit file) or an assignment (clusteredMeanRegularized fit)');
  }
  if (Array.isArray(input.M)) {
    const rows = input.M as readonly (readonly number[])[];
    rows.forEach((r, i) => {
      if (!Array.isArray(r) || r.length !== rows.length) throw new RangeError(`M: row ${i} has ${Array.isArray(r) ? r.length : 'no'} entries, expected ${rows.length} (a square T×T matrix)`);
    });
  }
  const M = input.M !== undefined ? asMat(input.M, 'M') : clusterIndicator(cl!);
  if (M.rows !== M.cols) throw new RangeError(`M: expected a square T×T matrix, got ${M.rows}×${M.cols}`);
  const T = M.rows;
  const labels = labelsOf(input.taskLabels, T, '', 'taskLabels');
  let order = Array.from({ length: T }, (_, i) => i);
  const breaks: number[] = [];
  const sizes: number[] = [];
  if (cl !== undefined) {
    if (cl.length !== T) throw new RangeError(`clusters: has ${cl.length} entries, expected ${T} (one per task)`);
    order = order.sort((a, b) => cl[a]! - cl[b]! || a - b);
    let run = 1;
    for (let k = 1; k < T; k++) {
      if (cl[order[k]!] !== cl[order[k - 1]!]) { breaks.push(k); sizes.push(run); run = 0; }
      run++;
    }
    if (T > 0) sizes.push(run);
  }
  const cell = options.width ?? (T > 40 ? 4 : 12);
  const k = sizes.length;
  const subtitle = cl !== undefined
    ? `tasks ordered by cluster (${k} cluster${k === 1 ? '' : 's'}) of ${sizes.join(', ')} tasks; lines: block boundaries; colours centred at 0`
    : 'tasks in data order; colours centred at 0';
  return matrixImageSpec({
    rows: T, cols: T, at: (i, j) => M.data[order[i]! * T + order[j]!]!,
    rowLabels: order.map((i) => labels[i]!), colLabels: order.map((i) => labels[i]!), rowTitle: 'task', colTitle: 'task',
    cellWidth: cell, cellHeight: options.height ?? cell, zeroGrey: false, rowBreaks: breaks, colBreaks: breaks,
    legendTitle: 'M', title: { text: options.title ?? `Task similarity M (${T} × ${T})`, subtitle },
  });
}

/**
 * Heatmap of the task-similarity matrix M of a clustered model as SVG (see {@link clusterMatrixSpec}).
 * @param input - a clustered fit, or M with optional clusters and task labels
 * @param options - title, cell size
 * @returns the SVG document
 * @throws as {@link clusterMatrixSpec}
 * @example
 * ```ts
 * writeFileSync('m.svg', await clusterMatrixPlot(clusteredConvex(data, { rho1: 1, rho2: 0.1, k: 3 })));
 * ```
 * @see {@link clusterMatrixSpec}
 */
export async function clusterMatrixPlot(input: ClusterMatrixInput, options: PlotOptions = {}): Promise<string> {
  return renderSvg(clusterMatrixSpec(input, options));
}
