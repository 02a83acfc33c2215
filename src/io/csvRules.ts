/**
 * The rules every long-CSV reader applies (the in-memory loader, the command line and the streaming
 * statistics share them, so one file gets one verdict and one message): header checks, row widths,
 * the order of task labels and the refusal of two spellings of one number.
 *
 * @packageDocumentation
 */
import { CsvInputError, cellText, strictNumber, type CsvRecord } from './tokenizer.js';

/**
 * Checks a header: no empty or duplicate names, not all numbers (a missing header).
 * @param file - the file
 * @param r - the header record
 * @param names - its cells
 * @param expected - the layout, for messages
 * @throws {@link CsvInputError} naming the cell
 * @example
 * ```ts
 * checkHeader('a.csv', r, ['task', 'y', 'x1'], 'a header task,y,x1,…');
 * ```
 */
export function checkHeader(file: string, r: CsvRecord, names: string[], expected: string): void {
  const seen = new Map<string, number>();
  names.forEach((name, j) => {
    if (name === '') throw new CsvInputError(file, r.line, j + 1, 'empty column name in the header', expected);
    const k = seen.get(name);
    if (k !== undefined) throw new CsvInputError(file, r.line, j + 1, `duplicate column name "${name}" (also column ${k + 1})`, 'distinct column names');
    seen.set(name, j);
  });
  // a header made only of numbers is almost certainly a data row: the header is missing
  if (names.every((c) => strictNumber(c) !== null)) {
    throw new CsvInputError(file, r.line, 1, `the first line "${names.join(',')}" is all numbers (no header)`, expected);
  }
}

function headerList(c: readonly string[]): string {
  return c.length <= 8 ? c.join(',') : `${c.slice(0, 6).join(',')},…,${c[c.length - 1]}`;
}

/**
 * Checks that a row has the header's number of fields.
 * @param file - the file
 * @param r - the record
 * @param width - the header's width
 * @param headerLine - the header's line
 * @throws {@link CsvInputError} on a ragged row
 * @example
 * ```ts
 * checkWidth('a.csv', r, 3, 1);
 * ```
 */
export function checkWidth(file: string, r: CsvRecord, width: number, headerLine: number): void {
  const k = r.count;
  if (k !== width) {
    throw new CsvInputError(file, r.line, Math.min(k, width) + 1, `ragged row with ${k} field${k === 1 ? '' : 's'}`, `${width} fields, as in the header (line ${headerLine})`);
  }
}

/**
 * Orders task labels: numeric order when every label is a number (as in the School data, tasks
 * 1…139), otherwise order of first appearance in the file.
 * @param labels - distinct labels in order of first appearance
 * @returns the labels in task order
 * @example
 * ```ts
 * orderTaskLabels(['10', '2', '1']); // ['1', '2', '10']
 * orderTaskLabels(['b', 'a']);       // ['b', 'a']
 * ```
 * @see {@link parseLongCsv}
 */
export function orderTaskLabels(labels: readonly string[]): string[] {
  const values = labels.map(strictNumber);
  if (values.some((v) => v === null)) return [...labels];
  return labels.map((l, i) => ({ l, v: values[i]!, i })).sort((a, b) => a.v - b.v || a.i - b.i).map((e) => e.l);
}

/**
 * The header of a long CSV: its names (checked by {@link checkHeader}), the task and response
 * columns (0-based; the response −1 when absent and not required) and the feature columns (all others).
 * @param file - the file (for messages)
 * @param r - the header record
 * @param taskColumn - the task column's name
 * @param responseColumn - the response column's name
 * @param requireResponse - whether the response column must be present
 * @param features - the feature columns to use, in this order @default every other column, in file order
 * @returns names and column indices
 * @throws {@link CsvInputError} on a bad header, a missing task (or required response) column, no
 *   feature, or a requested feature that is not a column (or is the task or response column)
 * @example
 * ```ts
 * scanCsv(src, 'a.csv', (r) => readLongHeader('a.csv', r, 'task', 'y', true));
 * ```
 * @see {@link scanLongCsv}
 */
export function readLongHeader(
  file: string, r: CsvRecord, taskColumn: string, responseColumn: string, requireResponse: boolean, features?: readonly string[],
): { names: string[]; taskIndex: number; responseIndex: number; featureCols: Int32Array } {
  const layout = `a header "${taskColumn},${responseColumn},x1,…,xd"`;
  const names: string[] = [];
  for (let c = 0; c < r.count; c++) names.push(cellText(r, c));
  checkHeader(file, r, names, layout);
  const ti = names.indexOf(taskColumn);
  if (ti < 0) throw new CsvInputError(file, r.line, 1, `no task column "${taskColumn}" in the header (${headerList(names)})`, `${layout} (choose the task column with --task-column)`);
  const yi = names.indexOf(responseColumn);
  if (yi < 0 && requireResponse) {
    throw new CsvInputError(file, r.line, 1, `no response column "${responseColumn}" in the header (${headerList(names)})`, `${layout} (choose the response column with --response-column)`);
  }
  const f: number[] = [];
  if (features !== undefined) {
    for (const name of features) {
      const j = names.indexOf(name);
      if (j < 0 || j === ti || j === yi) {
        throw new CsvInputError(file, r.line, 0, j < 0 ? `no feature column "${name}" in the header (${headerList(names)})` : `feature "${name}" is the ${j === ti ? 'task' : 'response'} column`, 'the --features columns in the header');
      }
      if (f.includes(j)) throw new CsvInputError(file, r.line, j + 1, `feature "${name}" listed twice`, 'distinct --features names');
      f.push(j);
    }
  } else {
    for (let j = 0; j < names.length; j++) if (j !== ti && j !== yi) f.push(j);
  }
  if (f.length === 0) throw new CsvInputError(file, r.line, 0, 'no feature column in the header', `${layout} with d ≥ 1 features`);
  return { names, taskIndex: ti, responseIndex: yi, featureCols: Int32Array.from(f) };
}

/**
 * Two labels naming the same number (1, 1.0, 01) are an error.
 * @param file - the file (for messages)
 * @param labels - distinct labels in order of first appearance
 * @param firstLine - the line where each label first appears
 * @param column - 1-based column of the task column
 * @param taskColumn - its name
 * @throws {@link CsvInputError} naming both spellings and their lines
 * @example
 * ```ts
 * checkAmbiguousLabels('a.csv', ['1', '1.0'], [2, 5], 1, 'task'); // throws
 * ```
 */
export function checkAmbiguousLabels(file: string, labels: readonly string[], firstLine: readonly number[], column: number, taskColumn: string): void {
  const byValue = new Map<number, number>();
  labels.forEach((l, i) => {
    const v = strictNumber(l);
    if (v === null) return;
    const j = byValue.get(v);
    if (j === undefined) { byValue.set(v, i); return; }
    throw new CsvInputError(
      file, firstLine[i]!, column, `task label "${l}" is the number ${v}, as is task "${labels[j]}" (line ${firstLine[j]})`,
      'each task labelled one way (labels are compared as text: write every row of a task with the same label)', taskColumn,
    );
  });
}
