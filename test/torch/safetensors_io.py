# The safetensors format, read and written with nothing but the standard library and torch, as
# safetensors.torch.load_file / save_file do (that package is not in Debian, and PyPI is out of
# reach here): an 8-byte little-endian header length, a JSON header (name -> dtype, shape,
# data_offsets; '__metadata__' -> strings) padded with spaces to 8 bytes, then the raw data.
import json
import struct

import torch

DTYPES = {'F64': torch.float64, 'F32': torch.float32, 'I32': torch.int32, 'I64': torch.int64}


def load(path):
    """Tensors by name, and the metadata, of a safetensors file."""
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8 : 8 + n].decode('utf-8'))
    metadata = header.pop('__metadata__', {})
    body = data[8 + n :]
    tensors = {}
    for name, info in header.items():
        begin, end = info['data_offsets']
        flat = torch.frombuffer(bytearray(body[begin:end]), dtype=DTYPES[info['dtype']]) if end > begin else torch.tensor([], dtype=DTYPES[info['dtype']])
        tensors[name] = flat.reshape(info['shape']).clone()
    return tensors, metadata


def save(path, tensors, metadata):
    """Writes tensors (contiguous, little-endian on this machine) and string metadata."""
    codes = {v: k for k, v in DTYPES.items()}
    header, chunks, offset = {'__metadata__': metadata}, [], 0
    for name, t in tensors.items():
        raw = t.detach().contiguous().numpy().tobytes()
        header[name] = {'dtype': codes[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(chunks))
