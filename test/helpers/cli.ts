/**
 * Helpers shared by the command-line and picture tests: a deterministic data-file writer, an
 * in-process CLI runner, and an SVG well-formedness check.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { run } from '../../src/cli/main.js';

/** Deterministic uniform [0, 1) generator (LCG), so the files are the same on every run. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Writes a long CSV: T tasks (labels 1..T, rows interleaved), d features of which the first two matter. */
export function longCsv(path: string, T: number, d: number, nPerTask: number, seed: number): void {
  const r = lcg(seed);
  const lines = [['task', 'y', ...Array.from({ length: d }, (_, j) => `x${j + 1}`)].join(',')];
  for (let i = 0; i < nPerTask; i++) {
    for (let t = 1; t <= T; t++) {
      const x = Array.from({ length: d }, () => Math.round((r() * 4 - 2) * 1000) / 1000);
      const y = Math.round((x[0]! * (1 + 0.1 * t) - 2 * x[1]! + 0.5 * t + (r() - 0.5)) * 1000) / 1000;
      lines.push([String(t), String(y), ...x.map(String)].join(','));
    }
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** What one CLI run printed, and its exit status. */
export interface Out { code: number; stdout: string; stderr: string }

/** Runs the CLI in-process; `tty` makes stderr look like a terminal (progress bars). */
export async function runCli(argv: string[], tty = false): Promise<Out> {
  let stdout = '', stderr = '';
  const code = await run(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), ...(tty ? { isTTY: true, columns: 60 } : {}) },
  });
  return { code, stdout, stderr };
}

/** |a − b| / |b|. */
export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

/**
 * Well-formedness of an SVG document (one root <svg>, every element closed in order); returns the
 * number of elements.
 */
export function checkXml(svg: string): number {
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const stack: string[] = [];
  let count = 0;
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>|<!--[\s\S]*?-->/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(svg)) !== null) {
    const between = svg.slice(last, m.index);
    assert.ok(!between.includes('<'), `unparsed markup near offset ${last}: ${between.slice(0, 60)}`);
    last = re.lastIndex;
    if (m[0].startsWith('<!--')) continue;
    const [, close, name, , selfClose] = m;
    if (close) assert.equal(stack.pop(), name, `mismatched </${name}>`);
    else {
      count++;
      if (!selfClose) stack.push(name!);
    }
    if (stack.length === 0) assert.equal(svg.slice(last).trim(), '', 'content after the root element');
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  return count;
}

/** The <path>/<line> marks of every `<g class="mark-{type} role-mark {cls}…">` group of an SVG. */
export function marksOf(svg: string, type: string, cls: string): string[] {
  const out: string[] = [];
  const open = `<g class="mark-${type} role-mark ${cls}`;
  for (let start = svg.indexOf(open); start >= 0; start = svg.indexOf(open, start + 1)) {
    const body = svg.slice(svg.indexOf('>', start) + 1, svg.indexOf('</g>', start));
    out.push(...(body.match(/<(path|line) [^>]*>/g) ?? []));
  }
  return out;
}
