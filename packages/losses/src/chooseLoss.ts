// chooseLoss: which helper fits a problem, with the reason (the helper table in the root README and docs/DESIGN.md).
//   outcomes | predictions   | targets       | loss
//   2        | probabilities | any           | binaryCrossentropy
//   >2       | probabilities | distributions | categoricalCrossentropy
//   >2       | probabilities | indices       | sparseCategoricalCrossentropy
//   2        | logits        | any           | sigmoidCrossEntropyWithLogits
//   >2       | logits        | distributions | softmaxCrossEntropyWithLogits
//   >2       | logits        | indices       | sparseSoftmaxCrossEntropyWithLogits
//   several labels per example | logits | multi-hot | multiLabelCrossEntropy
import { XentError, type Tensor, type TensorLike } from '@xent/tensor';
import { booleanOption, checkArgCount, choiceOption, numberOption, parseOptions, requiredOption } from '@xent/tensor/internal';
import { binaryCrossentropy, multiLabelCrossEntropy, sigmoidCrossEntropyWithLogits } from './binaryCrossEntropy.js';
import { categoricalCrossentropy, softmaxCrossEntropyWithLogits } from './categoricalCrossEntropy.js';
import type { LossOptions } from './options.js';
import { sparseCategoricalCrossentropy, sparseSoftmaxCrossEntropyWithLogits } from './sparseCrossEntropy.js';

/** What chooseLoss needs to know about the task: outcomes per example, what the model outputs, the target form. */
export interface ChooseLossSpec {
  /** Number of outcomes (classes) per example, or per label with multiLabel; 2 is binary. */
  classes: number;
  /** What the model outputs: 'probabilities' (after sigmoid/softmax) or 'logits' (raw scores). */
  predictions: 'probabilities' | 'logits';
  /** Class indices (int labels) or distributions (one-hot, soft, or multi-hot for multiLabel). */
  targets: 'indices' | 'distributions';
  /** Several labels can be on at once for one example (multi-hot targets). */
  multiLabel?: boolean;
}

/** The name of a cross-entropy helper chooseLoss can pick (the seven of the README's table). */
export type LossName =
  | 'binaryCrossentropy'
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'sigmoidCrossEntropyWithLogits'
  | 'softmaxCrossEntropyWithLogits'
  | 'sparseSoftmaxCrossEntropyWithLogits'
  | 'multiLabelCrossEntropy';

/** A loss as chooseLoss returns it: (targets, predictions, options?) → the reduced loss tensor. */
export type LossFunction = (targets: TensorLike, predictions: TensorLike, options?: LossOptions) => Tensor;

/** chooseLoss's answer: the helper's name, the function itself, and one sentence saying why it fits the spec. */
export interface ChosenLoss {
  /** The helper's exported name. */
  name: LossName;
  /** The helper, ready to call as fn(targets, predictions, options?). */
  fn: LossFunction;
  /** Why this helper fits the spec (and what the others would get wrong). */
  why: string;
}

const SPEC = {
  classes: requiredOption(numberOption(2, '[2, ∞) whole'), 'the number of outcomes, e.g. classes: 10 (a yes/no problem is classes: 2)'),
  predictions: requiredOption(choiceOption(['probabilities', 'logits'], 'logits'), "'probabilities' (after sigmoid/softmax) or 'logits'"),
  targets: requiredOption(choiceOption(['indices', 'distributions'], 'indices'), "'indices' or 'distributions' (one-hot, soft, multi-hot)"),
  multiLabel: booleanOption(false),
} satisfies Record<keyof ChooseLossSpec, unknown>;

function invalid(msg: string): never {
  throw new XentError('INVALID_OPTION', `chooseLoss: ${msg}`);
}

/** Picks the cross-entropy helper for a problem; throws INVALID_OPTION for a spec it cannot serve. */
export function chooseLoss(spec: ChooseLossSpec): ChosenLoss {
  checkArgCount(
    'chooseLoss',
    arguments.length,
    1,
    "pass the whole spec as one object, e.g. chooseLoss({ classes: 3, predictions: 'logits', targets: 'indices' })",
  );
  const aliases = { fromlogits: 'predictions', logits: 'predictions', numclasses: 'classes' };
  const { classes, predictions, targets, multiLabel } = parseOptions('chooseLoss', spec, SPEC, { aliases });
  const pick = (name: LossName, fn: LossFunction, why: string): ChosenLoss => ({ name, fn, why });

  if (multiLabel) {
    if (targets === 'indices')
      invalid(
        `multiLabel targets are multi-hot rows (one 0/1 per label), which class indices cannot express; pass targets: 'distributions'.`,
      );
    return predictions === 'logits'
      ? pick(
          'multiLabelCrossEntropy',
          multiLabelCrossEntropy,
          'Several labels can be on at once, so each label gets its own sigmoid: the mean over labels of the sigmoid cross entropy, computed from logits (fused and stable).',
        )
      : pick(
          'binaryCrossentropy',
          binaryCrossentropy,
          'Several labels can be on at once and the predictions are sigmoid probabilities: binary cross entropy per label, averaged over the labels of each example. Prefer logits with multiLabelCrossEntropy for stability.',
        );
  }
  if (classes === 2) {
    return predictions === 'logits'
      ? pick(
          'sigmoidCrossEntropyWithLogits',
          sigmoidCrossEntropyWithLogits,
          'Two outcomes need one output unit and a sigmoid; from logits the fused sigmoid cross entropy is stable and its gradient is σ(z) − y. Targets are 0/1 (or probabilities of class 1).',
        )
      : pick(
          'binaryCrossentropy',
          binaryCrossentropy,
          'Two outcomes with a sigmoid probability per example: binary cross entropy −[y log p + (1−y) log(1−p)]. Targets are 0/1 (or probabilities of class 1).',
        );
  }
  if (predictions === 'logits') {
    return targets === 'indices'
      ? pick(
          'sparseSoftmaxCrossEntropyWithLogits',
          sparseSoftmaxCrossEntropyWithLogits,
          `${classes} exclusive classes, logits and integer labels: the fused sparse softmax cross entropy, lse(z) − z_y, with no one-hot built; gradient softmax(z) − onehot(y).`,
        )
      : pick(
          'softmaxCrossEntropyWithLogits',
          softmaxCrossEntropyWithLogits,
          `${classes} exclusive classes, logits and distribution targets (one-hot or soft): the fused softmax cross entropy −Σ y log softmax(z); gradient softmax(z) − y.`,
        );
  }
  return targets === 'indices'
    ? pick(
        'sparseCategoricalCrossentropy',
        sparseCategoricalCrossentropy,
        `${classes} exclusive classes, softmax probabilities and integer labels: −log p_y. Prefer logits with sparseSoftmaxCrossEntropyWithLogits for stability.`,
      )
    : pick(
        'categoricalCrossentropy',
        categoricalCrossentropy,
        `${classes} exclusive classes, softmax probabilities and distribution targets: −Σ y log p. Prefer logits with softmaxCrossEntropyWithLogits for stability.`,
      );
}
