"""``detect_anomaly()``: stop at the first operation that makes a NaN or an infinity.

NaN spreads silently: one ``inf * 0`` deep in a network and, a few ops later, every number
is ``nan`` with no hint where it started. Inside ``with detect_anomaly():``

- forward: each new node is checked as it is made; the first whose value is NaN or ±inf
  raises ``AnomalyError`` naming the op, its input values and the file:line that made it;
- backward: the pass runs step by step (``autograd.steps.backward_steps``) and the first
  chain-rule step that leaves an input's grad NaN or ±inf raises ``AnomalyError`` naming
  the node whose gradient was being passed on, the arithmetic
  ``local derivative × upstream = contribution``, and where that node was made.

The switch is the engine's ``anomaly_checks`` context (``autograd/grad_mode.py``),
read in one place in ``ops.record()`` and one in ``backward()``: like ``no_grad()``, it holds
for the block's own thread or asyncio task only, and blocks may nest. Off (the default) it
costs the engine one context-variable read per op and per backward call.

Creation sites are kept in a ``WeakKeyDictionary`` beside the graph (``Value`` has
``__slots__``), only while the mode is on, so nodes are freed as usual.
"""

from __future__ import annotations

import math
import os
import sys
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from autograd import ops
from autograd.grad_mode import anomaly_checks
from autograd.steps import backward_steps
from autograd.value import Value, fmt

_ENGINE_DIR = os.path.dirname(os.path.abspath(ops.__file__ or "")) + os.sep
_sites: weakref.WeakKeyDictionary[Value, str] = weakref.WeakKeyDictionary()


class AnomalyError(RuntimeError):
    """An operation or a backward step produced NaN or an infinity under ``detect_anomaly()``."""


def _caller_site() -> str:
    """``file:line`` of the innermost frame outside the autograd package (engine and tools)."""
    frame = sys._getframe(1)
    outermost = frame
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if not filename.startswith(_ENGINE_DIR):
            return f"{frame.f_code.co_filename}:{frame.f_lineno}"
        outermost = frame
        frame = frame.f_back  # type: ignore[assignment]
    return f"{outermost.f_code.co_filename}:{outermost.f_lineno}"


def site_of(node: Value) -> str:
    """Where ``node`` was made, if it was made under ``detect_anomaly()``; else 'unknown'."""
    return _sites.get(node, "unknown (made outside detect_anomaly())")


def _describe_inputs(node: Value) -> str:
    return ", ".join(fmt(child.data) for child in node.inputs)


def check_new_node(node: Value) -> None:
    """The forward check, called by ``ops.record`` for each new node while anomaly mode is on."""
    site = _caller_site()
    _sites[node] = site
    if not math.isfinite(node.data):
        raise AnomalyError(
            f"detect_anomaly: {node.op} produced {node.data} from inputs ({_describe_inputs(node)}), "
            f"at {site}"
        )


def checked_backward(root: Value, grad: float) -> None:
    """``backward()`` under anomaly mode: the same pass, checked after every chain-rule step."""
    if not math.isfinite(grad):
        raise AnomalyError(f"detect_anomaly: backward was started with grad={grad}")
    for step in backward_steps(root, grad):
        for term in step.terms:
            if not math.isfinite(term.grad_after):
                raise AnomalyError(
                    f"detect_anomaly: backward through {step.node.op} (node {step.name}, made at "
                    f"{site_of(step.node)}, inputs ({_describe_inputs(step.node)})) made the grad of "
                    f"input {term.name} {term.grad_after}: local derivative {term.local_grad} × "
                    f"upstream {term.upstream} = {term.contribution}, added to {term.grad_before}"
                )


class _Checks:
    """The two checks, as the engine's ``anomaly_mode`` expects them (``grad_mode.AnomalyChecks``)."""

    check_node = staticmethod(check_new_node)
    checked_backward = staticmethod(checked_backward)


CHECKS = _Checks()


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Inside this block the first NaN or infinity, forward or backward, raises ``AnomalyError``.

        with detect_anomaly():
            y = Value(1e200) * Value(1e200)     # overflows to inf
        # AnomalyError: detect_anomaly: mul produced inf from inputs (1e+200, 1e+200), at demo.py:2

    The mode belongs to the current thread or asyncio task, as ``no_grad()`` does. Gradients
    under ``backward(create_graph=True)`` are not checked.
    """
    with anomaly_checks(CHECKS):
        yield
