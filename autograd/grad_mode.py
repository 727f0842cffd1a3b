"""The engine's two modes: graph recording (``no_grad()``, ``enable_grad()``, ``is_grad_enabled()``)
and the anomaly checks (switched on by ``autograd.see.anomaly.detect_anomaly()``).

Both live in :class:`contextvars.ContextVar` s, so each thread and each asyncio task sees its
own setting, exactly as ``torch.no_grad()`` behaves. The engine reads them in one place
each: ``ops.record()`` for every new node, ``backward.backward()`` for every pass.

``recording`` is what ``record()`` does with a new node, in one read (it runs for every op):

    False                 do not record it (inside ``no_grad()``)
    True                  record it (the default)
    the anomaly checks    record it and check it (inside ``detect_anomaly()``)

``anomaly_mode`` holds the anomaly checks in force (or None), so that ``enable_grad()``
inside ``no_grad()`` inside ``detect_anomaly()`` turns the checks back on with recording.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Protocol, Union

if TYPE_CHECKING:
    from autograd.value import Value


class AnomalyChecks(Protocol):
    """What the engine calls while anomaly mode is on (``autograd.see.anomaly`` provides it)."""

    def check_node(self, node: Value) -> None:
        """Called by ``record()`` with each new node; raises if the node's value is not finite."""

    def checked_backward(self, root: Value, grad: float) -> None:
        """Called by ``backward()`` instead of the plain pass; raises at the first bad gradient."""


recording: ContextVar[Union[bool, AnomalyChecks]] = ContextVar("chainrule_recording", default=True)
anomaly_mode: ContextVar[AnomalyChecks | None] = ContextVar("chainrule_anomaly_mode", default=None)


def is_grad_enabled() -> bool:
    """True when operations record computation-graph nodes (the default)."""
    return bool(recording.get())


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block operations compute numbers only and record no graph.

    Results are leaves: ``backward()`` through them stops there. Use it for evaluation
    and for parameter updates. Works as a decorator too: ``@no_grad()``.
    """
    token = recording.set(False)
    try:
        yield
    finally:
        recording.reset(token)


@contextmanager
def enable_grad() -> Iterator[None]:
    """Turn recording back on inside a ``no_grad()`` block."""
    token = recording.set(anomaly_mode.get() or True)
    try:
        yield
    finally:
        recording.reset(token)


@contextmanager
def anomaly_checks(checks: AnomalyChecks) -> Iterator[None]:
    """Inside this block every new node and every backward pass goes through ``checks``."""
    anomaly_token = anomaly_mode.set(checks)
    recording_token = recording.set(checks if recording.get() else False)
    try:
        yield
    finally:
        recording.reset(recording_token)
        anomaly_mode.reset(anomaly_token)


traced_comparisons: ContextVar[list[tuple[Value, str, object, bool]] | None] = ContextVar(
    "chainrule_traced_comparisons", default=None
)
"""While ``autograd.trace`` runs a function: the list that each comparison of a Value
(``<``, ``<=``, ``>``, ``>=``) is appended to as ``(value, op, other, result)``, so the
compiled code can check that a later call takes the same branches. None otherwise."""
