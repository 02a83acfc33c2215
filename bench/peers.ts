/**
 * Peer libraries for the group-lasso benchmarks: a persistent scikit-learn process (Debian's
 * python3-sklearn at /usr/bin/python3) that loads a problem once and times `MultiTaskLasso` fits on
 * request, so that runs of mtlearn and scikit-learn can alternate in one benchmark run; and glmnet
 * through Rscript. Each peer reports `null` when it is absent (the benchmarks then skip with a message).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';

/** The Python with Debian's scikit-learn (not the pyenv one first on PATH). */
export const PY = '/usr/bin/python3';

/** True when /usr/bin/python3 can import scikit-learn. */
export function sklearnAvailable(): boolean {
  if (!existsSync(PY)) return false;
  return spawnSync(PY, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0;
}

/** True when Rscript can load glmnet. */
export function glmnetAvailable(): boolean {
  return spawnSync('Rscript', ['-e', 'library(glmnet)'], { encoding: 'utf8' }).status === 0;
}

const SERVER = `
import json, sys, time, warnings
import numpy as np
from sklearn.linear_model import MultiTaskLasso
warnings.filterwarnings('ignore')
X = Y = None
for line in sys.stdin:
    c = json.loads(line)
    if c['op'] == 'load':
        n, d, T = c['n'], c['d'], c['T']
        X = np.asfortranarray(np.fromfile(c['dir'] + '/X.bin', dtype='<f8').reshape(n, d))
        Y = np.fromfile(c['dir'] + '/Y.bin', dtype='<f8').reshape(n, T)
        out = {'ok': True}
    elif c['op'] == 'fit':
        m = MultiTaskLasso(alpha=c['alpha'], fit_intercept=False, tol=c['tol'], max_iter=c['maxIter'])
        t0 = time.perf_counter(); m.fit(X, Y); dt = time.perf_counter() - t0
        np.ascontiguousarray(m.coef_.T, dtype='<f8').tofile(c['dir'] + '/W.bin')
        out = {'seconds': dt, 'iters': int(m.n_iter_)}
    else:
        break
    sys.stdout.write(json.dumps(out) + '\\n'); sys.stdout.flush()
`;

/** One scikit-learn fit: seconds inside Python, iterations, and W (d×T row-major). */
export interface SklearnFit {
  seconds: number;
  iters: number;
  W: Float64Array;
}

/** A persistent scikit-learn process holding one problem at a time. */
export class SklearnServer {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly queue: ((line: string) => void)[] = [];
  private readonly dir: string;
  private d = 0;
  private T = 0;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'mtlearn-sk-'));
    this.proc = spawn(PY, ['-c', SERVER], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, OMP_NUM_THREADS: '2' } });
    this.lines = createInterface({ input: this.proc.stdout });
    this.lines.on('line', (l) => this.queue.shift()?.(l));
  }

  private ask(cmd: Record<string, unknown>): Promise<Record<string, number>> {
    return new Promise((res, rej) => {
      this.queue.push((l) => {
        try { res(JSON.parse(l) as Record<string, number>); } catch (e) { rej(e); }
      });
      this.proc.stdin.write(`${JSON.stringify({ ...cmd, dir: this.dir })}\n`);
    });
  }

  /** Loads X (n×d) and Y (n×T), row-major, into the Python process. */
  async load(n: number, d: number, T: number, X: Float64Array, Y: Float64Array): Promise<void> {
    writeFileSync(join(this.dir, 'X.bin'), Buffer.from(X.buffer, X.byteOffset, X.byteLength));
    writeFileSync(join(this.dir, 'Y.bin'), Buffer.from(Y.buffer, Y.byteOffset, Y.byteLength));
    this.d = d;
    this.T = T;
    await this.ask({ op: 'load', n, d, T });
  }

  /** Times one `MultiTaskLasso(alpha, tol, fit_intercept=False)` fit of the loaded problem. */
  async fit(alpha: number, tol: number, maxIter = 100000): Promise<SklearnFit> {
    const r = await this.ask({ op: 'fit', alpha, tol, maxIter });
    const buf = readFileSync(join(this.dir, 'W.bin'));
    const W = new Float64Array(this.d * this.T);
    W.set(new Float64Array(buf.buffer, buf.byteOffset, this.d * this.T));
    return { seconds: r.seconds!, iters: r.iters!, W };
  }

  /** Ends the process and removes its files. */
  close(): void {
    this.proc.stdin.end(`${JSON.stringify({ op: 'quit' })}\n`);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
