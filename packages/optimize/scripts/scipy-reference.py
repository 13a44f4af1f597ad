"""SciPy's MINPACK on the NIST StRD problems, and SciPy's L-BFGS-B on the
test functions of `minimize`: run once, results committed as fixtures.

    /usr/bin/python3 packages/optimize/scripts/scipy-reference.py [nist] [minimize]

Writes packages/optimize/nist/scipy-minpack.json and
packages/optimize/src/fixtures/scipy-lbfgsb.json. Needs Debian's python3-scipy
and python3-torch (torch gives the exact Jacobians, in float64).
"""
import json
import math
import os
import re

import numpy as np
import scipy
import torch
from scipy.optimize import leastsq, least_squares, minimize

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
NIST = os.path.join(HERE, '..', 'nist')

ORDER = ['Misra1a', 'Chwirut2', 'Chwirut1', 'Lanczos3', 'Gauss1', 'Gauss2', 'DanWood', 'Misra1b',
         'Kirby2', 'Hahn1', 'Nelson', 'MGH17', 'Lanczos1', 'Lanczos2', 'Gauss3', 'Misra1c',
         'Misra1d', 'Roszman1', 'ENSO', 'MGH09', 'Thurber', 'BoxBOD', 'Rat42', 'MGH10',
         'Eckerle4', 'Rat43', 'Bennett5']


def parse(name):
    lines = open(os.path.join(NIST, name + '.dat')).read().splitlines()
    s1, s2, cert, rss, at = [], [], [], None, None
    for i, line in enumerate(lines):
        m = re.match(r'^\s*b\d+\s*=\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$', line)
        if m:
            s1.append(float(m.group(1))); s2.append(float(m.group(2))); cert.append(float(m.group(3)))
        m = re.match(r'^Residual Sum of Squares:\s+(\S+)', line)
        if m:
            rss = float(m.group(1))
        if re.match(r'^\s*Data:\s+y\b', line):
            at = i
    data = np.array([[float(v) for v in l.split()] for l in lines[at + 1:] if l.strip()])
    return s1, s2, cert, rss, data


def gauss(b, x):
    return (b[0] * torch.exp(-b[1] * x) + b[2] * torch.exp(-((x - b[3]) / b[4]) ** 2)
            + b[5] * torch.exp(-((x - b[6]) / b[7]) ** 2))


def lanczos(b, x):
    return b[0] * torch.exp(-b[1] * x) + b[2] * torch.exp(-b[3] * x) + b[4] * torch.exp(-b[5] * x)


def rational(p, q):
    def f(b, x):
        num = sum(b[k] * x ** k for k in range(p))
        den = 1 + sum(b[p + k - 1] * x ** k for k in range(1, q + 1))
        return num / den
    return f


def enso(b, x):
    y = b[0] + b[1] * torch.cos(2 * math.pi * x / 12) + b[2] * torch.sin(2 * math.pi * x / 12)
    y = y + b[4] * torch.cos(2 * math.pi * x / b[3]) + b[5] * torch.sin(2 * math.pi * x / b[3])
    return y + b[7] * torch.cos(2 * math.pi * x / b[6]) + b[8] * torch.sin(2 * math.pi * x / b[6])


MODELS = {
    'Misra1a': lambda b, x: b[0] * (1 - torch.exp(-b[1] * x)),
    'Chwirut1': lambda b, x: torch.exp(-b[0] * x) / (b[1] + b[2] * x),
    'Chwirut2': lambda b, x: torch.exp(-b[0] * x) / (b[1] + b[2] * x),
    'Lanczos1': lanczos, 'Lanczos2': lanczos, 'Lanczos3': lanczos,
    'Gauss1': gauss, 'Gauss2': gauss, 'Gauss3': gauss,
    'DanWood': lambda b, x: b[0] * x ** b[1],
    'Misra1b': lambda b, x: b[0] * (1 - (1 + b[1] * x / 2) ** -2),
    'Kirby2': rational(3, 2), 'Hahn1': rational(4, 3), 'Thurber': rational(4, 3),
    'MGH17': lambda b, x: b[0] + b[1] * torch.exp(-x * b[3]) + b[2] * torch.exp(-x * b[4]),
    'Misra1c': lambda b, x: b[0] * (1 - (1 + 2 * b[1] * x) ** -0.5),
    'Misra1d': lambda b, x: b[0] * b[1] * x / (1 + b[1] * x),
    'Roszman1': lambda b, x: b[0] - b[1] * x - torch.atan(b[2] / (x - b[3])) / math.pi,
    'ENSO': enso,
    'MGH09': lambda b, x: b[0] * (x ** 2 + x * b[1]) / (x ** 2 + x * b[2] + b[3]),
    'BoxBOD': lambda b, x: b[0] * (1 - torch.exp(-b[1] * x)),
    'Rat42': lambda b, x: b[0] / (1 + torch.exp(b[1] - b[2] * x)),
    'MGH10': lambda b, x: b[0] * torch.exp(b[1] / (x + b[2])),
    'Eckerle4': lambda b, x: (b[0] / b[1]) * torch.exp(-0.5 * ((x - b[2]) / b[1]) ** 2),
    'Rat43': lambda b, x: b[0] / (1 + torch.exp(b[1] - b[2] * x)) ** (1 / b[3]),
    'Bennett5': lambda b, x: b[0] * (b[1] + x) ** (-1 / b[2]),
}


def lre(x, c):
    if x == c:
        return 15.0
    e = abs(x) if c == 0 else abs(x - c) / abs(c)
    return min(15.0, -math.log10(e)) if math.isfinite(e) and e > 0 else 0.0


def nist():
    problems = []
    for name in ORDER:
        s1, s2, cert, rss, data = parse(name)
        y = torch.tensor(data[:, 0])
        if name == 'Nelson':
            y = torch.log(y)
            x1, x2 = torch.tensor(data[:, 1]), torch.tensor(data[:, 2])
            model = lambda b: b[0] - b[1] * x1 * torch.exp(-b[2] * x2)
        else:
            x = torch.tensor(data[:, 1])
            f = MODELS[name]
            model = lambda b, f=f, x=x: f(b, x)

        def fun(b):
            return (y - model(torch.tensor(b))).numpy()

        def jac(b):
            return torch.autograd.functional.jacobian(lambda t: y - model(t), torch.tensor(b)).numpy()

        rss_at_certified = float(np.sum(fun(np.array(cert)) ** 2))
        runs = []
        for k, start in enumerate([s1, s2]):
            n = len(start)
            run = {'start': k + 1}
            for label, tol in [('tight', 1e-15), ('default', 1.49012e-08)]:
                # leastsq: MINPACK's lmder as designed (mode 1, diag from the column norms, factor 100).
                x, _, info, _, ier = leastsq(fun, np.array(start), Dfun=jac, full_output=True,
                                             ftol=tol, xtol=tol, gtol=0.0 if label == 'default' else tol)
                run['leastsq_' + label] = {
                    'x': list(map(float, x)), 'nfev': int(info['nfev']), 'njev': int(info['njev']),
                    'info': int(ier), 'lre': min(lre(float(a), c) for a, c in zip(x, cert)),
                }
                # least_squares(method='lm') with its own defaults (x_scale=1: no scaling by J).
                r = least_squares(fun, np.array(start), jac=jac, method='lm',
                                  **({'ftol': tol, 'xtol': tol, 'gtol': tol} if label == 'tight' else {}))
                run['least_squares_' + label] = {
                    'x': list(map(float, r.x)), 'nfev': int(r.nfev), 'njev': int(r.njev or 0),
                    'status': int(r.status), 'lre': min(lre(float(a), c) for a, c in zip(r.x, cert)),
                }
            # The same with a budget no problem exhausts.
            x, _, info, _, ier = leastsq(fun, np.array(start), Dfun=jac, full_output=True,
                                         ftol=1e-15, xtol=1e-15, gtol=1e-15, maxfev=10000)
            run['leastsq_tight_long'] = {
                'x': list(map(float, x)), 'nfev': int(info['nfev']), 'njev': int(info['njev']),
                'info': int(ier), 'lre': min(lre(float(a), c) for a, c in zip(x, cert)),
            }
            runs.append(run)
        problems.append({'name': name, 'certified': cert, 'certifiedRss': rss,
                         'rssAtCertified': rss_at_certified, 'runs': runs})
    out = {
        'generator': 'packages/optimize/scripts/scipy-reference.py',
        'scipy': scipy.__version__, 'torch': torch.__version__,
        'note': ('leastsq: MINPACK lmder with mode 1 (scaling from the column norms of J), factor 100, '
                 'maxfev 100*(n+1) (10000 in "tight_long"); "tight": ftol=xtol=gtol=1e-15; "default": leastsq\'s defaults '
                 '(ftol=xtol=1.49012e-8, gtol=0). least_squares: method="lm" with its defaults '
                 '(x_scale=1, max_nfev=100*n); "default": ftol=xtol=gtol=1e-8.'),
        'problems': problems,
    }
    with open(os.path.join(NIST, 'scipy-minpack.json'), 'w') as fh:
        json.dump(out, fh, indent=1)
        fh.write('\n')
    for label in ['leastsq_tight_long', 'leastsq_tight', 'least_squares_tight', 'leastsq_default', 'least_squares_default']:
        solved = sum(1 for p in problems for r in p['runs'] if r[label]['lre'] >= 6)
        print(label, solved, 'of', 2 * len(problems))
    for p in problems:
        print(p['name'], ' '.join(f"{r['leastsq_tight']['lre']:.1f}/{r['leastsq_tight']['nfev']}/{r['leastsq_tight']['njev']}" for r in p['runs']))


def logistic_data():
    """40 samples, 3 features: the same numbers as src/minimize.test-support.ts makes."""
    xs, ys = [], []
    for i in range(40):
        row = [math.sin(1.7 * i + 0.9 * j + 0.3) * (1 + 0.5 * j) for j in range(3)]
        xs.append(row)
        ys.append(1.0 if row[0] - 0.5 * row[1] + 0.3 * row[2] + 0.2 + 0.8 * math.sin(5.3 * i) > 0 else 0.0)
    return torch.tensor(xs), torch.tensor(ys)


def logistic(p):
    X, y = logistic_data()
    z = X @ p[:3] + p[3]
    return torch.mean(torch.nn.functional.softplus(z) - y * z) + 0.01 * torch.sum(p[:3] ** 2)


def rosenbrock(p):
    return torch.sum(100 * (p[1:] - p[:-1] ** 2) ** 2 + (1 - p[:-1]) ** 2)


def beale(p):
    x, y = p[0], p[1]
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2


def himmelblau(p):
    x, y = p[0], p[1]
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


MINIMIZE_PROBLEMS = [
    ('rosenbrock2', rosenbrock, [-1.2, 1.0], [1.0, 1.0]),
    ('rosenbrock10', rosenbrock, [-1.2, 1.0] * 5, [1.0] * 10),
    ('beale', beale, [1.0, 1.0], [3.0, 0.5]),
    ('himmelblau', himmelblau, [1.0, 1.0], [3.0, 2.0]),
    ('logistic', logistic, [0.0, 0.0, 0.0, 0.0], None),
]


def minimize_references():
    out = []
    for name, f, x0, known in MINIMIZE_PROBLEMS:
        def fun(x, f=f):
            t = torch.tensor(x, requires_grad=True)
            v = f(t)
            (g,) = torch.autograd.grad(v, t)
            return float(v), g.numpy().copy()
        if known is None:
            # No closed form: Newton's method with the exact Hessian, to the last digit.
            x = torch.tensor(x0)
            for _ in range(50):
                g = torch.autograd.functional.jacobian(f, x)
                H = torch.autograd.functional.hessian(f, x)
                x = x - torch.linalg.solve(H, g)
            known = x.tolist()
            newton_gradient = float(torch.autograd.functional.jacobian(f, x).abs().max())
        else:
            newton_gradient = None
        r = minimize(fun, np.array(x0), jac=True, method='L-BFGS-B',
                     options={'gtol': 1e-10, 'ftol': 0.0, 'maxiter': 10000, 'maxcor': 10})
        err = max(abs(a - b) for a, b in zip(r.x, known))
        out.append({'name': name, 'x0': x0, 'minimizer': known, 'newtonGradient': newton_gradient,
                    'lbfgsb': {'x': list(map(float, r.x)), 'nit': int(r.nit), 'nfev': int(r.nfev),
                               'maxError': float(err), 'message': str(r.message)}})
        print(name, r.nit, r.nfev, err, r.message)
    path = os.path.join(HERE, '..', 'src', 'fixtures', 'scipy-lbfgsb.json')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as fh:
        json.dump({'generator': 'packages/optimize/scripts/scipy-reference.py minimize',
                   'scipy': scipy.__version__,
                   'note': "scipy.optimize.minimize(method='L-BFGS-B', gtol=1e-10, ftol=0, maxcor=10), "
                           'exact gradients from torch (float64); the logistic minimizer by Newton with the exact Hessian',
                   'problems': out}, fh, indent=1)
        fh.write('\n')


if __name__ == '__main__':
    import sys
    parts = sys.argv[1:] or ['nist', 'minimize']
    if 'nist' in parts:
        nist()
    if 'minimize' in parts:
        minimize_references()
