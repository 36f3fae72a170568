// The training run behind the "train" panel, DOM-free (it runs in a Web
// Worker, and in Node under test): a seeded toy data set and MLP from
// @xent/nn, one of three losses, an optimizer from @xent/optim, full-batch
// steps, and the model's prediction over a grid for the decision-boundary map.
//   softmax:  ℓ = mean_i −log softmax(f(x_i))_{y_i}            (sparseSoftmaxCrossEntropyWithLogits)
//   sigmoid:  ℓ = mean_{i,c} bce(σ(f(x_i)_c), onehot(y_i)_c)   (sigmoidCrossEntropyWithLogits, one sigmoid per class)
//   single:   one output unit under a softmax loss — softmax of one number is 1, so ℓ ≡ 0 and ∇ℓ ≡ 0;
//             xent refuses it (SINGLE_CLASS_SOFTMAX) and nothing trains.
import { noGrad } from '@xent/autograd';
import { sigmoidCrossEntropyWithLogits, sparseSoftmaxCrossEntropyWithLogits } from '@xent/losses';
import { MLP, toyDataset, type ToyDataset } from '@xent/nn';
import { Adam, SGD, type Optimizer } from '@xent/optim';
import { Rng, XentError, fromFlat, oneHot, readFlat, tensor, type Tensor } from '@xent/tensor';
import type { TrainState } from './state.js';

/** Points per data set. */
export const POINTS = 200;
/** The standard deviation of the noise on each coordinate, per data set (so each shape stays recognisable). */
export const NOISE: Record<TrainState['dataset'], number> = { moons: 0.1, circles: 0.08, spirals: 0.05, xor: 0.05 };
/** Cells per side of the decision-boundary grid. */
export const GRID = 48;

/** Where the map is drawn: a square around the data with a margin. */
export interface Extent {
  x0: number;
  y0: number;
  size: number;
}

/** One training run: its data, model, loss and optimizer; step() advances it. */
export interface Trainer {
  readonly data: ToyDataset;
  readonly extent: Extent;
  /** The loss's refusal (XentError code and message) when the configuration is the single-output mistake. */
  readonly refusal: { code: string; message: string } | null;
  /** Full-batch optimizer steps taken. */
  steps: number;
  /** Runs `count` optimizer steps; returns the loss of the last one (NaN when refused). */
  step(count: number): number;
  /** Training accuracy: the fraction of points whose argmax output is their class. */
  accuracy(): number;
  /**
   * The model over a GRID × GRID grid, row-major from the top-left corner:
   * per cell the predicted class and the confidence (the largest class probability,
   * softmax for 'softmax', the largest σ for 'sigmoid', σ(z) vs 1 − σ(z) for 'single').
   */
  grid(): { cls: Uint8Array; conf: Float32Array };
}

function extentOf(d: ToyDataset): Extent {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < d.n; i++) {
    x0 = Math.min(x0, d.x[2 * i]);
    x1 = Math.max(x1, d.x[2 * i]);
    y0 = Math.min(y0, d.x[2 * i + 1]);
    y1 = Math.max(y1, d.x[2 * i + 1]);
  }
  const size = Math.max(x1 - x0, y1 - y0) * 1.2;
  return { x0: (x0 + x1) / 2 - size / 2, y0: (y0 + y1) / 2 - size / 2, size };
}

function makeOptimizer(s: TrainState, params: Tensor[]): Optimizer<unknown> {
  if (s.optimizer === 'adam') return new Adam(params, { lr: s.lr }) as Optimizer<unknown>;
  return new SGD(params, { lr: s.lr, momentum: s.optimizer === 'momentum' ? 0.9 : 0 }) as Optimizer<unknown>;
}

/** Sets up a run for a configuration: the same state always gives the same data, weights and steps. */
export function createTrainer(s: TrainState): Trainer {
  const data = toyDataset(s.dataset, { n: POINTS, noise: NOISE[s.dataset], rng: new Rng(s.seed) });
  const X = fromFlat(data.x, [data.n, 2]);
  const labels = tensor(data.labels, { dtype: 'int32' });
  const targets = oneHot(data.labels, data.classes);
  const outputs = s.loss === 'single' ? 1 : data.classes;
  const model = new MLP([2, ...s.hidden, outputs], { activation: s.activation, rng: new Rng(s.seed + 1) });
  const params = model.parameters();
  const optimizer = makeOptimizer(s, params);
  const lossOf = (): Tensor => {
    const z = model.forward(X);
    return s.loss === 'sigmoid' ? sigmoidCrossEntropyWithLogits(targets, z) : sparseSoftmaxCrossEntropyWithLogits(labels, z);
  };

  // The single-output mistake: try the loss once, keep xent's refusal (a failed call changes nothing).
  let refusal: Trainer['refusal'] = null;
  if (s.loss === 'single') {
    try {
      lossOf();
    } catch (e) {
      if (!(e instanceof XentError)) throw e;
      refusal = { code: e.code, message: e.message };
    }
  }

  const trainer: Trainer = {
    data,
    extent: extentOf(data),
    refusal,
    steps: 0,
    step(count: number): number {
      if (refusal) return NaN;
      let last = NaN;
      for (let k = 0; k < count; k++) {
        optimizer.zeroGrad();
        const loss = lossOf();
        loss.backward();
        optimizer.step();
        last = readFlat(loss)[0];
        trainer.steps++;
      }
      return last;
    },
    accuracy(): number {
      const z = noGrad(() => model.forward(X));
      const out = readFlat(z);
      let right = 0;
      for (let i = 0; i < data.n; i++) if (argmaxRow(out, i, outputs) === data.labels[i]) right++;
      return right / data.n;
    },
    grid() {
      const { x0, y0, size } = trainer.extent;
      const pts = new Float64Array(GRID * GRID * 2);
      for (let r = 0; r < GRID; r++) {
        for (let c = 0; c < GRID; c++) {
          const k = r * GRID + c;
          pts[2 * k] = x0 + ((c + 0.5) / GRID) * size;
          pts[2 * k + 1] = y0 + size - ((r + 0.5) / GRID) * size; // row 0 is the top
        }
      }
      const z = readFlat(noGrad(() => model.forward(fromFlat(pts, [GRID * GRID, 2]))));
      const cls = new Uint8Array(GRID * GRID);
      const conf = new Float32Array(GRID * GRID);
      for (let k = 0; k < GRID * GRID; k++) {
        const best = argmaxRow(z, k, outputs);
        cls[k] = best;
        conf[k] = confidence(z, k, outputs, best, s.loss);
      }
      return { cls, conf };
    },
  };
  return trainer;
}

/** The class a row of logits predicts: its argmax, or for one output unit σ(z) > ½ ⇔ z > 0. */
function argmaxRow(z: ArrayLike<number>, row: number, width: number): number {
  if (width === 1) return z[row] > 0 ? 1 : 0;
  let best = 0;
  for (let c = 1; c < width; c++) if (z[row * width + c] > z[row * width + best]) best = c;
  return best;
}

/** The predicted class's probability: softmax (stable: e^{z_c − max} / Σ e^{z_j − max}) or σ. */
function confidence(z: ArrayLike<number>, row: number, width: number, best: number, loss: TrainState['loss']): number {
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  if (width === 1) return Math.max(sig(z[row]), 1 - sig(z[row]));
  if (loss === 'sigmoid') return sig(z[row * width + best]);
  const m = z[row * width + best];
  let total = 0;
  for (let c = 0; c < width; c++) total += Math.exp(z[row * width + c] - m);
  return 1 / total;
}
