/**
 * A progress bar for long command-line work (multi-restart clustering, regularisation paths and
 * cross-validation), drawn on standard error only when it is a terminal: piped or redirected
 * output, log files and tests get nothing, so results stay byte-identical.
 *
 * @packageDocumentation
 */

/**
 * Where a progress bar draws: a stream with `write` and, for a terminal, `isTTY: true`
 * (`process.stderr` qualifies).
 * @example
 * ```ts
 * const stream: ProgressStream = process.stderr;
 * ```
 * @see {@link progressBar}
 */
export interface ProgressStream {
  /** Writes text. */
  write(text: string): unknown;
  /** True when the stream is a terminal; anything else disables the bar. */
  isTTY?: boolean;
  /** Terminal width in characters (default 80). */
  columns?: number;
}

/**
 * A progress bar: call `update(done)` as work completes and `finish()` at the end.
 * @example
 * ```ts
 * const bar = progressBar(process.stderr, 'restarts', 10);
 * for (let r = 0; r < 10; r++) { work(r); bar.update(r + 1); }
 * bar.finish();
 * ```
 * @see {@link progressBar}
 */
export interface Progress {
  /** Whether anything is drawn (false when the stream is not a terminal). */
  readonly active: boolean;
  /**
   * Redraws the bar with `done` of `total` units complete.
   * @param done - units complete, clamped to [0, total]
   */
  update(done: number): void;
  /** Ends the bar's line (no-op when inactive or never drawn). */
  finish(): void;
}

/**
 * Creates a progress bar `label [#######-------]  7/15` redrawn in place with a carriage return,
 * active only when `stream.isTTY` is true. It is redrawn only when its text changes.
 * @param stream - where to draw (standard error)
 * @param label - what is counted (e.g. `'restarts'`)
 * @param total - the number of units, ≥ 1
 * @returns the bar
 * @throws RangeError when `total` is not a positive integer
 * @example
 * ```ts
 * const bar = progressBar(process.stderr, 'cv folds', 5);
 * bar.update(1); bar.update(2); bar.finish();
 * ```
 * @see {@link ProgressStream}
 */
export function progressBar(stream: ProgressStream, label: string, total: number): Progress {
  if (!Number.isInteger(total) || total < 1) throw new RangeError(`total: expected a positive integer, got ${total}`);
  const active = stream.isTTY === true;
  let last = '';
  let drawn = false;
  const cols = Math.max(40, Math.min(stream.columns ?? 80, 200));
  const count = (n: number): string => `${String(n).padStart(String(total).length)}/${total}`;
  const width = Math.max(10, cols - label.length - 2 * String(total).length - 6);
  return {
    active,
    update(done: number): void {
      if (!active) return;
      const d = Math.max(0, Math.min(total, Math.floor(done)));
      const filled = Math.round((d / total) * width);
      const text = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${count(d)}`;
      if (text === last) return;
      last = text;
      drawn = true;
      stream.write(`\r${text}`);
    },
    finish(): void {
      if (!active || !drawn) return;
      stream.write('\n');
      drawn = false;
      last = '';
    },
  };
}
