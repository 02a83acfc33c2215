/**
 * Validation helpers of {@link MultiTaskData} (labels, options, finiteness).
 *
 * @packageDocumentation
 */

/** The arrays {@link MultiTaskData.wrap} uses as they are. */
export type WrapParts =
  | { readonly kind: 'shared'; readonly d: number; readonly T: number; readonly n: number; readonly X: Float64Array; readonly Y: Float64Array; readonly labels?: readonly string[] | null }
  | {
    readonly kind: 'tasks'; readonly d: number; readonly T: number;
    readonly tasks: readonly { readonly X: Float64Array; readonly y: Float64Array; readonly n: number }[]; readonly labels?: readonly string[] | null;
  };

/** Options common to the constructors of {@link MultiTaskData}. */
export interface DataOptions {
  /** Task labels (one per task, distinct), used in messages and kept by folds and subsets. @default null (tasks named by index) */
  labels?: readonly (string | number)[] | null;
}

export function checkLabels(labels: readonly (string | number)[] | null | undefined, T: number): readonly string[] | null {
  if (labels === undefined || labels === null) return null;
  if (!Array.isArray(labels)) throw new TypeError(`labels: expected an array of ${T} task labels (strings or numbers) or null`);
  if (labels.length !== T) throw new RangeError(`labels: expected ${T} labels (one per task), got ${labels.length}`);
  const out = labels.map((l, t) => {
    if (typeof l !== 'string' && typeof l !== 'number') throw new TypeError(`labels: entry ${t} is ${typeof l}; expected a string or a number`);
    return String(l);
  });
  const seen = new Set<string>();
  for (const l of out) {
    if (seen.has(l)) throw new RangeError(`labels: the label ${JSON.stringify(l)} appears twice; expected distinct task labels`);
    seen.add(l);
  }
  return Object.freeze(out);
}

export function checkDataOptions(options: DataOptions): DataOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected an object { labels }');
  for (const key of Object.keys(options)) {
    if (key !== 'labels') throw new RangeError(`options: unknown data option '${key}'${key.toLowerCase().startsWith('label') ? ' (did you mean labels?)' : ''}; expected labels`);
  }
  return options;
}

export function checkFinite(data: Float64Array, rows: number, cols: number, what: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) {
      const r = Math.floor(i / cols);
      const c = i - r * cols;
      throw new RangeError(`${what}: entry (${r}, ${c}) is ${v}; expected finite numbers (${rows}×${cols} matrix)`);
    }
  }
}

