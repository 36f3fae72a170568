// The size check's entry: every export of tensor, autograd and losses kept (nothing tree-shaken away).
import * as tensor from '@xent/tensor';
import * as autograd from '@xent/autograd';
import * as losses from '@xent/losses';

Object.assign(globalThis, { xent: { tensor, autograd, losses } });
