// Every xent helper that applies to the panel's example, as a call a reader
// could type and a thunk that makes it. They all compute the one cross entropy
// −Σ P log Q of this example, so their numbers agree (to rounding, and to the
// ε = 1e-7 clip of the probability helpers).
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  crossEntropy,
  multiLabelCrossEntropy,
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogits,
  sparseCategoricalCrossentropy,
  sparseSoftmaxCrossEntropyWithLogits,
} from '@xent/losses';
import { readFlat, sigmoid, softmax, tensor, type Tensor } from '@xent/tensor';
import type { CeState } from './state.js';

/** One helper applied to the example: its name, the call as code, and a thunk running it. */
export interface HelperCall {
  name: string;
  call: string;
  run: () => Tensor;
}

/**
 * The helpers that apply to a state, given its target row t (P for classes,
 * one target per unit for binary and labels). Logits form: the helpers that
 * take logits (or { fromLogits: true }); probabilities form: those that take
 * Q = softmax(z) or q = σ(z). Integer-label helpers join when the target is a
 * class (index or one-hot).
 */
export function helperCalls(s: CeState, t: number[]): HelperCall[] {
  const logits = s.form === 'logits';
  const z = s.logits;
  const isClass = s.target === 'index' || s.target === 'onehot';
  const out: HelperCall[] = [];
  const add = (name: string, call: string, run: () => Tensor): void => {
    out.push({ name, call, run });
  };

  if (s.outcomes === 'binary') {
    // One unit: q = σ(z). As two classes its logits are (0, z): softmax((0, z))₁ = σ(z).
    const y = t[0];
    const two = [[1 - y, y]];
    const yName = s.target === 'index' ? 'y' : 'p';
    if (logits) {
      add('sigmoidCrossEntropyWithLogits', `sigmoidCrossEntropyWithLogits([${yName}], [z])`, () =>
        sigmoidCrossEntropyWithLogits([y], [z[0]]),
      );
      add('binaryCrossentropy', `binaryCrossentropy([${yName}], [z], { fromLogits: true })`, () =>
        binaryCrossentropy([y], [z[0]], { fromLogits: true }),
      );
      add('multiLabelCrossEntropy', `multiLabelCrossEntropy([[${yName}]], [[z]])`, () => multiLabelCrossEntropy([[y]], [[z[0]]]));
      add('softmaxCrossEntropyWithLogits', `softmaxCrossEntropyWithLogits([[1−${yName}, ${yName}]], [[0, z]])`, () =>
        softmaxCrossEntropyWithLogits(two, [[0, z[0]]]),
      );
      add('categoricalCrossentropy', `categoricalCrossentropy([[1−${yName}, ${yName}]], [[0, z]], { fromLogits: true })`, () =>
        categoricalCrossentropy(two, [[0, z[0]]], { fromLogits: true }),
      );
      if (isClass) {
        add('sparseSoftmaxCrossEntropyWithLogits', 'sparseSoftmaxCrossEntropyWithLogits([y], [[0, z]])', () =>
          sparseSoftmaxCrossEntropyWithLogits([y], [[0, z[0]]]),
        );
        add('sparseCategoricalCrossentropy', 'sparseCategoricalCrossentropy([y], [[0, z]], { fromLogits: true })', () =>
          sparseCategoricalCrossentropy([y], [[0, z[0]]], { fromLogits: true }),
        );
      }
    } else {
      const q = readFlat(sigmoid(tensor(z)))[0];
      const qq = [[1 - q, q]];
      add('binaryCrossentropy', `binaryCrossentropy([${yName}], [q])`, () => binaryCrossentropy([y], [q]));
      add('multiLabelCrossEntropy', `multiLabelCrossEntropy([[${yName}]], [[q]], { fromLogits: false })`, () =>
        multiLabelCrossEntropy([[y]], [[q]], { fromLogits: false }),
      );
      add('categoricalCrossentropy', `categoricalCrossentropy([[1−${yName}, ${yName}]], [[1−q, q]])`, () =>
        categoricalCrossentropy(two, qq),
      );
      add('crossEntropy', `crossEntropy([1−${yName}, ${yName}], [1−q, q])`, () => crossEntropy(two[0], qq[0]));
      if (isClass)
        add('sparseCategoricalCrossentropy', 'sparseCategoricalCrossentropy([y], [[1−q, q]])', () =>
          sparseCategoricalCrossentropy([y], qq),
        );
    }
    return out;
  }

  if (s.outcomes === 'labels') {
    // K independent units: the mean over labels of the binary cross entropy.
    const tName = s.target === 'multihot' ? 't' : 'p';
    if (logits) {
      add('multiLabelCrossEntropy', `multiLabelCrossEntropy([${tName}], [z])`, () => multiLabelCrossEntropy([t], [z]));
      add('sigmoidCrossEntropyWithLogits', `sigmoidCrossEntropyWithLogits([${tName}], [z])`, () => sigmoidCrossEntropyWithLogits([t], [z]));
      add('binaryCrossentropy', `binaryCrossentropy([${tName}], [z], { fromLogits: true })`, () =>
        binaryCrossentropy([t], [z], { fromLogits: true }),
      );
    } else {
      const q = Array.from(readFlat(sigmoid(tensor(z))));
      add('binaryCrossentropy', `binaryCrossentropy([${tName}], [σ(z)])`, () => binaryCrossentropy([t], [q]));
      add('multiLabelCrossEntropy', `multiLabelCrossEntropy([${tName}], [σ(z)], { fromLogits: false })`, () =>
        multiLabelCrossEntropy([t], [q], { fromLogits: false }),
      );
    }
    return out;
  }

  // C exclusive classes: Q = softmax(z).
  const pName = s.target === 'index' ? 'oneHot(y)' : 'P';
  const y = s.target === 'onehot' ? t.indexOf(1) : s.label;
  const yName = s.target === 'onehot' ? 'argmax(P)' : 'y';
  if (logits) {
    add('softmaxCrossEntropyWithLogits', `softmaxCrossEntropyWithLogits([${pName}], [z])`, () => softmaxCrossEntropyWithLogits([t], [z]));
    add('categoricalCrossentropy', `categoricalCrossentropy([${pName}], [z], { fromLogits: true })`, () =>
      categoricalCrossentropy([t], [z], { fromLogits: true }),
    );
    if (isClass) {
      add('sparseSoftmaxCrossEntropyWithLogits', `sparseSoftmaxCrossEntropyWithLogits([${yName}], [z])`, () =>
        sparseSoftmaxCrossEntropyWithLogits([y], [z]),
      );
      add('sparseCategoricalCrossentropy', `sparseCategoricalCrossentropy([${yName}], [z], { fromLogits: true })`, () =>
        sparseCategoricalCrossentropy([y], [z], { fromLogits: true }),
      );
    }
  } else {
    const q = Array.from(readFlat(softmax(tensor(z))));
    add('categoricalCrossentropy', `categoricalCrossentropy([${pName}], [softmax(z)])`, () => categoricalCrossentropy([t], [q]));
    add('crossEntropy', `crossEntropy(${pName}, softmax(z))`, () => crossEntropy(t, q));
    if (isClass)
      add('sparseCategoricalCrossentropy', `sparseCategoricalCrossentropy([${yName}], [softmax(z)])`, () =>
        sparseCategoricalCrossentropy([y], [q]),
      );
  }
  return out;
}
