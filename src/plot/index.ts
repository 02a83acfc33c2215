/**
 * Pictures of fits and of model selection: Vega-Lite specifications compiled with `vega-lite` and
 * rendered to SVG by a headless `vega` View (no browser, no canvas; the same code runs in a
 * browser). Each picture has a `…Spec` function returning the Vega-Lite specification (to embed or
 * restyle) and an async function returning the SVG text. Every function takes the object the
 * corresponding library call returns (`groupLasso(…)`, `path(…)`, `await crossValidate(…)`,
 * `clusteredConvex(…)`, …) as well as the JSON files of the command line.
 *
 * Rendering is deterministic: the same input gives the same SVG.
 *
 * @packageDocumentation
 */
export { renderSvg, sig3, type PlotOptions, type PlotMatrix } from './render.js';
export { heatmapSpec, heatmapW, type PlotFit, type HeatmapOptions } from './heatmap.js';
export { convergenceSpec, convergencePlot, singularValuesSpec, singularValuesPlot, weightSingularValues } from './fitPlots.js';
export { encodeIndexedPng, pngDataUrl } from './png.js';
export { matrixImageSpec, type MatrixImageInput } from './matrix.js';
export { forecastPlot, forecastSpec, type ForecastSeries, type ForecastPlotOptions } from './forecast.js';
export { clusterMatrixPlot, clusterMatrixSpec, clusterIndicator, type ClusterMatrixInput } from './clusterMatrix.js';
export { pathPlot, pathSpec, type PathPlotInput, type PathPlotOptions } from './path.js';
export { cvPlot, cvSpec, type CvPlotInput, type CvPlotOptions } from './cv.js';
