/**
 * The long layout of multi-task data — one row per observation with its task label, response and
 * features, as in the command line's CSV `task,y,x1,…,xd` — grouped into per-task arrays.
 *
 * @packageDocumentation
 */

/** A column of a long row: a property name for rows of objects, an index for rows of arrays. */
export type LongColumn = string | number;

/** Options of `MultiTaskData.fromLong`. */
export interface LongOptions {
  /** The column holding the task label (strings or numbers). Required. */
  task: LongColumn;
  /** The column holding the response. Required. */
  y: LongColumn;
  /**
   * The feature columns, in order.
   * @default every other column (for rows of objects: the keys of the first row in their order; for rows of arrays: the remaining indices)
   */
  features?: readonly LongColumn[] | null;
}

/** Per-task arrays grouped from long rows. */
export interface LongGroups {
  /** Features d. */
  readonly d: number;
  /** Task labels, in task order. */
  readonly labels: string[];
  /** Per task: X_t (n_t×d, row-major), y_t and n_t. */
  readonly tasks: { X: Float64Array; y: Float64Array; n: number }[];
  /** The feature columns used. */
  readonly features: LongColumn[];
}

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function cell(row: unknown, c: LongColumn): unknown {
  if (Array.isArray(row)) return typeof c === 'number' ? row[c] : undefined;
  return (row as Record<string, unknown>)[String(c)];
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && NUMERIC.test(v.trim())) return Number(v.trim());
  return NaN;
}

/**
 * Groups long rows by task. Task order: ascending when every label is a number, else the order of
 * first appearance (the command line's rule); a label's identity is `String(label)`. Values must be
 * finite numbers or decimal strings (`'1.5'`, `'-2e3'`; not `'0x10'`, `''`, `null`).
 * @param rows - rows of objects (`{ school: 'north', score: 3, x1: … }`) or of arrays (`['north', 3, …]`)
 * @param options - which columns hold the task, the response and the features
 * @returns the per-task arrays and labels
 * @throws TypeError when `rows` is not an array of objects/arrays or a column name has the wrong type
 * @throws RangeError naming the row, column and task on a missing or non-numeric value, or when there are no rows
 * @example
 * ```ts
 * groupLong([{ g: 'a', y: 1, x: 2 }, { g: 'b', y: 0, x: 1 }], { task: 'g', y: 'y' }).labels; // ['a', 'b']
 * ```
 * @see {@link LongOptions}
 */
export function groupLong(rows: readonly unknown[], options: LongOptions): LongGroups {
  if (!Array.isArray(rows)) throw new TypeError('rows: expected an array of rows (objects or arrays)');
  if (rows.length === 0) throw new RangeError('rows: expected at least one row, got 0');
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected { task, y, features? }');
  for (const key of Object.keys(options)) {
    if (key !== 'task' && key !== 'y' && key !== 'features') {
      throw new RangeError(`options: unknown option '${key}'${key.startsWith('feat') ? ' (did you mean features?)' : ''}; expected task, y, features`);
    }
  }
  const first = rows[0];
  const arrays = Array.isArray(first);
  if (first === null || typeof first !== 'object') throw new TypeError(`rows[0]: expected an object or an array, got ${first === null ? 'null' : typeof first}`);
  const checkColumn = (c: unknown, name: string): LongColumn => {
    if (arrays ? !(typeof c === 'number' && Number.isInteger(c) && c >= 0) : typeof c !== 'string') {
      throw new TypeError(`${name}: expected ${arrays ? 'a column index (integer ≥ 0) for rows of arrays' : 'a property name (string) for rows of objects'}, got ${JSON.stringify(c)}`);
    }
    return c as LongColumn;
  };
  const taskCol = checkColumn(options.task, 'task');
  const yCol = checkColumn(options.y, 'y');
  let features: LongColumn[];
  if (options.features === undefined || options.features === null) {
    const all: LongColumn[] = arrays ? Array.from({ length: (first as unknown[]).length }, (_, i) => i) : Object.keys(first);
    features = all.filter((c) => c !== taskCol && c !== yCol);
  } else {
    if (!Array.isArray(options.features)) throw new TypeError('features: expected an array of columns');
    features = options.features.map((c, i) => checkColumn(c, `features[${i}]`));
  }
  if (features.length === 0) throw new RangeError('features: no feature columns (expected d ≥ 1)');
  const d = features.length;
  // pass 1: task of every row
  const index = new Map<string, number>();
  const labels: string[] = [];
  const raw: (string | number)[] = [];
  const taskOf = new Int32Array(rows.length);
  let allNumbers = true;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row === null || typeof row !== 'object' || Array.isArray(row) !== arrays) {
      throw new TypeError(`rows[${i}]: expected ${arrays ? 'an array' : 'an object'} like rows[0]`);
    }
    const v = cell(row, taskCol);
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) {
      throw new RangeError(`rows[${i}].${String(taskCol)}: the task label is ${JSON.stringify(v)}; expected a string or a finite number`);
    }
    if (typeof v !== 'number') allNumbers = false;
    const key = String(v);
    let t = index.get(key);
    if (t === undefined) { t = labels.length; index.set(key, t); labels.push(key); raw.push(v); }
    taskOf[i] = t;
  }
  // task order: numeric when every label is a number, else first appearance
  const T = labels.length;
  const order = Array.from({ length: T }, (_, t) => t);
  if (allNumbers) order.sort((a, b) => (raw[a] as number) - (raw[b] as number));
  const rank = new Int32Array(T);
  order.forEach((t, r) => { rank[t] = r; });
  const counts = new Int32Array(T);
  for (let i = 0; i < rows.length; i++) counts[rank[taskOf[i]!]!]!++;
  const tasks = Array.from({ length: T }, (_, r) => ({ X: new Float64Array(counts[r]! * d), y: new Float64Array(counts[r]!), n: counts[r]! }));
  const fill = new Int32Array(T);
  // pass 2: X_t[r, :] = features of row i, y_t[r] = response of row i
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const t = rank[taskOf[i]!]!, r = fill[t]!++;
    const task = tasks[t]!;
    const label = labels[order[t]!]!;
    const yv = toNumber(cell(row, yCol));
    if (!Number.isFinite(yv)) {
      throw new RangeError(`rows[${i}].${String(yCol)} (task ${JSON.stringify(label)}): the response is ${JSON.stringify(cell(row, yCol))}; expected a finite number`);
    }
    task.y[r] = yv;
    const o = r * d;
    for (let j = 0; j < d; j++) {
      const v = toNumber(cell(row, features[j]!));
      if (!Number.isFinite(v)) {
        throw new RangeError(`rows[${i}].${String(features[j])} (task ${JSON.stringify(label)}): the feature is ${JSON.stringify(cell(row, features[j]!))}; expected a finite number`);
      }
      task.X[o + j] = v;
    }
  }
  return { d, labels: order.map((t) => labels[t]!), tasks, features };
}
