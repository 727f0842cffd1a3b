"""The rule lab's corpus: derivatives learners write, each with the mistake it must be named for.

Each ``Rule`` is an op's forward rule (a function below), the body of a learner's derivative
(``check_op`` style, ``derivative(*inputs, out)`` returning the local derivative(s)) or of a
micrograd-style backward (``check_backward`` style, adding into the inputs' grads), and the
``kind`` (from ``autograd.learn.MISTAKE_KINDS``) of each mistake it makes; ``kinds=()`` means
the rule is right and must pass. ``note=True``: it passes, with a note (an overflow at large |x|).

``tests/learn/test_rule_corpus.py`` runs every row; ``docs/mistakes.md`` is generated from this
table (``python tests/learn/make_mistakes_doc.py``) and a test checks that it is up to date.
The true derivatives are not written anywhere here: the checker finds them by central differences
of the forward rule.
"""

from __future__ import annotations

import decimal
import fractions
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy

# --- forward rules (plain floats), the ops the learners differentiate ----------------------------


def tanh(x):
    return math.tanh(x)


def sigmoid(x):  # written so that exp never sees a large positive number
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def naive_sigmoid(x):  # the seed lesson's sigmoid, with math.exp: overflows at x = -1000
    return 1 / (1 + math.exp(-x))


def exp(x):
    return math.exp(x)


def sin(x):
    return math.sin(x)


def cos(x):
    return math.cos(x)


def log(x):
    return math.log(x)


def sqrt(x):
    return math.sqrt(x)


def square(x):
    return x * x


def cube(x):
    return x**3


def relu(x):
    return max(x, 0.0)


def absolute(x):
    return abs(x)


def softplus(x):
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def sin_2x(x):
    return math.sin(2 * x)


def exp_minus_x(x):
    return math.exp(-x)


def sin_x_squared(x):
    return math.sin(x**2)


def log_2x(x):
    return math.log(2 * x)


def cube_2x_plus_1(x):
    return (2 * x + 1) ** 3


def neuron_in_steps(w, x, b):
    n = w * x + b
    return math.tanh(n)


def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


def div(a, b):
    return a / b


def mse(prediction, target):
    return (prediction - target) ** 2


def cross_entropy(logit, target):
    return max(logit, 0.0) + math.log1p(math.exp(-abs(logit))) - target * logit


def neuron(w, x, b):
    return math.tanh(w * x + b)


# names a rule's body may use
NAMESPACE: dict[str, Any] = {
    "math": math,
    "numpy": numpy,
    "Fraction": fractions.Fraction,
    "Decimal": decimal.Decimal,
    "naive_sigmoid": naive_sigmoid,
    "sigmoid": sigmoid,
}

POSITIVE = (0.1, 5.0)


@dataclass(frozen=True)
class Rule:
    """One learner's rule: the op, the body of their function, and the mistakes it makes."""

    forward: Callable[..., float]
    body: str
    kinds: tuple[str, ...] = ()
    domain: Any = (-3.0, 3.0)
    backward: bool = False  # micrograd style: adds into the inputs' grads
    note: bool = False  # right, with a note (it overflows at large |x|)

    @property
    def parameters(self) -> list[str]:
        code = self.forward.__code__
        return [*code.co_varnames[: code.co_argcount], "out"]

    @property
    def name(self) -> str:
        return f"{self.forward.__name__}_{'backward' if self.backward else 'derivative'}"

    @property
    def source(self) -> str:
        """The learner's function as they would write it."""
        lines = "".join(f"    {line}\n" for line in self.body.splitlines())
        return f"def {self.name}({', '.join(self.parameters)}):\n{lines}"

    def function(self) -> Callable[..., Any]:
        """The learner's function, compiled from ``source``."""
        namespace = dict(NAMESPACE)
        exec(compile(self.source, f"<{self.name}>", "exec"), namespace)
        return namespace[self.name]  # type: ignore[no-any-return]

    @property
    def id(self) -> str:
        return f"{self.name}: {self.body.replace(chr(10), '; ')}"


def op(forward: Callable[..., float], body: str, *kinds: str, **options: Any) -> Rule:
    """A ``check_op`` rule; a one-line body without a statement keyword is an expression returned."""
    if "\n" not in body and not body.startswith(("return", "raise", "pass", "if ", "yield")):
        body = f"return {body}"
    return Rule(forward, body, tuple(kinds), **options)


def backward(forward: Callable[..., float], body: str, *kinds: str, **options: Any) -> Rule:
    """A ``check_backward`` rule (the body adds into the inputs' grads)."""
    return Rule(forward, body, tuple(kinds), backward=True, **options)


WRONG: list[Rule] = [
    # the input where the output belongs, and the other way round
    op(tanh, "1 - x**2", "x_for_out"),
    op(sigmoid, "x * (1 - x)", "x_for_out"),
    op(sqrt, "0.5 / x", "x_for_out", domain=POSITIVE),
    op(sin, "math.cos(out)", "out_for_x"),
    op(exp, "math.exp(out)", "out_for_x", domain=(-3.0, 2.0)),
    op(log, "1 / out", "out_for_x", domain=(1.5, 5.0)),
    op(cos, "-math.sin(out)", "out_for_x"),
    op(square, "2 * out", "out_for_x"),
    op(sqrt, "x / (2 * out)", "x_out_swapped", domain=POSITIVE),
    # the sign
    op(sigmoid, "-out * (1 - out)", "sign"),
    op(sub, "1.0, 1.0", "sign"),
    op(sub, "-1.0, 1.0", "sign"),
    op(cos, "math.sin(x)", "sign"),
    op(tanh, "-(1 - out**2)", "sign"),
    op(sin, "-math.cos(x)", "sign"),
    op(div, "1 / b, out / b", "sign", domain=[(-3.0, 3.0), (0.5, 3.0)]),
    # a constant factor
    op(square, "x", "factor"),
    op(cube, "6 * x**2", "factor"),
    op(cube, "x**2", "factor"),
    op(tanh, "2 * (1 - out**2)", "factor"),
    op(exp, "2 * out", "factor"),
    op(mse, "prediction - target, target - prediction", "factor"),
    # the chain rule: the inner function's derivative left out
    op(sin_2x, "math.cos(2 * x)", "chain_rule"),
    op(exp_minus_x, "math.exp(-x)", "chain_rule"),
    op(exp_minus_x, "out", "chain_rule"),
    op(sin_x_squared, "math.cos(x**2)", "chain_rule"),
    op(log_2x, "1 / (2 * x)", "chain_rule", domain=POSITIVE),
    op(cube_2x_plus_1, "3 * (2 * x + 1)**2", "chain_rule"),
    op(neuron, "local = 1 - out**2\nreturn local, local, local", "chain_rule", domain=(-2.0, 2.0)),
    # d(prediction - target)/dtarget = -1 left out
    op(mse, "2 * (prediction - target), 2 * (prediction - target)", "chain_rule"),
    op(neuron_in_steps, "return 1 - out**2, 1 - out**2, 1 - out**2", "chain_rule", domain=(-2.0, 2.0)),
    # the value returned instead of the derivative
    op(tanh, "out", "value_not_derivative"),
    op(sigmoid, "out", "value_not_derivative"),
    op(sin, "math.sin(x)", "value_not_derivative"),
    op(mul, "out, out", "value_not_derivative"),
    # mul treated like add; partials exchanged or given for another input
    op(mul, "1.0, 1.0", "mul_like_add"),
    op(mul, "a, b", "swapped_partials"),
    op(mul, "b, b", "swapped_partials"),
    op(div, "-out / b, 1 / b", "swapped_partials", domain=[(-3.0, 3.0), (0.5, 3.0)]),
    op(
        neuron,
        "local = 1 - out**2\nreturn local * w, local * x, local",
        "swapped_partials",
        domain=(-2.0, 2.0),
    ),
    # a partial left out
    op(tanh, "0.0", "zero"),
    op(mul, "b, 0.0", "zero"),
    # close, but not within the tolerance: float16 keeps about 3 digits
    op(tanh, "numpy.float16(1 - out**2)", "imprecise"),
    op(sigmoid, "(sigmoid(x + 1e-3) - sigmoid(x)) / 1e-3", "imprecise"),  # a one-sided difference
    # right on part of the domain only
    op(relu, "1.0", "part_of_domain", domain=(-2.0, 2.0)),
    op(absolute, "1.0", "part_of_domain"),
    op(relu, "1.0 if x > 1 else 0.0", "part_of_domain"),
    # no pattern
    op(tanh, "1 - out", "unexplained"),
    op(sigmoid, "out * (1 + out)", "unexplained"),
    op(exp, "x * math.exp(x)", "unexplained"),
    op(sqrt, "0.5 * x**0.5", "unexplained", domain=POSITIVE),
    op(sin_2x, "2 * math.cos(x)", "unexplained"),
    op(div, "1 / b, -a / b", "unexplained", domain=[(-3.0, 3.0), (0.5, 3.0)]),
    op(relu, "1.0 if x < 0 else 0.0", "unexplained"),
    # not a derivative at all: blank, raised, the wrong count, not a number, not finite
    op(tanh, "return None", "blank"),
    op(tanh, "pass", "blank"),
    op(mul, "pass", "blank"),
    op(tanh, "raise NotImplementedError('write me')", "raised"),
    op(tanh, "return 1 - out**2 if x < 2 else out.grad", "raised"),
    op(mul, "b", "count"),
    op(mul, "b, a, 1.0", "count"),
    op(mul, "numpy.array([[b, a]])", "count"),
    op(tanh, "1 - out**2, 0.0", "count"),
    op(neuron, "return 1 - out**2, 1.0", "count", domain=(-2.0, 2.0)),
    op(tanh, "str(1 - out**2)", "not_a_number"),
    op(tanh, "{'x': 1 - out**2}", "not_a_number"),
    op(tanh, "complex(1 - out**2, 0.0)", "not_a_number"),
    op(tanh, "lambda: 1 - out**2", "not_a_number"),
    op(tanh, "(d for d in [1 - out**2])", "not_a_number"),
    op(mul, "b, str(a)", "not_a_number"),
    op(relu, "if x > 0:\n    return 1.0", "not_a_number"),
    op(tanh, "math.inf if abs(x) < 1 else 1 - out**2", "non_finite"),
    op(exp, "out * math.nan", "non_finite"),
    op(sigmoid, "numpy.float64(out) * (1 - out) / numpy.float64(0.0)", "non_finite"),
    # the cross-entropy exercise with its sign flipped: d/dtarget = -logit is right (with a note)
    op(
        cross_entropy,
        "p = naive_sigmoid(logit)\nreturn target - p, -logit",
        "sign",
        domain=[(-6.0, 6.0), (0.0, 1.0)],
        note=True,
    ),
    # right at every point, but it remembers its calls: wrong once used in graphs
    op(
        tanh,
        "calls = tanh_derivative.__dict__.setdefault('calls', [])  # a memory of its own\n"
        "calls.append(x)\nreturn 1 - out**2 if len(calls) < 120 else 0.0",
        "in_graph",
    ),
    # micrograd style
    backward(tanh, "x.grad = (1 - out.data**2) * out.grad", "assigned"),
    backward(mul, "a.grad = b.data * out.grad\nb.grad = a.data * out.grad", "assigned"),
    backward(tanh, "x.grad += 1 - out.data**2", "forgot_upstream"),
    backward(mul, "a.grad += b.data\nb.grad += a.data", "forgot_upstream"),
    backward(tanh, "x.grad = 1 - out.data**2", "forgot_upstream", "assigned"),
    backward(mul, "a.grad += b.data * out.grad\nb.grad = a.data * out.grad", "assigned"),  # b only
    backward(tanh, "x.grad += (1 - x.data**2) * out.grad", "x_for_out"),
    backward(tanh, "x.grad -= (1 - out.data**2) * out.grad", "sign"),
    backward(mul, "a.grad += a.data * out.grad\nb.grad += b.data * out.grad", "swapped_partials"),
    backward(mul, "a.grad += out.grad\nb.grad += out.grad", "mul_like_add"),
    backward(mul, "a.grad += b.data * out.grad", "zero"),  # b forgotten
    backward(tanh, "pass", "blank"),
    backward(tanh, "return 1 - out.data**2", "returned_not_added"),
    backward(tanh, "out.grad += (1 - out.data**2) * x.grad", "wrote_out_grad"),
    backward(tanh, "x.grad *= (1 - out.data**2) * out.grad", "multiplied_grad"),
    backward(tanh, "x.grad += 1 - out.data**2\nx.grad *= out.grad", "multiplied_grad"),
    backward(tanh, "x.data += (1 - out.data**2) * out.grad", "changed_data"),
    backward(mul, "a.grad += b.grad * out.grad\nb.grad += a.grad * out.grad", "grad_for_data"),
    backward(tanh, "x.grad = str((1 - out.data**2) * out.grad)", "not_a_number"),
    backward(tanh, "raise NotImplementedError('write me')", "raised"),
]

RIGHT: list[Rule] = [
    op(tanh, "1 - out**2"),
    op(tanh, "(1 - out**2,)"),  # a one-element tuple for one input
    op(sigmoid, "out * (1 - out)"),
    op(exp, "out"),
    op(exp, "math.exp(x)"),
    op(sin, "math.cos(x)"),
    op(log, "1 / x", domain=POSITIVE),
    op(sqrt, "0.5 / out", domain=POSITIVE),
    op(softplus, "sigmoid(x)"),
    op(absolute, "1.0 if x > 0 else -1.0"),  # the kink at 0 is skipped
    op(mul, "b, a"),
    op(div, "1 / b, -out / b", domain=[(-3.0, 3.0), (0.5, 3.0)]),
    op(cube, "3 * x**2"),
    op(sin_2x, "2 * math.cos(2 * x)"),
    op(exp_minus_x, "-out"),
    op(mse, "2 * (prediction - target), -2 * (prediction - target)"),
    op(neuron, "local = 1 - out**2\nreturn local * x, local * w, local", domain=(-2.0, 2.0)),
    # numbers in every form Python and numpy have
    op(relu, "x > 0"),
    op(relu, "numpy.bool_(x > 0)"),
    op(relu, "int(x > 0)"),
    op(tanh, "numpy.array(1 - out**2)"),
    op(tanh, "numpy.float64(1 - out**2)"),
    op(mul, "numpy.array([b, a])"),
    op(square, "2 * Fraction(x)"),
    op(square, "2 * Decimal(x)"),
    op(exp, "numpy.float32(out)", note=True),  # float32 overflows at x = 100
    # right where finite, overflowing at x = -1000: the seed lesson's own sigmoid'
    op(sigmoid, "return naive_sigmoid(x) * (1 - naive_sigmoid(x))", note=True),
    op(sigmoid, "math.exp(-x) / (1 + math.exp(-x)) ** 2", note=True),
    op(
        cross_entropy,
        "p = naive_sigmoid(logit)\nreturn p - target, -logit",
        domain=[(-6.0, 6.0), (0.0, 1.0)],
        note=True,
    ),
    op(neuron_in_steps, "local = 1 - out**2\nreturn local * x, local * w, local", domain=(-2.0, 2.0)),
    backward(tanh, "x.grad += (1 - out.data**2) * out.grad"),
    backward(sigmoid, "s = naive_sigmoid(x.data)\nx.grad += s * (1 - s) * out.grad", note=True),
    backward(tanh, "x.grad = x.grad + (1 - out.data**2) * out.grad"),
    backward(mul, "a.grad += b.data * out.grad\nb.grad += a.data * out.grad"),
    backward(relu, "x.grad += (x.data > 0) * out.grad"),
]
