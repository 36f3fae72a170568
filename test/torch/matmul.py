# torch.matmul with a broadcast batch axis, and the gradients of sum(C * r) with respect to both
# operands, for each case the test sends: the operands a and b, r of C's shape, flattened, in the
# case's dtype. The reference runs in float64 on the operands rounded to that dtype; `bound` is the
# same computation on |a|, |b|, |r| (the size of the terms each entry sums, for the tolerance).
import json
import sys

import torch

DTYPES = {'float64': torch.float64, 'float32': torch.float32}


def run(a, b, r):
    a = a.detach().requires_grad_(True)
    b = b.detach().requires_grad_(True)
    c = torch.matmul(a, b)
    (c * r).sum().backward()
    return [c.detach().flatten().tolist(), a.grad.flatten().tolist(), b.grad.flatten().tolist()]


out = []
for case in json.load(sys.stdin):
    def operand(name, shape):
        rounded = torch.tensor(case[name], dtype=DTYPES[case['dtype']])
        return rounded.to(torch.float64).reshape(shape)

    a, b = operand('a', case['aShape']), operand('b', case['bShape'])
    r = operand('r', case['cShape'])
    out.append({'shape': list(torch.matmul(a, b).shape), 'value': run(a, b, r), 'bound': run(a.abs(), b.abs(), r.abs())})
print(json.dumps(out))
