// The Node-only entries as an installed user calls them: @xent/tensor/threads (a product split over worker
// threads is the one-thread product bit for bit) and @xent/nn/node (a checkpoint saved to a file and loaded
// into a fresh model). Prints one line; run by the consumer test under every Node major it checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, getBackend, matmul, randn, readFlat } from '@xent/tensor';
import { setMatmulThreads } from '@xent/tensor/threads';
import { MLP } from '@xent/nn';
import { loadCheckpoint, saveCheckpoint } from '@xent/nn/node';
import { Adam } from '@xent/optim';

// 256³ multiply-adds: above THREADS_MIN_WORK (2²³), so two threads really share it.
const a = randn([256, 256], new Rng(1));
const b = randn([256, 256], new Rng(2));
const one = readFlat(matmul(a, b));
await setMatmulThreads(2);
const two = readFlat(matmul(a, b));
await setMatmulThreads(1);
const threads = one.every((v, i) => Object.is(v, two[i]));

const dir = mkdtempSync(join(tmpdir(), 'xent-runtime-'));
const model = new MLP([2, 4, 1], { rng: new Rng(0) });
saveCheckpoint(join(dir, 'm.safetensors'), { model, optimizer: new Adam(model.parameters(), { lr: 0.01 }), metadata: { epoch: '3' } });
const copy = new MLP([2, 4, 1], { rng: new Rng(9) });
const { epoch } = loadCheckpoint(join(dir, 'm.safetensors'), { model: copy, optimizer: new Adam(copy.parameters(), { lr: 0.01 }) });
rmSync(dir, { recursive: true });
const loaded = model.parameters().every((p, i) => {
  const [x, y] = [readFlat(p), readFlat(copy.parameters()[i])];
  return x.every((v, j) => Object.is(v, y[j]));
});

console.log(`${getBackend()} kernels; threads bit-exact: ${threads}; checkpoint loaded: ${loaded}, epoch ${epoch}`);
