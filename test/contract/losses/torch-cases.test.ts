// Contract §4: "where PyTorch defines a case, the numbers match PyTorch in float64". Every case of
// torch-cases.json (PyTorch 1.13, float64; the repository's copy of /work/shared/reference/torch-cases.json),
// value and gradient of Σ(output) with respect to the predictions, called exactly as the file names them.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectClose, flat, targetTensor, xentValueAndGrad, type LossName, type Nested, type Opts } from './reference.js';

interface TorchCase {
  id: string;
  loss: LossName;
  targetsDtype: 'int32' | 'float';
  targets: Nested;
  predictions: Nested;
  options: Opts;
  value: Nested;
  grad: Nested;
}

const file = join(dirname(fileURLToPath(import.meta.url)), '../../../packages/losses/test/fixtures/torch-cases.json');
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: TorchCase[] };

describe('torch-cases.json', () => {
  it('holds the 211 cases over the eight losses PyTorch defines', () => {
    expect(cases).toHaveLength(211);
    expect(new Set(cases.map((c) => c.loss)).size).toBe(8);
  });

  for (const c of cases) {
    it(`${c.id} ${JSON.stringify(c.options)}`, () => {
      const got = xentValueAndGrad(c.loss, targetTensor(c.targets, c.targetsDtype === 'int32'), c.predictions, c.options);
      expectClose(got.value, flat(c.value), { rtol: 1e-9, atol: 1e-12 }, 'value');
      expectClose(got.grad, flat(c.grad), { rtol: 1e-9, atol: 1e-12 }, 'gradient');
    });
  }
});
