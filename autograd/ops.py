"""The op table: each operation's forward rule and its local derivatives, side by side.

Every op below reads its inputs' numbers, computes the output ``out``, and records a node
with, for each input, the local derivative d(out)/d(input) as a plain number. That is all
the backward pass needs: the chain rule at one node is

    input.grad += local_grad * out.grad

Numbers given as operands (``x * 2``) become constant leaf Values, as in micrograd, so they
appear in pictures and in ``inputs``.

Higher-order derivatives (``backward(create_graph=True)``) need the local derivatives as
Values rather than numbers, so that they can be differentiated in turn. Each op whose
derivative depends on its inputs therefore has a ``*_graph`` rule right below it, the same
formula written with Values. Ops whose local derivatives are constants (add, sub, neg, relu,
leaky_relu, abs, sum, identity) need none: their stored numbers are already exact.

Errors name the op and the offending number; NaN inputs pass through without raising.
"""

from __future__ import annotations

import builtins
import math
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Union

from autograd.grad_mode import grad_enabled
from autograd.value import Operand, Value, to_float

Derivative = Union[Value, float]


# Set by autograd.anomaly.detect_anomaly() to a check run on every new node; None when off.
anomaly_check: Callable[[Value], None] | None = None


def record(data: float, op: str, inputs: tuple[Value, ...], local_grads: tuple[float, ...]) -> Value:
    """Make the output node of ``op``; under ``no_grad()`` a bare leaf instead."""
    if grad_enabled.get():
        out = Value(data, "", op, inputs, local_grads)
        if anomaly_check is not None:
            anomaly_check(out)
        return out
    return Value(data)


def as_value(x: Operand, op: str) -> Value:
    """A Value operand as it is; a number as a new constant leaf; anything else: TypeError."""
    if isinstance(x, Value):
        return x
    return Value(to_float(x, op))


def as_values(xs: Iterable[Operand], op: str) -> tuple[Value, ...]:
    """``as_value`` of each element, as a tuple."""
    values: tuple[Any, ...] = tuple(xs)
    for x in values:
        if not isinstance(x, Value):  # some numbers (or bad input): convert them all
            return tuple([as_value(v, op) for v in values])
    return values  # all Values already: the common case, checked without a function call each


# --- arithmetic -------------------------------------------------------------------------------


def add(a: Operand, b: Operand) -> Value:
    """a + b.    d/da = 1,  d/db = 1"""
    a, b = as_value(a, "add"), as_value(b, "add")
    return record(a.data + b.data, "add", (a, b), (1.0, 1.0))


def sub(a: Operand, b: Operand) -> Value:
    """a - b.    d/da = 1,  d/db = -1"""
    a, b = as_value(a, "sub"), as_value(b, "sub")
    return record(a.data - b.data, "sub", (a, b), (1.0, -1.0))


def neg(a: Value) -> Value:
    """-a.    d/da = -1"""
    return record(-a.data, "neg", (a,), (-1.0,))


def mul(a: Operand, b: Operand) -> Value:
    """a * b.    d/da = b,  d/db = a"""
    a, b = as_value(a, "mul"), as_value(b, "mul")
    return record(a.data * b.data, "mul", (a, b), (b.data, a.data))


def mul_graph(node: Value) -> tuple[Derivative, ...]:
    a, b = node.inputs
    return (b, a)


def div(a: Operand, b: Operand) -> Value:
    """a / b.    d/da = 1/b,  d/db = -a/b**2 = -out/b"""
    a, b = as_value(a, "div"), as_value(b, "div")
    if b.data == 0.0:
        raise ZeroDivisionError(f"div: division by zero ({a.data!r} / {b.data!r})")
    out = a.data / b.data
    return record(out, "div", (a, b), (1.0 / b.data, -out / b.data))


def div_graph(node: Value) -> tuple[Derivative, ...]:
    _, b = node.inputs
    return (1.0 / b, -node / b)


def pow(a: Operand, b: Operand) -> Value:
    """a ** b.    d/da = b * a**(b-1),  d/db = a**b * log(a)

    d/db is taken as 0 where a <= 0: there a**b is real only for whole-number b, and has
    no derivative in b. At a = 0 with 0 < b < 1, d/da is +inf (as in PyTorch).
    """
    a, b = as_value(a, "pow"), as_value(b, "pow")
    x, n = a.data, b.data
    if x < 0.0 and math.isfinite(n) and not n.is_integer():
        raise ValueError(f"pow: negative base {x!r} to the non-integer power {n!r} is not a real number")
    if x == 0.0 and n < 0.0:
        raise ZeroDivisionError(f"pow: 0.0 to the negative power {n!r}")
    out = _checked_pow(x, n)
    if x == 0.0 and n < 1.0:
        d_base = 0.0 if n == 0.0 else math.inf
    else:
        d_base = n * _checked_pow(x, n - 1.0)
    d_exponent = out * math.log(x) if x > 0.0 else 0.0
    return record(out, "pow", (a, b), (d_base, d_exponent))


def pow_graph(node: Value) -> tuple[Derivative, ...]:
    a, b = node.inputs
    d_exponent: Derivative = node * log(a) if a.data > 0.0 else 0.0
    return (b * a ** (b - 1.0), d_exponent)


def _checked_pow(x: float, n: float) -> float:
    try:
        return float(x**n)
    except OverflowError:
        raise OverflowError(f"pow: {x!r} ** {n!r} is too large for a float") from None


# --- functions of one input --------------------------------------------------------------------


def exp(a: Value) -> Value:
    """e**a.    d/da = e**a = out"""
    try:
        out = math.exp(a.data)
    except OverflowError:
        raise OverflowError(f"exp: e ** {a.data!r} is too large for a float") from None
    return record(out, "exp", (a,), (out,))


def exp_graph(node: Value) -> tuple[Derivative, ...]:
    return (node,)


def log(a: Value) -> Value:
    """Natural log, a > 0.    d/da = 1/a"""
    x = a.data
    if x <= 0.0:
        raise ValueError(f"log: input must be > 0, got {x!r}")
    return record(math.log(x), "log", (a,), (1.0 / x,))


def log_graph(node: Value) -> tuple[Derivative, ...]:
    (a,) = node.inputs
    return (1.0 / a,)


def sqrt(a: Value) -> Value:
    """Square root, a >= 0.    d/da = 1 / (2 sqrt(a)) = 0.5/out  (+inf at 0)"""
    x = a.data
    if x < 0.0:
        raise ValueError(f"sqrt: input must be >= 0, got {x!r}")
    out = math.sqrt(x)
    return record(out, "sqrt", (a,), (0.5 / out if out else math.inf,))


def sqrt_graph(node: Value) -> tuple[Derivative, ...]:
    return (0.5 / node,)


def tanh(a: Value) -> Value:
    """tanh(a) = (e**a - e**-a) / (e**a + e**-a).    d/da = 1 - tanh(a)**2 = 1 - out**2"""
    out = math.tanh(a.data)
    return record(out, "tanh", (a,), (1.0 - out * out,))


def tanh_graph(node: Value) -> tuple[Derivative, ...]:
    return (1.0 - node * node,)


def sigmoid(a: Value) -> Value:
    """sigmoid(a) = 1 / (1 + e**-a).    d/da = sigmoid(a) (1 - sigmoid(a)) = out (1 - out)

    Computed as 1/(1 + e**-a) for a >= 0 and e**a / (1 + e**a) for a < 0, so e** never
    sees a large positive argument: exact and finite at a = +-1000.
    """
    out = _sigmoid(a.data)
    return record(out, "sigmoid", (a,), (out * (1.0 - out),))


def sigmoid_graph(node: Value) -> tuple[Derivative, ...]:
    return (node * (1.0 - node),)


def _sigmoid(x: float) -> float:
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def softplus(a: Value) -> Value:
    """softplus(a) = log(1 + e**a).    d/da = sigmoid(a)

    Computed as max(a, 0) + log1p(e**-|a|): no overflow at a = 1000, no loss near 0.
    """
    x = a.data
    out = (x if x > 0.0 else 0.0) + math.log1p(math.exp(-math.fabs(x)))
    return record(out, "softplus", (a,), (_sigmoid(x),))


def softplus_graph(node: Value) -> tuple[Derivative, ...]:
    (a,) = node.inputs
    return (sigmoid(a),)


def relu(a: Value) -> Value:
    """max(0, a).    d/da = 1 if a > 0 else 0   (0 at a = 0, as in PyTorch)"""
    x = a.data
    if x > 0.0:
        return record(x, "relu", (a,), (1.0,))
    return record(0.0 if x <= 0.0 else x, "relu", (a,), (0.0,))  # NaN stays NaN


def leaky_relu(a: Value, negative_slope: float = 0.01) -> Value:
    """a if a > 0 else negative_slope * a.    d/da = 1 if a > 0 else negative_slope"""
    slope = to_float(negative_slope, "leaky_relu")
    x = a.data
    if x > 0.0:
        return record(x, "leaky_relu", (a,), (1.0,))
    return record(slope * x, "leaky_relu", (a,), (slope,))


def abs(a: Value) -> Value:
    """|a|.    d/da = sign(a)   (0 at a = 0, as in PyTorch)"""
    x = a.data
    sign = 1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0
    return record(math.fabs(x), "abs", (a,), (sign,))


def sin(a: Value) -> Value:
    """sin(a).    d/da = cos(a)"""
    return record(math.sin(a.data), "sin", (a,), (math.cos(a.data),))


def sin_graph(node: Value) -> tuple[Derivative, ...]:
    (a,) = node.inputs
    return (cos(a),)


def cos(a: Value) -> Value:
    """cos(a).    d/da = -sin(a)"""
    return record(math.cos(a.data), "cos", (a,), (-math.sin(a.data),))


def cos_graph(node: Value) -> tuple[Derivative, ...]:
    (a,) = node.inputs
    return (-sin(a),)


def identity(a: Value) -> Value:
    """a, as a new node.    d/da = 1"""
    return record(a.data, "identity", (a,), (1.0,))


# --- fused n-ary ops: one node for many inputs --------------------------------------------------


def sum(values: Iterable[Operand], start: Operand = 0.0) -> Value:
    """start + v[0] + v[1] + ... as one node.    d/dv[i] = 1

    A ``start`` other than the number 0 becomes the node's first input, as in Python's sum.
    """
    inputs = as_values(values, "sum")
    if isinstance(start, Value) or to_float(start, "sum") != 0.0:
        inputs = (as_value(start, "sum"),) + inputs
    return record(math.fsum([v.data for v in inputs]), "sum", inputs, (1.0,) * len(inputs))


def dot(ws: Sequence[Operand], xs: Sequence[Operand], bias: Operand | None = None) -> Value:
    """w[0]*x[0] + ... + w[n-1]*x[n-1] (+ bias) as one node: a neuron's pre-activation.

    d/dw[i] = x[i],  d/dx[i] = w[i],  d/dbias = 1.
    The node's inputs are ws, then xs, then the bias if one is given.
    """
    n = len(ws)
    if n != len(xs):
        raise ValueError(f"dot: ws and xs must have the same length, got {n} and {len(xs)}")
    bias_grad: tuple[float, ...] = ()  # d/dbias = 1, when there is a bias
    if bias is None:
        inputs = as_values([*ws, *xs], "dot")
    else:
        inputs, bias_grad = as_values([*ws, *xs, bias], "dot"), (1.0,)
    data = [v.data for v in inputs]
    w_data, x_data = data[:n], data[n : 2 * n]
    out = builtins.sum(map(operator.mul, w_data, x_data), data[2 * n] if bias_grad else 0.0)
    return record(out, "dot", inputs, (*x_data, *w_data, *bias_grad))


def dot_graph(node: Value) -> tuple[Derivative, ...]:
    n = len(node.inputs) // 2  # 2n inputs, or 2n + 1 with a bias (whose derivative is the constant 1)
    ws, xs = node.inputs[:n], node.inputs[n : 2 * n]
    return (*xs, *ws, *node.local_grads[2 * n :])


# --- the graph rules, by op name, for backward(create_graph=True) ------------------------------

GRAPH_RULES: dict[str, Callable[[Value], tuple[Derivative, ...]]] = {
    "mul": mul_graph,
    "div": div_graph,
    "pow": pow_graph,
    "exp": exp_graph,
    "log": log_graph,
    "sqrt": sqrt_graph,
    "tanh": tanh_graph,
    "sigmoid": sigmoid_graph,
    "softplus": softplus_graph,
    "sin": sin_graph,
    "cos": cos_graph,
    "dot": dot_graph,
}
