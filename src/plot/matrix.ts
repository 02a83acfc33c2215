/**
 * Matrix pictures drawn as one embedded PNG image (one pixel per cell, scaled up without smoothing)
 * inside a Vega-Lite chart with axes, block boundaries and a colour legend: a T×T or d×T matrix stays
 * a few kilobytes of SVG (one `<rect>` per cell is about 200 bytes, so 139×139 cells would be 3.8 MB)
 * and still shows in any browser and in SVG renderers such as resvg.
 *
 * The colour scale is diverging and centred at 0 (Vega's `redblue` scheme over [−m, m], m = max |value|),
 * so negative entries never look like small positive ones.
 *
 * @packageDocumentation
 */
import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { encodeIndexedPng, pngDataUrl } from './png.js';
import { SCHEMA, AXIS_FORMAT } from './render.js';

/** What {@link matrixImageSpec} draws (cells already in display order). */
export interface MatrixImageInput {
  /** Number of rows (drawn top to bottom). */
  readonly rows: number;
  /** Number of columns (drawn left to right). */
  readonly cols: number;
  /** Value of the cell in display row i, column j. */
  readonly at: (i: number, j: number) => number;
  /** Row labels (shown when there are at most 80 rows). */
  readonly rowLabels: readonly string[];
  /** Column labels (shown when there are at most 80 columns). */
  readonly colLabels: readonly string[];
  /** Axis titles. */
  readonly rowTitle: string;
  /** Axis titles. */
  readonly colTitle: string;
  /** Cell size in pixels. */
  readonly cellWidth: number;
  /** Cell size in pixels. */
  readonly cellHeight: number;
  /** Draw exact zeros grey (sparse W) instead of the scale's white midpoint. */
  readonly zeroGrey: boolean;
  /** Row positions (0 … rows) of horizontal block boundaries. */
  readonly rowBreaks?: readonly number[];
  /** Column positions (0 … cols) of vertical block boundaries. */
  readonly colBreaks?: readonly number[];
  /** Colour legend title. */
  readonly legendTitle: string;
  /** Chart title and subtitle. */
  readonly title: { text: string; subtitle?: string };
}

const GREY: [number, number, number] = [158, 158, 158];
const LEVELS = 255; // palette entries of the diverging scale; entry 255 is grey

let paletteCache: [number, number, number][] | null = null;
/** The `redblue` scheme sampled at LEVELS points (t = 0 red … 1 blue), then grey. */
function palette(): [number, number, number][] {
  if (paletteCache) return paletteCache;
  const f = vega.scheme('redblue') as (t: number) => string;
  const out: [number, number, number][] = [];
  for (let k = 0; k < LEVELS; k++) {
    const m = /rgb\((\d+), ?(\d+), ?(\d+)\)/.exec(f(k / (LEVELS - 1)));
    out.push(m ? [Number(m[1]), Number(m[2]), Number(m[3])] : GREY);
  }
  out.push(GREY);
  return (paletteCache = out);
}

/**
 * Vega-Lite specification of a matrix picture: the cells as one PNG image, diverging colours
 * centred at 0, optional block boundaries, axis labels when they fit, a gradient legend.
 * @param input - the cells, labels and layout
 * @returns the specification (one image mark, one rule per boundary)
 * @example
 * ```ts
 * const spec = matrixImageSpec({ rows: 2, cols: 2, at: (i, j) => i - j, rowLabels: ['a', 'b'], colLabels: ['a', 'b'],
 *   rowTitle: 'task', colTitle: 'task', cellWidth: 10, cellHeight: 10, zeroGrey: false, legendTitle: 'M', title: { text: 'M' } });
 * ```
 * @see {@link heatmapSpec}, {@link clusterMatrixSpec}
 */
export function matrixImageSpec(input: MatrixImageInput): TopLevelSpec {
  const { rows, cols, at } = input;
  let m = 0;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) { const v = Math.abs(at(i, j)); if (Number.isFinite(v) && v > m) m = v; }
  if (m === 0) m = 1;
  // pixel (i, j) = palette index of the value: round((v/m + 1)/2 · (LEVELS − 1)); grey for exact zeros or non-finite
  const px = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = at(i, j);
      px[i * cols + j] = !Number.isFinite(v) || (input.zeroGrey && v === 0)
        ? LEVELS
        : Math.round(((Math.max(-m, Math.min(m, v)) / m + 1) / 2) * (LEVELS - 1));
    }
  }
  const url = pngDataUrl(encodeIndexedPng(cols, rows, px, palette()));
  const width = cols * input.cellWidth, height = rows * input.cellHeight;
  const axis = (labels: readonly string[], n: number, title: string, angle: number): unknown => (n <= 80
    ? { title, values: Array.from({ length: n }, (_, k) => k + 0.5), labelExpr: `${JSON.stringify(labels)}[floor(datum.value)]`, labelAngle: angle, labelOverlap: false, tickCount: n, grid: false, labelFontSize: n > 40 ? 7 : 10 }
    : { title: `${title} (${n}; labels not shown)`, labels: false, ticks: false, grid: false });
  const layers: unknown[] = [{
    data: { values: [{ url, x: 0, y: 0 }] },
    mark: { type: 'image', width, height, align: 'left', baseline: 'top', aspect: false, smooth: false, aria: false },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { domain: [0, cols], nice: false, zero: false }, axis: axis(input.colLabels, cols, input.colTitle, -90) },
      y: { field: 'y', type: 'quantitative', scale: { domain: [0, rows], nice: false, zero: false, reverse: true }, axis: axis(input.rowLabels, rows, input.rowTitle, 0) },
      url: { field: 'url', type: 'nominal' },
    },
  }];
  if (input.rowBreaks && input.rowBreaks.length > 0) {
    layers.push({ data: { values: input.rowBreaks.map((b) => ({ b })) }, mark: { type: 'rule', color: '#222', strokeWidth: 1 }, encoding: { y: { field: 'b', type: 'quantitative' } } });
  }
  if (input.colBreaks && input.colBreaks.length > 0) {
    layers.push({ data: { values: input.colBreaks.map((b) => ({ b })) }, mark: { type: 'rule', color: '#222', strokeWidth: 1 }, encoding: { x: { field: 'b', type: 'quantitative' } } });
  }
  // an invisible layer that only carries the colour legend of the image's scale
  layers.push({
    data: { values: [{ v: -m }, { v: m }] },
    mark: { type: 'point', opacity: 0 },
    encoding: {
      x: { datum: 0, type: 'quantitative' }, y: { datum: 0, type: 'quantitative' },
      color: { field: 'v', type: 'quantitative', title: input.legendTitle, scale: { scheme: 'redblue', domain: [-m, m] }, legend: { format: AXIS_FORMAT, gradientLength: Math.min(200, Math.max(80, height)) } },
    },
  });
  return {
    $schema: SCHEMA,
    title: input.title,
    width, height,
    layer: layers,
    config: { view: { stroke: '#888' } },
  } as TopLevelSpec;
}
