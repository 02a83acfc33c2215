/**
 * Large work arrays that solvers derive from one data object and cache with it (the feature-major
 * column copy of a shared design, the residuals and column panel of coordinate descent), released at
 * once when their user knows the data object is done with — a cross-validation fold's training data
 * at the end of the fold — instead of when the garbage collector finds them (issue #13: serial folds
 * would otherwise each add a copy before the previous one is collected).
 *
 * Internal: a released data object must not be fitted again (its cached states would read freed
 * memory), so only code that owns a data object for its whole life (`runFold`) calls
 * {@link releaseScratch}.
 *
 * @packageDocumentation
 */
import type { MultiTaskData } from './MultiTaskData.js';

const held = new WeakMap<MultiTaskData, (() => void)[]>();

/**
 * Registers `free` to run when {@link releaseScratch} is called on `data` (e.g. `() => freeF64(cols)`).
 * @param data - the data object the work arrays were derived from
 * @param free - releases them
 * @example
 * ```ts
 * onReleaseScratch(loss.data, () => freeF64(columns));
 * ```
 * @see {@link releaseScratch}
 */
export function onReleaseScratch(data: MultiTaskData, free: () => void): void {
  const list = held.get(data);
  if (list === undefined) held.set(data, [free]);
  else list.push(free);
}

/**
 * Runs (once) everything registered for `data` by {@link onReleaseScratch}; afterwards `data` must not
 * be fitted again.
 * @param data - a data object whose user is done with it
 * @example
 * ```ts
 * try { fitAlongGrid(train); } finally { releaseScratch(train); }
 * ```
 * @see {@link onReleaseScratch}
 */
export function releaseScratch(data: MultiTaskData): void {
  const list = held.get(data);
  if (list === undefined) return;
  held.delete(data);
  for (const free of list) free();
}
