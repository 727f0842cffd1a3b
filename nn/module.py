"""``Module``: the base class of every model, and how it finds and names its parameters.

A module's parameters are the ``Value`` leaves that training adjusts. They are found by
looking through the module's attributes in the order they were set:

    a Value                    is a parameter, named after the attribute     ``b``
    a list/tuple of Values     are parameters, named attribute.index         ``w.0``, ``w.1``
    a Module                   is searched in turn, its names prefixed       ``neurons.3.b``
    a list/tuple of Modules    likewise, prefixed attribute.index            ``layers.0.neurons.3.w.1``

So an ``MLP`` names its parameters ``layers.<i>.neurons.<j>.w.<k>`` and
``layers.<i>.neurons.<j>.b``, the same dotted paths PyTorch's ``named_parameters()`` gives
for nested modules. The names are stable: they depend only on the architecture.

``state_dict()`` maps those names to plain floats; ``load_state_dict()`` checks everything
before it writes anything, so a bad dictionary leaves the model as it was.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from autograd import Value


class Module:
    """Base class for models: parameters, names for them, gradients reset, weights saved."""

    def named_parameters(self, prefix: str = "") -> list[tuple[str, Value]]:
        """Every parameter with its dotted path, in attribute order (see the module docstring)."""
        found: list[tuple[str, Value]] = []
        stack: list[tuple[str, object]] = [(prefix, self)]  # explicit stack: no recursion
        while stack:
            path, item = stack.pop()
            if isinstance(item, Value):
                found.append((path, item))
                continue
            children: list[tuple[str, object]] = []
            if isinstance(item, Module):
                children = [(_join(path, name), attr) for name, attr in vars(item).items()]
            elif isinstance(item, (list, tuple)):
                children = [(_join(path, str(i)), x) for i, x in enumerate(item)]
            stack.extend(reversed([(p, c) for p, c in children if _may_hold_parameters(c)]))
        return found

    def parameters(self) -> list[Value]:
        """The parameters as a list, in the order of ``named_parameters()``."""
        return [p for _, p in self.named_parameters()]

    def num_parameters(self) -> int:
        """How many scalar parameters the model has."""
        return len(self.named_parameters())

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0.0 (backward accumulates into leaves)."""
        for p in self.parameters():
            p.grad = 0.0

    def state_dict(self) -> dict[str, float]:
        """``{name: value}`` for every parameter, names as in ``named_parameters()``."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Copy the numbers in ``state`` into the parameters of the same names.

        ``state`` must hold exactly this model's parameter names, each with a finite real
        number. Anything else raises ``ValueError`` before a single parameter is written,
        so the model is left unchanged.
        """
        where = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state, Mapping):
            raise ValueError(f"{where}: expected a dict of parameter values, got {type(state).__name__}")
        named = self.named_parameters()
        expected = [name for name, _ in named]
        missing = [name for name in expected if name not in state]
        unexpected = sorted(set(map(str, state)) - set(expected))
        if missing or unexpected or len(state) != len(expected):
            raise ValueError(
                f"{where}: state does not match the model's {len(expected)} parameters; "
                f"missing keys {_few(missing)}, unexpected keys {_few(unexpected)}"
            )
        values = [check_parameter_value(state[name], name, where) for name in expected]
        for (_, p), x in zip(named, values):
            p.data = x

    def __call__(self, *args: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not define __call__")


def check_parameter_value(x: object, name: str, where: str) -> float:
    """``x`` as a float if it is a finite real number (not bool), else ``ValueError``."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ValueError(f"{where}: {name!r} must be a number, got {type(x).__name__} {_clip(repr(x))}")
    try:
        value = float(x)
    except OverflowError:  # an int beyond 1.8e308
        raise ValueError(f"{where}: {name!r} is too large for a float, got {_clip(repr(x))}") from None
    if not math.isfinite(value):
        raise ValueError(f"{where}: {name!r} must be finite, got {value!r}")
    return value


def _may_hold_parameters(x: object) -> bool:
    return isinstance(x, (Value, Module, list, tuple))


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _few(names: list[str], limit: int = 3) -> str:
    if not names:
        return "[]"
    shown = ", ".join(repr(n) for n in names[:limit])
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return f"[{shown}{more}]"


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
