/**
 * How much JavaScript heap the command line needs for the files it reads, estimated before anything is
 * read (issue #13): a process started with a small heap (`node --max-old-space-size=16`) must refuse
 * with a clean message naming the numbers instead of ending in V8's out-of-memory abort (exit 134).
 *
 * The numbers parsed from a CSV live in typed arrays outside the V8 heap; what grows on the heap is the
 * per-row and per-task bookkeeping, and the modules of the command line themselves. Measured with
 * Node 20 (64-bit): loading the command line and fitting a 5 kB long CSV needs
 * `--max-old-space-size=18` (17 aborts), a 30 MB one 19 (18 aborts). The estimate adds a margin to
 * both. V8's `heap_size_limit` is the old-space limit plus the young generation (3 semi-spaces of
 * 16 MiB by default), so the estimate is compared with it as such.
 *
 * This module imports only `node:v8`, so the executable (`cli/bin.ts`) can check before it loads the
 * rest of the command line.
 *
 * @packageDocumentation
 */
import { getHeapStatistics } from 'node:v8';

const MiB = 2 ** 20;
/** The young generation that `heap_size_limit` includes besides the old space (Node 20, 64-bit defaults). */
export const YOUNG_GENERATION_BYTES = 48 * MiB;
/** Old space the command line needs to load and fit a small file (18 MiB measured, plus 2). */
export const CLI_OLD_SPACE_BYTES = 20 * MiB;
/** Old space per byte of input read into memory (1 MiB per 30 MB measured; three times that). */
export const OLD_SPACE_PER_INPUT_BYTE = 0.1;

/** The estimate of {@link heapNeed}. */
export interface HeapNeed {
  /** Bytes of heap (as `heap_size_limit` counts them) the command needs. */
  readonly need: number;
  /** This process's `heap_size_limit`. */
  readonly limit: number;
  /** need ≤ limit. */
  readonly fits: boolean;
  /** The `--max-old-space-size` (MiB) that would fit, rounded up to a multiple of 16. */
  readonly suggestedOldSpaceMiB: number;
}

/**
 * The heap a command needs for `inputBytes` bytes of files read into memory, against this process's
 * limit.
 * @param inputBytes - total size of the input files read whole (≥ 0)
 * @param limit - the heap limit to compare with @defaultValue `v8.getHeapStatistics().heap_size_limit`
 * @returns the estimate
 * @example
 * ```ts
 * heapNeed(30e6).fits; // false under node --max-old-space-size=16
 * ```
 * @see {@link heapNeedMessage}
 */
export function heapNeed(inputBytes: number, limit = getHeapStatistics().heap_size_limit): HeapNeed {
  const old = CLI_OLD_SPACE_BYTES + OLD_SPACE_PER_INPUT_BYTE * Math.max(0, inputBytes);
  const need = YOUNG_GENERATION_BYTES + old;
  return { need, limit, fits: need <= limit, suggestedOldSpaceMiB: Math.max(32, Math.ceil(old / MiB / 16) * 16) };
}

/**
 * The message of a refusal: the limit, the estimate and its parts, and the option that would fit.
 * @param h - from {@link heapNeed}
 * @param inputBytes - the input size the estimate was for
 * @param what - what is read, e.g. `'big.csv'`
 * @returns one line (no trailing newline)
 * @example
 * ```ts
 * heapNeedMessage(heapNeed(30e6), 30e6, 'big.csv');
 * ```
 * @see {@link heapNeed}
 */
export function heapNeedMessage(h: HeapNeed, inputBytes: number, what: string): string {
  const mib = (b: number): string => `${(b / MiB).toFixed(1)} MiB`;
  return `this process's JavaScript heap limit is ${mib(h.limit)}; the command line needs about ${mib(h.need)} ` +
    `(${mib(YOUNG_GENERATION_BYTES + CLI_OLD_SPACE_BYTES)} to run, ${mib(h.need - YOUNG_GENERATION_BYTES - CLI_OLD_SPACE_BYTES)} more to read ` +
    `${what}${inputBytes > 0 ? ` of ${mib(inputBytes)}` : ''}); run node with --max-old-space-size=${h.suggestedOldSpaceMiB} or more`;
}
