"""Grade your functions in exercises/derivatives.py (or any function you pass to ``check``).

    python exercises/check.py            grade every exercise in derivatives.py
    python exercises/check.py --solutions   the same for solutions.py (to see what passing looks like)

In a notebook or a script:

    from check import check
    check(sigmoid_derivative)          # prints the report; True when every check passes

``check`` knows each exercise's forward rule (by the function's name: ``sigmoid_derivative``,
``tanh_backward``, ...) and grades *your* function against central differences of it, with
``autograd.check_op`` (``check_backward`` for the micrograd-style ``*_backward`` ones). It knows
no answer: nothing here can pass a function for you.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import Any

from autograd import check_backward, check_op


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def mse(prediction: float, target: float) -> float:
    return (prediction - target) ** 2


def cross_entropy(logit: float, target: float) -> float:
    return max(logit, 0.0) + math.log1p(math.exp(-abs(logit))) - target * logit


def neuron(w1: float, w2: float, b: float, x1: float, x2: float) -> float:
    return math.tanh(w1 * x1 + w2 * x2 + b)


# exercise name -> (forward rule, domain of each input)
EXERCISES: dict[str, tuple[Callable[..., float], Any]] = {
    "sigmoid": (sigmoid, (-6.0, 6.0)),
    "tanh": (math.tanh, (-3.0, 3.0)),
    "mse": (mse, (-3.0, 3.0)),
    "cross_entropy": (cross_entropy, [(-6.0, 6.0), (0.0, 1.0)]),
    "neuron": (neuron, (-2.0, 2.0)),
}


def exercise_of(function: Callable[..., Any]) -> tuple[str, bool]:
    """The exercise a function answers, from its name, and whether it is a micrograd-style backward."""
    name = getattr(function, "__name__", "")
    for suffix, is_backward in (("_derivative", False), ("_backward", True)):
        if name.endswith(suffix) and name[: -len(suffix)] in EXERCISES:
            return name[: -len(suffix)], is_backward
    known = ", ".join(f"{n}_derivative" for n in EXERCISES)
    raise ValueError(f"check: no exercise is called {name!r}; the exercises are {known} and tanh_backward")


def grade(function: Callable[..., Any]) -> Any:
    """The report of ``autograd.check_op`` (or ``check_backward``) on your function."""
    name, is_backward = exercise_of(function)
    forward, domain = EXERCISES[name]
    if is_backward:
        return check_backward(forward, function, domain=domain, name=function.__name__)
    return check_op(forward, function, domain=domain, name=function.__name__)


def check(function: Callable[..., Any]) -> bool:
    """Grade ``function``, print what was found, and return True when every check passes."""
    report = grade(function)
    print(report)
    return bool(report.ok)


def main(argv: list[str]) -> int:
    if "--solutions" in argv:
        import solutions as answers
    else:
        import derivatives as answers
    names = [f"{n}_derivative" for n in EXERCISES] + ["tanh_backward"]
    passed = 0
    for name in names:
        passed += check(getattr(answers, name))
        print()
    print(f"{passed} of {len(names)} exercises pass")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
