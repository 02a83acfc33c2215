/**
 * `--out` semantics (#13 item 4) and the process-level behaviour of the built CLI (#14): regular
 * files are replaced atomically, symlinks keep pointing at their (rewritten) target, FIFOs,
 * devices and /proc/self/fd/1 are written through and never replaced, inputs are never
 * overwritten, read-only files are refused; a closed standard output ends quietly.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync, closeSync, constants, existsSync, lstatSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync,
  symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { longCsv, runCli } from './helpers/cli.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

let dir: string, data: string, fit: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mtlearn-out-'));
  data = join(dir, 'train.csv');
  fit = join(dir, 'fit.json');
  longCsv(data, 3, 4, 12, 5);
  const r = await runCli(['fit', '--model', 'group-lasso', '--data', data, '--lambda', '0.05', '--no-timings', '--out', fit]);
  assert.equal(r.code, 0, r.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const fitArgs = (out: string): string[] => ['fit', '--model', 'group-lasso', '--data', data, '--lambda', '0.05', '--no-timings', '--out', out];
const noTemporaries = (): void => assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);

describe('--out semantics', () => {
  test('a regular file is replaced with the output, keeping its permissions; no temporary file is left', async () => {
    const out = join(dir, 'regular.json');
    writeFileSync(out, 'old');
    chmodSync(out, 0o640);
    const r = await runCli(fitArgs(out));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readFileSync(out, 'utf8'), readFileSync(fit, 'utf8'));
    assert.equal(statSync(out).mode & 0o777, 0o640);
    noTemporaries();
  });

  test('a symlink stays a symlink and its target receives the output', async () => {
    const target = join(dir, 'target.json'), link = join(dir, 'link.json');
    writeFileSync(target, 'old');
    symlinkSync(target, link);
    const r = await runCli(fitArgs(link));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(link).isSymbolicLink(), 'still a symlink');
    assert.deepEqual(readFileSync(target, 'utf8'), readFileSync(fit, 'utf8'));
    noTemporaries();
  });

  test('a FIFO is written through (a reader receives the JSON) and is still a FIFO', async () => {
    const fifo = join(dir, 'out.fifo');
    const mk = spawnSync('mkfifo', [fifo]);
    if (mk.status !== 0) return void test.skip?.('mkfifo not available');
    // a non-blocking reader first, so the writer's open succeeds; poll until the writer exits
    const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(1 << 16);
    const drain = (): void => {
      for (;;) {
        let n = 0;
        try { n = readSync(fd, buf, 0, buf.length, null); } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return;
          throw e;
        }
        if (n === 0) return;
        chunks.push(Buffer.from(buf.subarray(0, n)));
      }
    };
    const child = spawn(process.execPath, [MAIN, ...fitArgs(fifo)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setInterval(drain, 5);
    const code = await new Promise<number | null>((res) => child.on('close', res));
    clearInterval(timer);
    drain();
    closeSync(fd);
    assert.equal(code, 0, stderr);
    assert.ok(lstatSync(fifo).isFIFO(), 'still a FIFO');
    assert.deepEqual(Buffer.concat(chunks).toString('utf8'), readFileSync(fit, 'utf8'));
  });

  test('/dev/full: "No space left on device", exit 1, and /dev/full is still a character device', async (t) => {
    if (!existsSync('/dev/full')) return t.skip('no /dev/full');
    const before = statSync('/dev/full');
    const r = await runCli(['predict', '--fit', fit, '--data', data, '--out', '/dev/full']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^mtlearn: error: cannot write \/dev\/full: No space left on device \(ENOSPC\)\n$/);
    const after = statSync('/dev/full');
    assert.ok(after.isCharacterDevice(), 'still a device');
    assert.equal(after.rdev, before.rdev);
  });

  test('/proc/self/fd/1 with standard output redirected to a file: the same file (inode) receives the output', async (t) => {
    if (!existsSync('/proc/self/fd/1')) return t.skip('no /proc');
    const sink = join(dir, 'stdout.txt');
    writeFileSync(sink, '');
    const ino = statSync(sink).ino;
    const fd = openSync(sink, 'w');
    const r = spawnSync(process.execPath, [MAIN, 'predict', '--fit', fit, '--data', data, '--out', '/proc/self/fd/1'], { stdio: ['ignore', fd, 'pipe'] });
    closeSync(fd);
    assert.equal(r.status, 0, r.stderr.toString());
    assert.equal(statSync(sink).ino, ino, 'not replaced');
    const direct = await runCli(['predict', '--fit', fit, '--data', data]);
    assert.equal(readFileSync(sink, 'utf8'), direct.stdout);
    // /dev/stdout into a pipe
    const p = spawnSync(process.execPath, [MAIN, 'predict', '--fit', fit, '--data', data, '--out', '/dev/stdout'], { stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(p.status, 0, p.stderr.toString());
    assert.equal(p.stdout.toString(), direct.stdout);
  });

  test('--out equal to an input (--data, through a symlink, --X/--Y, --fit) is refused and the input is untouched', async () => {
    const original = readFileSync(data);
    const r = await runCli(fitArgs(data));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot write .*train\.csv: it is the input --data .*train\.csv; expected a different output file/);
    assert.deepEqual(readFileSync(data), original);
    const alias = join(dir, 'alias.csv');
    symlinkSync(data, alias);
    const viaLink = await runCli(fitArgs(alias));
    assert.equal(viaLink.code, 1);
    assert.match(viaLink.stderr, /it is the input --data/);
    assert.deepEqual(readFileSync(data), original);
    const fitBytes = readFileSync(fit);
    const pr = await runCli(['predict', '--fit', fit, '--data', data, '--out', fit]);
    assert.equal(pr.code, 1);
    assert.match(pr.stderr, /it is the input --fit/);
    assert.deepEqual(readFileSync(fit), fitBytes);
    const X = join(dir, 'X.csv'), Y = join(dir, 'Y.csv');
    writeFileSync(X, 'a,b\n1,0\n0,1\n1,1\n2,1\n');
    writeFileSync(Y, 't1,t2\n1,2\n2,1\n3,3\n4,2\n');
    for (const [flag, file] of [['--X', X], ['--Y', Y]] as const) {
      const before = readFileSync(file);
      const s = await runCli(['fit', '--model', 'trace-norm', '--X', X, '--Y', Y, '--lambda', '0.1', '--out', file]);
      assert.equal(s.code, 1);
      assert.match(s.stderr, new RegExp(`it is the input ${flag}`));
      assert.deepEqual(readFileSync(file), before);
    }
    noTemporaries();
  });

  test('a read-only file is refused (even as root) and keeps its contents and mode', async () => {
    const ro = join(dir, 'readonly.json');
    writeFileSync(ro, 'keep');
    chmodSync(ro, 0o444);
    const r = await runCli(fitArgs(ro));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot write .*readonly\.json: read-only file/);
    assert.equal(readFileSync(ro, 'utf8'), 'keep');
    assert.equal(statSync(ro).mode & 0o777, 0o444);
    noTemporaries();
  });

  test('a missing directory: exit 1 naming the file, nothing created', async () => {
    const r = await runCli(fitArgs(join(dir, 'no', 'such', 'dir.json')));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot write .*dir\.json: No such file or directory \(ENOENT\)/);
  });
});

describe('the built CLI as a process', () => {
  test('predict | head -1: a closed standard output ends quietly with status 0', async () => {
    const big = join(dir, 'big.csv');
    longCsv(big, 3, 4, 4000, 9); // ~12000 predictions, far more than a pipe buffer
    const child = spawn(process.execPath, [MAIN, 'predict', '--fit', fit, '--data', big], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const first = await new Promise<string>((res) => child.stdout.once('data', (d: Buffer) => res(d.toString())));
    child.stdout.destroy(); // the reader goes away, as `head -1` does
    const code = await new Promise<number | null>((res) => child.on('close', res));
    assert.equal(first.split('\n')[0], 'task,y,prediction');
    assert.equal(code, 0);
    assert.equal(stderr, '', 'no stack trace');
  });

  test('--out /dev/stdout into a slow reader gets every line (the pipe is non-blocking: EAGAIN waits), and | head -1 ends quietly', (t) => {
    if (spawnSync('bash', ['-c', 'true']).status !== 0) return t.skip('no bash');
    const big = join(dir, 'big-slow.csv');
    longCsv(big, 3, 4, 4000, 5); // 12000 predictions, about 40 pipe buffers
    const q = (w: string): string => `'${w.replace(/'/g, `'\\''`)}'`;
    const cmd = [process.execPath, MAIN, 'predict', '--fit', fit, '--data', big, '--out', '/dev/stdout'].map(q).join(' ');
    const slow = spawnSync('bash', ['-o', 'pipefail', '-c', `${cmd} | (sleep 1; wc -l)`], { encoding: 'utf8', timeout: 60_000 });
    assert.doesNotMatch(slow.stderr, /error|EAGAIN/, 'no EAGAIN error');
    assert.equal(slow.status, 0);
    assert.equal(slow.stdout.trim(), '12001', 'header and every prediction');
    const head = spawnSync('bash', ['-o', 'pipefail', '-c', `${cmd} | head -1`], { encoding: 'utf8', timeout: 60_000 });
    assert.doesNotMatch(head.stderr, /error|EPIPE|EAGAIN|at /);
    assert.equal(head.status, 0);
    assert.equal(head.stdout, 'task,y,prediction\n');
  });

  test('--version prints the package version; --help lists the commands and, separately, the models', async () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
    const v = spawnSync(process.execPath, [MAIN, '--version']);
    assert.equal(v.status, 0);
    assert.equal(v.stdout.toString().trim(), pkg.version);
    const h = await runCli(['--help']);
    assert.equal(h.code, 0);
    const [commands, models] = h.stdout.split(/\nModels[^\n]*:\n/);
    assert.ok(models !== undefined, 'a separate Models section');
    for (const c of ['fit', 'predict', 'objective', 'plot', 'path', 'cv']) assert.match(commands!, new RegExp(`\\n  ${c}\\b`));
    for (const m of ['group-lasso', 'trace-norm', 'low-rank', 'aso', 'aso-convex', 'mean-regularized', 'graph-regularized',
      'clustered-convex', 'clustered-mean', 'feature-learning', 'feature-projection']) {
      assert.match(models!, new RegExp(`^  ${m} `, 'm'));
      assert.doesNotMatch(commands!, new RegExp(`^  ${m} `, 'm'));
    }
  });
});
