// The state of the "train" panel: dataset, network, loss, optimizer. The
// training run itself (weights, step count) lives in the worker, not here.

/** The toy data sets of @xent/nn the panel offers. */
export type DatasetName = 'moons' | 'circles' | 'spirals' | 'xor';
/** The MLP's non-linearity between layers. */
export type Activation = 'relu' | 'tanh' | 'sigmoid';
/**
 * The loss the network is trained with:
 * - 'softmax': one output per class, softmaxCrossEntropyWithLogits (sparse labels);
 * - 'sigmoid': one output per class, each its own sigmoid (sigmoidCrossEntropyWithLogits on one-hot rows);
 * - 'single': the classic mistake, one output unit under a softmax loss (xent refuses: SINGLE_CLASS_SOFTMAX).
 */
export type TrainLoss = 'softmax' | 'sigmoid' | 'single';
/** 'sgd' (plain), 'momentum' (SGD with momentum 0.9) or 'adam'. */
export type OptimizerName = 'sgd' | 'momentum' | 'adam';

/** The panel's configuration: a URL reproduces it (the run restarts from its seed). */
export interface TrainState {
  dataset: DatasetName;
  /** Hidden layer sizes, 0 to 3 layers of 1..32 units, all the same (the panel sets one size for every layer). */
  hidden: number[];
  activation: Activation;
  loss: TrainLoss;
  optimizer: OptimizerName;
  /** Learning rate, one of LEARNING_RATES. */
  lr: number;
  /** Seed of the data and of the initial weights. */
  seed: number;
}

/** The data sets, in the order the panel lists them. */
export const DATASETS: readonly DatasetName[] = ['moons', 'circles', 'spirals', 'xor'];
/** The activations, in the order the panel lists them. */
export const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'sigmoid'];
/** The losses with their labels. */
export const TRAIN_LOSSES: readonly { id: TrainLoss; label: string }[] = [
  { id: 'softmax', label: 'softmax cross entropy (one output per class)' },
  { id: 'sigmoid', label: 'sigmoid per class (one-hot targets)' },
  { id: 'single', label: 'the single-output mistake (softmax over one output)' },
];
/** The optimizers with their labels. */
export const OPTIMIZERS: readonly { id: OptimizerName; label: string }[] = [
  { id: 'adam', label: 'Adam' },
  { id: 'sgd', label: 'SGD' },
  { id: 'momentum', label: 'SGD + momentum 0.9' },
];
/** The learning rates the slider steps through (a log scale). */
export const LEARNING_RATES: readonly number[] = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
/** At most this many hidden layers. */
export const MAX_HIDDEN_LAYERS = 3;
/** At most this many units per hidden layer. */
export const MAX_UNITS = 32;

/** The state the page opens with: moons, two hidden layers of 16 ReLU units, softmax CE, Adam at 0.03. */
export function defaultTrainState(): TrainState {
  return { dataset: 'moons', hidden: [16, 16], activation: 'relu', loss: 'softmax', optimizer: 'adam', lr: 0.03, seed: 1 };
}

/** A consistent copy of a (possibly partial or out-of-range) state. */
export function normalizeTrainState(s: Partial<TrainState>): TrainState {
  const d = defaultTrainState();
  const dataset = DATASETS.includes(s.dataset as DatasetName) ? s.dataset! : d.dataset;
  const sizes = Array.isArray(s.hidden)
    ? s.hidden
        .slice(0, MAX_HIDDEN_LAYERS)
        .filter((v) => typeof v === 'number' && Number.isFinite(v))
        .map((v) => Math.round(Math.min(MAX_UNITS, Math.max(1, v))))
    : d.hidden;
  // The panel has one "units per layer" control: a link's unequal sizes (tr.h=4,32) take the first, so the page shows what it trains.
  const hidden = sizes.map(() => sizes[0]);
  const activation = ACTIVATIONS.includes(s.activation as Activation) ? s.activation! : d.activation;
  const loss = TRAIN_LOSSES.some((l) => l.id === s.loss) ? s.loss! : d.loss;
  const optimizer = OPTIMIZERS.some((o) => o.id === s.optimizer) ? s.optimizer! : d.optimizer;
  const lr = typeof s.lr === 'number' && Number.isFinite(s.lr) ? nearestRate(s.lr) : d.lr;
  const seed = typeof s.seed === 'number' && Number.isInteger(s.seed) && s.seed >= 0 && s.seed < 2 ** 31 ? s.seed : d.seed;
  return { dataset, hidden, activation, loss, optimizer, lr, seed };
}

/** The learning rate of LEARNING_RATES closest to lr on a log scale. */
export function nearestRate(lr: number): number {
  if (!(lr > 0)) return LEARNING_RATES[0];
  let best = LEARNING_RATES[0];
  for (const r of LEARNING_RATES) if (Math.abs(Math.log(r / lr)) < Math.abs(Math.log(best / lr))) best = r;
  return best;
}
