// The public losses of @xent/losses, forward and backward, with their default
// options (reduction 'mean'), against the fused @xent/autograd op they wrap
// plus `mean`: what the option parsing, the shape checks, the value checks
// (validate) and the reduction cost on top of the kernel.
//   losses-sparse:   sparseSoftmaxCrossEntropyWithLogits(labels, z), int32 labels
//   losses-onehot:   softmaxCrossEntropyWithLogits(onehot, z)
//   losses-sigmoid:  sigmoidCrossEntropyWithLogits(targets, z), 0/1 targets
// All on logits [rows, cols] (default [512, 1000]) in float64. The -tiny rows ([128, 1] sigmoid,
// [128, 10] sparse: a teaching-size training step) show what a call costs beyond its kernel.
import * as AG from '@xent/autograd';
import { mean } from '@xent/autograd';
import * as L from '@xent/losses';
import { fromFlat, type Tensor } from '@xent/tensor';
import { normal } from '../data.js';
import type { Impl, Prepared, Workload } from '../runner.js';
import {
  bernoulli,
  gradThenLoss,
  oneHot,
  randomLabels,
  sigmoidCrossEntropyF64,
  softmaxCrossEntropyRowsF64,
  sparseSoftmaxCrossEntropyRowsF64,
  valueAndGradImpl,
} from './cross-entropy.js';

export type LossKind = 'sparse' | 'onehot' | 'sigmoid';

export interface LossesOptions {
  kind: LossKind;
  rows?: number;
  cols?: number;
  seed?: number;
  /** A teaching-size row (named losses-<kind>-tiny): per-call costs, not kernel speed. */
  tiny?: boolean;
}

const LOSS = 'xent: loss';
const NO_VALIDATE = 'xent: loss, validate: false';
const FUSED = 'xent: fused op + mean';

/** valueAndGrad of f at z; result() is the gradient, then the (mean) loss. */
function gradImpl(name: string, kind: 'xent' | 'variant', f: (z: Tensor) => Tensor, z: Tensor): Impl {
  return valueAndGradImpl(name, kind, f, z, 1);
}

const SPEC: Record<LossKind, { fn: string; op: string; what: string }> = {
  sparse: {
    fn: 'sparseSoftmaxCrossEntropyWithLogits(labels, z)',
    op: 'mean(sparseSoftmaxCrossEntropyWithLogits(labels, z))',
    what: 'sparse softmax cross entropy with int32 labels',
  },
  onehot: {
    fn: 'softmaxCrossEntropyWithLogits(P, z)',
    op: 'mean(softmaxCrossEntropyWithLogits(P, z))',
    what: 'softmax cross entropy with one-hot targets P',
  },
  sigmoid: {
    fn: 'sigmoidCrossEntropyWithLogits(P, z)',
    op: 'mean(sigmoidCrossEntropyWithLogits(P, z))',
    what: 'sigmoid cross entropy with 0/1 targets P (30% ones), mean over every element',
  },
};

/** What { validate: false } leaves out, per loss. */
const VALIDATE_SKIPS: Record<LossKind, string> = {
  sparse: 'which changes nothing here: with logits the only value check is the label range check, which always runs',
  onehot: 'no pass checking that every target row is a distribution',
  sigmoid: 'no pass checking that every target is in [0, 1]',
};

/** The public loss of `kind` against the fused op + mean and a hand loop (see the header). */
export function lossesWorkload({ kind, rows = 512, cols = 1000, seed = 20261201, tiny = false }: LossesOptions): Workload {
  const name = `losses-${kind}${tiny ? '-tiny' : ''}`;
  const spec = SPEC[kind];
  const n = rows * cols;
  const loopName = kind === 'sigmoid' ? 'loop: single pass' : 'loop: fused rows';
  return {
    name,
    description:
      `@xent/losses ${spec.fn} with default options (reduction 'mean'), forward and backward: ${spec.what}, ` +
      `logits z [${rows}, ${cols}] ~ N(0, ${kind === 'sigmoid' ? '2²' : '3²'}), float64.`,
    dtype: 'float64',
    throughput: { perRun: n, unit: 'Melem/s', scale: 1e6 },
    goals: [
      { subject: NO_VALIDATE, baseline: FUSED, maxRatio: 1.2, text: `the loss with validate: false within 1.2× of the fused op + mean` },
      { baseline: FUSED, maxRatio: 1.5, text: `the loss with validation (the default) within 1.5× of the fused op + mean` },
    ],
    notes: [
      `Every xent row is valueAndGrad(f)(z): '${LOSS}' is f = (z) => ${spec.fn} from @xent/losses (options parsed, shapes and values checked, reduction 'mean'); ` +
        `'${NO_VALIDATE}' passes { validate: false } (${VALIDATE_SKIPS[kind]}); ` +
        `'${FUSED}' is f = (z) => ${spec.op} from @xent/autograd alone.`,
      `The loop computes the mean loss and its gradient in one call into a buffer allocated once (see the cross-entropy workloads); it is context, not a goal here.`,
      'Compared: the gradient with respect to the logits, then the mean loss.',
    ],
    async setup(): Promise<Prepared> {
      const shape = [rows, cols];
      const Z = normal(n, seed, 0, kind === 'sigmoid' ? 2 : 3);
      const z = fromFlat(Z, shape);
      let impls: Impl[];
      if (kind === 'sparse') {
        const labels = randomLabels(rows, cols, seed + 1);
        const y = fromFlat(labels, [rows]);
        const G = new Float64Array(n);
        let loss = 0;
        impls = [
          gradImpl(LOSS, 'xent', (t) => L.sparseSoftmaxCrossEntropyWithLogits(y, t), z),
          gradImpl(NO_VALIDATE, 'variant', (t) => L.sparseSoftmaxCrossEntropyWithLogits(y, t, { validate: false }), z),
          gradImpl(FUSED, 'variant', (t) => mean(AG.sparseSoftmaxCrossEntropyWithLogits(y, t)), z),
          {
            name: loopName,
            kind: 'loop',
            run: () => (loss = sparseSoftmaxCrossEntropyRowsF64(Z, labels, rows, cols, G, 1 / rows)),
            result: () => gradThenLoss(G, loss, 1),
          },
        ];
      } else if (kind === 'onehot') {
        const P = oneHot(randomLabels(rows, cols, seed + 1), cols);
        const p = fromFlat(P, shape);
        const G = new Float64Array(n);
        let loss = 0;
        impls = [
          gradImpl(LOSS, 'xent', (t) => L.softmaxCrossEntropyWithLogits(p, t), z),
          gradImpl(NO_VALIDATE, 'variant', (t) => L.softmaxCrossEntropyWithLogits(p, t, { validate: false }), z),
          gradImpl(FUSED, 'variant', (t) => mean(AG.softmaxCrossEntropyWithLogits(p, t)), z),
          {
            name: loopName,
            kind: 'loop',
            run: () => (loss = softmaxCrossEntropyRowsF64(Z, P, rows, cols, G, 1 / rows)),
            result: () => gradThenLoss(G, loss, 1),
          },
        ];
      } else {
        const P = bernoulli(n, seed + 1);
        const p = fromFlat(P, shape);
        const G = new Float64Array(n);
        let loss = 0;
        impls = [
          gradImpl(LOSS, 'xent', (t) => L.sigmoidCrossEntropyWithLogits(p, t), z),
          gradImpl(NO_VALIDATE, 'variant', (t) => L.sigmoidCrossEntropyWithLogits(p, t, { validate: false }), z),
          gradImpl(FUSED, 'variant', (t) => mean(AG.sigmoidCrossEntropyWithLogits(p, t)), z),
          {
            name: loopName,
            kind: 'loop',
            run: () => (loss = sigmoidCrossEntropyF64(Z, P, n, G, 1 / n)),
            result: () => gradThenLoss(G, loss, 1),
          },
        ];
      }
      return { impls };
    },
  };
}
