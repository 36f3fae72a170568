# Trains a small torch.nn model for a few Adam steps (seeded), saves its state dict as a
# safetensors file the way safetensors.torch.save_file does (metadata {'format': 'pt'}), and
# prints the trained model's logits on x, for xent to load the file and compare.
import json
import sys

import torch
import torch.nn.functional as F

from mlp import mlp
from safetensors_io import save

job = json.load(sys.stdin)
dtype = {'float64': torch.float64, 'float32': torch.float32}[job['dtype']]
torch.manual_seed(job['seed'])
model = mlp(job['sizes'], job['activation'], dtype)
x = torch.tensor(job['x'], dtype=dtype)
y = torch.tensor(job['y'], dtype=torch.int64)
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
for _ in range(job['steps']):
    optimizer.zero_grad()
    F.cross_entropy(model(x), y).backward()
    optimizer.step()
save(job['path'], model.state_dict(), {'format': 'pt'})
with torch.no_grad():
    json.dump({'logits': model(x).tolist()}, sys.stdout)
