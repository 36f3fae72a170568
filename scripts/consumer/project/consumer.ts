// A TypeScript consumer, type-checked against the installed packages with strict flags (skipLibCheck: false,
// exactOptionalPropertyTypes, noUncheckedIndexedAccess) under module nodenext and moduleResolution bundler.
import { tensor, zeros, randn, Rng, XentError, type Tensor, type DType } from '@xent/tensor';
import { param, add, matmul, valueAndGrad, gradCheck, graphTable } from '@xent/autograd';
import { sparseSoftmaxCrossEntropyWithLogits, chooseLoss, type LossOptions, type Reduction } from '@xent/losses';
import { SGD, Adam, CosineAnnealingLR, clipGradNorm } from '@xent/optim';
import { MLP, makeMoons, type StateDict } from '@xent/nn';

const dtype: DType = 'float64';
const rng = new Rng(0);
const X: Tensor = randn([8, 4], rng);
const labels = tensor([0, 1, 2, 1, 0, 2, 1, 0], { dtype: 'int32' });
const W = param(zeros([4, 3], dtype)),
  b = param(zeros([3]));
const opt = new SGD([W, b], { lr: 0.1, momentum: 0.9 });
const adam = new Adam([W], { lr: 0.01 });
const schedule = new CosineAnnealingLR(adam, { tMax: 10 });
const reduction: Reduction = 'mean';
const options: LossOptions = { reduction };
const loss = sparseSoftmaxCrossEntropyWithLogits(labels, add(matmul(X, W), b), options);
loss.backward();
clipGradNorm([W, b], 1);
opt.step();
schedule.step();
const value: number = loss.item();
const f = (x: Tensor): Tensor => x.mul(x).sum();
const { grads } = valueAndGrad(f)(tensor([3]));
const first: Tensor | undefined = grads[0];
const check = gradCheck((x) => x.mul(x).sum(), [randn([2, 2], 1)]);
try {
  tensor([1, 2]).reshape([3]);
} catch (e) {
  if (e instanceof XentError) console.log(e.code);
}
console.log(value, first?.toArray(), check.ok, chooseLoss({ classes: 10, predictions: 'logits', targets: 'indices' }).name);
console.log(graphTable(loss).split('\n').length);
const mlp = new MLP([2, 8, 2]);
const moons = makeMoons({ n: 20 });
const state: StateDict = mlp.stateDict();
console.log(mlp.forward(tensor(moons.x, { shape: [moons.n, 2] })).shape, Object.keys(state).length);
