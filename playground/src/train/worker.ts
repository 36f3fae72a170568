// The training worker: owns one run (createTrainer) and, while playing, steps
// it in slices of about SLICE_MS with a short rest between them, so messages
// (pause, a new configuration) are answered between slices; after each slice
// it posts a snapshot (metrics, new curve points, the decision-boundary grid).
// The page's thread never trains.
import { createTrainer, type Trainer } from './core.js';
import type { FromWorker, ToWorker } from './protocol.js';
import type { TrainState } from './state.js';

const SLICE_MS = 40;
/**
 * Rest between slices. On a machine with few cores the worker would otherwise keep one
 * busy all the time and the page's own thread would wait for the other to draw and
 * answer input; resting ~20 % of the time keeps the page responsive for little speed.
 */
const REST_MS = 10;
/** Curve points are recorded every HISTORY_EVERY steps. */
const HISTORY_EVERY = 5;

let trainer: Trainer | null = null;
let config: TrainState | null = null;
let playing = false;
let timer: ReturnType<typeof setTimeout> | null = null;
let lastLoss = NaN;
let history: number[] = [];

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(msg, { transfer });
}

function start(state: TrainState): void {
  config = state;
  trainer = createTrainer(state);
  lastLoss = NaN;
  history = [0, NaN, trainer.accuracy()];
  const d = trainer.data;
  post({ type: 'data', x: d.x.slice(), labels: d.labels.slice(), classes: d.classes, extent: trainer.extent, refusal: trainer.refusal });
  snapshot();
}

function snapshot(): void {
  if (!trainer) return;
  const grid = trainer.grid();
  const msg: FromWorker = { type: 'snapshot', step: trainer.steps, loss: lastLoss, accuracy: trainer.accuracy(), history, grid, playing };
  history = [];
  post(msg, [grid.cls.buffer, grid.conf.buffer]);
}

/** Steps for one slice: HISTORY_EVERY at a time until SLICE_MS have passed. */
function slice(): void {
  if (!trainer) return;
  const t0 = performance.now();
  do {
    lastLoss = trainer.step(HISTORY_EVERY);
    history.push(trainer.steps, lastLoss, trainer.accuracy());
  } while (performance.now() - t0 < SLICE_MS && !trainer.refusal);
}

function loop(): void {
  timer = null;
  if (!playing || !trainer) return;
  if (trainer.refusal) {
    playing = false;
    snapshot();
    return;
  }
  slice();
  snapshot();
  timer = setTimeout(loop, REST_MS);
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  try {
    const m = e.data;
    if (m.type === 'config') {
      playing = false;
      start(m.state);
    } else if (m.type === 'reset') {
      playing = false;
      if (config) start(config);
    } else if (m.type === 'play') {
      playing = true;
      if (timer === null) loop();
    } else if (m.type === 'pause') {
      playing = false;
      snapshot();
    } else if (m.type === 'step') {
      playing = false;
      if (trainer && !trainer.refusal) {
        lastLoss = trainer.step(1);
        history.push(trainer.steps, lastLoss, trainer.accuracy());
      }
      snapshot();
    }
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
};
