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

/** `m:ss` or `h:mm:ss`. */
function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const t = Math.round(seconds), h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), sec = t % 60;
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A rate with 2–3 significant digits. */
function rate(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toPrecision(2);
}

/**
 * Creates a progress bar `label [#######-------] 1.4/s 0:06 left  7/15` redrawn in place with a
 * carriage return, active only when `stream.isTTY` is true. The rate (units per second since the
 * bar was created) and the time left appear from the second completed unit on (the first carries
 * the set-up); the finished bar shows the count alone. It is redrawn only when its text changes.
 * @param stream - where to draw (standard error)
 * @param label - what is counted (e.g. `'restarts'`)
 * @param total - the number of units, ≥ 1
 * @param now - the clock in milliseconds @default performance.now
 * @returns the bar
 * @throws RangeError when `total` is not a positive integer
 * @example
 * ```ts
 * const bar = progressBar(process.stderr, 'cv folds', 5);
 * bar.update(1); bar.update(2); bar.finish();
 * ```
 * @see {@link ProgressStream}
 */
export function progressBar(stream: ProgressStream, label: string, total: number, now: () => number = () => performance.now()): Progress {
  if (!Number.isInteger(total) || total < 1) throw new RangeError(`total: expected a positive integer, got ${total}`);
  const active = stream.isTTY === true;
  let last = '';
  let drawn = false;
  const t0 = now();
  const cols = Math.max(40, Math.min(stream.columns ?? 80, 200));
  const count = (n: number): string => `${String(n).padStart(String(total).length)}/${total}`;
  const extra = 22; // room for " 12.3/s 1:23:45 left"
  const width = Math.max(10, cols - label.length - 2 * String(total).length - 6 - extra);
  return {
    active,
    update(done: number): void {
      if (!active) return;
      const d = Math.max(0, Math.min(total, Math.floor(done)));
      const filled = Math.round((d / total) * width);
      let speed = '';
      if (d >= 2 && d < total) {
        const seconds = (now() - t0) / 1000;
        const r = d / Math.max(seconds, 1e-9);
        speed = ` ${rate(r)}/s ${clock((total - d) / r)} left`;
      }
      const tail = ` [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${speed} ${count(d)}`;
      // a shorter line than the last one (the rate gone at the end) is padded after the label, over the old text
      const pad = Math.max(0, last.length - label.length - tail.length);
      const text = `${label}${' '.repeat(pad)}${tail}`;
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

/**
 * A one-line progress display for a single long fit, fed from the solver's progress callback:
 * `feature-learning [#####-----] iteration 812, gap 3.1e-5 → 1e-6, 95 it/s, ~0:07 left`. The bar and
 * the time left follow the certificate on a log scale, from its first value down to the target
 * (certificates of first-order methods fall roughly geometrically). Redrawn at most ten times a second;
 * nothing when the stream is not a terminal.
 * @param stream - where to draw (standard error)
 * @param label - the model name
 * @param certificateKind - what the certificate is (`duality-gap`, `fixed-point-residual`, …)
 * @param now - the clock in milliseconds @default performance.now
 * @returns `update(iteration, certificate, target)` and `finish()`
 * @example
 * ```ts
 * const p = solverProgress(process.stderr, 'group-lasso', 'gap');
 * p.update(10, 1e-3, 1e-6); p.finish();
 * ```
 * @see {@link progressBar}
 */
export function solverProgress(
  stream: ProgressStream, label: string, certificateKind: string, now: () => number = () => performance.now(),
): { readonly active: boolean; update(iteration: number, certificate: number, target: number): void; finish(): void } {
  const active = stream.isTTY === true;
  const t0 = now();
  let lastDraw = -Infinity, drawn = false, first = NaN, firstT = 0;
  const cols = Math.max(40, Math.min(stream.columns ?? 80, 200));
  const width = Math.max(10, Math.min(30, cols - label.length - 60));
  return {
    active,
    update(iteration: number, certificate: number, target: number): void {
      if (!active) return;
      const t = now();
      if (t - lastDraw < 100) return;
      lastDraw = t;
      const seconds = (t - t0) / 1000;
      const logC = Math.log10(certificate), logT = Math.log10(target);
      if (!Number.isFinite(first) && Number.isFinite(logC)) { first = logC; firstT = seconds; }
      let frac = 0, left = '';
      if (Number.isFinite(first) && Number.isFinite(logC) && Number.isFinite(logT) && first > logT) {
        frac = Math.max(0, Math.min(1, (first - logC) / (first - logT)));
        const slope = (first - logC) / Math.max(seconds - firstT, 1e-9); // decades per second
        if (slope > 0 && logC > logT) left = `, ~${clock((logC - logT) / slope)} left`;
      }
      const filled = Math.round(frac * width);
      const perSecond = seconds > 0 ? `, ${rate(iteration / seconds)} it/s` : '';
      const cert = Number.isFinite(certificate) ? certificate.toPrecision(2) : String(certificate);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] iteration ${iteration}, ${certificateKind} ${cert} → ${target.toPrecision(2)}${perSecond}${left}\x1b[K`);
      drawn = true;
    },
    finish(): void {
      if (!active || !drawn) return;
      stream.write('\n');
      drawn = false;
    },
  };
}

/** Bytes as `12.3 MB` (powers of 1024, as file sizes). */
function size(bytes: number): string {
  const mb = bytes / 2 ** 20;
  return mb >= 1024 ? `${(mb / 1024).toFixed(2)} GB` : `${mb >= 100 ? mb.toFixed(0) : mb.toFixed(1)} MB`;
}

/**
 * A progress bar for reading a large file: `stats [#####-----] 120/310 MB, 98000 rows/s, 0:14 left`,
 * fed with the bytes read and the rows so far. Without a known size (a pipe) it shows the bytes and
 * the rate alone. Redrawn at most ten times a second; nothing when the stream is not a terminal.
 * @param stream - where to draw (standard error)
 * @param label - what is being read
 * @param totalBytes - the file size (NaN or ≤ 0 when unknown)
 * @param now - the clock in milliseconds @default performance.now
 * @returns `update(bytes, rows)` and `finish()`
 * @example
 * ```ts
 * const bar = byteProgress(process.stderr, 'big.csv', statSync('big.csv').size);
 * await streamStatistics('big.csv', { onProgress: (b, _total, rows) => bar.update(b, rows) });
 * bar.finish();
 * ```
 * @see {@link progressBar}
 */
export function byteProgress(
  stream: ProgressStream, label: string, totalBytes: number, now: () => number = () => performance.now(),
): { readonly active: boolean; update(bytes: number, rows: number): void; finish(): void } {
  const active = stream.isTTY === true;
  const t0 = now();
  const known = Number.isFinite(totalBytes) && totalBytes > 0;
  let lastDraw = -Infinity, drawn = false;
  const cols = Math.max(40, Math.min(stream.columns ?? 80, 200));
  const width = Math.max(10, Math.min(30, cols - label.length - 50));
  return {
    active,
    update(bytes: number, rows: number): void {
      if (!active) return;
      const t = now();
      if (t - lastDraw < 100 && !(known && bytes >= totalBytes)) return;
      lastDraw = t;
      const seconds = (t - t0) / 1000;
      const perSecond = seconds > 0 ? `, ${rate(rows / seconds)} rows/s` : '';
      let text: string;
      if (known) {
        const frac = Math.max(0, Math.min(1, bytes / totalBytes));
        const filled = Math.round(frac * width);
        const left = seconds > 0 && bytes > 0 && frac < 1 ? `, ${clock((totalBytes - bytes) / (bytes / seconds))} left` : '';
        text = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${size(bytes)}/${size(totalBytes)}${perSecond}${left}`;
      } else {
        text = `${label} ${size(bytes)} read${perSecond}`;
      }
      stream.write(`\r${text}\x1b[K`);
      drawn = true;
    },
    finish(): void {
      if (!active || !drawn) return;
      stream.write('\n');
      drawn = false;
    },
  };
}
