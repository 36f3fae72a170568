// An argument past a function's last parameter is dropped by JavaScript, and with it what the caller meant:
// clipGradNorm(params, 1, { normType: 2 }, true) (torch's error_if_nonfinite) ran without a word.
import { describe, expect, it } from 'vitest';
import { tensor } from '@xent/tensor';
import { param } from '@xent/autograd';
import { clipGradNorm } from '@xent/optim';
import { expectXentError, setGrad } from '../../../test/utils.js';

describe('clipGradNorm takes (params, maxNorm, options)', () => {
  it('a fourth argument is refused and no gradient is changed', () => {
    const a = param(tensor([0, 0]));
    setGrad(a, [3, 4]);
    const g = a.grad;
    expectXentError(
      () => (clipGradNorm as (...args: unknown[]) => number)([a], 1, { normType: 2 }, true),
      'INVALID_ARGUMENT',
      'clipGradNorm: takes at most 3 arguments, got 4; pass (params, maxNorm, { normType }), e.g. clipGradNorm(model.parameters(), 1.0, { normType: 2 }).',
    );
    expect(a.grad).toBe(g);
    expect(clipGradNorm([a], 1, { normType: 2 })).toBe(5);
  });
});
