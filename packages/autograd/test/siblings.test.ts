// Misbehaviours found by probing the public API as a hostile user would (the siblings of issue #9's
// findings): each test failed before its fix. No silent wrong answer: a right number or an XentError.
import { afterEach, describe, expect, it } from 'vitest';
import * as K from '@xent/tensor';
import { grad, matmul, mean, param, sum } from '@xent/autograd';
import { availableBackends, normals } from '../../../test/utils.js';

const initial = K.getBackend();
afterEach(() => K.setBackend(initial));

describe('matmul with one output column (the matrix–vector kernel)', () => {
  it('the gradient of mean(X·w) for w of shape [K, 1] is Xᵀ·1/M on every backend (the broadcast dy was read as stale memory)', () => {
    const [M, Kd] = [64, 100];
    const X = K.tensor(normals(M * Kd, 1), { shape: [M, Kd] });
    const rows = X.toArray() as number[][];
    // d mean(X·w)/dw_k = Σ_i X[i, k] / M, by a plain loop
    const expected = Array.from({ length: Kd }, (_, k) => rows.reduce((s, r) => s + r[k], 0) / M);
    for (const backend of availableBackends()) {
      K.setBackend(backend);
      {
        const [g] = grad((w: K.Tensor) => mean(matmul(X, w)))(K.zeros([Kd, 1]));
        expect(g.values()).toBeAllClose(expected, { rtol: 1e-12, atol: 1e-14 });
        const w = param(K.zeros([Kd, 1]));
        sum(matmul(X, w)).backward();
        expect(w.grad!.values()).toBeAllClose(
          expected.map((v) => v * M),
          { rtol: 1e-12, atol: 1e-12 },
        );
      }
    }
  });
});
