/**
 * Child process of the crossValidate worker-failure tests: runs one failing scenario with two
 * workers, prints `{ name, message, ms }` of the rejection as JSON and returns. The parent checks
 * that this process then exits by itself (no live worker keeps it running).
 */
import { crossValidate } from '../../src/selection/crossValidate.js';
import { groupLasso } from '../../src/models/groupLasso.js';
import { MultiTaskData } from '../../src/data/MultiTaskData.js';
import { failingModel } from './cvTestModel.js';

const scenario = process.argv[2];
// 41 rows, 2 folds: fold 0 tests 21 rows (trains on 20), fold 1 trains on 21; worker k runs fold k
const n = 41;
const X: number[][] = [], Y: number[][] = [];
for (let i = 0; i < n; i++) {
  X.push([Math.sin(i), Math.cos(3 * i), (i % 5) - 2]);
  Y.push([X[i]![0]! - X[i]![2]!, 2 * X[i]![1]! + 0.1 * Math.sin(7 * i)]);
}
const data = MultiTaskData.fromShared(X, Y);
const t0 = Date.now();
let run: Promise<unknown>;
if (scenario === 'uncloneable') {
  run = crossValidate(data, groupLasso, { folds: 2, workers: 2, grid: [0.1, 0.01] }, { tol: (() => 1e-6) as never });
} else {
  const mode = scenario === 'exit' ? 'exit' : 'throw';
  run = crossValidate(data, failingModel, { folds: 2, workers: 2, grid: [0.1] }, { failRows: 20, mode, spinSeconds: 120 });
}
run.then(
  () => { process.stdout.write(JSON.stringify({ name: 'none', message: 'resolved', ms: Date.now() - t0 })); },
  (e: Error) => { process.stdout.write(JSON.stringify({ name: e.name, type: e.constructor.name, message: e.message, ms: Date.now() - t0 })); },
);
