/**
 * Statistics of long data (task, y, x1 … xd) whose tasks are discovered as rows arrive: the
 * accumulator behind the streaming CSV reader. Memory is O(T·d²), independent of the number of rows.
 *
 * @packageDocumentation
 */
import { addTaskRows, createStatistics, groupRowsByTask, type MultiTaskStatistics } from './statistics.js';

/**
 * The order of task labels used everywhere in mtlearn for long data (the CLI's rule): numeric order
 * when every label is a number, else the order given (first appearance).
 * @param labels - distinct labels in order of first appearance
 * @returns the ordered labels (a new array)
 * @example
 * ```ts
 * orderLabels(['10', '2', '1']); // ['1', '2', '10']
 * ```
 * @see {@link StatisticsBuilder}
 */
export function orderLabels(labels: readonly string[]): string[] {
  const numeric = labels.every((l) => l !== '' && Number.isFinite(Number(l)));
  if (!numeric) return [...labels];
  // stable: equal numbers written differently ("1" and "1.0") keep their first-appearance order
  return labels.map((l, i) => ({ l, v: Number(l), i })).sort((a, b) => a.v - b.v || a.i - b.i).map((e) => e.l);
}

/**
 * Accumulates statistics of long rows, adding a task the first time its label appears.
 *
 * @example
 * ```ts
 * const b = new StatisticsBuilder(2);
 * b.add(new Float64Array([1, 0, 0, 1]), new Float64Array([3, 4]), ['north', 'south']);
 * const stats = b.finish(); // T = 2, labels ['north', 'south']
 * ```
 * @see {@link accumulateStatistics}
 */
export class StatisticsBuilder {
  /** Number of features d. */
  readonly d: number;
  private readonly featureNames: readonly string[] | undefined;
  private readonly index = new Map<string, number>();
  private readonly labels: string[] = [];
  private readonly G: Float64Array[] = [];
  private readonly c: Float64Array[] = [];
  private readonly xSum: Float64Array[] = [];
  private ySum: number[] = [];
  private yy: number[] = [];
  private n: number[] = [];
  /** Rows added so far. */
  rows = 0;

  /**
   * @param d - number of features
   * @param featureNames - names of the d features (carried into the statistics)
   */
  constructor(d: number, featureNames?: readonly string[]) {
    if (!Number.isInteger(d) || d < 1) throw new RangeError(`d: expected an integer ≥ 1, got ${d}`);
    if (featureNames !== undefined && featureNames.length !== d) throw new RangeError(`featureNames: expected ${d} names, got ${featureNames.length}`);
    this.d = d;
    this.featureNames = featureNames;
  }

  /** Number of tasks seen so far. */
  get taskCount(): number {
    return this.labels.length;
  }

  /**
   * The task labels seen so far, in order of first appearance.
   * @returns a copy
   */
  labelsSeen(): string[] {
    return [...this.labels];
  }

  /** Task index of a label, creating the task when new. */
  taskIndex(label: string): number {
    let t = this.index.get(label);
    if (t === undefined) {
      t = this.labels.length;
      this.index.set(label, t);
      this.labels.push(label);
      const d = this.d;
      this.G.push(new Float64Array(d * d));
      this.c.push(new Float64Array(d));
      this.xSum.push(new Float64Array(d));
      this.ySum.push(0); this.yy.push(0); this.n.push(0);
    }
    return t;
  }

  /**
   * Adds m rows.
   * @param X - m×d design rows, row-major (finite)
   * @param y - m responses (finite)
   * @param tasks - the m rows' task labels, or their indices from {@link StatisticsBuilder.taskIndex}
   * @returns this builder
   */
  add(X: Float64Array, y: Float64Array, tasks: readonly string[] | Int32Array): this {
    const d = this.d;
    const m = y.length;
    if (X.length !== m * d) throw new RangeError(`X: expected ${m}×${d} entries, got ${X.length}`);
    const task = tasks instanceof Int32Array ? tasks : Int32Array.from(tasks, (l) => this.taskIndex(l));
    if (task.length !== m) throw new RangeError(`tasks: expected ${m} entries, got ${task.length}`);
    const T = this.labels.length;
    const g = groupRowsByTask(d, T, m, X, y, task);
    for (let t = 0; t < T; t++) {
      const k = g.start[t + 1]! - g.start[t]!;
      if (k === 0) continue;
      const s = addTaskRows(d, k, g.X.subarray(g.start[t]! * d, g.start[t + 1]! * d), g.y.subarray(g.start[t]!, g.start[t + 1]!),
        this.G[t]!, 0, this.c[t]!, this.xSum[t]!, 0);
      this.ySum[t] += s.ySum; this.yy[t] += s.yy; this.n[t] += k;
    }
    this.rows += m;
    return this;
  }

  /**
   * The statistics of every row added, tasks ordered by {@link orderLabels} unless an order is given.
   * @param order - task labels in the wanted order (must be exactly the labels seen)
   * @returns statistics of kind `'tasks'`
   * @throws RangeError when no row was added or `order` does not list the labels seen
   */
  finish(order?: readonly string[]): MultiTaskStatistics {
    if (this.labels.length === 0) throw new RangeError('statistics: no rows were added');
    const labels = order === undefined ? orderLabels(this.labels) : [...order];
    if (labels.length !== this.labels.length || labels.some((l) => !this.index.has(l))) {
      throw new RangeError(`order: expected the ${this.labels.length} task labels seen (${this.labels.slice(0, 5).join(', ')}${this.labels.length > 5 ? ', …' : ''})`);
    }
    const d = this.d, T = labels.length;
    const s = createStatistics(d, T, 'tasks', { taskLabels: labels, featureNames: this.featureNames });
    for (let t = 0; t < T; t++) {
      const src = this.index.get(labels[t]!)!;
      s.G.set(this.G[src]!, t * d * d);
      s.xSum.set(this.xSum[src]!, t * d);
      for (let j = 0; j < d; j++) s.C[j * T + t] = this.c[src]![j]!;
      s.ySum[t] = this.ySum[src]!; s.yy[t] = this.yy[src]!; s.n[t] = this.n[src]!;
    }
    return s;
  }
}
