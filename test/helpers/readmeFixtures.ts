/**
 * The variables a README fragment (a ```ts block marked `<!-- readme-test: fragment -->`) may use
 * without defining them: a seeded shared-design problem `data` (n = 60 rows, d = 5 features, T = 3
 * tasks, 2 true rows), its test set `testData`, a group-lasso `fit` at 0.1·λ_max, new rows `Xnew` and a task `graph`.
 */
import { groupLasso, groupLassoLambdaMax } from '../../src/index.js';
import { sharedProblem } from './random.js';

export const data = sharedProblem(60, 5, 3, 2, 41, 0.5).data;
export const testData = sharedProblem(30, 5, 3, 2, 42, 0.5).data;
export const fit = groupLasso(data, { lambda: 0.1 * groupLassoLambdaMax(data, { q: 2 }) });
export const Xnew = [[1, 0, 0.5, -1, 2], [0, 1, 1, 0, -0.5]];
/** A task graph over the three tasks (a chain), for graph-regularized examples. */
export const graph = { edges: [[0, 1], [1, 2]] as [number, number][] };
