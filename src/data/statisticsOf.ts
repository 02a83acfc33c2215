/**
 * Statistics from in-memory data, and the validation of statistics that come from elsewhere (a file,
 * a SQL engine, another process).
 *
 * @packageDocumentation
 */
import type { MultiTaskData } from './MultiTaskData.js';
import { accumulateStatistics, createStatistics, type CreateStatisticsOptions, type MultiTaskStatistics } from './statistics.js';

/**
 * The sufficient statistics of in-memory data: kind `'shared'` for a shared design without missing
 * responses, else `'tasks'` (data built from statistics returns its own).
 * @param data - the data (not modified)
 * @param options - task labels and feature names to carry
 * @returns the statistics (G_t, X_tᵀy_t, y_tᵀy_t, n_t and the column sums)
 * @example
 * ```ts
 * const stats = statisticsOf(MultiTaskData.fromShared(X, Y));
 * ```
 * @see {@link accumulateStatistics}
 */
export function statisticsOf(data: MultiTaskData, options: CreateStatisticsOptions = {}): MultiTaskStatistics {
  if (data.statistics !== null) return data.statistics;
  if (data.kind === 'shared') {
    const s = createStatistics(data.d, data.T, data.hasMissing ? 'tasks' : 'shared', options);
    return accumulateStatistics(s, { X: data.X!, Y: data.Y! });
  }
  const s = createStatistics(data.d, data.T, 'tasks', options);
  for (let t = 0; t < data.T; t++) {
    const v = data.tasks[t]!;
    accumulateStatistics(s, { X: v.X, y: v.y, task: new Int32Array(v.n).fill(t) });
  }
  return s;
}

function label(s: MultiTaskStatistics, t: number): string {
  const l = s.taskLabels[t];
  return l !== undefined && l !== String(t) ? `task ${t} ("${l}")` : `task ${t}`;
}

function expectLength(a: unknown, len: number, name: string): void {
  if (!(a instanceof Float64Array)) throw new TypeError(`${name}: expected a Float64Array, got ${a === null ? 'null' : typeof a}`);
  if (a.length !== len) throw new RangeError(`${name}: expected ${len} entries, got ${a.length}`);
  for (let i = 0; i < len; i++) {
    if (!Number.isFinite(a[i]!)) throw new RangeError(`${name}: entry ${i} is ${a[i]}; expected finite numbers`);
  }
}

/**
 * Checks statistics built outside this package before a fit uses them: shapes, finite values,
 * integer counts n_t ≥ 1, symmetric Gram matrices, and the inequalities every set of real rows
 * satisfies (relative slack 1e-9):
 * - G_jj ≥ (1ᵀx_j)²/n_t (a column's centred sum of squares is ≥ 0), likewise y_tᵀy_t ≥ (1ᵀy_t)²/n_t;
 * - (x_jᵀy_t)² ≤ G_jj · y_tᵀy_t (Cauchy–Schwarz: y_tᵀy_t is large enough for a least-squares problem).
 * @param s - the statistics
 * @returns `s`
 * @throws TypeError / RangeError naming the field, the task (by label) and what was expected
 * @example
 * ```ts
 * checkStatistics(statsFromSql);
 * ```
 * @see {@link statisticsOf}
 */
export function checkStatistics(s: MultiTaskStatistics): MultiTaskStatistics {
  if (typeof s !== 'object' || s === null) throw new TypeError('statistics: expected an object (see createStatistics)');
  if (s.kind !== 'tasks' && s.kind !== 'shared') throw new TypeError(`statistics.kind: expected 'tasks' or 'shared', got ${String(s.kind)}`);
  const { d, T } = s;
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`statistics.d: expected an integer ≥ 1, got ${d}`);
  if (!Number.isInteger(T) || T < 1) throw new RangeError(`statistics.T: expected an integer ≥ 1, got ${T}`);
  const blocks = s.kind === 'tasks' ? T : 1;
  expectLength(s.G, blocks * d * d, 'statistics.G');
  expectLength(s.C, d * T, 'statistics.C');
  expectLength(s.yy, T, 'statistics.yy');
  expectLength(s.xSum, blocks * d, 'statistics.xSum');
  expectLength(s.ySum, T, 'statistics.ySum');
  expectLength(s.n, T, 'statistics.n');
  if (!Array.isArray(s.taskLabels) || s.taskLabels.length !== T) throw new RangeError(`statistics.taskLabels: expected ${T} labels`);
  if (!Array.isArray(s.featureNames) || s.featureNames.length !== d) throw new RangeError(`statistics.featureNames: expected ${d} names`);
  const slack = 1e-9;
  const dd = d * d;
  for (let t = 0; t < T; t++) {
    const n = s.n[t]!;
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`statistics.n: ${label(s, t)} has n_t = ${n}; expected an integer ≥ 1`);
  }
  for (let b = 0; b < blocks; b++) {
    const o = b * dd;
    const n = s.kind === 'tasks' ? s.n[b]! : s.n[0]!;
    const who = s.kind === 'tasks' ? label(s, b) : 'the shared design';
    for (let i = 0; i < d; i++) {
      const gii = s.G[o + i * d + i]!;
      const mean2 = (s.xSum[b * d + i]! * s.xSum[b * d + i]!) / n;
      if (gii < mean2 * (1 - slack) - 1e-300) {
        throw new RangeError(`statistics.G: ${who}, feature ${i + 1} ("${s.featureNames[i]}") has xᵀx = ${gii} < (1ᵀx)²/n = ${mean2}; not the statistics of real rows`);
      }
      for (let j = i + 1; j < d; j++) {
        const a = s.G[o + i * d + j]!, c = s.G[o + j * d + i]!;
        if (Math.abs(a - c) > slack * Math.max(Math.abs(a), Math.abs(c), Math.sqrt(gii * s.G[o + j * d + j]!))) {
          throw new RangeError(`statistics.G: ${who} is not symmetric at (${i}, ${j}): ${a} against ${c}`);
        }
      }
    }
  }
  for (let t = 0; t < T; t++) {
    const yy = s.yy[t]!, n = s.n[t]!;
    const ybar2 = (s.ySum[t]! * s.ySum[t]!) / n;
    if (yy < ybar2 * (1 - slack) - 1e-300) throw new RangeError(`statistics.yy: ${label(s, t)} has yᵀy = ${yy} < (1ᵀy)²/n = ${ybar2}`);
    const o = (s.kind === 'tasks' ? t : 0) * dd;
    for (let j = 0; j < d; j++) {
      const c = s.C[j * T + t]!;
      const bound = s.G[o + j * d + j]! * yy;
      if (c * c > bound * (1 + slack) + 1e-300) {
        throw new RangeError(`statistics.yy: ${label(s, t)} has (x_jᵀy)² = ${c * c} > x_jᵀx_j · yᵀy = ${bound} for feature ${j + 1}; yᵀy is too small for these X_tᵀy_t`);
      }
    }
  }
  return s;
}

/**
 * A deep copy of statistics (the data object owns its arrays).
 * @param s - statistics
 * @returns the copy
 * @example
 * ```ts
 * const mine = copyStatistics(stats);
 * ```
 * @see {@link MultiTaskStatistics}
 */
export function copyStatistics(s: MultiTaskStatistics): MultiTaskStatistics {
  return {
    kind: s.kind, d: s.d, T: s.T, G: s.G.slice(), C: s.C.slice(), yy: s.yy.slice(), xSum: s.xSum.slice(), ySum: s.ySum.slice(),
    n: s.n.slice(), taskLabels: [...s.taskLabels], featureNames: [...s.featureNames],
  };
}

/**
 * The error for row access on data given by its statistics.
 * @param what - what was asked for (`X`, `tasks`, a solver's residuals, …)
 * @returns a TypeError naming it
 * @example
 * ```ts
 * throw rowsNeeded('residuals');
 * ```
 * @see {@link MultiTaskData.fromStatistics}
 */
export function rowsNeeded(what: string): TypeError {
  return new TypeError(
    `data: built from sufficient statistics (MultiTaskData.fromStatistics), it has no rows, but this needs them (${what}). ` +
    "Fit from the rows (MultiTaskData.fromTasks / fromShared / fromLong), or use a model and solver that work from statistics (README, 'Data larger than memory').",
  );
}

/**
 * A stand-in for row data that statistics do not have: any access throws {@link rowsNeeded}, so code
 * that reaches for rows fails with that message instead of reading an empty array.
 * @param target - the empty array of the right type
 * @param what - what the rows are, for the message
 * @returns a proxy of `target` that throws on every property access
 * @example
 * ```ts
 * this.Xs = noRows<Float64Array[]>([], 'QuadraticLoss.Xs');
 * ```
 * @see {@link rowsNeeded}
 */
export function noRows<A extends object>(target: A, what: string): A {
  return new Proxy(target, { get: () => { throw rowsNeeded(what); } });
}
