"""Runs ONNX's own checker (with shape inference) on exported models, by hand:

    /usr/bin/python3 packages/io/scripts/check-onnx.py model.onnx [more.onnx ...]

Needs Debian's python3-onnx (1.12: IR version 8, opsets up to 17). The tests do
not need it: they load every export in onnxruntime-node instead.
"""
import sys

import onnx

for path in sys.argv[1:]:
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    print(f"{path}: valid (IR {model.ir_version}, opset {model.opset_import[0].version}, {len(model.graph.node)} nodes)")
