/**
 * What every picture shares: rendering a Vega-Lite specification to SVG with a headless Vega view
 * (no browser, no canvas; it runs in Node and in a browser), deterministic ids, number formatting
 * with three significant digits, and matrix inputs.
 *
 * @packageDocumentation
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Mat } from '../types.js';

/** The Vega-Lite schema of every specification. */
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

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
    return pixelatedImages(normaliseIds(await view.toSVG()));
  } finally {
    view.finalize();
  }
}

/**
 * Vega writes unsmoothed images as `image-rendering: optimizeSpeed; image-rendering: pixelated;`; SVG
 * renderers that do not know `pixelated` (resvg) take the last declaration and smooth the image, so
 * put `optimizeSpeed` last (browsers that know `pixelated` and ignore `optimizeSpeed` keep it).
 */
function pixelatedImages(svg: string): string {
  return svg.split('image-rendering: optimizeSpeed; image-rendering: pixelated;').join('image-rendering: pixelated; image-rendering: optimizeSpeed;');
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
 * A number with three significant digits, trailing zeros dropped (`0.0123`, `1.23e-7`, `4560`).
 * @param v - the number
 * @returns its text
 * @example
 * ```ts
 * sig3(0.012345678); // '0.0123'
 * ```
 * @see {@link pathSpec}, {@link cvSpec}
 */
export function sig3(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 1e6) return v.toExponential(2).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

/** The d3 format of axis labels with three significant digits. */
export const AXIS_FORMAT = '.3~g';

/** A matrix input of the pictures: a row-major {@link Mat} or nested arrays. */
export type PlotMatrix = Mat | readonly (readonly number[])[];

/**
 * A plot's matrix input as a {@link Mat}.
 * @param W - a Mat or nested arrays
 * @param name - the argument's name for errors
 * @returns the Mat (the given one, or a copy of the nested arrays)
 * @throws TypeError / RangeError naming the argument and the expected shape
 * @example
 * ```ts
 * asMat([[1, 2]], 'W').cols; // 2
 * ```
 * @see {@link PlotMatrix}
 */
export function asMat(W: unknown, name = 'W'): Mat {
  if (Array.isArray(W)) {
    const rows = W.length;
    const cols = rows === 0 ? 0 : (W[0] as readonly number[]).length;
    const data = new Float64Array(rows * cols);
    (W as readonly (readonly number[])[]).forEach((r, i) => {
      if (!Array.isArray(r) || r.length !== cols) throw new RangeError(`${name}: row ${i} has ${Array.isArray(r) ? r.length : 'no'} entries, expected ${cols} (same as row 0)`);
      for (let j = 0; j < cols; j++) data[i * cols + j] = r[j]!;
    });
    return { rows, cols, data };
  }
  const m = W as Mat | null | undefined;
  if (m === null || typeof m !== 'object' || !(m.data instanceof Float64Array) || m.data.length !== m.rows * m.cols) {
    throw new TypeError(`${name}: expected a Mat { rows, cols, data: Float64Array } or nested arrays, got ${m === null ? 'null' : typeof m}`);
  }
  return m;
}

/**
 * Labels of n items: the given ones (checked for length) or `prefix1 … prefixn`.
 * @param given - labels, or undefined
 * @param n - number of items
 * @param prefix - prefix of the default labels
 * @param what - the option's name for errors
 * @returns n labels
 * @throws RangeError when the length differs from n
 * @example
 * ```ts
 * labelsOf(undefined, 2, 'x', 'featureNames'); // ['x1', 'x2']
 * ```
 */
export function labelsOf(given: readonly string[] | undefined | null, n: number, prefix: string, what: string): string[] {
  if (given === undefined || given === null) return Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
  if (given.length !== n) throw new RangeError(`${what}: has ${given.length} entries, expected ${n}`);
  return given.map(String);
}

/**
 * Ten distinguishable colours (Tableau 10, Vega's `tableau10` scheme), for labelled curves.
 */
export const TABLEAU10 = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#79706e'];

/**
 * Spreads label positions (pixels, top = 0) so neighbours are at least `gap` apart, keeping them
 * within [0, height] and as close as possible to where they belong (curve ends).
 * @param want - wanted positions in pixels
 * @param gap - minimum distance
 * @param height - plot height
 * @returns the positions, in the order of `want`
 * @example
 * ```ts
 * spreadLabels([10, 11, 12], 10, 300); // [1, 11, 21] (about)
 * ```
 */
export function spreadLabels(want: readonly number[], gap: number, height: number): number[] {
  const idx = want.map((_, i) => i).sort((a, b) => want[a]! - want[b]!);
  const pos = idx.map((i) => want[i]!);
  // push down, then pull back up from the bottom, then re-centre clusters by one averaging pass
  for (let k = 1; k < pos.length; k++) pos[k] = Math.max(pos[k]!, pos[k - 1]! + gap);
  if (pos.length > 0) pos[pos.length - 1] = Math.min(pos[pos.length - 1]!, height);
  for (let k = pos.length - 2; k >= 0; k--) pos[k] = Math.min(pos[k]!, pos[k + 1]! - gap);
  const out = new Array<number>(want.length);
  idx.forEach((i, k) => { out[i] = pos[k]!; });
  return out;
}
