"""One table of op cases that feeds all three oracles: hand formulas, finite differences, PyTorch.

Each row names an op, how to apply it to Values and to PyTorch tensors, its value and partial
derivatives derived by hand, the domain to draw random inputs from, and edge points (0, kinks,
domain edges, large |x|). Adding an op to the engine means adding one row here; the tests in
test_ops_hand.py, test_ops_finite_diff.py, test_torch_crosscheck.py and
test_one_formula.py all read this table.

The PyTorch column takes the ``torch`` module as its first argument, so this file imports
nothing outside the project and the tests that do not use PyTorch run without it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import autograd
from autograd import Value, ops


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def _gelu_inner(x: float) -> float:  # gelu's tanh form: u = sqrt(2/pi) (x + 0.044715 x^3)
    return math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)


def _gelu(x: float) -> float:
    return 0.5 * x * (1 + math.tanh(_gelu_inner(x)))


def _gelu_derivative(x: float) -> float:
    """d/dx [x/2 (1 + tanh u)] = (1 + tanh u)/2 + x/2 sech^2(u) u',  u' = sqrt(2/pi) (1 + 3 * 0.044715 x^2)."""
    u = _gelu_inner(x)
    sech2 = 1 / math.cosh(u) ** 2 if abs(u) < 300 else 0.0
    return 0.5 * (1 + math.tanh(u)) + 0.5 * x * sech2 * math.sqrt(2 / math.pi) * (1 + 3 * 0.044715 * x**2)


@dataclass(frozen=True)
class OpCase:
    """One op under test. ``apply`` and ``torch`` take as many arguments as ``domains`` has."""

    name: str
    apply: Callable[..., Value]
    torch: Callable[..., Any]  # (torch module, *tensors) -> tensor
    value: Callable[..., float]  # the hand-derived value
    grads: Callable[..., tuple[float, ...]]  # the hand-derived partial derivatives
    domains: tuple[tuple[float, float], ...]  # where random inputs are drawn, per input
    edges: tuple[tuple[float, ...], ...] = ()  # points to check exactly: 0, kinks, domain edges, |x| = 1000
    kinks: tuple[float, ...] = ()  # finite differences keep 1e-3 away from these
    smooth: bool = True  # twice differentiable on the domain (for the second-derivative oracle)

    @property
    def arity(self) -> int:
        return len(self.domains)


W = (-3.0, 3.0)
POSITIVE = (0.05, 20.0)
LARGE = ((1000.0,), (-1000.0,))

CASES: list[OpCase] = [
    OpCase(
        "add", lambda a, b: a + b, lambda T, a, b: a + b, lambda a, b: a + b, lambda a, b: (1.0, 1.0), (W, W)
    ),
    OpCase("radd", lambda a: 3 + a, lambda T, a: 3 + a, lambda a: 3 + a, lambda a: (1.0,), (W,)),
    OpCase(
        "sub", lambda a, b: a - b, lambda T, a, b: a - b, lambda a, b: a - b, lambda a, b: (1.0, -1.0), (W, W)
    ),
    OpCase("rsub", lambda a: 5 - a, lambda T, a: 5 - a, lambda a: 5 - a, lambda a: (-1.0,), (W,)),
    OpCase("neg", lambda a: -a, lambda T, a: -a, lambda a: -a, lambda a: (-1.0,), (W,), LARGE),
    OpCase(
        "mul",
        lambda a, b: a * b,
        lambda T, a, b: a * b,
        lambda a, b: a * b,
        lambda a, b: (b, a),
        (W, W),
        ((0.0, 0.0), (0.0, 2.0)),
    ),
    OpCase("rmul", lambda a: 3 * a, lambda T, a: 3 * a, lambda a: 3 * a, lambda a: (3.0,), (W,)),
    OpCase(
        "div",
        lambda a, b: a / b,
        lambda T, a, b: a / b,
        lambda a, b: a / b,
        lambda a, b: (1 / b, -a / b**2),
        (W, (0.2, 5.0)),
        ((0.0, 1.0), (1.0, -1e-3)),
    ),
    OpCase(
        "rdiv", lambda a: 6 / a, lambda T, a: 6 / a, lambda a: 6 / a, lambda a: (-6 / a**2,), ((0.2, 5.0),)
    ),
    OpCase("square", lambda a: a**2, lambda T, a: a**2, lambda a: a**2, lambda a: (2 * a,), (W,), ((0.0,),)),
    OpCase(
        "cube",
        lambda a: a**3,
        lambda T, a: a**3,
        lambda a: a**3,
        lambda a: (3 * a**2,),
        (W,),
        ((0.0,), (-2.0,)),
    ),
    OpCase(
        "inverse",
        lambda a: a**-1,
        lambda T, a: a**-1,
        lambda a: 1 / a,
        lambda a: (-1 / a**2,),
        ((0.2, 5.0),),
        ((1e-3,), (-4.0,), (1e-300,), (-1e-300,)),
    ),
    OpCase(
        "pow_frac",
        lambda a: a**1.7,
        lambda T, a: a**1.7,
        lambda a: a**1.7,
        lambda a: (1.7 * a**0.7,),
        ((0.1, 5.0),),
        ((0.0,),),
    ),
    OpCase(
        "pow_half",
        lambda a: a**0.5,
        lambda T, a: a**0.5,
        lambda a: a**0.5,
        lambda a: (0.5 * a**-0.5,),
        ((0.1, 5.0),),
        ((0.0,),),
    ),
    OpCase("pow_zero", lambda a: a**0, lambda T, a: a**0, lambda a: 1.0, lambda a: (0.0,), (W,), ((0.0,),)),
    OpCase(
        "pow_value",
        lambda a, b: a**b,
        lambda T, a, b: a**b,
        lambda a, b: a**b,
        lambda a, b: (b * a ** (b - 1), a**b * math.log(a)),
        ((0.1, 4.0), (-2.0, 3.0)),
        ((1.0, 0.0), (2.0, -1.0)),
    ),
    OpCase(
        "rpow",
        lambda a: 1.5**a,
        lambda T, a: 1.5**a,
        lambda a: 1.5**a,
        lambda a: (1.5**a * math.log(1.5),),
        (W,),
    ),
    OpCase(
        "exp",
        lambda a: a.exp(),
        lambda T, a: T.exp(a),
        math.exp,
        lambda a: (math.exp(a),),
        (W,),
        ((0.0,), (-1000.0,), (700.0,)),
    ),
    OpCase(
        "log",
        lambda a: a.log(),
        lambda T, a: T.log(a),
        math.log,
        lambda a: (1 / a,),
        (POSITIVE,),
        ((1.0,), (1000.0,), (1e-300,)),
    ),
    OpCase(
        "sqrt",
        lambda a: a.sqrt(),
        lambda T, a: T.sqrt(a),
        math.sqrt,
        lambda a: (0.5 / math.sqrt(a),),
        (POSITIVE,),
        ((0.0,), (1000.0,)),
    ),
    OpCase(
        "tanh",
        lambda a: a.tanh(),
        lambda T, a: T.tanh(a),
        math.tanh,
        lambda a: (1 - math.tanh(a) ** 2,),
        (W,),
        ((0.0,), *LARGE),
    ),
    OpCase(
        "sigmoid",
        lambda a: a.sigmoid(),
        lambda T, a: T.sigmoid(a),
        _sigmoid,
        lambda a: (_sigmoid(a) * (1 - _sigmoid(a)),),
        ((-8.0, 8.0),),
        ((0.0,), *LARGE),
    ),
    OpCase(
        "softplus",
        lambda a: a.softplus(),
        lambda T, a: T.nn.functional.softplus(a),
        lambda a: max(a, 0) + math.log1p(math.exp(-abs(a))),
        lambda a: (_sigmoid(a),),
        ((-8.0, 8.0),),
        ((0.0,), *LARGE),
    ),
    OpCase(
        "gelu",
        lambda a: a.gelu(),
        lambda T, a: T.nn.functional.gelu(a, approximate="tanh"),
        _gelu,
        lambda a: (_gelu_derivative(a),),
        ((-4.0, 4.0),),
        ((0.0,), *LARGE),
    ),
    OpCase(
        "silu",
        lambda a: a.silu(),
        lambda T, a: T.nn.functional.silu(a),
        lambda a: a * _sigmoid(a),
        lambda a: (_sigmoid(a) + a * _sigmoid(a) * (1 - _sigmoid(a)),),
        ((-8.0, 8.0),),
        ((0.0,), *LARGE),
    ),
    OpCase(
        "relu",
        lambda a: a.relu(),
        lambda T, a: T.relu(a),
        lambda a: max(a, 0.0),
        lambda a: (1.0 if a > 0 else 0.0,),
        (W,),
        ((0.0,), *LARGE),
        kinks=(0.0,),
    ),
    OpCase(
        "leaky_relu",
        lambda a: a.leaky_relu(0.2),
        lambda T, a: T.nn.functional.leaky_relu(a, 0.2),
        lambda a: a if a > 0 else 0.2 * a,
        lambda a: (1.0 if a > 0 else 0.2,),
        (W,),
        ((0.0,), *LARGE),
        kinks=(0.0,),
    ),
    OpCase(
        "abs",
        lambda a: abs(a),
        lambda T, a: T.abs(a),
        abs,
        lambda a: (math.copysign(1.0, a) if a else 0.0,),
        (W,),
        ((0.0,), *LARGE),
        kinks=(0.0,),
    ),
    OpCase(
        "sin",
        lambda a: a.sin(),
        lambda T, a: T.sin(a),
        math.sin,
        lambda a: (math.cos(a),),
        ((-6.0, 6.0),),
        ((0.0,), *LARGE),
    ),
    OpCase(
        "cos",
        lambda a: a.cos(),
        lambda T, a: T.cos(a),
        math.cos,
        lambda a: (-math.sin(a),),
        ((-6.0, 6.0),),
        ((0.0,), *LARGE),
    ),
    OpCase(
        "tan",
        lambda a: a.tan(),
        lambda T, a: T.tan(a),
        math.tan,
        lambda a: (1 / math.cos(a) ** 2,),
        ((-1.4, 1.4),),
        ((0.0,), (1.5,), (-3.0,)),
    ),
    OpCase(
        "atan",
        lambda a: a.atan(),
        lambda T, a: T.atan(a),
        math.atan,
        lambda a: (1 / (1 + a * a),),
        (W,),
        ((0.0,), *LARGE, (1e200,)),
    ),
    OpCase(
        "identity",
        lambda a: ops.identity(a),
        lambda T, a: a.clone(),
        lambda a: a,
        lambda a: (1.0,),
        (W,),
        ((0.0,), *LARGE),
    ),
    OpCase(
        "sum",
        lambda a, b, c: autograd.sum([a, b, c]),
        lambda T, a, b, c: a + b + c,
        lambda a, b, c: a + b + c,
        lambda a, b, c: (1.0, 1.0, 1.0),
        (W, W, W),
        ((0.0, 0.0, 0.0),),
    ),
    OpCase(
        "sum_start",
        lambda a, b, c: autograd.sum([a, b], start=c),
        lambda T, a, b, c: c + a + b,
        lambda a, b, c: a + b + c,
        lambda a, b, c: (1.0, 1.0, 1.0),
        (W, W, W),
    ),
    OpCase(
        "dot",
        lambda w1, w2, x1, x2: autograd.dot([w1, w2], [x1, x2]),
        lambda T, w1, w2, x1, x2: w1 * x1 + w2 * x2,
        lambda w1, w2, x1, x2: w1 * x1 + w2 * x2,
        lambda w1, w2, x1, x2: (x1, x2, w1, w2),
        (W, W, W, W),
        ((0.0, 1.0, 2.0, 0.0),),
    ),
    OpCase(
        "dot_bias",
        lambda w1, w2, x1, x2, b: autograd.dot([w1, w2], [x1, x2], b),
        lambda T, w1, w2, x1, x2, b: w1 * x1 + w2 * x2 + b,
        lambda w1, w2, x1, x2, b: w1 * x1 + w2 * x2 + b,
        lambda w1, w2, x1, x2, b: (x1, x2, w1, w2, 1.0),
        (W, W, W, W, W),
    ),
    # an op behind a nonlinearity, so second derivatives of the fused ops meet curvature too
    OpCase(
        "tanh_dot_bias",
        lambda w1, w2, x1, x2, b: autograd.dot([w1, w2], [x1, x2], b).tanh(),
        lambda T, w1, w2, x1, x2, b: T.tanh(w1 * x1 + w2 * x2 + b),
        lambda w1, w2, x1, x2, b: math.tanh(w1 * x1 + w2 * x2 + b),
        lambda w1, w2, x1, x2, b: tuple(
            (1 - math.tanh(w1 * x1 + w2 * x2 + b) ** 2) * d for d in (x1, x2, w1, w2, 1.0)
        ),
        ((-1.0, 1.0),) * 5,
    ),
    OpCase(
        "sum_of_squares",
        lambda a, b: autograd.sum([a * a, b * a]),
        lambda T, a, b: a * a + b * a,
        lambda a, b: a * a + b * a,
        lambda a, b: (2 * a + b, a),
        (W, W),
    ),
]

BY_NAME = {case.name: case for case in CASES}

# The engine's ops of one and of two inputs by name, from the op registry, for tests that call the
# op functions themselves (the trace templates, the JavaScript twin). leaky_relu, which also takes
# a slope, is left to the tests that give it one.
UNARY: dict[str, Callable[..., Value]] = {
    o.name: o.guarded for o in ops.OPS.values() if o.arity == 1 and o.name != "leaky_relu"
}
BINARY: dict[str, Callable[..., Value]] = {o.name: o.guarded for o in ops.OPS.values() if o.arity == 2}


def sample_points(case: OpCase, count: int, seed: int) -> list[tuple[float, ...]]:
    """``count`` random points in the case's domains, 1e-3 away from its kinks (seeded)."""
    import random

    rng = random.Random(seed)
    points = []
    while len(points) < count:
        point = tuple(rng.uniform(lo, hi) for lo, hi in case.domains)
        if all(abs(x - k) > 1e-3 for x in point for k in case.kinks):
            points.append(point)
    return points
