// The "wrong helper" switch: the classic mistakes, xent's answer to each, and
// what the wrong call would silently have computed in a library that runs it.
import { softmaxCrossEntropyWithLogits, categoricalCrossentropy } from '@xent/losses';
import { readFlat, softmax, logSoftmax, tensor } from '@xent/tensor';
import { attempt, targetRow } from './model.js';
import type { CeState, Mistake } from './state.js';

/** One mistake tried on the panel's example. */
export interface MistakeView {
  id: Exclude<Mistake, 'none'>;
  title: string;
  /** The wrong call, as code. */
  call: string;
  /** xent's refusal (XentError code and message), or null when xent cannot tell and runs it. */
  refusal: { code: string; message: string } | null;
  /** What the wrong call computes when it runs (here, or in a library without the check). */
  silent: { value: number; grad: number[] | null; note: string };
  /** The right call and its loss, for comparison. */
  right: { call: string; value: number };
}

const softmaxOf = (z: readonly number[]): number[] => Array.from(readFlat(softmax(tensor(z))));
const logSoftmaxOf = (z: readonly number[]): number[] => Array.from(readFlat(logSoftmax(tensor(z))));

/** −Σ_c P_c log softmax(z)_c with 0·log 0 = 0, and its gradient (Σ P)·softmax(z) − P. */
function softmaxCe(p: readonly number[], z: readonly number[]): { value: number; grad: number[] } {
  const lq = logSoftmaxOf(z);
  const q = softmaxOf(z);
  const mass = p.reduce((a, b) => a + b, 0);
  return { value: p.reduce((a, pc, c) => a + (pc === 0 ? 0 : -pc * lq[c]), 0), grad: q.map((qc, c) => mass * qc - p[c]) };
}

/** The example as exclusive classes: logits and distribution (binary one unit z becomes logits (0, z)). */
function asClasses(s: CeState): { z: number[]; p: number[] } {
  const t = targetRow(s);
  if (s.outcomes === 'binary') return { z: [0, s.logits[0]], p: [1 - t[0], t[0]] };
  if (s.outcomes === 'labels') {
    const mass = t.reduce((a, b) => a + b, 0);
    return { z: s.logits, p: mass > 0 ? t.map((v) => v / mass) : t.map(() => 1 / t.length) };
  }
  return { z: s.logits, p: t };
}

/** The view of the state's mistake, or null for 'none'. */
export function mistakeView(s: CeState): MistakeView | null {
  const { z, p } = asClasses(s);
  // The wrong calls are shown on the example as exclusive classes; the right call is the panel's own problem's helper
  // (for K labels the softmax form would itself be the multi-hot mistake).
  const t = targetRow(s);
  const right =
    s.outcomes === 'labels'
      ? { call: 'multiLabelCrossEntropy([t], [z])', value: multiLabelMean(t, s.logits) }
      : s.outcomes === 'binary'
        ? { call: 'sigmoidCrossEntropyWithLogits([y], [z])', value: t[0] * softplus(-s.logits[0]) + (1 - t[0]) * softplus(s.logits[0]) }
        : { call: 'softmaxCrossEntropyWithLogits([P], [z])', value: softmaxCe(p, z).value };
  switch (s.mistake) {
    case 'none':
      return null;
    case 'singleOutput': {
      // A yes/no model with one output unit, trained with a softmax loss: softmax((z)) = (1), so ℓ = −log 1 = 0 and ∂ℓ/∂z = 1 − 1 = 0.
      const z0 = s.logits[0];
      const r = attempt(() => softmaxCrossEntropyWithLogits([[1]], [[z0]]));
      const y = targetRow(s)[0];
      return {
        id: s.mistake,
        title: 'Softmax over one output',
        call: `softmaxCrossEntropyWithLogits([[1]], [[${z0}]])  // one output unit`,
        refusal: r.error,
        silent: {
          value: softmaxCe([1], [z0]).value,
          grad: softmaxCe([1], [z0]).grad,
          note: 'The softmax of a single number is always 1: the loss is 0 and the gradient is 0 whatever the model says. The model never learns.',
        },
        right: {
          call: 'sigmoidCrossEntropyWithLogits([y], [z])',
          // −[y log σ(z) + (1−y) log(1−σ(z))] = y·softplus(−z) + (1−y)·softplus(z)
          value: y * softplus(-z0) + (1 - y) * softplus(z0),
        },
      };
    }
    case 'probsAsLogits': {
      // The model already applied softmax, and Q goes into the logits helper again: softmax(Q) is nearly uniform.
      const q = softmaxOf(z);
      const r = attempt(() => softmaxCrossEntropyWithLogits([p], [q]));
      const wrong = softmaxCe(p, q);
      return {
        id: s.mistake,
        title: 'Probabilities passed as logits (softmax applied twice)',
        call: 'softmaxCrossEntropyWithLogits([P], [softmax(z)])',
        refusal: r.error,
        silent: {
          value: r.value ?? wrong.value,
          grad: wrong.grad,
          note:
            'Given as plain numbers, xent cannot refuse this one: probabilities in [0, 1] are legal logits (when Q is the recorded output ' +
            'of softmax, the graph knows, and the loss refuses it). softmax(Q) is squashed towards uniform, so the loss ' +
            'stays near log C and the gradient (with respect to Q, then through the first softmax) is small: training crawls. ' +
            'Pass the logits, or use categoricalCrossentropy on Q.',
        },
        right,
      };
    }
    case 'logitsAsProbs': {
      // Keras's categorical_crossentropy without from_logits: q ← z / Σz, clipped to [ε, 1 − ε], ℓ = −Σ P log q.
      const r = attempt(() => categoricalCrossentropy([p], [z]));
      const total = z.reduce((a, b) => a + b, 0);
      const eps = 1e-7;
      const qs = z.map((v) => Math.min(1 - eps, Math.max(eps, v / total)));
      const value = p.reduce((a, pc, c) => a + (pc === 0 ? 0 : -pc * Math.log(qs[c])), 0);
      return {
        id: s.mistake,
        title: 'Logits passed as probabilities (fromLogits forgotten)',
        call: 'categoricalCrossentropy([P], [z])',
        refusal: r.error,
        silent: {
          value,
          grad: null,
          note:
            'Keras divides z by its sum and clips to [1e-7, 1 − 1e-7]: negative logits become ε, a sum near 0 blows up, and the number ' +
            'has nothing to do with softmax(z).',
        },
        right,
      };
    }
    case 'multiHotSoftmax': {
      // Several labels on at once fed to a softmax loss: the row sums to more than 1, so the classes compete for mass they cannot share.
      const hot: number[] =
        s.outcomes === 'labels' ? targetRow(s).map((v) => (v >= 0.5 ? 1 : 0)) : z.map((_, c) => (c === 0 || c === z.length - 1 ? 1 : 0));
      if (!hot.includes(1)) hot[0] = 1;
      const r = attempt(() => softmaxCrossEntropyWithLogits([hot], [z]));
      const wrong = softmaxCe(hot, z);
      return {
        id: s.mistake,
        title: 'Multi-hot targets into softmax',
        call: `softmaxCrossEntropyWithLogits([[${hot.join(', ')}]], [z])`,
        refusal: r.error,
        silent: {
          value: wrong.value,
          grad: wrong.grad,
          note:
            'Softmax makes the labels compete: raising one label lowers the others, so two true labels can never both reach 1 and the ' +
            'gradient (Σt)·softmax(z) − t keeps pushing them against each other. Use multiLabelCrossEntropy (one sigmoid per label).',
        },
        right: { call: 'multiLabelCrossEntropy([t], [z])', value: multiLabelMean(hot, z) },
      };
    }
    case 'torchOrder': {
      // PyTorch's F.cross_entropy(input, target) order, fed to xent's (targets, logits): the logits become the targets.
      const r = attempt(() => softmaxCrossEntropyWithLogits([z], [p]));
      const wrong = softmaxCe(z, p);
      return {
        id: s.mistake,
        title: "PyTorch's argument order",
        call: 'softmaxCrossEntropyWithLogits([z], [P])  // F.cross_entropy(input, target) order',
        refusal: r.error,
        silent: {
          value: wrong.value,
          grad: null,
          note:
            'Swapped, the logits play the targets and the one-hot row plays the logits: −Σ z_c log softmax(P)_c, a number with no meaning ' +
            '(negative when the logits are). xent takes (targets, predictions) everywhere, as Keras does.',
        },
        right,
      };
    }
  }
}

/** (1/K) Σ_k −[t_k log σ(z_k) + (1−t_k) log(1−σ(z_k))], stable: t·softplus(−z) + (1−t)·softplus(z). */
function multiLabelMean(t: readonly number[], z: readonly number[]): number {
  return t.reduce((a, tk, k) => a + tk * softplus(-z[k]) + (1 - tk) * softplus(z[k]), 0) / t.length;
}

/** softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^−|x|), finite for any x. */
function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}
