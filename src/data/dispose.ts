/**
 * Deterministic release of a data object's WebAssembly-memory blocks ({@link MultiTaskData.dispose}).
 *
 * The blocks behind a large design — the data object's own copy of X (and of a large Y), and what fits
 * derive from it and cache with it (the feature-major copy X̃ᵀ of coordinate descent, column panels,
 * row buffers) — otherwise go back to the kernels' allocator only when the garbage collector runs the
 * finalizers, which it does not do inside a synchronous loop. A loop over fresh data objects then takes
 * fresh pages for every object (page faults) and, once the memory is full, runs on the JavaScript
 * kernels (issue #11). `dispose()` frees them at once; the freed blocks serve the next data object.
 *
 * Ownership: a data object made by {@link MultiTaskData.fromShared} owns its copies of X and Y. Views
 * ({@link MultiTaskData.selectRows}, {@link MultiTaskData.selectTaskRows},
 * {@link MultiTaskData.withTaskLabels}) share their parent's arrays: disposing a view releases only its
 * own caches, and disposing the parent makes its views unusable too. {@link MultiTaskData.wrap} does not
 * own the caller's arrays (dispose leaves them alone).
 *
 * @packageDocumentation
 */
import type { MultiTaskData } from './MultiTaskData.js';
import { freeF64 } from '../linalg/wasm/matrix.js';
import { releaseScratch } from './scratch.js';

/** Data objects whose `dispose()` ran. */
const disposed = new WeakSet<MultiTaskData>();
/** Whether any data object was ever disposed: until then {@link checkLive} costs one read (the getters X and Y call it). */
let anyDisposed = false;
/** A view's parent (the object owning the arrays it shares). */
const parentOf = new WeakMap<MultiTaskData, MultiTaskData>();
/** The arrays a data object owns (its copies of the inputs). */
const ownedArrays = new WeakMap<MultiTaskData, readonly Float64Array[]>();

/**
 * Records that a new shared-design data object owns its X and Y (copies of the inputs, made by
 * {@link MultiTaskData.fromShared}): {@link disposeData} frees them (heap arrays are left to the GC).
 * @param data - a new shared-design data object (not a view)
 * @returns `data`
 * @example
 * ```ts
 * return owning(new MultiTaskData(sharedParts(X, Y, options)));
 * ```
 * @see {@link disposeData}
 */
export function owning(data: MultiTaskData): MultiTaskData {
  const { X, Y } = data.designView();
  ownedArrays.set(data, [X, Y]);
  return data;
}

/**
 * Records that `view` shares the arrays of `parent`, so that it becomes unusable with its parent.
 * @param parent - the data object the view was made from
 * @param view - the new view
 * @returns `view`
 * @example
 * ```ts
 * return viewOf(this, new MultiTaskData(rowSubsetParts(parts, rows, labels)));
 * ```
 * @see {@link checkLive}
 */
export function viewOf(parent: MultiTaskData, view: MultiTaskData): MultiTaskData {
  parentOf.set(view, parent);
  return view;
}

/**
 * Whether `data` or the object whose arrays it shares was disposed.
 * @param data - a data object
 * @returns true when it must not be used
 * @example
 * ```ts
 * isDisposed(data); // false until data.dispose()
 * ```
 * @see {@link checkLive}
 */
export function isDisposed(data: MultiTaskData): boolean {
  for (let x: MultiTaskData | undefined = data; x !== undefined; x = parentOf.get(x)) if (disposed.has(x)) return true;
  return false;
}

/**
 * Throws when `data` was disposed (its arrays may have been freed and reused).
 * @param data - a data object
 * @param use - what was asked of it, for the message (e.g. `'X'`, `'a fit'`)
 * @returns `data`
 * @throws Error naming the use when `data` (or the data object it is a view of) was disposed
 * @example
 * ```ts
 * checkLive(data, 'designView'); // data, or an Error after data.dispose()
 * ```
 * @see {@link disposeData}
 */
export function checkLive(data: MultiTaskData, use: string): MultiTaskData {
  if (anyDisposed && isDisposed(data)) {
    const self = disposed.has(data);
    throw new Error(`data: ${use} on a MultiTaskData that was disposed${self ? '' : ' (it is a view of a disposed data object)'}; `
      + 'its arrays were freed by dispose(): make a new data object to fit again');
  }
  return data;
}

/**
 * The body of {@link MultiTaskData.dispose}: releases what fits cached with `data` (everything
 * registered by `onReleaseScratch`: the feature-major copy of X, column panels, a model's cached state),
 * frees the arrays `data` owns, and marks it disposed. Idempotent.
 * @param data - the data object
 * @example
 * ```ts
 * disposeData(data); // data.X now throws
 * ```
 * @see {@link checkLive}
 */
export function disposeData(data: MultiTaskData): void {
  if (disposed.has(data)) return;
  disposed.add(data);
  anyDisposed = true;
  releaseScratch(data);
  const own = ownedArrays.get(data);
  ownedArrays.delete(data);
  if (own !== undefined) for (const a of own) freeF64(a);
}
