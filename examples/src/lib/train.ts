// The generic training loop every example uses: shuffled mini-batches,
// zeroGrad → loss → backward → step, and after each epoch an evaluation of
// the whole training and test sets under noGrad. Returns the history that
// the chart, the SVG and the summary are drawn from.
import { Rng, XentError, zeros, type Tensor } from '@xent/tensor';
import { add, matmul, noGrad, param } from '@xent/autograd';
import { Adam, AdamW, SGD, type Optimizer } from '@xent/optim';
import { batchCount, batches, type Batch, type Dataset } from './data.js';
import type { Output } from './output.js';
import type { EpochProgress } from './progress.js';

// ---------------------------------------------------------------- model

/**
 * A linear layer z = x·W + b: x [B, d], W [d, k], b [k] (broadcast over the
 * batch), logits z [B, k]. All the models here are this one layer; what
 * differs between them is k and the loss on top.
 */
export class Linear {
  readonly W: Tensor;
  readonly b: Tensor;
  constructor(inputs: number, outputs: number) {
    // Zeros are a fine start: each loss here is convex in (W, b), so there is
    // no symmetry to break, and the run depends on the seed only through the batch order.
    this.W = param(zeros([inputs, outputs]), 'W');
    this.b = param(zeros([outputs]), 'b');
  }
  forward(x: Tensor): Tensor {
    return add(matmul(x, this.W), this.b);
  }
  get params(): Tensor[] {
    return [this.W, this.b];
  }
}

// ---------------------------------------------------------------- optimizers

export const OPTIMIZERS = ['sgd', 'adam', 'adamw'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/**
 * An optimizer from @xent/optim by name. SGD uses momentum 0.9 (the usual
 * choice); Adam and AdamW keep the package defaults (betas 0.9/0.999, AdamW's
 * decoupled weight decay 0.01).
 */
export function makeOptimizer(name: OptimizerName, params: Tensor[], lr: number): Optimizer {
  switch (name) {
    case 'sgd':
      return new SGD(params, { lr, momentum: 0.9 });
    case 'adam':
      return new Adam(params, { lr });
    case 'adamw':
      return new AdamW(params, { lr });
    default:
      // run({ optimizer: 'rmsprop' }) reaches here without the CLI's check (it was a TypeError at the first step).
      throw new XentError(
        'INVALID_OPTION',
        `makeOptimizer: unknown optimizer ${JSON.stringify(name)}; use one of ${OPTIMIZERS.map((o) => `'${o}'`).join(', ')}.`,
      );
  }
}

// ---------------------------------------------------------------- metrics

/** What every evaluation reports; examples may add more fields. */
export interface Metrics {
  /** Mean loss over the data set. */
  loss: number;
  /** Share of examples predicted right (exact match for multi-label). */
  accuracy: number;
}

/** Share of rows whose largest logit sits at the label: mean [argmax_c z_ic = y_i]. */
export function argmaxAccuracy(logits: Tensor, labels: Int32Array): number {
  const z = logits.values();
  const [n, k] = logits.shape;
  let right = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (z[i * k + c] > z[i * k + best]) best = c;
    if (best === labels[i]) right++;
  }
  return n > 0 ? right / n : 0;
}

/** Share of elements where the sign of the logit matches the target: [z > 0] = [t = 1], i.e. σ(z) > ½. */
export function thresholdAccuracy(logits: Tensor, targets: Tensor): number {
  const z = logits.values();
  const t = targets.values();
  let right = 0;
  for (let i = 0; i < z.length; i++) if (z[i] > 0 === t[i] > 0.5) right++;
  return z.length > 0 ? right / z.length : 0;
}

// ---------------------------------------------------------------- the loop

export interface EpochRecord<M extends Metrics = Metrics> {
  /** 0 is the untrained model, then 1, 2, … */
  epoch: number;
  train: M;
  test: M;
  /** Wall-clock seconds of this epoch's training (evaluation excluded). */
  seconds: number;
}

export interface History<M extends Metrics = Metrics> {
  epochs: EpochRecord<M>[];
  /** The loss of every training batch, in order (for the loss-curve chart). */
  batchLosses: number[];
  /** Total wall-clock seconds, evaluation included. */
  seconds: number;
}

export interface TrainSpec<M extends Metrics> {
  params: Tensor[];
  optimizer: Optimizer;
  train: Dataset;
  test: Dataset;
  epochs: number;
  batchSize: number;
  /** Seeds the batch order (one Rng for the whole run). */
  seed: number;
  /** The recorded loss of one batch: a scalar tensor, the mean over the batch. */
  loss(batch: Batch): Tensor;
  /** Loss and accuracy over a whole data set (called under noGrad). */
  evaluate(ds: Dataset): M;
  out?: Output;
  progress?: EpochProgress;
  /** Formats an epoch's summary line (default: loss and accuracy of both sets). */
  describe?(record: EpochRecord<M>): string;
  /**
   * Epochs already trained (a run resumed from a checkpoint; default 0). Their
   * batch orders are drawn and skipped, so the run continues exactly as if it
   * had never stopped; the history starts at this epoch.
   */
  startEpoch?: number;
  /** Called after each epoch's training, before its evaluation (e.g. a schedule's step()). */
  afterEpoch?(epoch: number): void;
}

const fmt = (x: number, d = 4): string => x.toFixed(d);

function defaultDescribe(r: EpochRecord): string {
  return (
    `train loss ${fmt(r.train.loss)} acc ${fmt(r.train.accuracy, 3)} | ` + `test loss ${fmt(r.test.loss)} acc ${fmt(r.test.accuracy, 3)}`
  );
}

/**
 * Mini-batch training. Each step: clear the gradients, compute the batch's
 * mean loss L(W, b), backpropagate ∂L/∂W and ∂L/∂b into .grad, and let the
 * optimizer update the parameters in place. Epoch 0 of the history is the
 * untrained model, so every curve starts where training starts.
 */
export function train<M extends Metrics>(spec: TrainSpec<M>): History<M> {
  const { optimizer, epochs, batchSize, out, progress } = spec;
  if (!(Number.isInteger(epochs) && epochs >= 0))
    throw new XentError('INVALID_ARGUMENT', `train: epochs is ${epochs}; pass a whole number ≥ 0.`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1))
    throw new XentError('INVALID_ARGUMENT', `train: batchSize is ${batchSize}; pass a whole number ≥ 1.`);
  const describe = spec.describe ?? (defaultDescribe as (r: EpochRecord<M>) => string);
  const start = spec.startEpoch ?? 0;
  if (!(Number.isInteger(start) && start >= 0 && start <= epochs))
    throw new XentError('INVALID_ARGUMENT', `train: startEpoch is ${start}; pass a whole number in [0, epochs = ${epochs}].`);
  const rng = new Rng(spec.seed);
  // batches() draws one permutation per epoch: replay those of the epochs already done.
  for (let e = 0; e < start; e++) rng.permutation(spec.train.n);
  const t0 = performance.now();
  const evaluate = (): { train: M; test: M } => noGrad(() => ({ train: spec.evaluate(spec.train), test: spec.evaluate(spec.test) }));
  const history: History<M> = { epochs: [{ epoch: start, ...evaluate(), seconds: 0 }], batchLosses: [], seconds: 0 };
  const width = String(epochs).length;
  const logEvery = Math.max(1, Math.ceil(epochs / 20));
  out?.log(`epoch ${String(start).padStart(width)}/${epochs}  ${describe(history.epochs[0])}  (${start === 0 ? 'untrained' : 'resumed'})`);
  for (let epoch = start + 1; epoch <= epochs; epoch++) {
    const te = performance.now();
    progress?.start(epoch, epochs, batchCount(spec.train.n, batchSize));
    let step = 0;
    for (const batch of batches(spec.train, batchSize, rng)) {
      step++;
      optimizer.zeroGrad();
      const loss = spec.loss(batch);
      const value = loss.item();
      if (!Number.isFinite(value)) {
        progress?.stop();
        throw new XentError(
          'NON_FINITE_GRADIENT',
          `train: the loss became ${value} at epoch ${epoch}, batch ${step}; the steps are too large — lower --lr.`,
        );
      }
      loss.backward();
      optimizer.step();
      history.batchLosses.push(value);
      progress?.tick(value);
    }
    progress?.stop();
    spec.afterEpoch?.(epoch);
    const seconds = (performance.now() - te) / 1000;
    const record: EpochRecord<M> = { epoch, ...evaluate(), seconds };
    history.epochs.push(record);
    // At most about 20 lines: every epoch of a short run, every k-th (and the last) of a long one.
    if (epoch % logEvery === 0 || epoch === epochs)
      out?.log(`epoch ${String(epoch).padStart(width)}/${epochs}  ${describe(record)}  (${seconds.toFixed(2)} s)`);
  }
  history.seconds = (performance.now() - t0) / 1000;
  return history;
}

/** The last epoch's record. */
export function last<M extends Metrics>(history: History<M>): EpochRecord<M> {
  return history.epochs[history.epochs.length - 1];
}
