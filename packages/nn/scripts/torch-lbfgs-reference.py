"""torch.optim.LBFGS on Rosenbrock in float64: the iterates after each step(),
run once, stored as the fixture src/optimizers/fixtures/torch-lbfgs.json.

    /usr/bin/python3 packages/nn/scripts/torch-lbfgs-reference.py

Needs Debian's python3-torch (1.13).
"""
import json
import os

import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))


def rosenbrock(p):
    total = 0
    for i in range(len(p) - 1):
        total = total + 100 * (p[i + 1] - p[i] ** 2) ** 2 + (1 - p[i]) ** 2
    return total


CASES = [
    # name, start, options, steps
    ('strongWolfe', [-1.2, 1.0], dict(line_search_fn='strong_wolfe'), 6),
    ('none', [-1.2, 1.0], dict(lr=0.01), 8),
    ('none-lr1-maxIter5', [-1.2, 1.0], dict(max_iter=5), 3),
    ('strongWolfe-history3-maxIter5', [-1.2, 1.0, -1.2, 1.0], dict(line_search_fn='strong_wolfe', history_size=3, max_iter=5), 8),
    ('strongWolfe-maxEval7', [-1.2, 1.0], dict(line_search_fn='strong_wolfe', max_eval=7), 5),
]


def run(start, options, steps):
    # One 0-dimensional tensor per parameter, as @ag/nn has one Value per parameter.
    params = [torch.tensor(v, requires_grad=True) for v in start]
    opt = torch.optim.LBFGS(params, **options)
    evaluations = 0

    def closure():
        nonlocal evaluations
        evaluations += 1
        opt.zero_grad()
        loss = rosenbrock(params)
        loss.backward()
        return loss

    out = []
    for _ in range(steps):
        first = opt.step(closure)
        out.append({'loss': float(first), 'params': [float(p) for p in params], 'evaluations': evaluations})
    return out


def main():
    cases = []
    for name, start, options, steps in CASES:
        cases.append({'name': name, 'start': start, 'options': options, 'steps': run(start, options, steps)})
    path = os.path.join(HERE, '..', 'src', 'optimizers', 'fixtures', 'torch-lbfgs.json')
    with open(path, 'w') as fh:
        json.dump({'generator': 'packages/nn/scripts/torch-lbfgs-reference.py', 'torch': torch.__version__,
                   'note': 'torch.optim.LBFGS on Rosenbrock, float64; after each step(closure): the loss it returned '
                           '(the first of the step), the parameters, and the closure calls so far',
                   'cases': cases}, fh, indent=1)
        fh.write('\n')
    for c in cases:
        print(c['name'], c['steps'][-1])


if __name__ == '__main__':
    main()
