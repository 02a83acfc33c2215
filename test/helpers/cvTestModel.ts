/**
 * A model for the crossValidate worker-failure tests, registered in the model table with this
 * module's URL so that worker threads import it: on a training set of `failRows` rows it fails
 * (`mode: 'throw'` throws a RangeError, `'exit'` ends its worker thread), on any other it spins for
 * `spinSeconds` (a sibling that only terminate() can stop), then fits the group lasso.
 */
import { defineModel, optionKeys, registerModel } from '../../src/models/table.js';
import { groupLasso, type GroupLassoFit } from '../../src/models/groupLasso.js';
import type { MultiTaskData } from '../../src/data/MultiTaskData.js';

export interface FailingOptions {
  lambda: number;
  failRows: number;
  mode: 'throw' | 'exit';
  spinSeconds?: number;
}

export function failingModel(data: MultiTaskData, o: FailingOptions): GroupLassoFit {
  if (data.n === o.failRows) {
    if (o.mode === 'exit') process.exit(7);
    throw new RangeError(`failRows: this fold has ${data.n} training rows`);
  }
  const end = Date.now() + 1000 * (o.spinSeconds ?? 0);
  while (Date.now() < end) { /* spin */ }
  return groupLasso(data, { lambda: o.lambda });
}

registerModel(defineModel<FailingOptions, GroupLassoFit>({
  name: 'failingModelForTests', cliName: null, summary: 'test model', fit: failingModel, pathParam: 'lambda',
  optionKeys: optionKeys<FailingOptions>({ lambda: true, failRows: true, mode: true, spinSeconds: true }),
  warmStart: false, taskWeights: false, module: import.meta.url,
}));
