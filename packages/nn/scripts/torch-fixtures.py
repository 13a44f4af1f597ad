"""Reference numbers from PyTorch (float64) for @ag/nn's tests (issue 18).

Run once with Debian's python3-torch (1.13): /usr/bin/python3 scripts/torch-fixtures.py
It writes src/fixtures/torch-reference.json; the tests read that file and never
need Python.
"""
import json
import pathlib

import torch

torch.set_default_dtype(torch.float64)
out = {"torch": torch.__version__}

# softmaxCrossEntropy: class weights and label smoothing, every reduction.
logits = [[0.3, -1.2, 2.0, 0.5], [1.5, 0.1, -0.4, -2.2], [-0.7, 0.9, 0.2, 1.1]]
targets = [2, 0, 3]
weight = [0.2, 1.0, 3.0, 0.5]
cases = []
for w in [None, weight]:
    for eps in [0.0, 0.1, 0.35]:
        for reduction in ["mean", "sum", "none"]:
            z = torch.tensor(logits, requires_grad=True)
            loss = torch.nn.functional.cross_entropy(
                z,
                torch.tensor(targets),
                weight=None if w is None else torch.tensor(w),
                label_smoothing=eps,
                reduction=reduction,
            )
            # The gradient of the sum of the returned numbers.
            loss.sum().backward()
            cases.append(
                {
                    "weight": w,
                    "labelSmoothing": eps,
                    "reduction": reduction,
                    "loss": loss.tolist(),
                    "grad": z.grad.tolist(),
                }
            )
out["softmaxCrossEntropy"] = {"logits": logits, "targets": targets, "cases": cases}

# Parameter groups: weights decayed, biases exempt; the gradient of a fixed
# quadratic 0.5·Σ cᵢ·(pᵢ − tᵢ)² at each step, 5 steps.
p0 = [0.5, -1.5, 2.0, 0.25]
c = [1.0, 3.0, 0.5, 2.0]
t = [1.0, 0.0, -1.0, 0.5]


def run(make):
    ps = [torch.tensor(v, requires_grad=True) for v in p0]
    opt = make(ps)
    traj = []
    for _ in range(5):
        opt.zero_grad()
        loss = sum(0.5 * ci * (p - ti) ** 2 for p, ci, ti in zip(ps, c, t))
        loss.backward()
        opt.step()
        traj.append([p.item() for p in ps])
    return traj


groups = {}
groups["SGD"] = run(
    lambda ps: torch.optim.SGD(
        [
            {"params": ps[:2], "weight_decay": 0.1},
            {"params": ps[2:], "lr": 0.05, "momentum": 0.5},
        ],
        lr=0.1,
        momentum=0.9,
    )
)
groups["Adam"] = run(
    lambda ps: torch.optim.Adam(
        [
            {"params": ps[:2], "weight_decay": 0.1},
            {"params": ps[2:], "lr": 0.01, "betas": (0.8, 0.99)},
        ],
        lr=0.05,
    )
)
groups["AdamW"] = run(
    lambda ps: torch.optim.AdamW(
        [{"params": ps[:2]}, {"params": ps[2:], "weight_decay": 0.0}],
        lr=0.05,
        weight_decay=0.3,
    )
)
out["paramGroups"] = {"p0": p0, "c": c, "t": t, "trajectories": groups}

path = pathlib.Path(__file__).resolve().parent.parent / "src" / "fixtures" / "torch-reference.json"
path.write_text(json.dumps(out, indent=1) + "\n")
print("wrote", path)
