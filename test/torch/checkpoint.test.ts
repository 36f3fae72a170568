// Checkpoints across the two frameworks, with real PyTorch on the other side (see python.ts).
// xent → PyTorch: a run trained and saved by xent is resumed by torch.nn / torch.optim /
// torch.optim.lr_scheduler from the file alone (resume.py), and must go on exactly as xent goes on.
// PyTorch → xent: a model PyTorch trained and saved loads into an xent MLP, and both give the same logits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sparseSoftmaxCrossEntropyWithLogits } from '@xent/losses';
import { Adam, AdamW, CosineAnnealingLR, SGD, StepLR, type Optimizer } from '@xent/optim';
import { MLP, makeMoons, type ActivationName } from '@xent/nn';
import { loadCheckpoint, saveCheckpoint } from '@xent/nn/node';
import { Rng, cast, readFlat, tensor, type Tensor } from '@xent/tensor';
import { runTorch } from './python.js';

const dir = mkdtempSync(join(tmpdir(), 'xent-torch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = makeMoons({ n: 64, noise: 0.1, rng: new Rng(5) });
const x = tensor(Array.from({ length: data.n }, (_, i) => [data.x[2 * i], data.x[2 * i + 1]]));
const y = tensor(data.labels);

/** Values of every parameter by state-dict name, flattened. */
const flatParams = (model: MLP): Record<string, number[]> =>
  Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, Array.from(readFlat(t))]));

/** One full-batch step of mean softmax cross entropy; returns the loss. */
function trainStep(model: MLP, optimizer: Optimizer): number {
  optimizer.zeroGrad();
  const loss = sparseSoftmaxCrossEntropyWithLogits(y, model.forward(x) as Tensor);
  loss.backward();
  optimizer.step();
  return loss.item();
}

interface Resumed {
  losses: number[];
  lrs: number[];
  params: Record<string, number[]>;
}

type Setup = { optimizer: 'SGD' | 'Adam' | 'AdamW'; scheduler: 'StepLR' | 'CosineAnnealingLR' | null; activation: ActivationName };
const setups: Setup[] = [
  { optimizer: 'Adam', scheduler: 'StepLR', activation: 'relu' },
  { optimizer: 'AdamW', scheduler: 'CosineAnnealingLR', activation: 'tanh' },
  { optimizer: 'SGD', scheduler: 'StepLR', activation: 'tanh' },
  { optimizer: 'Adam', scheduler: null, activation: 'sigmoid' },
];

describe('xent → PyTorch: a saved run resumes in torch exactly as in xent', () => {
  it.each(setups)('$optimizer, $scheduler, $activation', ({ optimizer: name, scheduler: schedName, activation }) => {
    const sizes = [2, 16, 16, 2];
    const model = new MLP(sizes, { activation, rng: new Rng(11) });
    const optimizer =
      name === 'SGD'
        ? new SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 })
        : name === 'Adam'
          ? new Adam(model.parameters(), { lr: 0.02, betas: [0.8, 0.99], weightDecay: 1e-3 })
          : new AdamW(model.parameters(), { lr: 0.02, weightDecay: 0.05 });
    const scheduler =
      schedName === 'StepLR'
        ? new StepLR(optimizer, { stepSize: 3, gamma: 0.5 })
        : schedName === 'CosineAnnealingLR'
          ? new CosineAnnealingLR(optimizer, { tMax: 10, etaMin: 1e-3 })
          : null;
    const step = () => {
      const loss = trainStep(model, optimizer);
      scheduler?.step();
      return loss;
    };
    for (let i = 0; i < 4; i++) step();
    const path = join(dir, `${name}-${schedName}-${activation}.safetensors`);
    saveCheckpoint(path, { model, optimizer, ...(scheduler ? { scheduler } : {}) });

    const steps = 6;
    const losses: number[] = [];
    const lrs: number[] = [];
    for (let i = 0; i < steps; i++) {
      losses.push(step());
      lrs.push(optimizer.lr);
    }
    const torch = runTorch<Resumed>('resume.py', {
      path,
      sizes,
      activation,
      optimizer: name,
      scheduler: schedName,
      steps,
      x: x.toArray(),
      y: Array.from(data.labels),
    });

    // Same float64 arithmetic in another order (BLAS sums, fused kernels): agreement to within a few ulps (2.2e-16 seen), not bit for bit.
    expect(torch.lrs).toHaveLength(steps);
    torch.lrs.forEach((lr, i) => expect(lr).toBeCloseTo(lrs[i], 14));
    torch.losses.forEach((loss, i) => expect(Math.abs(loss - losses[i])).toBeLessThan(1e-12 * Math.max(1, Math.abs(losses[i]))));
    const ours = flatParams(model);
    expect(Object.keys(torch.params)).toEqual(Object.keys(ours));
    for (const [k, values] of Object.entries(torch.params)) {
      const worst = Math.max(...values.map((v, i) => Math.abs(v - ours[k][i])));
      expect(worst, k).toBeLessThan(1e-14);
    }
    // The run moved: a checkpoint that dropped the optimizer state would fail the comparison above.
    expect(losses[steps - 1]).toBeLessThan(losses[0]);
  });
});

describe('PyTorch → xent: a model torch trained and saved loads into an xent MLP', () => {
  it.each([
    { dtype: 'float64', activation: 'relu', tol: 1e-14 },
    { dtype: 'float32', activation: 'tanh', tol: 1e-6 }, // the same float32 arithmetic, summed in another order
  ] as const)('$dtype, $activation', ({ dtype, activation, tol }) => {
    const sizes = [2, 32, 16, 2];
    const path = join(dir, `torch-${dtype}.safetensors`);
    const torch = runTorch<{ logits: number[][] }>('train.py', {
      path,
      sizes,
      activation,
      dtype,
      seed: 3,
      steps: 5,
      x: x.toArray(),
      y: Array.from(data.labels),
    });
    const model = new MLP(sizes, { activation, dtype, rng: new Rng(0) });
    expect(loadCheckpoint(path, { model })).toEqual({}); // no metadata but PyTorch's own 'format'
    const logits = (model.forward(cast(x, dtype)) as Tensor).toArray() as number[][];
    expect(logits).toHaveLength(data.n);
    logits.forEach((row, i) =>
      row.forEach((v, j) => expect(Math.abs(v - torch.logits[i][j])).toBeLessThan(tol * Math.max(1, Math.abs(v)))),
    );
    // The file held trained weights, not a fresh initialisation: they classify the moons.
    const right = logits.filter((row, i) => (row[1] > row[0] ? 1 : 0) === data.labels[i]).length;
    expect(right / data.n).toBeGreaterThan(0.8);
  });
});
