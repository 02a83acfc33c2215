/**
 * The folds of per-task K-fold cross-validation: drawn within each task, so every task is trained
 * and tested in every fold (as in MALSAR — J. Zhou, J. Chen & J. Ye, "MALSAR: Multi-tAsk Learning
 * via StructurAl Regularization", 2011 — and RMTL — H. Cao, J. Zhou & E. Schwarz, "RMTL: an R
 * library for multi-task learning", Bioinformatics 35, 2019).
 *
 * @packageDocumentation
 */
import { MultiTaskData } from '../data/MultiTaskData.js';
import { mulberry32 } from '../util/random.js';

/** The seeded uniform stream of the folds (mulberry32, shared with the rest of the library). */
const prng = mulberry32;

/** Fisher–Yates shuffle of idx in place. */
function shuffle(idx: Int32Array, rand: () => number): void {
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = tmp;
  }
}

/**
 * Draws the folds within each task: task t's observed rows are shuffled (seeded) and dealt to the K
 * folds in turn, so every task has ⌊n_t/K⌋ or ⌈n_t/K⌉ responses in every fold. For a shared design
 * without missing responses the rows are split jointly (the same fold for all tasks, which keeps
 * every task in every fold and the unmasked shared layout); with missing responses each task's
 * observed rows are split separately.
 *
 * @param data - the data
 * @param folds - K ≥ 2
 * @param seed - integer seed
 * @returns per task, the fold of each row (−1 for a missing response of a shared design)
 * @throws RangeError when a task has fewer than K observed responses, or K/seed are invalid
 * @example
 * ```ts
 * const assignment = makeFolds(data, 5, 0);
 * assignment[2][7]; // fold of task 2's row 7
 * ```
 * @see {@link crossValidate}
 */
export function makeFolds(data: MultiTaskData, folds: number, seed: number): Int32Array[] {
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds: expected an integer ≥ 2, got ${folds}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed: expected an integer, got ${seed}`);
  const { T } = data;
  for (let t = 0; t < T; t++) {
    if (data.taskSizes[t]! < folds) {
      throw new RangeError(`folds: ${data.taskName(t)} has ${data.taskSizes[t]} observed responses; expected at least folds = ${folds} so that it appears in every fold`);
    }
  }
  const rand = prng(seed);
  const out: Int32Array[] = [];
  if (data.kind === 'shared' && !data.hasMissing) {
    const idx = Int32Array.from({ length: data.n }, (_, i) => i);
    shuffle(idx, rand);
    const f = new Int32Array(data.n);
    for (let r = 0; r < idx.length; r++) f[idx[r]!] = r % folds;
    for (let t = 0; t < T; t++) out.push(Int32Array.from(f));
    return out;
  }
  for (let t = 0; t < T; t++) {
    let rows: Int32Array;
    let len: number;
    if (data.kind === 'shared') {
      len = data.n;
      rows = new Int32Array(data.taskSizes[t]!);
      let m = 0;
      for (let i = 0; i < data.n; i++) if (!Number.isNaN(data.Y![i * T + t]!)) rows[m++] = i;
    } else {
      len = data.tasks[t]!.n;
      rows = Int32Array.from({ length: len }, (_, i) => i);
    }
    shuffle(rows, rand);
    const f = new Int32Array(len).fill(-1);
    for (let r = 0; r < rows.length; r++) f[rows[r]!] = r % folds;
    out.push(f);
  }
  return out;
}

/**
 * The training and test data of fold k, sharing the data's designs instead of copying them: per-task
 * data and a shared design without missing responses give row subsets ({@link MultiTaskData.selectTaskRows},
 * {@link MultiTaskData.selectRows}); with missing responses the held-out (row, task) entries of a shared
 * design are NaN (missing) in a copy of Y.
 * @param data - full data
 * @param assignment - from {@link makeFolds}
 * @param k - fold index
 * @returns `{ train, test }`
 * @example
 * ```ts
 * const { train, test } = foldData(data, makeFolds(data, 5, 0), 0);
 * ```
 * @see {@link makeFolds}
 */
export function foldData(data: MultiTaskData, assignment: readonly Int32Array[], k: number): { train: MultiTaskData; test: MultiTaskData } {
  const { d, T } = data;
  if (data.kind === 'tasks') {
    // per task, row subsets sharing the data's designs: a fold (and every worker running one) copies
    // no X_t, only its responses (issue #13)
    const train: Int32Array[] = [], test: Int32Array[] = [];
    for (let t = 0; t < T; t++) {
      const n = data.taskSizes[t]!, f = assignment[t]!;
      let nTest = 0;
      for (let i = 0; i < n; i++) if (f[i] === k) nTest++;
      const a = new Int32Array(n - nTest), b = new Int32Array(nTest);
      let p = 0, q = 0;
      for (let i = 0; i < n; i++) {
        if (f[i] === k) b[q++] = i;
        else a[p++] = i;
      }
      train.push(a);
      test.push(b);
    }
    return { train: data.selectTaskRows(train), test: data.selectTaskRows(test) };
  }
  const n = data.n, Y = data.Y!;
  if (!data.hasMissing) {
    // joint row split: both parts are row subsets sharing the data's X, so a fold (and every worker
    // thread running one) adds no copy of the design, only the fold's responses (issue #13)
    const f = assignment[0]!;
    let nTest = 0;
    for (let i = 0; i < n; i++) if (f[i] === k) nTest++;
    const trainRows = new Int32Array(n - nTest), testRows = new Int32Array(nTest);
    let a = 0, b = 0;
    for (let i = 0; i < n; i++) {
      if (f[i] === k) testRows[b++] = i;
      else trainRows[a++] = i;
    }
    return { train: data.selectRows(trainRows), test: data.selectRows(testRows) };
  }
  // per-task split of the observed rows: mask the responses (Y copies; X itself is shared, not copied)
  const Ya = new Float64Array(n * T), Yb = new Float64Array(n * T);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < T; t++) {
      const v = Y[i * T + t]!, f = assignment[t]![i]!;
      Ya[i * T + t] = f === k || f < 0 ? NaN : v;
      Yb[i * T + t] = f === k ? v : NaN;
    }
  }
  const X = data.X!, labels = data.taskLabels;
  return {
    train: MultiTaskData.wrap({ kind: 'shared', d, T, n, X, Y: Ya, labels }),
    test: MultiTaskData.wrap({ kind: 'shared', d, T, n, X, Y: Yb, labels }),
  };
}
