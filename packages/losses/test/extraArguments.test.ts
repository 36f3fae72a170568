// An argument past chooseLoss's one spec object was dropped by JavaScript (chooseLoss({ … }, { multiLabel: true })
// picked a single-label loss): refused.
import { describe, expect, it } from 'vitest';
import { chooseLoss } from '@xent/losses';
import { expectXentError } from '../../../test/utils.js';

describe('chooseLoss takes one spec', () => {
  it('a second argument is refused', () => {
    const spec = { classes: 3, predictions: 'logits', targets: 'distributions' } as const;
    expectXentError(
      () => (chooseLoss as (...a: unknown[]) => unknown)(spec, { multiLabel: true }),
      'INVALID_ARGUMENT',
      "chooseLoss: takes at most 1 argument, got 2; pass the whole spec as one object, e.g. chooseLoss({ classes: 3, predictions: 'logits', targets: 'indices' }).",
    );
    expect(chooseLoss(spec).name).toBe('softmaxCrossEntropyWithLogits');
    expect(chooseLoss({ ...spec, multiLabel: true }).name).toBe('multiLabelCrossEntropy');
  });
});
