/**
 * Forecast pictures: several series (truth, the fits of different models) against time as a
 * Vega-Lite line chart rendered to SVG by {@link renderSvg}, with an optional shaded forecast window
 * (the rows after the training cut-off), as in the "simulated historical forecasts" of
 * Taylor & Letham, "Forecasting at scale", The American Statistician 72(1), 2018.
 *
 * @packageDocumentation
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg, type PlotOptions } from './render.js';

/**
 * One line of a forecast picture.
 * @example
 * ```ts
 * const s: ForecastSeries = { name: 'truth', x: [0, 1, 2], y: [1, 2, 1.5] };
 * ```
 * @see {@link forecastPlot}
 */
export interface ForecastSeries {
  /** Legend name (unique). */
  readonly name: string;
  /** Abscissae (time index, or ISO dates with `xType: 'temporal'`). */
  readonly x: readonly (number | string)[];
  /** Values (same length as `x`); non-finite values are left out (gaps). */
  readonly y: readonly number[] | Float64Array;
  /** Draw dashed. @default false */
  readonly dashed?: boolean;
}

/**
 * Options of {@link forecastPlot}.
 * @example
 * ```ts
 * await forecastPlot(series, { title: 'Vendor B', xType: 'temporal', yTitle: 'sales' });
 * ```
 * @see {@link forecastPlot}
 */
export interface ForecastPlotOptions extends PlotOptions {
  /** Axis title of x. @default 'time' */
  xTitle?: string;
  /** Axis title of y. @default 'value' */
  yTitle?: string;
  /** Type of x: numbers or ISO dates. @default 'quantitative' */
  xType?: 'quantitative' | 'temporal';
  /** Where the forecast starts (an x value): shades the window from there to the end. */
  forecastStart?: number | string;
}

/**
 * Vega-Lite specification of the forecast line chart: one coloured line per series, legend in
 * series order, optional shaded forecast window.
 * @param series - the lines (at least one; unique names; `x` and `y` of equal length)
 * @param options - titles, size, x type, forecast start
 * @returns the specification
 * @throws RangeError when there is no series, a name repeats or lengths differ
 * @example
 * ```ts
 * const spec = forecastSpec([{ name: 'truth', x: [0, 1], y: [1, 2] }]);
 * ```
 * @see {@link forecastPlot}
 */
export function forecastSpec(series: readonly ForecastSeries[], options: ForecastPlotOptions = {}): TopLevelSpec {
  if (series.length === 0) throw new RangeError('series: expected at least one series');
  const names = series.map((s) => s.name);
  if (new Set(names).size !== names.length) throw new RangeError(`series: names must be unique, got ${names.join(', ')}`);
  const values: { series: string; x: number | string; y: number }[] = [];
  let xmax: number | string | undefined, xmin: number | string | undefined;
  for (const s of series) {
    if (s.x.length !== s.y.length) throw new RangeError(`series "${s.name}": x has ${s.x.length} entries and y ${s.y.length}; expected equal lengths`);
    for (let i = 0; i < s.x.length; i++) {
      const y = s.y[i]!;
      if (Number.isFinite(y)) values.push({ series: s.name, x: s.x[i]!, y });
      const x = s.x[i]!;
      if (xmax === undefined || x > xmax) xmax = x;
      if (xmin === undefined || x < xmin) xmin = x;
    }
  }
  const xType = options.xType ?? 'quantitative';
  const dashed = series.filter((s) => s.dashed).map((s) => s.name);
  const lines = {
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5, interpolate: 'linear' },
    encoding: {
      // x over the data range only (no padding to 0)
      x: { field: 'x', type: xType, title: options.xTitle ?? 'time', scale: xType === 'quantitative' ? { domain: [xmin, xmax], nice: false, zero: false } : { nice: false } },
      y: { field: 'y', type: 'quantitative', title: options.yTitle ?? 'value', scale: { zero: false } },
      // legend below the chart, one series per line, labels never truncated
      color: {
        field: 'series', type: 'nominal', sort: names, title: null, scale: { domain: names, scheme: 'category10' },
        legend: { orient: 'bottom', direction: 'vertical', labelLimit: 0, symbolType: 'stroke' },
      },
      strokeDash: {
        condition: { test: `indexof(${JSON.stringify(dashed)}, datum.series) >= 0`, value: [5, 3] },
        value: [1, 0],
      },
    },
  };
  const layers: unknown[] = [];
  if (options.forecastStart !== undefined && xmax !== undefined) {
    layers.push({
      data: { values: [{ start: options.forecastStart, end: xmax }] },
      mark: { type: 'rect', color: '#eeeeee' },
      encoding: { x: { field: 'start', type: xType }, x2: { field: 'end' } },
    });
  }
  layers.push(lines);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'Forecast',
    width: options.width ?? 600,
    height: options.height ?? 300,
    layer: layers,
  } as TopLevelSpec;
}

/**
 * Forecast line chart (truth and fitted models against time) as SVG.
 * @param series - the lines
 * @param options - titles, size, x type, forecast start (shaded window)
 * @returns the SVG document
 * @throws RangeError when there is no series, a name repeats or lengths differ
 * @example
 * ```ts
 * writeFileSync('forecast.svg', await forecastPlot([
 *   { name: 'truth', x: days, y: truth },
 *   { name: 'joint', x: days, y: joint, dashed: true },
 * ], { forecastStart: days[0], yTitle: 'sales' }));
 * ```
 * @see {@link forecastSpec}, {@link renderSvg}
 */
export async function forecastPlot(series: readonly ForecastSeries[], options: ForecastPlotOptions = {}): Promise<string> {
  return renderSvg(forecastSpec(series, options));
}
