# Stands in for the safetensors package (not in Debian; PyPI is out of reach) in the README's
# Python blocks: only safetensors.torch.load_file, over test/torch/safetensors_io.py.
