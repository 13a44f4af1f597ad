"""Reference fixtures for @ag/io's tests, made once with PyTorch (Debian's
python3-torch 1.13) and committed; the tests never need Python.

    /usr/bin/python3 packages/io/scripts/make-fixtures.py

For each PyTorch module: its weights as a safetensors file (written below per
the format's specification, as `safetensors.torch.save_file` lays it out:
an 8-byte little-endian header length, a JSON header padded with spaces to a
multiple of 8, then the tensors' little-endian bytes in state_dict order), and
in torch-reference.json its keys and shapes, some inputs and the module's
outputs on them.
"""
import json
import pathlib
import struct

import torch
from torch import nn

HERE = pathlib.Path(__file__).resolve().parent.parent / "fixtures"
DTYPES = {torch.float64: ("F64", "<d"), torch.float32: ("F32", "<f")}


def save_file(state, path):
    header = {"__metadata__": {"format": "pt"}}
    chunks = []
    offset = 0
    for name, tensor in state.items():
        dtype, fmt = DTYPES[tensor.dtype]
        values = tensor.contiguous().view(-1).tolist()
        data = struct.pack("<%d%s" % (len(values), fmt[1]), *values)
        header[name] = {
            "dtype": dtype,
            "shape": list(tensor.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def load_file(path):
    """The reader a PyTorch user would use, per the specification (a check of the writer)."""
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = {v[0]: k for k, v in DTYPES.items()}[info["dtype"]]
        begin, end = info["data_offsets"]
        buf = bytearray(raw[8 + n + begin : 8 + n + end])
        out[name] = torch.frombuffer(buf, dtype=dtype).reshape(info["shape"])
    return out


def case(name, module, nin, samples=16):
    module = module.double()
    inputs = torch.randn(samples, nin, dtype=torch.float64) * 2
    with torch.no_grad():
        outputs = module(inputs)
        single = module.float()
        outputs32 = single(inputs.float())
        state32 = {k: v.clone() for k, v in single.state_dict().items()}
        module.double()
    state = module.state_dict()
    save_file(state, HERE / f"{name}-f64.safetensors")
    save_file(state32, HERE / f"{name}-f32.safetensors")
    # The reader must give back PyTorch's own tensors, and load_state_dict accept them.
    back = load_file(HERE / f"{name}-f64.safetensors")
    assert all(torch.equal(back[k], v) for k, v in state.items())
    module.load_state_dict(back)
    return {
        "module": repr(module),
        "keys": list(state.keys()),
        "shapes": {k: list(v.shape) for k, v in state.items()},
        "weights": {k: v.reshape(-1).tolist() for k, v in state.items()},
        "inputs": inputs.tolist(),
        "outputs": outputs.tolist(),
        "outputsFloat32": outputs32.double().tolist(),
    }


def main():
    torch.manual_seed(20)
    cases = {
        # MLP(2, [4, 3, 1], { activation: ['relu', 'tanh'], outputActivation: 'sigmoid' })
        "mlp": case(
            "mlp",
            nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 1), nn.Sigmoid()),
            2,
        ),
        # MLP(3, [3, 2], { activation: 'linear' }): no activation module, so no index skipped
        "mlp-linear": case("mlp-linear", nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 2)), 3),
        # Linear(3, 2)
        "linear": case("linear", nn.Linear(3, 2), 3),
    }
    (HERE / "torch-reference.json").write_text(json.dumps(cases, indent=1) + "\n")
    print("torch", torch.__version__, "wrote", ", ".join(sorted(p.name for p in HERE.iterdir())))


if __name__ == "__main__":
    main()
