/**
 * `mtlearn predict`: predictions of a fit (or of the refit of a cv file) on new data.
 *
 * @packageDocumentation
 */
import { CsvInputError, readMatrixCsv } from '../csv.js';
import { dataInputs, featurePermutation, loadData } from '../data.js';
import { fmt, type CliIO } from '../errors.js';
import { fitFileW, parseFitFile } from '../fitFile.js';
import type { DataOpts } from '../options.js';
import { refuseInputAsOutput, writeOutput } from '../output.js';

/**
 * The options of `mtlearn predict`.
 * @example
 * ```ts
 * const o: PredictOpts = { fit: 'fit.json', data: 'new.csv', taskColumn: 'task', responseColumn: 'y' };
 * ```
 * @see {@link cmdPredict}
 */
export interface PredictOpts extends DataOpts {
  /** The fit (or cv) JSON. */
  fit: string;
  /** Output CSV (default standard output). */
  out?: string;
}

/**
 * Quotes a CSV cell when needed.
 * @param s - the text
 * @returns the cell
 * @example
 * ```ts
 * csvCell('a,b'); // '"a,b"'
 * ```
 */
export function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Collects output lines in pieces of about 64 KiB, flushing each piece to `sink`. */
class LineBuffer {
  private parts: string[] = [];
  private size = 0;
  lines = 0;
  constructor(private readonly sink: ((text: string) => void) | null, private readonly all: string[]) {}
  push(line: string): void {
    this.parts.push(line);
    this.size += line.length + 1;
    this.lines++;
    if (this.size >= 65536) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    const text = `${this.parts.join('\n')}\n`;
    this.parts = [];
    this.size = 0;
    if (this.sink) this.sink(text);
    else this.all.push(text);
  }
}

/**
 * Runs `mtlearn predict`: for a long CSV, `task,[y,]prediction` per row in file order; for `--X`,
 * one column per task.
 * @param o - the parsed options
 * @param io - output streams
 * @example
 * ```ts
 * cmdPredict({ fit: 'fit.json', data: 'new.csv', taskColumn: 'task', responseColumn: 'y' }, io);
 * ```
 * @see {@link PredictOpts}
 */
export function cmdPredict(o: PredictOpts, io: CliIO): void {
  const inputs = dataInputs(o);
  if (o.out !== undefined) refuseInputAsOutput(o.out, inputs);
  const f = parseFitFile(o.fit);
  const W = fitFileW(f);
  const b = f.intercepts;
  const d = f.data.d, T = f.data.T;
  const loaded = loadData(o, false);
  const pieces: string[] = [];
  const out = new LineBuffer(o.out === undefined ? (s) => io.stdout.write(s) : null, pieces);
  if (loaded.long) {
    const c = loaded.long, file = loaded.files[0]!;
    const perm = featurePermutation(file, c.headerLine, c.featureNames, f.data.featureNames);
    const col = new Map(f.data.taskLabels.map((t, i) => [t, i] as const));
    const fitted = c.taskLabels.map((l) => col.get(l) ?? -1);
    const cells = c.taskLabels.map(csvCell);
    for (let i = 0; i < c.rowTask.length; i++) {
      const t = fitted[c.rowTask[i]!]!;
      if (t < 0) {
        const label = c.taskLabels[c.rowTask[i]!]!;
        throw new CsvInputError(file, c.rowLine[i]!, c.taskColumnIndex, `unknown task "${label}"`, `one of the fitted tasks (${f.data.taskLabels.slice(0, 8).join(', ')}${T > 8 ? ', …' : ''})`);
      }
    }
    out.push(c.hasResponse ? 'task,y,prediction' : 'task,prediction');
    for (let i = 0; i < c.rowTask.length; i++) {
      const k = c.rowTask[i]!, t = fitted[k]!, row = c.rowInTask[i]!;
      const X = c.tasks[k]!.X, o0 = row * X.cols;
      // ŷ = x_iᵀ w_t + b_t (x in the fitted feature order)
      let s = b[t]!;
      for (let j = 0; j < d; j++) s += X.data[o0 + perm[j]!]! * W.data[j * T + t]!;
      const y = c.hasResponse ? c.tasks[k]!.y[row]! : NaN;
      out.push(`${cells[k]},${c.hasResponse ? `${Number.isNaN(y) ? '' : fmt(y)},` : ''}${fmt(s)}`);
    }
  } else {
    // shared design: one column per task
    const xFile = loaded.files[0]!;
    const X = loaded.shared ? { names: loaded.shared.featureNames, m: loaded.shared.X } : (() => {
      const r = readMatrixCsv(xFile, false);
      return { names: r.names, m: r.matrix };
    })();
    const perm = featurePermutation(xFile, 1, X.names, f.data.featureNames);
    out.push(f.data.taskLabels.map(csvCell).join(','));
    const row = new Array<string>(T);
    for (let i = 0; i < X.m.rows; i++) {
      // Ŷ[i, t] = X[i, :] W[:, t] + b_t
      for (let t = 0; t < T; t++) {
        let s = b[t]!;
        for (let j = 0; j < d; j++) s += X.m.data[i * X.m.cols + perm[j]!]! * W.data[j * T + t]!;
        row[t] = fmt(s);
      }
      out.push(row.join(','));
    }
  }
  out.flush();
  if (o.out !== undefined) {
    writeOutput(o.out, pieces.join(''), inputs);
    io.stderr.write(`mtlearn: ${out.lines - 1} predictions -> ${o.out}\n`);
  }
}
