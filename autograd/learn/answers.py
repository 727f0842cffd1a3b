"""Reading what a learner's derivative returned: numbers in every form, or what it is instead.

A number is read as the float it stands for, whatever its type: bool (``x > 0`` is 1.0 or 0.0),
int, float, ``Fraction``, ``Decimal``, numpy scalars (``numpy.float32``, ``numpy.bool_``) and 0-d
numpy arrays, and a ``Value`` (its ``.data``). Anything else is described by its type, so the
learner is told what they returned ("a str ('0.42')", "a generator", "None"). A result with
several values (tuple, list, 1-d array) gives one value per input.
"""

from __future__ import annotations

import decimal
import math
import numbers
import types
from collections.abc import Sequence
from dataclasses import dataclass

from autograd.value import Value, clip, fmt


@dataclass(frozen=True)
class Answer:
    """What the learner's rule gave at one point.

    ``values[i]`` is the float for input i, or None where it is not a number (``problems[i]``
    then says what it is). ``count`` is set, and ``values`` empty, when the number of values is
    wrong; ``blank`` when the whole result was None (or, micrograd style, nothing was added).
    """

    values: tuple[float | None, ...] = ()
    problems: tuple[str, ...] = ()
    count: str = ""
    blank: bool = False


def read_number(v: object) -> tuple[float | None, str]:
    """``(float, "")`` for a number in any of its forms, else ``(None, what it is)``."""
    if isinstance(v, Value):
        v = v.data
    if isinstance(v, numbers.Real) and not isinstance(v, (str, bytes)):
        return _as_float(v), ""
    if isinstance(v, decimal.Decimal):
        return _as_float(v), ""
    if isinstance(v, numbers.Complex) or _dtype_kind(v) == "c":
        return None, f"a complex number {clip(str(v))}, not a real one"
    if getattr(v, "shape", None) == () and _dtype_kind(v) in ("b", "i", "u", "f"):  # numpy bool_, 0-d arrays
        return _as_float(v), ""
    return None, describe(v)


def _as_float(v: object) -> float:
    """float(v); an int or Decimal beyond the float range as ±inf, a signalling NaN as NaN."""
    try:
        return float(v)  # type: ignore[arg-type]
    except OverflowError:
        return math.inf if v > 0 else -math.inf  # type: ignore[operator]
    except (ValueError, TypeError):
        return math.nan


def _dtype_kind(v: object) -> str:
    return str(getattr(getattr(v, "dtype", None), "kind", ""))


def describe(v: object) -> str:
    """What a non-number is, for a learner: "None", "a str ('0.5')", "a function (<lambda>)"."""
    if v is None:
        return "None"
    if isinstance(v, (str, bytes)):
        return f"a {type(v).__name__} ({clip(repr(v))}), not a number"
    if isinstance(v, types.GeneratorType):
        return "a generator (a ( ... for ... ) expression?), not a number"
    if isinstance(v, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
        return f"a function ({getattr(v, '__name__', '?')}), not its value: call it"
    if isinstance(v, dict):
        return f"a dict ({clip(repr(v))}), not a number"
    return f"a {type(v).__name__} ({clip(repr(v))}), not a number"


def values_of(result: object) -> Sequence[object] | None:
    """The values of a result with several (tuple, list, 1-d array), or None for a single one."""
    if isinstance(result, (tuple, list)):
        return result
    shape = getattr(result, "shape", None)
    if isinstance(shape, tuple) and len(shape) == 1 and hasattr(result, "tolist"):
        listed = result.tolist()
        return listed if isinstance(listed, list) else None
    return None


def read_answer(result: object, arity: int, names: Sequence[str]) -> Answer:
    """The learner's result as one number (or problem) per input."""
    shape = getattr(result, "shape", None)
    if isinstance(shape, tuple) and len(shape) > 1:
        return Answer(
            count=f"an array of shape {shape}, not one number per input, for an op of {arity} input(s)"
        )
    items = values_of(result)
    if items is None:
        if result is None:
            return Answer((None,) * arity, ("None",) * arity, blank=True)
        if arity == 1:
            value, problem = read_number(result)
            return Answer((value,), (problem,))
        value, _ = read_number(result)
        what = f"one value ({fmt(value)})" if value is not None else _not_values(result) + ","
        return Answer(count=f"{what} for an op of {arity} inputs ({', '.join(names)})")
    if len(items) != arity:
        n = len(items)
        what = f"{n} values" if n != 1 else "1 value"
        return Answer(
            count=f"{what} for an op of {arity} input{'s' if arity > 1 else ''} ({', '.join(names)})"
        )
    read = [read_number(v) for v in items]
    return Answer(tuple(v for v, _ in read), tuple(p for _, p in read))


def _not_values(v: object) -> str:
    """A result that is neither a number nor a tuple of them: a generator or a dict holds values,
    but is not "one value"."""
    if isinstance(v, types.GeneratorType):
        return "a generator (a ( ... for ... ) expression?), not a tuple of numbers"
    return f"a {type(v).__name__} ({clip(repr(v))}), not a tuple of numbers"


def count_advice(arity: int, names: Sequence[str]) -> str:
    """How to return one derivative per input."""
    if arity == 1:
        return f"return one number, d(out)/d{names[0]}"
    return "return one number per input, in order: (" + ", ".join(f"d/d{n}" for n in names) + ")"
