/**
 * Streaming statistics of a long CSV (`task,y,x1,…,xd`) in constant memory: the file arrives as byte
 * chunks, the command line's tokenizer ({@link csvTokenizer}) cuts them into records, {@link parseDecimal}
 * writes the numbers into preallocated row chunks, and a {@link StatisticsBuilder} adds each chunk
 * with one Gram product per task. Memory is O(T·d² + chunk), whatever the number of rows. The rules
 * and messages are those of the in-memory reader (`readLongCsvFile`, `mtlearn fit --data`): one file,
 * one verdict. Node only (reads files).
 *
 * @packageDocumentation
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StatisticsBuilder } from '../data/statisticsBuilder.js';
import type { MultiTaskStatistics } from '../data/statistics.js';
import { cellNumber } from './csv.js';
import { openInputFile } from './openFile.js';
import { checkAmbiguousLabels, checkWidth, orderTaskLabels, readLongHeader } from './csvRules.js';
import { CsvInputError, cellText, csvTokenizer, type CsvRecord } from './tokenizer.js';

/**
 * The error of a malformed streamed CSV: the CSV reader's {@link CsvInputError}
 * (`file:line:column (column "name"): problem; expected …`), under its earlier name.
 * @example
 * ```ts
 * try { await streamStatistics('bad.csv'); } catch (e) { if (e instanceof StreamCsvError) console.error(e.message); }
 * ```
 */
export const StreamCsvError = CsvInputError;

/** Options of {@link streamStatistics}. */
export interface StreamStatisticsOptions {
  /** Name of the task column. @default 'task' */
  readonly taskColumn?: string;
  /** Name of the response column. @default 'y' */
  readonly responseColumn?: string;
  /** The feature columns, in this order. @default every other column, in file order */
  readonly features?: readonly string[];
  /** Rows gathered before each Gram update. @default 4096 */
  readonly chunkRows?: number;
  /** Called after each chunk of rows with the bytes read so far, the file size (NaN for a stream) and the rows so far. */
  readonly onProgress?: (bytesRead: number, totalBytes: number, rows: number) => void;
  /** The name used in error messages when `input` is a stream. @default '<stream>' */
  readonly name?: string;
}

/**
 * Reads a long CSV as a stream and returns its sufficient statistics. Tasks are ordered as the CLI
 * orders them (numerically when every label is a number, else by first appearance; `1` and `1.0` in
 * one file are an error). Every cell must be a strict decimal number; every row needs a response.
 * @param input - a file path or a readable stream of CSV bytes
 * @param options - column names, chunk size, progress callback
 * @returns statistics of kind `'tasks'` with the task labels and feature names of the file
 * @throws {@link CsvInputError} naming file, line and column on malformed input, or the file when
 *   it cannot be read
 * @example
 * ```ts
 * const stats = await streamStatistics('big.csv', { onProgress: (b, total) => bar(b / total) });
 * ```
 * @see {@link StatisticsBuilder}, {@link serializeStatistics}
 */
export async function streamStatistics(input: string | Readable, options: StreamStatisticsOptions = {}): Promise<MultiTaskStatistics> {
  const file = typeof input === 'string' ? input : (options.name ?? '<stream>');
  const taskColumn = options.taskColumn ?? 'task';
  const responseColumn = options.responseColumn ?? 'y';
  const chunkRows = options.chunkRows ?? 4096;
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new RangeError(`chunkRows: expected an integer ≥ 1, got ${chunkRows}`);
  let total = NaN;
  let source: Readable;
  if (typeof input === 'string') {
    const f = openInputFile(input);
    total = f.regular ? f.size : NaN;
    source = createReadStream('', { fd: f.fd, highWaterMark: 1 << 20 });
  } else {
    source = input;
  }
  const reader = new LongStatisticsReader(file, taskColumn, responseColumn, options.features, chunkRows);
  let bytes = 0;
  const tok = csvTokenizer(file, (r) => {
    if (reader.record(r)) options.onProgress?.(bytes, total, reader.rows);
  });
  try {
    for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
      const b = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      bytes += b.length;
      tok.push(b);
    }
    tok.end();
  } finally {
    source.destroy();
  }
  const s = reader.finish();
  options.onProgress?.(bytes, total, reader.rows);
  return s;
}

/** Rows of a long CSV into row chunks and a {@link StatisticsBuilder}; the header first. */
class LongStatisticsReader {
  private names: string[] | null = null;
  private headerLine = 0;
  private ti = -1;
  private yi = -1;
  private featureCols: Int32Array = new Int32Array(0);
  private builder: StatisticsBuilder | null = null;
  private X = new Float64Array(0);
  private y = new Float64Array(0);
  private task = new Int32Array(0);
  private m = 0;
  private readonly firstLine: number[] = [];
  // the last label's bytes: rows of one task usually come together, so most rows skip the lookup
  private last = new Uint8Array(64);
  private lastLen = -1;
  private lastTask = -1;

  constructor(
    private readonly file: string, private readonly taskColumn: string, private readonly responseColumn: string,
    private readonly features: readonly string[] | undefined, private readonly chunkRows: number,
  ) {}

  /** Rows read so far (added or waiting in the chunk). */
  get rows(): number {
    return (this.builder?.rows ?? 0) + this.m;
  }

  /** Reads one record; returns true when a chunk of rows was just added. */
  record(r: CsvRecord): boolean {
    const names = this.names;
    if (names === null) {
      const h = readLongHeader(this.file, r, this.taskColumn, this.responseColumn, true, this.features);
      this.names = h.names; this.headerLine = r.line; this.ti = h.taskIndex; this.yi = h.responseIndex; this.featureCols = h.featureCols;
      const d = h.featureCols.length;
      this.builder = new StatisticsBuilder(d, Array.from(h.featureCols, (j) => h.names[j]!));
      this.X = new Float64Array(this.chunkRows * d); this.y = new Float64Array(this.chunkRows); this.task = new Int32Array(this.chunkRows);
      return false;
    }
    const file = this.file, fc = this.featureCols, d = fc.length, m = this.m;
    checkWidth(file, r, names.length, this.headerLine);
    this.task[m] = this.taskOf(r);
    // y[m] = cell(r, yi); X[m, k] = cell(r, featureCols[k])
    this.y[m] = cellNumber(file, r, this.yi, this.responseColumn, false);
    const X = this.X, o = m * d;
    for (let k = 0; k < d; k++) X[o + k] = cellNumber(file, r, fc[k]!, names[fc[k]!]!, false);
    if (++this.m < this.chunkRows) return false;
    this.flush();
    return true;
  }

  /** The task index of a row (empty labels refused). */
  private taskOf(r: CsvRecord): number {
    const s = r.start[this.ti]!, e = r.end[this.ti]!, n = e - s, b = r.bytes;
    if (n === 0) throw new CsvInputError(this.file, r.line, this.ti + 1, 'empty task label', 'a task label', this.taskColumn);
    if (n === this.lastLen) {
      let same = true;
      for (let i = 0; i < n && same; i++) same = b[s + i] === this.last[i];
      if (same) return this.lastTask;
    }
    const builder = this.builder!;
    const before = builder.taskCount;
    const t = builder.taskIndex(cellText(r, this.ti));
    if (builder.taskCount > before) this.firstLine.push(r.line);
    if (n > this.last.length) this.last = new Uint8Array(2 * n);
    this.last.set(b.subarray(s, e));
    this.lastLen = n; this.lastTask = t;
    return t;
  }

  private flush(): void {
    const m = this.m, d = this.featureCols.length;
    if (m === 0) return;
    this.builder!.add(this.X.subarray(0, m * d), this.y.subarray(0, m), this.task.subarray(0, m));
    this.m = 0;
  }

  /** The statistics of every row, tasks in the reader's order. */
  finish(): MultiTaskStatistics {
    if (this.names === null) throw new CsvInputError(this.file, 1, 1, 'the file is empty', 'a header line followed by data rows');
    this.flush();
    const builder = this.builder!;
    if (builder.rows === 0) throw new CsvInputError(this.file, this.headerLine + 1, 0, 'no data rows after the header', 'at least one data row');
    const labels = builder.labelsSeen();
    checkAmbiguousLabels(this.file, labels, this.firstLine, this.ti + 1, this.taskColumn);
    return builder.finish(orderTaskLabels(labels));
  }
}
