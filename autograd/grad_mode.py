"""The engine's two modes: graph recording (``no_grad()``, ``enable_grad()``, ``is_grad_enabled()``)
and the anomaly checks (switched on by ``autograd.see.anomaly.detect_anomaly()``).

Each mode lives in a :class:`contextvars.ContextVar`, so each thread and each asyncio task
sees its own setting, exactly as ``torch.no_grad()`` behaves. The engine reads them in one
place each: ``ops.record()`` for every new node and ``backward.backward()`` for every pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from autograd.value import Value

grad_enabled: ContextVar[bool] = ContextVar("chainrule_grad_enabled", default=True)


def is_grad_enabled() -> bool:
    """True when operations record computation-graph nodes (the default)."""
    return grad_enabled.get()


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block operations compute numbers only and record no graph.

    Results are leaves: ``backward()`` through them stops there. Use it for evaluation
    and for parameter updates. Works as a decorator too: ``@no_grad()``.
    """
    token = grad_enabled.set(False)
    try:
        yield
    finally:
        grad_enabled.reset(token)


@contextmanager
def enable_grad() -> Iterator[None]:
    """Turn recording back on inside a ``no_grad()`` block."""
    token = grad_enabled.set(True)
    try:
        yield
    finally:
        grad_enabled.reset(token)


class AnomalyChecks(Protocol):
    """What the engine calls while anomaly mode is on (``autograd.see.anomaly`` provides it)."""

    def check_node(self, node: Value) -> None:
        """Called by ``record()`` with each new node; raises if the node's value is not finite."""

    def checked_backward(self, root: Value, grad: float) -> None:
        """Called by ``backward()`` instead of the plain pass; raises at the first bad gradient."""


anomaly_mode: ContextVar[AnomalyChecks | None] = ContextVar("chainrule_anomaly_mode", default=None)
"""The anomaly checks in force in this context, or None (the default: no checks)."""

traced_comparisons: ContextVar[list[tuple[Value, str, object, bool]] | None] = ContextVar(
    "chainrule_traced_comparisons", default=None
)
"""While ``autograd.trace`` runs a function: the list that each comparison of a Value
(``<``, ``<=``, ``>``, ``>=``) is appended to as ``(value, op, other, result)``, so the
compiled code can check that a later call takes the same branches. None otherwise."""
