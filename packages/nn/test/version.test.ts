// #9 item 4: loadStateDict writes parameters in place, so it bumps their version; a
// backward through a graph recorded before the load throws instead of giving the
// gradient at the new weights.
import { describe, expect, it } from 'vitest';
import { Rng, tensor } from '@xent/tensor';
import { sum } from '@xent/autograd';
import { Linear } from '@xent/nn';
import { expectXentError } from '../../../test/utils.js';

describe('loadStateDict and saved tensors', () => {
  it('bumps the version of every parameter it writes; an older graph refuses backward with MODIFIED_IN_PLACE', () => {
    const lin = new Linear(3, 2, { rng: new Rng(1) });
    const before = lin.weight.version;
    const y = sum(lin.forward(tensor([[1, 2, 3]])));
    lin.loadStateDict({
      weight: tensor([
        [1, 0, 0],
        [0, 1, 0],
      ]),
      bias: tensor([0, 0]),
    });
    expect(lin.weight.version).toBe(before + 1);
    const e = expectXentError(() => y.backward(), 'MODIFIED_IN_PLACE');
    expect(e.message).toMatch(/modified in place/);
    // A fresh forward after the load works.
    sum(lin.forward(tensor([[1, 2, 3]]))).backward();
    expect(lin.weight.grad!.toArray()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });
});
