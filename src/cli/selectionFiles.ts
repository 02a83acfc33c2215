/**
 * The JSON files of `mtlearn path` and `mtlearn cv`: their layouts, a deterministic writer, and the
 * validating readers used by `mtlearn plot --kind path|cv`.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import type { Mat } from '../types.js';
import { FitFileError } from './fitFile.js';
/**
 * The `format` tag of the JSON written by `mtlearn path`.
 * @example
 * ```ts
 * JSON.parse(readFileSync('path.json', 'utf8')).format === PATH_FORMAT; // true
 * ```
 * @see {@link parsePathFile}
 */
export const PATH_FORMAT = 'mtlearn-path';
/**
 * The `format` tag of the JSON written by `mtlearn cv`.
 * @example
 * ```ts
 * JSON.parse(readFileSync('cv.json', 'utf8')).format === CV_FORMAT; // true
 * ```
 * @see {@link parseCvFile}
 */
export const CV_FORMAT = 'mtlearn-cv';
/**
 * The version of the path and cv file layouts.
 * @example
 * ```ts
 * parsePathFile('path.json').version === SELECTION_VERSION; // true
 * ```
 * @see {@link parsePathFile}, {@link parseCvFile}
 */
export const SELECTION_VERSION = 1;

/**
 * ‖w^j‖₂ for every row j of W (d numbers).
 * @param W - d×T weights
 * @returns the Euclidean row norms
 * @example
 * ```ts
 * rowNorms({ rows: 2, cols: 2, data: Float64Array.from([3, 4, 0, 0]) }); // [5, 0]
 * ```
 * @see {@link PathFilePoint}
 */
export function rowNorms(W: Mat): number[] {
  const out: number[] = [];
  for (let j = 0; j < W.rows; j++) {
    let s = 0;
    for (let t = 0; t < W.cols; t++) s += W.data[j * W.cols + t]! ** 2;
    out.push(Math.sqrt(s));
  }
  return out;
}

/**
 * One point of a path file.
 * @example
 * ```ts
 * parsePathFile('path.json').points[0].rowNorms; // d numbers
 * ```
 * @see {@link PathFile}
 */
export interface PathFilePoint {
  /** Value of the path parameter. */
  lambda: number;
  /** Objective of the full problem. */
  objective: number;
  /** Certificate of the full problem (duality gap for the group lasso). */
  certificate: number | string;
  /** Whether every fit at this point converged. */
  converged: boolean;
  /** Iterations summed over the fits at this point. */
  iterations: number;
  /** Non-zero rows of W. */
  nonzeroRows: number;
  /** Rank of W when the model reports one, else null. */
  rank: number | null;
  /** Rows discarded by the solver's gap-safe screening. */
  screened: number;
  /** Rows discarded by the strong rule before fitting. */
  discarded: number;
  /** Discarded rows re-added after a KKT violation. */
  kktViolations: number;
  /** ‖w^j‖₂ per feature (d numbers, in the order of `data.featureNames`). */
  rowNorms: number[];
  /** Singular values of W, descending (min(d, T) numbers), for the models that report a rank. */
  singularValues?: number[];
  /** Seconds for this point (absent with `--no-timings`). */
  time?: number;
}

/**
 * The file written by `mtlearn path`.
 * @example
 * ```ts
 * const p: PathFile = parsePathFile('path.json'); p.points.map((x) => x.nonzeroRows);
 * ```
 * @see {@link parsePathFile}
 */
export interface PathFile {
  /** Always {@link PATH_FORMAT}. */
  format: typeof PATH_FORMAT;
  /** Always {@link SELECTION_VERSION}. */
  version: number;
  /** Kebab-case model name. */
  model: string;
  /** The varied option (`lambda`, `rho2`, …). */
  paramName: string;
  /** λ_max, or null when the model has none. */
  lambdaMax: number | null;
  /** Shape and labels of the data (as in a fit file). */
  data: Record<string, unknown> & { featureNames: string[]; taskLabels: string[]; d: number; T: number };
  /** The model options given on the command line (path parameter excluded; library defaults apply to the others). */
  options: Record<string, unknown>;
  /** The grid options actually used. */
  path: { nLambdas: number; lambdaMinRatio: number | string; strongRules: boolean; warmStart: boolean };
  /** The points, most regularised first. */
  points: PathFilePoint[];
  /** A selected parameter value to mark in the plot (optional). */
  selected?: number | null;
  /** Total seconds (absent with `--no-timings`). */
  time?: number;
}

/**
 * The file written by `mtlearn cv` (its `refit` is a complete fit file, so `predict`, `objective`
 * and `plot` accept a cv file in place of a fit file).
 * @example
 * ```ts
 * const c: CvFile = parseCvFile('cv.json'); c.grid[c.oneStandardErrorIndex];
 * ```
 * @see {@link parseCvFile}
 */
export interface CvFile {
  /** Always {@link CV_FORMAT}. */
  format: typeof CV_FORMAT;
  /** Always {@link SELECTION_VERSION}. */
  version: number;
  /** Kebab-case model name. */
  model: string;
  /** The varied option. */
  paramName: string;
  /** λ_max, or null when the model has none. */
  lambdaMax: number | null;
  /** Shape and labels of the data. */
  data: Record<string, unknown>;
  /** The model options given on the command line (path parameter excluded; the refit records all). */
  options: Record<string, unknown>;
  /** Folds, seed, metric, one-SE refit, workers. */
  cv: { folds: number; seed: number; metric: string; oneStandardError: boolean; workers: number };
  /** The grid, most regularised first. */
  grid: number[];
  /** Mean metric per grid point. */
  mean: number[];
  /** Standard error per grid point. */
  standardError: number[];
  /** Metric per fold (rows) and grid point (columns). */
  foldValues: number[][];
  /** Index of the best mean. */
  bestIndex: number;
  /** Index of the one-standard-error choice (≤ bestIndex: at least as regularised). */
  oneStandardErrorIndex: number;
  /** grid[bestIndex]. */
  best: number;
  /** grid[oneStandardErrorIndex]. */
  oneStandardErrorChoice: number;
  /** Index refitted on all data. */
  chosenIndex: number;
  /** grid[chosenIndex]. */
  chosen: number;
  /** The refit, in the fit-file format of `mtlearn fit`. */
  refit: Record<string, unknown>;
  /** Total seconds (absent with `--no-timings`). */
  time?: number;
}

/**
 * Serialises a path or cv file deterministically: one top-level field per line, arrays of objects
 * or arrays one element per line, nested objects of objects (the refit) likewise one level deeper.
 * @param v - a JSON-safe object
 * @param indent - indentation of the fields
 * @returns the JSON text, ending in a newline at the top level
 * @example
 * ```ts
 * writeSelectionJson({ format: 'mtlearn-path', points: [{ lambda: 1 }] });
 * ```
 * @see {@link PathFile}, {@link CvFile}
 */
export function writeSelectionJson(v: Record<string, unknown>, indent = ' '): string {
  const fields = Object.entries(v).map(([k, x]) => {
    let body: string;
    if (Array.isArray(x) && x.length > 0 && typeof x[0] === 'object' && x[0] !== null) {
      body = `[\n${x.map((e) => `${indent} ${JSON.stringify(e)}`).join(',\n')}\n${indent}]`;
    } else if (x !== null && typeof x === 'object' && !Array.isArray(x) && Object.values(x).some((e) => Array.isArray(e) && e.length > 0 && typeof e[0] === 'object')) {
      body = writeSelectionJson(x as Record<string, unknown>, `${indent} `).trimEnd().replace(/\n}$/, `\n${indent}}`);
    } else body = JSON.stringify(x);
    return `${indent}${JSON.stringify(k)}: ${body}`;
  });
  return `{\n${fields.join(',\n')}\n${indent.slice(1)}}\n`;
}

function readJson(file: string, format: string, command: string): Record<string, unknown> {
  let src: string;
  try {
    src = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FitFileError(file, code === 'ENOENT' ? `no such file; expected a file written by \`mtlearn ${command}\`` : `cannot be read (${code ?? String(e)})`);
  }
  let v: unknown;
  try {
    v = JSON.parse(src);
  } catch (e) {
    throw new FitFileError(file, `not valid JSON (${(e as Error).message}); expected a file written by \`mtlearn ${command}\``);
  }
  const o = v as Record<string, unknown> | null;
  if (o === null || typeof o !== 'object' || o['format'] !== format) {
    throw new FitFileError(file, `no "format": "${format}" field; expected a file written by \`mtlearn ${command}\``);
  }
  if (o['version'] !== SELECTION_VERSION) throw new FitFileError(file, `version ${String(o['version'])}; expected ${SELECTION_VERSION}`);
  return o;
}

/** The fields checked by {@link parsePathFile} are there (format, points, data, path parameter). */
function isPathFile(o: Record<string, unknown>): o is Record<string, unknown> & PathFile {
  return o['format'] === PATH_FORMAT && typeof o['paramName'] === 'string' && Array.isArray(o['points']) && typeof o['data'] === 'object';
}

/** The fields checked by {@link parseCvFile} are there (format, grid, indices, path parameter). */
function isCvFile(o: Record<string, unknown>): o is Record<string, unknown> & CvFile {
  return o['format'] === CV_FORMAT && typeof o['paramName'] === 'string' && Array.isArray(o['grid']) && typeof o['chosenIndex'] === 'number';
}

function finiteNumbers(file: string, v: unknown, n: number, what: string): number[] {
  if (!Array.isArray(v) || (n >= 0 && v.length !== n) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new FitFileError(file, `${what}: expected an array of ${n >= 0 ? n : 'the'} finite numbers`);
  }
  return v as number[];
}

/**
 * Reads and validates a path file (for `mtlearn plot --kind path`).
 * @param file - the path
 * @returns the path file
 * @throws {@link FitFileError} when the file is unreadable, not JSON, not a path file, or its points
 *   lack λ or d row norms
 * @example
 * ```ts
 * parsePathFile('path.json').points.length; // grid size
 * ```
 * @see {@link PathFile}
 */
export function parsePathFile(file: string): PathFile {
  const o = readJson(file, PATH_FORMAT, 'path');
  const data = o['data'] as PathFile['data'] | undefined;
  if (!data || typeof data !== 'object' || !Array.isArray(data.featureNames) || !data.featureNames.every((s) => typeof s === 'string')) {
    throw new FitFileError(file, 'data.featureNames: expected the feature names');
  }
  const d = data.featureNames.length;
  const points = o['points'];
  if (!Array.isArray(points) || points.length === 0) throw new FitFileError(file, 'points: expected a non-empty array');
  points.forEach((p: unknown, k) => {
    const q = p as Record<string, unknown> | null;
    if (q === null || typeof q !== 'object' || typeof q['lambda'] !== 'number' || !Number.isFinite(q['lambda'])) {
      throw new FitFileError(file, `points[${k}].lambda: expected a finite number`);
    }
    finiteNumbers(file, q['rowNorms'], d, `points[${k}].rowNorms`);
  });
  if (!isPathFile(o)) throw new FitFileError(file, 'paramName: expected the name of the path parameter');
  return o;
}

/**
 * Reads and validates a cv file (for `mtlearn plot --kind cv` and `--kind path --cv`).
 * @param file - the path
 * @returns the cv file
 * @throws {@link FitFileError} when the file is unreadable, not JSON, not a cv file, or the grid,
 *   means, standard errors or indices are inconsistent
 * @example
 * ```ts
 * const c = parseCvFile('cv.json'); c.grid[c.bestIndex];
 * ```
 * @see {@link CvFile}
 */
export function parseCvFile(file: string): CvFile {
  const o = readJson(file, CV_FORMAT, 'cv');
  const grid = finiteNumbers(file, o['grid'], -1, 'grid');
  if (grid.length === 0) throw new FitFileError(file, 'grid: expected at least one grid point');
  finiteNumbers(file, o['mean'], grid.length, 'mean');
  finiteNumbers(file, o['standardError'], grid.length, 'standardError');
  for (const k of ['bestIndex', 'oneStandardErrorIndex', 'chosenIndex']) {
    const i = o[k];
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= grid.length) {
      throw new FitFileError(file, `${k}: expected an integer in [0, ${grid.length - 1}]`);
    }
  }
  if (!isCvFile(o)) throw new FitFileError(file, 'paramName: expected the name of the path parameter');
  return o;
}
