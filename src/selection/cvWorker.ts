/**
 * Worker-thread entry of {@link crossValidate}: receives the data (transferred Float64Arrays), the
 * fold assignment, the model's registry name and the grid; runs its folds with the same code as the
 * serial path ({@link runFold}) and posts the metric values back.
 *
 * @packageDocumentation
 */
import { parentPort } from 'node:worker_threads';
import { fromTransferable, runFold, type CvWorkerRequest, type CvWorkerResponse } from './crossValidate.js';
import { modelByName } from './registry.js';

if (parentPort) {
  const port = parentPort;
  port.once('message', (req: CvWorkerRequest) => {
    void (async () => {
      try {
        if (req.module) await import(req.module);
        const { fn } = modelByName(req.model);
        const data = fromTransferable(req.data);
        const values = req.folds.map((k) => runFold(data, req.assignment, k, fn, req.grid, req.modelOptions, req.metric));
        const res: CvWorkerResponse = { ok: true, folds: req.folds, values };
        port.postMessage(res, values.map((v) => v.buffer as ArrayBuffer));
      } catch (e) {
        const res: CvWorkerResponse = { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
        port.postMessage(res);
      }
    })();
  });
}
