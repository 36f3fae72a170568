# safetensors.torch.load_file(filename, device='cpu') -> {name: tensor}, as the real package's.
from safetensors_io import load


def load_file(filename, device='cpu'):
    return {name: t.to(device) for name, t in load(filename)[0].items()}
