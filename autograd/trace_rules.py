"""Each op as a line of Python on floats: the templates that ``autograd.trace`` writes code from.

For every op of ``ops.py`` its registry entry (``ops.OPS``) holds two templates, written with
``{0}``, ``{1}``, ... for the op's inputs and ``{out}`` for its output:

    forward   the expression computing the output from the inputs (``{0} * {1}``)
    grads     for each input, the local derivative d(out)/d(input), the same formula as the
              op's ``*_grads`` rule in ``ops.py`` (``mul_grads``: d/da = b, d/db = a)

so that an adjoint line is ``input_bar += <local derivative> * out_bar``. The names the
templates use (``exp``, ``tanh``, ``sigmoid``, ``pow_grads``, ...) are the functions in
``HELPERS``, the only names the generated code can see, also read from the registry.
``tests/engine/test_trace_rules.py`` checks each template against the op's rule (or the node's
stored local derivatives) at random points, so the templates and the rules cannot drift apart.

``sum`` and ``dot`` take any number of inputs; their lines are built by ``forward_of`` and
``grads_of`` below.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import Any

from autograd import ops

# Before Python 3.12, sum() of floats adds them one by one, left to right, so a dot's line can be
# written as its adds (``b + w0 * x0 + w1 * x1``: the same number, without a tuple and a call);
# from 3.12 on sum() compensates rounding (Neumaier), so the code calls it, as ops.dot does.
SUM_ADDS_IN_ORDER = sys.version_info < (3, 12)
WRITTEN_ADDS = 100  # a wider dot calls sum(): a long chain of + nests too deep for Python's compiler

# op -> (forward, local derivative of each input): each op's ``trace`` entry in ops.OPS
TEMPLATES: dict[str, tuple[str, tuple[str, ...]]] = {o.name: o.trace for o in ops.OPS.values() if o.trace}


def leaky_relu_template(slope: str) -> tuple[str, tuple[str, ...]]:
    """leaky_relu with its slope written in: a if a > 0 else slope * a;  d/da = 1 or slope."""
    return f"({{0}} if {{0}} > 0.0 else {slope} * {{0}})", (f"(1.0 if {{0}} > 0.0 else {slope})",)


def forward_of(op: str, args: list[str], template: str | None = None) -> str:
    """The expression computing ``op`` from the input expressions ``args``."""
    if op == "sum":  # math.fsum, exactly as ops.sum adds
        return f"fsum(({', '.join(args)},))"
    if op == "dot":  # Python's sum of w0*x0, w1*x1, ... starting at the bias, exactly as ops.dot adds
        n = len(args) // 2
        start = args[-1] if len(args) > 2 * n else "0.0"
        if SUM_ADDS_IN_ORDER and n <= WRITTEN_ADDS:  # the same adds as sum(), without the tuple and the call
            return " + ".join([start, *(f"{w} * {x}" for w, x in zip(args[:n], args[n : 2 * n]))])
        products = "".join(f"{w} * {x}, " for w, x in zip(args[:n], args[n : 2 * n]))
        return f"sum(({products}), {start})"
    return (template or TEMPLATES[op][0]).format(*args)


def grads_of(op: str, out: str, args: list[str], templates: tuple[str, ...] | None = None) -> list[str]:
    """For each input, the expression of its local derivative d(out)/d(input)."""
    if op == "sum":
        return ["1.0"] * len(args)
    if op == "dot":  # d/dw[i] = x[i], d/dx[i] = w[i], d/dbias = 1 (ops.dot_grads)
        n = len(args) // 2
        return [*args[n : 2 * n], *args[:n], *["1.0"] * (len(args) - 2 * n)]
    return [t.format(*args, out=out) for t in (templates or TEMPLATES[op][1])]


# The generated code runs with these names and no builtins at all: each op's float form under the
# op's name (``tanh``, ``sigmoid``, ...), each rule under ``<op>_grads``, and a few more.
HELPERS: dict[str, Callable[..., Any] | float] = {
    **{o.name: o.floats for o in ops.OPS.values() if o.floats is not None},
    **{f"{name}_grads": rule for name, rule in ops.LOCAL_GRAD_RULES.items()},
    "power": ops.float_power,
    "fabs": math.fabs,
    "fsum": math.fsum,
    "sum": sum,
    "inf": math.inf,
    "nan": math.nan,
}
