// Messages between the page and the training worker.
import type { Extent } from './core.js';
import type { TrainState } from './state.js';

/** Page → worker. 'config' starts a fresh run (paused); 'reset' restarts the current one. */
export type ToWorker = { type: 'config'; state: TrainState } | { type: 'play' } | { type: 'pause' } | { type: 'step' } | { type: 'reset' };

/** Worker → page: the data once per run, then snapshots as training goes. */
export type FromWorker =
  | {
      type: 'data';
      /** Row-major coordinates [n, 2], labels, class count and the map's extent. */
      x: Float64Array;
      labels: Int32Array;
      classes: number;
      extent: Extent;
      refusal: { code: string; message: string } | null;
    }
  | {
      type: 'snapshot';
      step: number;
      /** Loss of the last step (NaN before the first). */
      loss: number;
      accuracy: number;
      /** New points of the curves since the last snapshot: [step, loss, accuracy] triples. */
      history: number[];
      grid: { cls: Uint8Array; conf: Float32Array };
      playing: boolean;
    }
  | { type: 'error'; message: string };
