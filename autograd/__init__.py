"""chainrule's engine: scalar reverse-mode automatic differentiation.

    from autograd import Value
    x = Value(2.0, label='x')
    y = (x * x + 1).tanh()
    y.backward()          # x.grad == dy/dx

Where things are: ``value.py`` (the node), ``ops.py`` (every op's forward rule and
derivative), ``backward.py`` (the order and the chain-rule loop), ``grad_mode.py``
(``no_grad``), ``functional.py`` (``grad``), ``gradcheck.py``; for seeing backprop,
``steps.py`` (the pass step by step, ``explain``), ``draw.py`` (Graphviz pictures, the
``graphviz`` package imported only when drawing), ``page.py`` (the HTML step-through) and
``anomaly.py`` (``detect_anomaly``).
"""

from autograd.anomaly import AnomalyError, detect_anomaly
from autograd.backward import backward_order, topological_order
from autograd.draw import GraphvizMissing, draw_dot, render
from autograd.functional import grad, value_and_grad
from autograd.grad_mode import enable_grad, is_grad_enabled, no_grad
from autograd.gradcheck import GradcheckError, GradcheckReport, gradcheck
from autograd.ops import (
    cos,
    dot,
    exp,
    leaky_relu,
    log,
    relu,
    sigmoid,
    sin,
    softplus,
    sqrt,
    sum,
    tanh,
)
from autograd.page import render_steps
from autograd.steps import BackwardStep, backward_steps, explain
from autograd.value import Value

__all__ = [
    "AnomalyError",
    "BackwardStep",
    "GradcheckError",
    "GradcheckReport",
    "GraphvizMissing",
    "Value",
    "backward_order",
    "backward_steps",
    "cos",
    "detect_anomaly",
    "dot",
    "draw_dot",
    "enable_grad",
    "exp",
    "explain",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "leaky_relu",
    "log",
    "no_grad",
    "relu",
    "render",
    "render_steps",
    "sigmoid",
    "sin",
    "softplus",
    "sqrt",
    "sum",
    "tanh",
    "topological_order",
    "value_and_grad",
]
__version__ = "0.1.0"
