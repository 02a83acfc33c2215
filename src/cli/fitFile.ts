/**
 * The fit file written by `mtlearn fit` and read by `predict`, `objective` and `plot`: plain JSON
 * with W as nested arrays d×T (row j = feature j across tasks). Non-finite numbers (q = ∞, a NaN
 * certificate) are stored as the strings `"Infinity"`, `"-Infinity"` and `"NaN"`, so the file is
 * valid JSON and every finite double round-trips exactly.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import type { Mat } from '../types.js';

/**
 * The `format` tag of a fit file.
 * @example
 * ```ts
 * parseFitFile('fit.json').format === FIT_FORMAT; // true
 * ```
 * @see {@link FitFile}
 */
export const FIT_FORMAT = 'mtlearn-fit';
/**
 * The version of the fit-file layout.
 * @example
 * ```ts
 * parseFitFile('fit.json').version === FIT_VERSION; // true
 * ```
 * @see {@link FitFile}
 */
export const FIT_VERSION = 1;

/**
 * One convergence-history entry as stored (the certificate is null when it was not computed).
 * @example
 * ```ts
 * parseFitFile('fit.json').history[0].certificate; // number or null
 * ```
 * @see {@link FitFile}
 */
export interface FitFileHistoryEntry {
  /** Iteration or epoch. */
  iteration: number;
  /** Objective then. */
  objective: number;
  /** Certificate then; null when not computed. */
  certificate: number | null;
  /** Seconds since the start (absent with `--no-timings`). */
  time?: number;
}

/**
 * The contents of a fit file.
 * @example
 * ```ts
 * const f: FitFile = parseFitFile('fit.json'); f.W[j][t]; // W(j, t)
 * ```
 * @see {@link parseFitFile}, {@link writeFitJson}
 */
export interface FitFile {
  /** Always {@link FIT_FORMAT}. */
  format: typeof FIT_FORMAT;
  /** Always {@link FIT_VERSION}. */
  version: number;
  /** Kebab-case model name (see `CLI_MODELS`). */
  model: string;
  /** Shape and labels of the training data. */
  data: {
    /** `'long'` (task,y,x… file), `'shared'` (X.csv + Y.csv) or `'statistics'` (`--stats`, `--stream`). */
    layout: 'long' | 'shared' | 'statistics';
    /** The input file(s), as given. */
    files: string[];
    /** Number of features d. */
    d: number;
    /** Number of tasks T. */
    T: number;
    /** Σ_t n_t, the observed responses. */
    n: number;
    /** n_t per task. */
    taskSizes: number[];
    /** Task labels in column order of W. */
    taskLabels: string[];
    /** Feature names in row order of W. */
    featureNames: string[];
  };
  /** The options actually used (JSON-safe; ∞ as `"Infinity"`). */
  options: Record<string, unknown>;
  /** W, d×T, as an array of d rows of length T. */
  W: number[][];
  /** Per-task intercepts (length T). */
  intercepts: number[];
  /** The objective at (W, intercepts). */
  objective: number;
  /** The certificate (duality gap or fixed-point residual). */
  certificate: number | string;
  /** Which certificate. */
  certificateKind: string;
  /** Whether the stopping criterion was met. */
  converged: boolean;
  /** Iterations performed. */
  iterations: number;
  /** Model-specific extras (λ_max, number of non-zero rows, rank, …). */
  extras: Record<string, unknown>;
  /**
   * The model's variables beyond W that its objective needs, matrices as arrays of rows: Θ, U, V
   * (aso), M (aso-convex, clustered-convex), w₀ and ΔW (mean-regularized, feature-projection), P
   * (feature-projection), D (feature-learning), centres and assignment (clustered-mean). Absent for
   * models whose objective depends on W alone.
   */
  state?: Record<string, unknown>;
  /** The convergence history. */
  history: FitFileHistoryEntry[];
  /** Seconds spent reading, fitting, in total (absent with `--no-timings`). */
  timings?: { read: number; fit: number; total: number };
}

/**
 * Replaces non-finite numbers by strings and typed arrays by plain arrays, recursively.
 * @param v - any value
 * @returns a JSON-safe copy
 * @example
 * ```ts
 * jsonSafe({ q: Infinity, b: new Float64Array([1]) }); // { q: 'Infinity', b: [1] }
 * ```
 * @see {@link writeFitJson}
 */
export function jsonSafe(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (v instanceof Float64Array || v instanceof Int32Array || v instanceof Float32Array) return Array.from(v, (x) => jsonSafe(x));
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (typeof x !== 'function' && x !== undefined) out[k] = jsonSafe(x);
    return out;
  }
  return v;
}

/**
 * Serialises a fit file: one top-level field per line, W one feature row per line, the history one
 * entry per line; a final newline. Deterministic for a given fit.
 * @param f - the fit file
 * @returns the JSON text
 * @example
 * ```ts
 * writeFileSync('fit.json', writeFitJson(file));
 * ```
 * @see {@link parseFitFile}
 */
export function writeFitJson(f: FitFile): string {
  const safe = jsonSafe(f) as Record<string, unknown>;
  const fields = Object.entries(safe).map(([k, v]) => {
    const body = Array.isArray(v) && v.length > 0 && typeof v[0] === 'object'
      ? `[\n${v.map((x) => `  ${JSON.stringify(x)}`).join(',\n')}\n ]`
      : JSON.stringify(v);
    return ` ${JSON.stringify(k)}: ${body}`;
  });
  return `{\n${fields.join(',\n')}\n}\n`;
}

/**
 * A malformed fit file (exit status 2 on the command line).
 * @example
 * ```ts
 * try { parseFitFile('fit.json'); } catch (e) { if (e instanceof FitFileError) console.error(e.message); }
 * ```
 * @see {@link parseFitFile}
 */
export class FitFileError extends Error {
  /** The file. */
  readonly file: string;
  /**
   * @param file - the fit file
   * @param problem - what is wrong and what was expected
   * @example
   * ```ts
   * new FitFileError('fit.json', 'W: expected d×T nested arrays').message; // 'fit.json: W: expected …'
   * ```
   */
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'FitFileError';
    this.file = file;
  }
}

function finiteArray(file: string, v: unknown, n: number, what: string): number[] {
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new FitFileError(file, `${what}: expected an array of ${n} finite numbers`);
  }
  return v as number[];
}

/**
 * Reads and validates a fit file (or the `refit` of a cv file written by `mtlearn cv`).
 * @param file - the path
 * @param text - the JSON text (default: read `file`)
 * @returns the fit file
 * @throws {@link FitFileError} when the file is unreadable, not JSON, not a fit file, or W /
 *   intercepts / labels do not have the recorded shape
 * @example
 * ```ts
 * const f = parseFitFile('fit.json');
 * f.W.length; // d
 * ```
 * @see {@link writeFitJson}, {@link fitFileW}
 */
export function parseFitFile(file: string, text?: string): FitFile {
  let src = text;
  if (src === undefined) {
    try {
      src = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new FitFileError(file, code === 'ENOENT' ? 'no such file; expected a fit file written by `mtlearn fit`' : `cannot be read (${code ?? String(e)})`);
    }
  }
  let v: unknown;
  try {
    v = JSON.parse(src);
  } catch (e) {
    throw new FitFileError(file, `not valid JSON (${(e as Error).message}); expected a fit file written by \`mtlearn fit\``);
  }
  // a cv file (`mtlearn cv`) carries its refit as a complete fit file
  const outer = v as { format?: unknown; refit?: unknown } | null;
  if (outer !== null && typeof outer === 'object' && outer.format === 'mtlearn-cv') {
    if (outer.refit === null || typeof outer.refit !== 'object') throw new FitFileError(file, 'refit: expected the refitted model of `mtlearn cv`');
    v = outer.refit;
  }
  const f = v as Partial<FitFile> | null;
  if (f === null || typeof f !== 'object' || f.format !== FIT_FORMAT) {
    throw new FitFileError(file, `no "format": "${FIT_FORMAT}" field; expected a fit file written by \`mtlearn fit\``);
  }
  if (f.version !== FIT_VERSION) throw new FitFileError(file, `version ${String(f.version)}; expected ${FIT_VERSION}`);
  if (typeof f.model !== 'string') throw new FitFileError(file, 'model: expected a model name');
  const data = f.data;
  if (!data || typeof data !== 'object' || !Number.isInteger(data.d) || !Number.isInteger(data.T) || data.d < 1 || data.T < 1) {
    throw new FitFileError(file, 'data: expected { d, T, taskLabels, featureNames, … } with d, T ≥ 1');
  }
  const { d, T } = data;
  if (!Array.isArray(data.taskLabels) || data.taskLabels.length !== T || !data.taskLabels.every((s) => typeof s === 'string')) {
    throw new FitFileError(file, `data.taskLabels: expected ${T} strings`);
  }
  if (!Array.isArray(data.featureNames) || data.featureNames.length !== d || !data.featureNames.every((s) => typeof s === 'string')) {
    throw new FitFileError(file, `data.featureNames: expected ${d} strings`);
  }
  if (!Array.isArray(f.W) || f.W.length !== d) throw new FitFileError(file, `W: expected ${d} rows (d×T = ${d}×${T})`);
  f.W.forEach((row, j) => finiteArray(file, row, T, `W[${j}]`));
  finiteArray(file, f.intercepts, T, 'intercepts');
  if (typeof f.options !== 'object' || f.options === null) throw new FitFileError(file, 'options: expected an object');
  if (!Array.isArray(f.history)) throw new FitFileError(file, 'history: expected an array');
  if (f.state !== undefined && (typeof f.state !== 'object' || f.state === null || Array.isArray(f.state))) {
    throw new FitFileError(file, 'state: expected an object (the model variables beyond W)');
  }
  return f as FitFile;
}

/**
 * W of a fit file as a row-major {@link Mat} (d×T).
 * @param f - the fit file
 * @returns W
 * @example
 * ```ts
 * fitFileW(parseFitFile('fit.json')).cols; // T
 * ```
 * @see {@link parseFitFile}
 */
export function fitFileW(f: FitFile): Mat {
  const d = f.data.d, T = f.data.T;
  const data = new Float64Array(d * T);
  for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) data[j * T + t] = f.W[j]![t]!;
  return { rows: d, cols: T, data };
}
