# Resumes, in PyTorch, a training run that xent saved as a checkpoint: the model's state dict goes
# into torch.nn layers with load_state_dict(strict=True), the optimizer's and the schedule's state
# into torch.optim with their own load_state_dict, then it trains `steps` more full-batch steps with
# F.cross_entropy and prints each step's loss and the final parameters.
import json
import sys

import torch
import torch.nn.functional as F

from mlp import mlp
from safetensors_io import load

torch.set_default_dtype(torch.float64)
job = json.load(sys.stdin)
tensors, metadata = load(job['path'])

model = mlp(job['sizes'], job['activation'])
prefix = 'optimizer.state.'
model.load_state_dict({k: v for k, v in tensors.items() if not k.startswith(prefix)}, strict=True)

saved = json.loads(metadata['xent.optimizer'])
state = {int(i): dict(entry) for i, entry in saved['state'].items()}
for name, t in tensors.items():
    if name.startswith(prefix):
        index, key = name[len(prefix) :].split('.', 1)
        state.setdefault(int(index), {})[key] = t
optimizers = {'SGD': torch.optim.SGD, 'Adam': torch.optim.Adam, 'AdamW': torch.optim.AdamW}
optimizer = optimizers[job['optimizer']](model.parameters(), lr=1.0)
optimizer.load_state_dict({'state': state, 'param_groups': saved['param_groups']})

schedules = {
    'StepLR': lambda: torch.optim.lr_scheduler.StepLR(optimizer, step_size=1),
    'CosineAnnealingLR': lambda: torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=1),
}
scheduler = schedules[job['scheduler']]() if job['scheduler'] else None
if scheduler:
    scheduler.load_state_dict(json.loads(metadata['xent.scheduler']))

x = torch.tensor(job['x'])
y = torch.tensor(job['y'], dtype=torch.int64)
losses, lrs = [], []
for _ in range(job['steps']):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    if scheduler:
        scheduler.step()
    losses.append(loss.item())
    lrs.append(optimizer.param_groups[0]['lr'])
params = {k: v.flatten().tolist() for k, v in model.state_dict().items()}
json.dump({'losses': losses, 'lrs': lrs, 'params': params}, sys.stdout)
