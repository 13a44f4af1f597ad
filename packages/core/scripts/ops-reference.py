"""Reference values for the op table's new ops, from mpmath at 60 digits
(values and first derivatives, rounded once to doubles) and PyTorch's
conventions at kinks and NaN (float64). Run once:

    /usr/bin/python3 packages/core/scripts/ops-reference.py > packages/core/src/ops-reference.json
    npx prettier --write packages/core/src/ops-reference.json

Tests read the JSON; neither they nor CI need Python.
"""
import json
import math

import mpmath as mp

mp.mp.dps = 60


def num(x):
    """A double as JSON can hold it (non-finite as strings)."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


UNARY = {
    "sin": (mp.sin, [-3.0, -1e-8, 0.0, 0.5, 1.0, 2.0, 10.0, 1e5]),
    "cos": (mp.cos, [-3.0, 0.0, 0.5, 1.5707963267948966, 2.0, 10.0, 1e5]),
    "tan": (mp.tan, [-1.2, 0.0, 0.5, 1.0, 1.5, 10.0]),
    "asin": (mp.asin, [-0.999, -0.5, 0.0, 1e-10, 0.5, 0.9999999]),
    "acos": (mp.acos, [-0.999, -0.5, 0.0, 0.5, 0.9999999]),
    "atan": (mp.atan, [-1e10, -2.0, 0.0, 0.5, 3.0, 1e10]),
    "sinh": (mp.sinh, [-5.0, -1e-9, 0.0, 0.5, 3.0, 700.0]),
    "cosh": (mp.cosh, [-5.0, 0.0, 0.5, 3.0, 700.0]),
    "asinh": (mp.asinh, [-1e200, -3.0, 0.0, 1e-9, 0.5, 3.0, 1e200]),
    "acosh": (mp.acosh, [1.0000001, 1.5, 3.0, 1e10, 1e200]),
    "atanh": (mp.atanh, [-0.999, -0.5, 0.0, 1e-9, 0.5, 0.999]),
    "log1p": (mp.log1p, [-0.999, -0.5, -1e-20, 0.0, 1e-20, 0.5, 1e10]),
    "expm1": (mp.expm1, [-40.0, -1.0, -1e-20, 0.0, 1e-20, 0.5, 10.0]),
    "log2": (lambda x: mp.log(x, 2), [1e-300, 0.5, 1.0, 3.0, 1024.0, 1e300]),
    "log10": (mp.log10, [1e-300, 0.5, 1.0, 3.0, 1000.0, 1e300]),
    "erf": (mp.erf, [-7.0, -3.0, -1.0, -0.5, -1e-30, 0.0, 1e-10, 0.3, 0.84375, 1.0, 1.25, 2.0,
                     2.857142857142857, 3.5, 5.9, 6.0, 30.0]),
    "erfc": (mp.erfc, [-7.0, -3.0, -1.0, -0.5, 0.0, 1e-10, 0.3, 0.84375, 1.0, 1.25, 2.0,
                       2.857142857142857, 3.5, 5.9, 10.0, 26.0, 27.0]),
    "gelu": (lambda x: x * mp.ncdf(x), [-40.0, -10.0, -3.0, -1.0, -1e-10, 0.0, 0.5, 1.0, 3.0, 10.0]),
    "silu": (lambda x: x / (1 + mp.exp(-x)), [-800.0, -40.0, -3.0, -1.0, 0.0, 0.5, 3.0, 40.0, 800.0]),
}


# The first derivatives in closed form (mp.diff would step out of the domain at its edges).
SLOPE = {
    "sin": mp.cos,
    "cos": lambda x: -mp.sin(x),
    "tan": lambda x: 1 / mp.cos(x) ** 2,
    "asin": lambda x: 1 / mp.sqrt(1 - x * x),
    "acos": lambda x: -1 / mp.sqrt(1 - x * x),
    "atan": lambda x: 1 / (1 + x * x),
    "sinh": mp.cosh,
    "cosh": mp.sinh,
    "asinh": lambda x: 1 / mp.sqrt(x * x + 1),
    "acosh": lambda x: 1 / mp.sqrt(x * x - 1),
    "atanh": lambda x: 1 / (1 - x * x),
    "log1p": lambda x: 1 / (1 + x),
    "expm1": mp.exp,
    "log2": lambda x: 1 / (x * mp.log(2)),
    "log10": lambda x: 1 / (x * mp.log(10)),
    "erf": lambda x: 2 / mp.sqrt(mp.pi) * mp.exp(-x * x),
    "erfc": lambda x: -2 / mp.sqrt(mp.pi) * mp.exp(-x * x),
    "gelu": lambda x: mp.ncdf(x) + x * mp.npdf(x),
    "silu": lambda x: (1 / (1 + mp.exp(-x))) * (1 + x * (1 - 1 / (1 + mp.exp(-x)))),
}


def unary_cases():
    out = {}
    for name, (f, points) in UNARY.items():
        rows = []
        for x in points:
            value = f(mp.mpf(x))
            slope = SLOPE[name](mp.mpf(x))
            rows.append({"x": x, "value": num(value), "slope": num(slope)})
        out[name] = rows
    return out


def binary_cases():
    hyp = []
    for a, b in [(3.0, 4.0), (1e300, 1e300), (1e-300, 1e-300), (-5.0, 12.0), (1e200, 1.0), (0.0, 2.0)]:
        A, B = mp.mpf(a), mp.mpf(b)
        h = mp.sqrt(A * A + B * B)
        hyp.append({"a": a, "b": b, "value": num(h), "da": num(A / h), "db": num(B / h)})
    at2 = []
    for y, x in [(1.0, 1.0), (1.0, -1.0), (-2.0, 0.5), (1e-300, 1e-300), (1e300, 1e300), (0.0, 2.0), (3.0, 0.0)]:
        Y, X = mp.mpf(y), mp.mpf(x)
        r2 = X * X + Y * Y
        at2.append({"y": y, "x": x, "value": num(mp.atan2(Y, X)), "dy": num(X / r2), "dx": num(-Y / r2)})
    return {"hypot": hyp, "atan2": at2}


def torch_conventions():
    """What PyTorch (float64) answers at the edges the docs promise to follow."""
    import torch

    def value_and_grads(f, *xs):
        ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
        y = f(*ts)
        gs = torch.autograd.grad(y, ts, allow_unused=True)
        return [num(y.item())] + [num(0.0 if g is None else g.item()) for g in gs]

    nan = float("nan")
    return {
        "pow_zero_negative": value_and_grads(lambda a, b: a ** b, 0.0, -2.0),
        "pow_negzero_negative": value_and_grads(lambda a, b: a ** b, -0.0, -2.0),
        "pow_zero_positive": value_and_grads(lambda a, b: a ** b, 0.0, 2.0),
        "pow_one_nan": value_and_grads(lambda a, b: a ** b, 1.0, nan),
        "relu_nan": value_and_grads(torch.relu, nan),
        "max_nan_left": value_and_grads(torch.maximum, nan, 1.0),
        "max_nan_right": value_and_grads(torch.maximum, 1.0, nan),
        "min_nan_left": value_and_grads(torch.minimum, nan, 1.0),
        "max_tie": value_and_grads(torch.maximum, 2.0, 2.0),
        "round_ties": [num(torch.round(torch.tensor(x, dtype=torch.float64)).item())
                       for x in [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5]],
        "sign_zero": value_and_grads(torch.sign, 0.0),
        "clamp_at_min": value_and_grads(lambda x: torch.clamp(x, -1.0, 1.0), -1.0),
        "clamp_at_max": value_and_grads(lambda x: torch.clamp(x, -1.0, 1.0), 1.0),
        "clamp_outside": value_and_grads(lambda x: torch.clamp(x, -1.0, 1.0), 2.0),
        "leaky_relu_zero": value_and_grads(lambda x: torch.nn.functional.leaky_relu(x, 0.01), 0.0),
        "elu_zero": value_and_grads(lambda x: torch.nn.functional.elu(x, 1.0), 0.0),
        "asin_one": value_and_grads(torch.asin, 1.0),
        "asin_minus_one": value_and_grads(torch.asin, -1.0),
        "acos_one": value_and_grads(torch.acos, 1.0),
        "acos_minus_one": value_and_grads(torch.acos, -1.0),
        "gelu_minus_40": value_and_grads(torch.nn.functional.gelu, -40.0),
        "silu_minus_800": value_and_grads(torch.nn.functional.silu, -800.0),
    }


print(json.dumps({"unary": unary_cases(), "binary": binary_cases(), "torch": torch_conventions()}, indent=1))
