"""The op registry: one entry per op with every form of it, and the one guard all ops share.

``autograd/ops.py`` registers each op with the ``@op(...)`` line above it (as JAX registers a
primitive): its entry in ``OPS`` holds what the rest of chainrule reads to know the op, and the
decorator returns the op wrapped once by ``guard``, which names an input whose ``.data`` is not
a number when the op's arithmetic fails on it.
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from autograd.value import Value, clip

Grads = tuple[Any, ...]  # a rule's result: one local derivative per input, numbers or Values
F = TypeVar("F", bound=Callable[..., Value])


def refuse_bad_data(op: str, operands: Sequence[object]) -> None:
    """Raise a ``TypeError`` naming ``op`` if an input's ``.data`` is not a real number.

    The ops read ``.data`` without checking it (a check would cost every op). When their
    arithmetic fails with a TypeError, ``guard`` calls this to say why: a ``.data`` assigned by
    hand, such as ``v.data = "2"`` or ``p.data -= lr * p.grad`` after
    ``backward(create_graph=True)``, where ``p.grad`` is a Value. ``operands`` are the op's
    arguments as given, the positional ones then the keyword ones (lists of them, for ``sum`` and
    ``dot``, are read in order): in ``dot([w], [x], bias=b)``, ``b`` is input 2. If every
    ``.data`` is a number the TypeError came from elsewhere, and the op lets it go on.
    """
    inputs = [
        x for operand in operands for x in (operand if isinstance(operand, (list, tuple)) else (operand,))
    ]
    for position, value in enumerate(inputs):
        if not isinstance(value, Value):
            continue
        data = value.data
        if not isinstance(data, numbers.Real) or isinstance(data, Value):
            name = f" {value.label!r}" if value.label else ""
            kind = type(data).__name__
            real = "a real number" if isinstance(data, numbers.Complex) else "a number"  # 1j is a number
            what = f"a {kind}, not {real}"
            raise TypeError(
                f"{op}: input {position}{name} has .data = {clip(repr(data))}, {what}; "
                ".data must hold a float (set it to float(...), or to a Value's .data)"
            ) from None


def refuse_non_value(op: str, operand: object) -> None:
    """Raise a ``TypeError`` naming ``op`` if ``operand``, its first input, is not a Value.

    ``autograd.exp(x)`` and the other op functions take a Value, as ``torch.exp`` takes a tensor;
    a plain number has no ``.data``, and the op's ``AttributeError`` would say only that.
    """
    if not isinstance(operand, Value):
        raise TypeError(
            f"{op}(): input 0 must be a Value, got {type(operand).__name__} {clip(repr(operand))}; "
            "make a number a Value first (Value(x)), or use the math module for plain floats"
        ) from None


def refuse_non_collection(op: str, names: tuple[str, ...], operands: tuple[object, ...]) -> None:
    """Raise a ``TypeError`` naming ``op`` and the input if one of ``operands`` (the positional
    inputs ``names`` of ``sum(values)`` or ``dot(ws, xs)``) is not a collection.

    ``autograd.sum(2.0)`` would otherwise say only "'float' object is not iterable".
    """
    for index, (name, operand) in enumerate(zip(names, operands)):
        if isinstance(operand, (str, bytes)) or not hasattr(operand, "__iter__"):
            raise TypeError(
                f"{op}(): {name} (input {index}) must be a list or tuple of Values or numbers, got "
                f"{type(operand).__name__} {clip(repr(operand))}"
            ) from None


@dataclass
class Op:
    """One op and every form of it that the rest of chainrule reads (JAX registers a primitive so).

    Made by the ``@op(...)`` line above each op below; ``OPS[name]`` holds it. What reads it:
    ``Value``'s methods (``methods``, ``reflected``), ``backward(create_graph=True)`` (``rule``),
    ``autograd.trace`` (``trace``, ``floats``), chainrule's expression parser (``expression``),
    docs/ops.md (``written``, ``formula``, ``domain``, ``derivatives``: generated from here and
    checked), and the tests (``tests/engine/test_op_registry.py`` fails when a form is missing:
    the JavaScript twin's row, a test case).
    """

    name: str  # node.op, the function's name in ops.py and autograd, the parser's name
    forward: Callable[..., Value]  # the op as written below (no guard): builds the node
    guarded: Callable[..., Value]  # the same with the shared guard: ops.<name> is this one
    swapped: Callable[..., Value] | None  # guarded(b, a), for a reflected method such as __rmul__
    arity: int  # the number of inputs; 0 for any number (sum, dot)
    written: str  # how a user writes it, for docs/ops.md
    formula: str  # the output, for docs/ops.md
    derivatives: str  # the local derivatives, for docs/ops.md
    domain: str = ""  # where the op is defined, for docs/ops.md ('' for every real number)
    trace: tuple[str, tuple[str, ...]] | None = None  # autograd.trace's templates (trace_rules.py)
    floats: Callable[..., float] | None = None  # the output from floats, as the trace's code calls it
    methods: tuple[str, ...] = ()  # Value's methods that are this op (``__mul__``, ``tanh``)
    reflected: str = ""  # Value's reflected method (``__rmul__``: 2 * a is mul(2, a))
    expression: bool = False  # chainrule's expressions accept ``name(x)``
    rule: Callable[..., Grads] | None = None  # <name>_grads, the local derivatives; None: constants


OPS: dict[str, Op] = {}  # every op by name, in the order of ops.py


def op(
    written: str,
    formula: str,
    derivatives: str,
    *,
    domain: str = "",
    trace: tuple[str, tuple[str, ...]] | None = None,
    floats: Callable[..., float] | None = None,
    methods: tuple[str, ...] = (),
    reflected: str = "",
    expression: bool = False,
    arity: int = 1,
) -> Callable[[F], F]:
    """Register the op below in ``OPS`` and return it with the shared guard (``guard``)."""

    def register(forward: F) -> F:
        name = forward.__name__
        guarded = guard(name, forward)
        swapped = guard(name, forward, swap=True) if reflected else None
        OPS[name] = Op(name, forward, guarded, swapped, arity, written, formula, derivatives,
                       domain, trace, floats, methods, reflected, expression)  # fmt: skip
        return guarded

    return register


def guard(name: str, forward: F, swap: bool = False) -> F:
    """``forward`` with the one check all ops share: if it fails with a TypeError, name the input
    whose ``.data`` is not a number (``refuse_bad_data``), else let the error go on.

    A ``try`` costs nothing until it catches (Python 3.11+), and Value's methods *are* these
    guarded functions (value.py attaches them), so ``a * b`` makes as many calls as before.
    One or two inputs get a wrapper of that shape, which is faster than ``*args``.
    """
    code = forward.__code__
    first = code.co_varnames[: min(code.co_argcount, 1)]  # exp(a: Value), not sum(values: Iterable)
    takes_value = bool(first) and forward.__annotations__.get(first[0]) in ("Value", Value)
    collections = tuple(  # sum(values: Iterable[...]), dot(ws: Sequence[...], xs: Sequence[...])
        param
        for param in code.co_varnames[: code.co_argcount]
        if str(forward.__annotations__.get(param, "")).startswith(("Iterable[", "Sequence["))
    )
    guarded: Callable[..., Value]
    if swap:  # b.__rmul__(a) is mul(a, b)

        def guarded(b: Any, a: Any) -> Value:
            try:
                return forward(a, b)
            except TypeError:
                refuse_bad_data(name, (a, b))
                raise

    elif code.co_argcount == 1 and not forward.__defaults__:

        def guarded(a: Any) -> Value:
            try:
                return forward(a)
            except TypeError:  # tanh(np.float64(1.0)): its .data is a memoryview
                refuse_bad_data(name, (a,))
                if takes_value:
                    refuse_non_value(name, a)
                raise
            except AttributeError:  # exp(2.0): a number has no .data
                if takes_value:
                    refuse_non_value(name, a)
                raise

    elif code.co_argcount == 2 and not forward.__defaults__:

        def guarded(a: Any, b: Any) -> Value:
            try:
                return forward(a, b)
            except TypeError:
                refuse_bad_data(name, (a, b))
                raise

    else:

        def guarded(*operands: Any, **options: Any) -> Value:
            try:
                return forward(*operands, **options)
            except TypeError:  # dot(ws, xs, bias=b): b is read too, after the positional ones
                refuse_non_collection(name, collections, operands)
                refuse_bad_data(name, (*operands, *options.values()))
                if takes_value and operands:
                    refuse_non_value(name, operands[0])
                raise
            except AttributeError:  # leaky_relu(2.0): a number has no .data
                if takes_value and operands:
                    refuse_non_value(name, operands[0])
                raise

    functools.update_wrapper(guarded, forward)
    return guarded  # type: ignore[return-value]
