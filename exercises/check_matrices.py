"""Grade your matrix backward passes in exercises/matrices.py (or another file with the same functions).

    python exercises/check_matrices.py               grade matrices.py
    python exercises/check_matrices.py --solutions   grade matrix_solutions.py
    python exercises/check_matrices.py FILE.py       grade another file
    python exercises/check_matrices.py --seed 7      other random shapes and values

Each exercise's forward program is written here with matrices of Values (``autograd.matmul``,
``matrix_add``, ...); ``autograd.learn.matrix_check.check_matrix_backward`` runs your backward
at random square and non-square shapes and compares each gradient with the engine's. Unlike
check.py, your file runs in this process: it grades formulas, not untrusted code.
The exit status is 0 only when every exercise passes.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import autograd
from autograd import matmul, matrix_add, matrix_map, matrix_mean, matrix_mul, matrix_sub
from autograd.learn.matrix_check import check_matrix_backward
from autograd.learn.report import Report

HERE = Path(__file__).resolve().parent


def linear(X: Any, W: Any) -> Any:
    return matmul(X, W)


def linear_bias(X: Any, W: Any, b: Any) -> Any:
    return matrix_add(matmul(X, W), b)


def neuron(X: Any, W: Any, b: Any, y: Any) -> Any:
    """The mean binary cross-entropy of sigmoid(X·W + b) against y, and Z = X·W + b named."""
    Z = matrix_add(matmul(X, W), b)
    A = matrix_map(autograd.sigmoid, Z)
    log_a = matrix_map(autograd.log, A)
    log_1_a = matrix_map(lambda v: (1 - v).log(), A)
    per_row = matrix_add(matrix_mul(y, log_a), matrix_mul(matrix_sub(1.0, y), log_1_a))
    return -matrix_mean(per_row), {"Z": Z}


def mlp(X: Any, W1: Any, b1: Any, W2: Any, b2: Any) -> Any:
    P = matrix_add(matmul(X, W1), b1)
    H = matrix_map(autograd.tanh, P)
    return matrix_add(matmul(H, W2), b2), {"P": P, "H": H}


# Each exercise: its forward, the shapes of its inputs, the labels (not graded), the gradients asked for.
EXERCISES: dict[str, tuple[Callable[..., Any], dict[str, str], tuple[str, ...], tuple[str, ...] | None]] = {
    "linear_backward": (linear, {"X": "m n", "W": "n k"}, (), None),
    "linear_bias_backward": (linear_bias, {"X": "m n", "W": "n k", "b": "k"}, (), None),
    "neuron_backward": (neuron, {"X": "m n", "W": "n 1", "b": "1", "y": "m 1"}, ("y",), ("W", "b")),
    "mlp_backward": (
        mlp, {"X": "m n", "W1": "n h", "b1": "h", "W2": "h k", "b2": "k"}, (), ("W1", "b1", "W2", "b2"),
    ),
}  # fmt: skip


def check(function: Callable[..., Any], seed: int = 0) -> Report:
    """Grade one backward function, found by its name among the exercises."""
    name = getattr(function, "__name__", "")
    if name not in EXERCISES:
        raise ValueError(
            f"check: no matrix exercise is called {name!r}; the exercises are {', '.join(EXERCISES)}"
        )
    forward, shapes, labels, wrt = EXERCISES[name]
    return check_matrix_backward(forward, function, shapes, labels=labels, wrt=wrt, seed=seed, name=name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Grade the matrix backward exercises.")
    parser.add_argument("file", nargs="?", default=str(HERE / "matrices.py"))
    parser.add_argument("--solutions", action="store_true", help="grade matrix_solutions.py")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    path = HERE / "matrix_solutions.py" if args.solutions else Path(args.file)
    spec = importlib.util.spec_from_file_location("learner_matrices", path)
    if spec is None or spec.loader is None:
        print(f"cannot read {path}")
        return 2
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    passed = 0
    for name in EXERCISES:
        function = getattr(module, name, None)
        if function is None:
            print(f"{name}: missing from {path.name}")
            continue
        report = check(function, seed=args.seed)
        if any("NotImplementedError" in m.message for m in report.mistakes):
            print(f"{name}: not written yet")
            continue
        print(report)
        passed += report.ok
    print(f"{passed}/{len(EXERCISES)} exercises pass (seed {args.seed})")
    return 0 if passed == len(EXERCISES) else 1


if __name__ == "__main__":
    sys.exit(main())
