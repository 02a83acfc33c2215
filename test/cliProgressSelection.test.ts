/**
 * #14: the `mtlearn path` and `mtlearn cv` bars show the rate and the time left (as the fit bar does) when
 * stderr is a terminal, and nothing otherwise. Run for real in a pseudo-terminal (util-linux `script`; the
 * test skips with a message where it is missing) and in-process with a terminal-like stream.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { longCsv, runCli } from './helpers/cli.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');
const RATE_LEFT = /\[[#-]+\] \d+(?:\.\d+)?\/s \d+:\d\d left +\d+\/\d+/;
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** The bar's frames: the text between carriage returns that carry a `[…]` bar. */
function frames(stderr: string): string[] {
  return stderr.split(/\r\n?|\n/).filter((f) => /\[[#-]+\]/.test(f));
}

/** Asserts a bar of `total` units: it starts at 0, counts up to total, and shows rate and time left in between. */
function checkBar(stderr: string, label: string, total: number): void {
  const fs = frames(stderr);
  assert.ok(fs.length >= 3, `${label}: ${JSON.stringify(stderr)}`);
  assert.ok(fs[0]!.startsWith(label), `${label}: first frame ${fs[0]}`);
  assert.match(fs[0]!, new RegExp(` 0/${total}$`));
  assert.match(fs[fs.length - 1]!, new RegExp(`\\[#+\\] ${total}/${total}$`), `${label}: last frame`);
  const counts = fs.map((f) => Number(/(\d+)\/\d+$/.exec(f)![1]));
  for (let k = 1; k < counts.length; k++) assert.ok(counts[k]! >= counts[k - 1]!, `${label}: counts ${counts.join(',')}`);
  const middle = fs.filter((f) => { const d = Number(/(\d+)\/\d+$/.exec(f)![1]); return d >= 2 && d < total; });
  assert.ok(middle.length >= 1, `${label}: no frame between 2 and ${total - 1}`);
  for (const f of middle) assert.match(f, RATE_LEFT, `${label}: ${f}`);
}

let dir: string, data: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'mtlearn-selprogress-')); data = join(dir, 'train.csv'); longCsv(data, 4, 5, 15, 3); });
after(() => rmSync(dir, { recursive: true, force: true }));

describe('path and cv bars: rate and time left on a terminal only (#14)', () => {
  const runs: [string, string[], string, number][] = [
    ['path', ['path', '--model', 'group-lasso', '--n-lambdas', '6'], 'group-lasso path', 6],
    ['cv serial', ['cv', '--model', 'group-lasso', '--n-lambdas', '4', '--folds', '3'], 'group-lasso cv (3 folds × 4 points, refit)', 13],
    ['cv on 2 workers', ['cv', '--model', 'group-lasso', '--n-lambdas', '4', '--folds', '4', '--workers', '2'], 'group-lasso cv (4 folds on 2 workers, refit)', 5],
  ];

  for (const [name, args, label, total] of runs) {
    test(`${name}, in-process: the bar on a terminal-like stream, nothing on a plain one, the same file`, async () => {
      const a = join(dir, `${name}-a.json`), b = join(dir, `${name}-b.json`);
      const tty = await runCli([...args, '--data', data, '--no-timings', '--out', a], true);
      assert.equal(tty.code, 0, tty.stderr);
      checkBar(tty.stderr, label, total);
      const plain = await runCli([...args, '--data', data, '--no-timings', '--out', b]);
      assert.equal(plain.code, 0);
      assert.equal(plain.stderr, '');
      assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
    });

    test(`${name}, in a pseudo-terminal: the bar on stderr; piped: none`, { skip: hasScript ? false : 'util-linux `script` is not installed' }, () => {
      const cmd = [process.execPath, MAIN, ...args, '--data', data, '--out', join(dir, `${name}-pty.json`)]
        .map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
      // `script` runs the command with stdin, stdout and stderr on a new pseudo-terminal
      const pty = spawnSync('script', ['-q', '-e', '-c', `${cmd} >/dev/null`, '/dev/null'], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(pty.status, 0, pty.stderr);
      checkBar(pty.stdout, label, total);
      const piped = spawnSync(process.execPath, [MAIN, ...args, '--data', data, '--out', join(dir, `${name}-pipe.json`)], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(piped.status, 0, piped.stderr);
      assert.equal(piped.stderr, '');
      assert.match(piped.stdout, /->/);
    });
  }
});
