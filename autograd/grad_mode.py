"""Switching graph recording off and on: ``no_grad()``, ``enable_grad()``, ``is_grad_enabled()``.

The switch lives in a :class:`contextvars.ContextVar`, so each thread and each asyncio task
sees its own setting, exactly as ``torch.no_grad()`` behaves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

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
