# xent's MLP(sizes, { activation }) as torch.nn layers: Linear, activation, Linear, …, with the
# same state-dict names ('0.weight', '0.bias', '2.weight', …) and shapes.
import torch

ACTIVATIONS = {'relu': torch.nn.ReLU, 'tanh': torch.nn.Tanh, 'sigmoid': torch.nn.Sigmoid}


def mlp(sizes, activation, dtype=torch.float64):
    layers = []
    for i in range(len(sizes) - 1):
        if i > 0:
            layers.append(ACTIVATIONS[activation]())
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1], dtype=dtype))
    return torch.nn.Sequential(*layers)
