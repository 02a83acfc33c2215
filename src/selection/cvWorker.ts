/**
 * Worker-thread entry of {@link crossValidate}: receives the data (SharedArrayBuffer-backed, not
 * copied), the fold assignment, the model's table name and the grid; runs its folds with the same
 * code as the serial run ({@link runFold}) and posts each fold's metric values back, or the error
 * (name, message, stack) that stopped it. Node only; loaded by `cvWorkers.ts`.
 *
 * @packageDocumentation
 */
import { runFold } from './crossValidate.js';
import { fromSharedData, type CvWorkerRequest, type CvWorkerResponse } from './cvWorkers.js';
import { findModel } from '../models/table.js';

const specifier = 'node:worker_threads';
const { parentPort } = (await import(specifier)) as typeof import('node:worker_threads');

if (parentPort) {
  const port = parentPort;
  port.once('message', (req: CvWorkerRequest) => {
    void (async () => {
      try {
        if (req.module) await import(req.module);
        const m = { row: findModel(req.model), registered: true };
        const data = fromSharedData(req.data);
        for (const k of req.folds) {
          const values = runFold(data, req.assignment, k, m, req.grid, req.modelOptions, req.metric);
          const res: CvWorkerResponse = { ok: true, fold: k, values };
          port.postMessage(res, [values.buffer as ArrayBuffer]);
        }
      } catch (e) {
        const error = e instanceof Error
          ? { name: e.name, message: e.message, stack: e.stack ?? null }
          : { name: 'Error', message: String(e), stack: null };
        const res: CvWorkerResponse = { ok: false, error };
        port.postMessage(res);
      }
    })();
  });
}
