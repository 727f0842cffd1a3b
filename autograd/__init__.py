"""chainrule's engine: scalar reverse-mode automatic differentiation.

    from autograd import Value
    x = Value(2.0, label='x')
    y = (x * x + 1).tanh()
    y.backward()          # x.grad == dy/dx

The engine is ``value.py`` (the node), ``ops.py`` (every op's forward rule and derivative,
registered in ``op_registry.py``'s ``OPS`` with every other form of the op),
``backward.py`` (the order and the chain-rule loop), ``steps.py`` (the same pass one step at
a time, and ``explain``), ``grad_mode.py`` (``no_grad`` and the anomaly switch),
``collector.py`` (``collector_paused``: graph work without Python's cycle collector),
``free.py`` (``free_graph``: a graph taken apart without recursion, for Pyodide's small stack),
``functional.py`` (``grad``), ``gradcheck.py``, ``trace.py`` (the Wengert list of one run and
the float code generated from it, with ``trace_rules.py``), ``custom_op.py`` (a learner's own
op), ``naive.py`` (the backward pass without topological order, to show why it fails) and
``matrix.py`` (matrices of Values: ``matmul``, ``transpose``, elementwise ops, sums over an axis)
with ``matrix_lens.py`` (``matrix_view``: a matrix's grads as edge sums and as a product). It
imports nothing else of the project.

The tools that show the engine live in ``autograd.see`` (pictures, the live graph page,
the training flipbook, ``show`` for notebooks, ``detect_anomaly``). Their names are
importable from here too, but nothing of them is loaded until one is used: ``import autograd``
stays light, and it never imports Graphviz. The learning tools in ``autograd.learn``
(``check_op``, ``check_backward``, ``quiz``) load the same way.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from autograd.backward import backward_order, topological_order
from autograd.collector import collector_paused
from autograd.custom_op import CustomOp, custom_op
from autograd.free import free_graph
from autograd.functional import grad, value_and_grad
from autograd.grad_mode import enable_grad, is_grad_enabled, no_grad
from autograd.gradcheck import GradcheckError, GradcheckReport, gradcheck
from autograd.matrix import (
    as_matrix,
    matmul,
    matrix_add,
    matrix_data,
    matrix_grad,
    matrix_map,
    matrix_mean,
    matrix_mul,
    matrix_sub,
    matrix_sum,
    transpose,
)
from autograd.matrix_lens import MatrixView, matrix_view
from autograd.naive import naive_backward
from autograd.ops import (
    atan,
    cos,
    dot,
    exp,
    gelu,
    leaky_relu,
    log,
    relu,
    sigmoid,
    silu,
    sin,
    softplus,
    sqrt,
    tan,
    tanh,
)
from autograd.ops import sum as sum  # autograd.sum; not in __all__, so `import *` keeps the builtin
from autograd.steps import BackwardStep, backward_steps, explain
from autograd.trace import CompiledTrace, PathChanged, Trace, trace, trace_values
from autograd.value import Value

if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ below loads them
    from autograd.learn.check import check_backward, check_op
    from autograd.learn.matrix_check import check_matrix_backward
    from autograd.learn.quiz import quiz
    from autograd.see.anomaly import AnomalyError, detect_anomaly
    from autograd.see.draw import GraphvizMissing, IllegibleGraphWarning, draw_dot, render
    from autograd.see.flipbook import render_flipbook
    from autograd.see.matrix_page import render_matrix_view
    from autograd.see.notebook import InlinePage, show
    from autograd.see.page import render_steps

# The seeing tools' public names, and the module of autograd.see that holds each one.
_SEEING_TOOLS = {
    "AnomalyError": "anomaly",
    "detect_anomaly": "anomaly",
    "GraphvizMissing": "draw",
    "IllegibleGraphWarning": "draw",
    "draw_dot": "draw",
    "render": "draw",
    "render_steps": "page",
    "smallest_text": "legibility",
    "render_flipbook": "flipbook",
    "render_matrix_view": "matrix_page",
    "show": "notebook",
    "InlinePage": "notebook",
}

# The learning tools (autograd.learn: grading a learner's derivatives, the quiz), loaded the same way.
_LEARNING_TOOLS = {
    "check_op": "check",
    "check_backward": "check",
    "check_matrix_backward": "matrix_check",
    "quiz": "quiz",
}


def __getattr__(name: str) -> Any:
    """Load a seeing or learning tool the first time its name is asked for (PEP 562)."""
    if name in _LEARNING_TOOLS:
        module = f"autograd.learn.{_LEARNING_TOOLS[name]}"
    elif name in _SEEING_TOOLS:
        module = f"autograd.see.{_SEEING_TOOLS[name]}"
    else:
        raise AttributeError(f"module 'autograd' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup finds it directly
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_SEEING_TOOLS, *_LEARNING_TOOLS])


# What ``from autograd import *`` brings: no name that would replace a builtin. ``sum`` (one node
# for many inputs) is reached as ``autograd.sum``, so Python's own ``sum`` is never shadowed.
__all__ = [
    "AnomalyError",
    "BackwardStep",
    "CompiledTrace",
    "CustomOp",
    "GradcheckError",
    "GradcheckReport",
    "GraphvizMissing",
    "IllegibleGraphWarning",
    "InlinePage",
    "MatrixView",
    "PathChanged",
    "Trace",
    "Value",
    "as_matrix",
    "atan",
    "backward_order",
    "backward_steps",
    "check_backward",
    "check_matrix_backward",
    "check_op",
    "collector_paused",
    "cos",
    "custom_op",
    "detect_anomaly",
    "dot",
    "draw_dot",
    "enable_grad",
    "exp",
    "explain",
    "free_graph",
    "gelu",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "leaky_relu",
    "log",
    "matmul",
    "matrix_add",
    "matrix_data",
    "matrix_grad",
    "matrix_map",
    "matrix_mean",
    "matrix_mul",
    "matrix_sub",
    "matrix_sum",
    "matrix_view",
    "naive_backward",
    "no_grad",
    "quiz",
    "relu",
    "render",
    "render_flipbook",
    "render_matrix_view",
    "render_steps",
    "show",
    "sigmoid",
    "silu",
    "sin",
    "smallest_text",
    "softplus",
    "sqrt",
    "tan",
    "tanh",
    "topological_order",
    "trace",
    "trace_values",
    "transpose",
    "value_and_grad",
]
__version__ = "0.1.0"
