// The size budget's entry: a page's use of tensor + autograd + losses — a loss and its gradient — as the README's
// app.mjs has it. What a bundler keeps of the three packages for it is what must stay ≤ 35.5 KB gzipped (scripts/consumer/run.mjs says why not 30).
import { tensor } from '@xent/tensor';
import { param } from '@xent/autograd';
import { softmaxCrossEntropyWithLogits } from '@xent/losses';

const logits = param(tensor([[2, 0, 0]]));
const loss = softmaxCrossEntropyWithLogits([[0, 1, 0]], logits);
loss.backward();
console.log(loss.item(), logits.grad?.toArray());
