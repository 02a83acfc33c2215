/**
 * The sufficient statistics as one SQL query over a long table (task, y, x1 … xd), GROUP BY task, so
 * that an engine that already holds the data (DuckDB, PostgreSQL, Spark SQL, BigQuery, …) computes
 * them where the data live; {@link statisticsFromRows} turns the result rows into statistics.
 *
 * @packageDocumentation
 */
import { createStatistics, type MultiTaskStatistics } from './statistics.js';
import { orderLabels } from './statisticsBuilder.js';

/** The columns of the long table. */
export interface StatisticsColumns {
  /** The task column. */
  readonly task: string;
  /** The response column (rows where it is NULL are missing responses and are skipped). */
  readonly y: string;
  /** The d feature columns, in order. */
  readonly features: readonly string[];
}

/** Options of {@link statisticsSql}. */
export interface StatisticsSqlOptions {
  /** The table (or a parenthesised sub-query) to read. @default 'data' */
  readonly table?: string;
  /** The floating-point type for CAST (`'DOUBLE'` for Spark SQL, `'FLOAT64'` for BigQuery). @default 'DOUBLE PRECISION' */
  readonly doubleType?: string;
  /** Identifier quote: `'"'` (ANSI, DuckDB, PostgreSQL) or `` '`' `` (Spark SQL, BigQuery). @default '"' */
  readonly quote?: '"' | '`';
}

/**
 * The result column names of {@link statisticsSql} for d features: `task`, `n`, `sy`, `syy`, `nulls`,
 * `sx_j`, `sxy_j` (j = 1 … d) and `sxx_i_j` (1 ≤ i ≤ j ≤ d).
 * @param d - number of features
 * @returns the aliases in query order
 * @example
 * ```ts
 * statisticsColumnNames(2); // ['task','n','sy','syy','nulls','sx_1','sx_2','sxy_1','sxy_2','sxx_1_1','sxx_1_2','sxx_2_2']
 * ```
 * @see {@link statisticsSql}
 */
export function statisticsColumnNames(d: number): string[] {
  const out = ['task', 'n', 'sy', 'syy', 'nulls'];
  for (let j = 1; j <= d; j++) out.push(`sx_${j}`);
  for (let j = 1; j <= d; j++) out.push(`sxy_${j}`);
  for (let i = 1; i <= d; i++) for (let j = i; j <= d; j++) out.push(`sxx_${i}_${j}`);
  return out;
}

function checkColumns(columns: StatisticsColumns): void {
  if (typeof columns !== 'object' || columns === null) throw new TypeError('columns: expected { task, y, features }');
  for (const k of ['task', 'y'] as const) {
    if (typeof columns[k] !== 'string' || columns[k] === '') throw new TypeError(`columns.${k}: expected a column name, got ${String(columns[k])}`);
  }
  if (!Array.isArray(columns.features) || columns.features.length === 0 || columns.features.some((f) => typeof f !== 'string' || f === '')) {
    throw new TypeError('columns.features: expected a non-empty array of column names');
  }
}

/**
 * One ANSI SQL query computing, per task, n_t, 1ᵀy, yᵀy, 1ᵀx_j, x_jᵀy and the upper triangle of
 * X_tᵀX_t over the rows whose response is not NULL. Sums are taken in double precision. It has
 * 5 + 2d + d(d+1)/2 result columns (434 for School's 28 features): engines with a column limit
 * (BigQuery: 10,000) take d up to about 130; split the features into blocks beyond that.
 * `nulls` counts rows with a NULL feature, which the fit refuses (statistics would be inconsistent).
 * @param columns - the task, response and feature columns
 * @param options - table, floating-point type, identifier quote
 * @returns the SQL text
 * @throws TypeError on malformed column names
 * @example
 * ```ts
 * const sql = statisticsSql({ task: 'school', y: 'score', features: ['x1', 'x2'] }, { table: 'exams' });
 * // SELECT "school" AS task, COUNT(*) AS n, … FROM exams WHERE "score" IS NOT NULL GROUP BY "school"
 * ```
 * @see {@link statisticsFromRows}
 */
export function statisticsSql(columns: StatisticsColumns, options: StatisticsSqlOptions = {}): string {
  checkColumns(columns);
  const q = options.quote ?? '"';
  if (q !== '"' && q !== '`') throw new RangeError(`quote: expected '"' or '\`', got ${String(q)}`);
  const id = (name: string): string => q + name.split(q).join(q + q) + q;
  const dbl = options.doubleType ?? 'DOUBLE PRECISION';
  const table = options.table ?? 'data';
  const cast = (c: string): string => `CAST(${id(c)} AS ${dbl})`;
  const f = columns.features;
  const y = cast(columns.y);
  const parts = [`${id(columns.task)} AS task`, 'COUNT(*) AS n', `SUM(${y}) AS sy`, `SUM(${y} * ${y}) AS syy`];
  parts.push(`SUM(CASE WHEN ${f.map((c) => `${id(c)} IS NULL`).join(' OR ')} THEN 1 ELSE 0 END) AS nulls`);
  f.forEach((c, j) => parts.push(`SUM(${cast(c)}) AS sx_${j + 1}`));
  f.forEach((c, j) => parts.push(`SUM(${cast(c)} * ${y}) AS sxy_${j + 1}`));
  for (let i = 0; i < f.length; i++) {
    for (let j = i; j < f.length; j++) parts.push(`SUM(${cast(f[i]!)} * ${cast(f[j]!)}) AS sxx_${i + 1}_${j + 1}`);
  }
  return `SELECT\n  ${parts.join(',\n  ')}\nFROM ${table}\nWHERE ${id(columns.y)} IS NOT NULL\nGROUP BY ${id(columns.task)}`;
}

function num(row: Readonly<Record<string, unknown>>, key: string, label: string): number {
  const v = row[key];
  const x = typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : v;
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`rows: task "${label}", column ${key} is ${String(v)}; expected a finite number`);
  return x;
}

/**
 * Statistics from the result rows of {@link statisticsSql} (objects keyed by the aliases of
 * {@link statisticsColumnNames}; numbers, bigints or numeric strings). Tasks are ordered by the
 * package's rule for long data (numeric when every label is a number, else as the rows come)
 * unless `taskLabels` gives the order.
 * @param rows - one row per task
 * @param features - the feature names (their count is d)
 * @param taskLabels - optional task order (exactly the labels in `rows`)
 * @returns statistics of kind `'tasks'`
 * @throws RangeError on a missing column, a non-finite value, a row with NULL features, a repeated task
 * @example
 * ```ts
 * const stats = statisticsFromRows(await runQuery(statisticsSql(cols)), cols.features);
 * ```
 * @see {@link statisticsSql}
 */
export function statisticsFromRows(rows: readonly Readonly<Record<string, unknown>>[], features: readonly string[], taskLabels?: readonly string[]): MultiTaskStatistics {
  if (!Array.isArray(rows) || rows.length === 0) throw new RangeError('rows: expected at least one row (one per task)');
  const d = features.length;
  const byLabel = new Map<string, Readonly<Record<string, unknown>>>();
  for (const r of rows) {
    const label = String(r['task']);
    if (byLabel.has(label)) throw new RangeError(`rows: task "${label}" appears twice`);
    if (num(r, 'nulls', label) !== 0) throw new RangeError(`rows: task "${label}" has ${String(r['nulls'])} rows with a NULL feature; fill or drop them first`);
    byLabel.set(label, r);
  }
  const order = taskLabels === undefined ? orderLabels([...byLabel.keys()]) : [...taskLabels];
  if (order.length !== byLabel.size || order.some((l) => !byLabel.has(l))) throw new RangeError(`taskLabels: expected exactly the ${byLabel.size} tasks of the rows`);
  const T = order.length;
  const s = createStatistics(d, T, 'tasks', { taskLabels: order, featureNames: features });
  order.forEach((label, t) => {
    const r = byLabel.get(label)!;
    s.n[t] = num(r, 'n', label); s.ySum[t] = num(r, 'sy', label); s.yy[t] = num(r, 'syy', label);
    const G = t * d * d;
    for (let i = 0; i < d; i++) {
      s.xSum[t * d + i] = num(r, `sx_${i + 1}`, label);
      s.C[i * T + t] = num(r, `sxy_${i + 1}`, label);
      for (let j = i; j < d; j++) {
        const v = num(r, `sxx_${i + 1}_${j + 1}`, label);
        s.G[G + i * d + j] = v; s.G[G + j * d + i] = v;
      }
    }
  });
  return s;
}
