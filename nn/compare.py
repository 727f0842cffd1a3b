"""``compare_optimizers(model, loss)``: the same model, from the same start, trained by several optimizers.

Each optimizer (SGD, SGD with momentum, Nesterov, RMSprop, Adam) starts from the model's current
parameters and takes ``steps`` full-batch steps on ``loss()``. The result is plain data (lists,
dicts and floats; nothing here prints or draws), for ``autograd.see.optimizers`` to show:

    {"names": [parameter paths], "start": [θ_0],
     "runs": [{"name": "adam", "optimizer": "Adam", "hyper": {"lr": 0.02, "betas": [0.9, 0.999], ...},
               "loss":   [L(θ_0), ..., L(θ_steps)],            steps + 1 numbers
               "params": [θ_0, ..., θ_steps],                   steps + 1 lists, one number per parameter
               "grads":  [g_1, ..., g_steps],                   the gradient each step used (at θ_{k-1})
               "state":  [{key: [one number per parameter]}],   optimizer.state after each step
               "steps_taken": [k, ...]}, ...],
     "surface": {...} or None}

``state[k - 1]["exp_avg"][i]`` is parameter i's ``optimizer.state[p]["exp_avg"]`` right after step
k, with torch.optim's keys (see ``nn.optim``). A run that reaches a loss that is not finite stops
there (``steps_taken`` says where); a loss not defined there (``log`` of a number <= 0, an
overflow) is recorded as NaN, and so is a grid point of the surface where it is not defined.

The surface is the loss on a ``grid`` x ``grid`` lattice of a plane through the start θ_0:

- a model with two parameters: the plane *is* the parameter space, axes (p_0, p_1): the exact surface;
- more: the plane spanned by the two main directions d_1, d_2 of the recorded paths, the first two
  right singular vectors of the matrix whose rows are θ - θ_0 for every recorded point of every run
  (PCA of the trajectories about the start, ``top_singular_vectors``). A point (a, b) of the plane
  is θ_0 + a d_1 + b d_2; each path is drawn at its projections a = d_1·(θ - θ_0), b = d_2·(θ - θ_0).
  ``explained`` = (σ_1² + σ_2²) / Σ σ² is the share of the paths' squared distance from the start
  that lies in the plane: the rest of the movement is not seen.

The loss is traced once (``autograd.trace_values``) and both the steps and the grid run its
generated float code: the steps the loss-and-gradient function (as ``nn.CompiledLoss``), the grid
only its forward half. ``surface["seconds"]`` says how long the grid took.
"""

from __future__ import annotations

import math
import operator
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from autograd import PathChanged, Value, no_grad, trace_rules, trace_values
from nn.module import Module
from nn.optim import SGD, Adam, Optimizer, RMSprop

# name: (optimizer class, default hyperparameters). The learning rates suit the toy data sets.
OPTIMIZERS: dict[str, tuple[type[Optimizer], dict[str, Any]]] = {
    "sgd": (SGD, {"lr": 0.5}),
    "momentum": (SGD, {"lr": 0.1, "momentum": 0.9}),
    "nesterov": (SGD, {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    "rmsprop": (RMSprop, {"lr": 0.01}),
    "adam": (Adam, {"lr": 0.02}),
}
DEFAULT_OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam")
_HYPER_NAMES = "lr momentum dampening nesterov alpha betas eps weight_decay centered".split()

Specs = Sequence[str] | Mapping[str, Mapping[str, Any]]


def compare_optimizers(
    model: Module,
    loss: Callable[[], Value],
    optimizers: Specs = DEFAULT_OPTIMIZERS,
    steps: int = 100,
    grid: int = 40,
) -> dict[str, Any]:
    """Train ``model`` on ``loss()`` with each optimizer from the same start; return the record.

    ``optimizers`` is a sequence of names (``OPTIMIZERS``: sgd, momentum, nesterov, rmsprop,
    adam) or a mapping from name to hyperparameters that replace the defaults, e.g.
    ``{"sgd": {"lr": 0.1}, "adam": {"lr": 0.01, "betas": (0.8, 0.99)}}``. ``grid`` points per side
    of the loss surface (0: no surface). The model's parameters are left at the start, with
    gradients 0. Every parameter must be finite at the start (``ValueError`` naming it).
    """
    if not isinstance(model, Module):
        raise TypeError(f"compare_optimizers: model must be an nn.Module, got {type(model).__name__}")
    if not callable(loss):
        raise TypeError(f"compare_optimizers: loss must be a function of no arguments, got {loss!r}")
    specs = _specs(optimizers)
    steps = _count(steps, "steps", 1)
    grid = _count(grid, "grid", 0)
    if grid == 1:
        raise ValueError("compare_optimizers: grid must be 0 (no surface) or >= 2, got 1")
    named = model.named_parameters()
    params = [p for _, p in named]
    start = [p.data for p in params]
    for (path, _), x in zip(named, start):
        if not math.isfinite(x):
            raise ValueError(
                f"compare_optimizers: parameter {path!r} is {x!r}; every parameter must be a finite number "
                "to start from"
            )
    # Build every optimizer first, so that a bad hyperparameter is refused before any work.
    built = [(name, cls(params, **hyper), hyper) for name, (cls, hyper) in specs.items()]
    value_and_grad, value_only = _compiled(loss, params)
    runs = []
    try:
        for name, optimizer, hyper in built:
            _set(params, start)
            runs.append(_run(name, optimizer, hyper, params, loss, value_and_grad, steps))
    finally:
        _set(params, start)
    result: dict[str, Any] = {"names": [n for n, _ in named], "start": start, "runs": runs, "surface": None}
    if grid and len(params) >= 2:
        result["surface"] = _surface(runs, start, grid, params, loss, value_only)
        _set(params, start)
    return result


def _specs(optimizers: object) -> dict[str, tuple[type[Optimizer], dict[str, Any]]]:
    """Each name checked against OPTIMIZERS, with its hyperparameters (defaults, then overrides)."""
    if isinstance(optimizers, str) or not isinstance(optimizers, (Sequence, Mapping)):
        raise TypeError(
            "compare_optimizers: optimizers must be a list of names or a dict of name: hyperparameters, "
            f"got {optimizers!r}"
        )
    names = list(optimizers)
    if not names:
        raise ValueError("compare_optimizers: optimizers is empty; name at least one")
    out = {}
    for name in names:
        if not isinstance(name, str) or name not in OPTIMIZERS:
            known = ", ".join(OPTIMIZERS)
            raise ValueError(f"compare_optimizers: unknown optimizer {name!r}; known: {known}")
        if name in out:
            raise ValueError(f"compare_optimizers: optimizer {name!r} appears twice")
        cls, defaults = OPTIMIZERS[name]
        overrides = optimizers[name] if isinstance(optimizers, Mapping) else {}
        if not isinstance(overrides, Mapping):
            got = repr(overrides)
            raise TypeError(f"compare_optimizers: the hyperparameters of {name!r} must be a dict, got {got}")
        out[name] = (cls, {**defaults, **overrides})
    return out


def _count(n: object, what: str, minimum: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"compare_optimizers: {what} must be an int, got {type(n).__name__} {n!r}")
    if n < minimum:
        raise ValueError(f"compare_optimizers: {what} must be >= {minimum}, got {n}")
    return n


def _set(params: list[Value], data: Sequence[float]) -> None:
    for p, x in zip(params, data):
        p.data = x
        p.grad = 0.0


Compiled = Callable[..., Any]


def _compiled(loss: Callable[[], Value], params: list[Value]) -> tuple[Compiled, Compiled]:
    """The traced loss as two float functions: (loss, gradient) and the loss alone.

    Both are cut from one generated source (``Trace.source()``): the forward lines end where the
    adjoint lines begin, and the loss is the first name the full function returns.
    """
    trace = trace_values(loss, params, "loss")
    text = trace.source()
    lines = text.splitlines()
    cut = next(i for i, line in enumerate(lines) if line.strip().startswith("# backward"))
    returned = lines[-1].strip().removeprefix("return ")
    output = returned.split(",")[0].strip()
    head = lines[0].replace("loss_value_and_grad(", "loss_value(", 1)
    forward = "\n".join([head, *lines[1:cut], f"    return {output}"]) + "\n"
    namespace: dict[str, Any] = {"__builtins__": {}, "PathChanged": PathChanged, **trace_rules.HELPERS}
    exec(compile(text + "\n" + forward, "<compare_optimizers loss>", "exec"), namespace)  # trace's code
    return namespace["loss_value_and_grad"], namespace["loss_value"]


def _value_and_grad(
    loss: Callable[[], Value], params: list[Value], compiled: Compiled
) -> tuple[float, list[float]]:
    """The loss and its gradient at the parameters' data: the traced code, or the Values if its
    path does not hold there (a flipped comparison) or its float code fails (an overflow, a domain
    error); NaN where the Values fail too."""
    try:
        value, grads = compiled(*[p.data for p in params])
        return float(value), list(grads)
    except (PathChanged, ArithmeticError, ValueError):
        for p in params:
            p.grad = 0.0
        try:
            out = loss()
            out.backward()
        except (ArithmeticError, ValueError):
            return math.nan, [0.0] * len(params)
        return out.data, [float(p.grad) for p in params]


def _run(
    name: str,
    optimizer: Optimizer,
    hyper: Mapping[str, Any],
    params: list[Value],
    loss: Callable[[], Value],
    compiled: Compiled,
    steps: int,
) -> dict[str, Any]:
    """One optimizer's run: ``steps`` steps, everything recorded (see the module docstring)."""
    losses, trajectory, grads_seen, states = [], [[p.data for p in params]], [], []
    value, grads = _value_and_grad(loss, params, compiled)
    losses.append(value)
    for _ in range(steps):
        if not math.isfinite(value):
            break
        for p, g in zip(params, grads):
            p.grad = g
        optimizer.step()
        grads_seen.append(grads)
        entries = [optimizer.state[p] for p in params]
        states.append({key: [float(e[key]) for e in entries] for key in entries[0]} if entries[0] else {})
        trajectory.append([p.data for p in params])
        value, grads = _value_and_grad(loss, params, compiled)
        losses.append(value)
    return {
        "name": name,
        "optimizer": type(optimizer).__name__,
        "hyper": _hyper(optimizer, hyper),
        "loss": losses,
        "params": trajectory,
        "grads": grads_seen,
        "state": states,
        "steps_taken": len(grads_seen),
    }


def _hyper(optimizer: Optimizer, given: Mapping[str, Any]) -> dict[str, Any]:
    """Every hyperparameter the optimizer uses, as plain data (the page computes m̂, v̂ from them)."""
    out: dict[str, Any] = {}
    for key in _HYPER_NAMES:
        if hasattr(optimizer, key):
            value = getattr(optimizer, key)
            out[key] = list(value) if isinstance(value, tuple) else value
    return out


# ---- the plane of the paths: a small SVD ---------------------------------------------------


def top_singular_vectors(
    rows: Sequence[Sequence[float]], k: int = 2, tol: float = 1e-13, max_iter: int = 2000
) -> tuple[list[float], list[list[float]]]:
    """The k largest singular values of the matrix M (``rows``) and their right singular vectors.

    Subspace iteration: V starts as the k rows of largest norm (ties: the first), row c plus
    1e-3·sin(1 + j(c + 1)) in column j, orthonormalised (Gram-Schmidt, in order); then
    V <- orthonormalise(Mᵀ M V), k columns at a time, until V stops turning: every new column v
    has 1 - |v·p| < ``tol``, p its projection onto the previous span, normalised; at most
    ``max_iter`` times. Then the k x k matrix (M V)ᵀ (M V) is diagonalised (Jacobi rotations) so
    that V's columns are the singular vectors themselves (Rayleigh-Ritz), ordered by σ, each with
    its largest entry positive. k is at most the number of rows and of columns.
    Plain Python: a few milliseconds per iteration for a few hundred rows and columns.
    """
    m = [list(map(float, r)) for r in rows]
    n = len(m[0]) if m else 0
    k = min(k, len(m), n)
    if k == 0:
        return [], []
    columns = [list(c) for c in zip(*m)]
    # Start from the k rows of largest norm, plus a fixed spread vector: deterministic, never all 0.
    by_norm = sorted(range(len(m)), key=lambda i: -_dot(m[i], m[i]))
    vs = [list(m[i]) for i in by_norm[:k]]
    vs = [[x + 1e-3 * math.sin(1.0 + j * (c + 1)) for j, x in enumerate(v)] for c, v in enumerate(vs)]
    vs = _orthonormal(vs)
    for _ in range(max_iter):
        mv = [[_dot(r, v) for r in m] for v in vs]  # M v, for each column v
        new = _orthonormal([[_dot(col, u) for col in columns] for u in mv])  # Mᵀ (M v)
        turned = max(1.0 - abs(_dot(a, b)) for a, b in zip(new, _project(vs, new)))
        vs = new
        if turned < tol:
            break
    mv = [[_dot(r, v) for r in m] for v in vs]
    gram = [[_dot(a, b) for b in mv] for a in mv]
    values, rotation = _jacobi_eigen(gram)
    order = sorted(range(k), key=lambda i: -values[i])
    sigmas, vectors = [], []
    for i in order:
        v = [sum(rotation[c][i] * vs[c][j] for c in range(k)) for j in range(n)]
        if max(v, key=abs) < 0:
            v = [-x for x in v]
        sigmas.append(math.sqrt(max(values[i], 0.0)))
        vectors.append(v)
    return sigmas, vectors


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return math.fsum(map(operator.mul, a, b))


def _orthonormal(vectors: list[list[float]]) -> list[list[float]]:
    """Gram-Schmidt (twice, for accuracy); a vector that vanishes is replaced by a unit axis."""
    out: list[list[float]] = []
    for v in vectors:
        for _ in range(2):
            for u in out:
                c = _dot(v, u)
                v = [x - c * y for x, y in zip(v, u)]
        norm = math.sqrt(_dot(v, v))
        if norm < 1e-300:
            axis = len(out)
            v, norm = [1.0 if j == axis else 0.0 for j in range(len(v))], 1.0
        out.append([x / norm for x in v])
    return out


def _project(basis: list[list[float]], targets: list[list[float]]) -> list[list[float]]:
    """Each target's projection onto span(basis), normalised (to measure how far the span turned)."""
    out = []
    for t in targets:
        p = [0.0] * len(t)
        for u in basis:
            c = _dot(t, u)
            p = [x + c * y for x, y in zip(p, u)]
        norm = math.sqrt(_dot(p, p)) or 1.0
        out.append([x / norm for x in p])
    return out


def _jacobi_eigen(a: list[list[float]]) -> tuple[list[float], list[list[float]]]:
    """Eigenvalues and eigenvectors (columns of R) of a small symmetric matrix, by Jacobi rotations."""
    k = len(a)
    a = [list(r) for r in a]
    rot = [[1.0 if i == j else 0.0 for j in range(k)] for i in range(k)]
    for _ in range(100):
        pairs = [(abs(a[i][j]), i, j) for i in range(k) for j in range(k) if i != j]
        off = max(pairs) if pairs else (0.0, 0, 0)
        if off[0] <= 1e-300:
            break
        _, p, q = off
        theta = 0.5 * math.atan2(2.0 * a[p][q], a[q][q] - a[p][p])
        c, s = math.cos(theta), math.sin(theta)
        for i in range(k):  # A <- A J, then Jᵀ A, with J the rotation in the (p, q) plane
            aip, aiq = a[i][p], a[i][q]
            a[i][p], a[i][q] = c * aip - s * aiq, s * aip + c * aiq
        for j in range(k):
            apj, aqj = a[p][j], a[q][j]
            a[p][j], a[q][j] = c * apj - s * aqj, s * apj + c * aqj
        for i in range(k):
            rip, riq = rot[i][p], rot[i][q]
            rot[i][p], rot[i][q] = c * rip - s * riq, s * rip + c * riq
    return [a[i][i] for i in range(k)], rot


# ---- the surface ---------------------------------------------------------------------------


def _surface(
    runs: list[dict[str, Any]],
    start: list[float],
    grid: int,
    params: list[Value],
    loss: Callable[[], Value],
    value_only: Compiled,
) -> dict[str, Any]:
    """The loss on a grid of the plane of the paths, and each path's coordinates in it."""
    finite = [theta for run in runs for theta in run["params"] if all(map(math.isfinite, theta))]
    if len(start) == 2:
        kind, directions, explained = "exact", [[1.0, 0.0], [0.0, 1.0]], 1.0
        origin = [0.0, 0.0]
    else:
        kind, origin = "pca", start
        rows = [[x - s for x, s in zip(theta, start)] for theta in finite]
        sigmas, directions = top_singular_vectors(rows, 2)
        while len(directions) < 2:  # the paths did not move (or along one line only)
            directions.append(_orthonormal([*directions, [1.0] * len(start)])[-1])
            sigmas.append(0.0)
        total = sum(_dot(r, r) for r in rows)
        explained = (sigmas[0] ** 2 + sigmas[1] ** 2) / total if total > 0 else 1.0
    paths = []
    for run in runs:
        path = []
        for theta in run["params"]:
            delta = [x - o for x, o in zip(theta, origin)]
            path.append([_dot(delta, directions[0]), _dot(delta, directions[1])])
        paths.append(path)
    points = [xy for path in paths for xy in path if all(map(math.isfinite, xy))]
    ranges = []
    for axis in (0, 1):
        low, high = min(p[axis] for p in points), max(p[axis] for p in points)
        pad = max(0.15 * (high - low), 0.25 if kind == "exact" else 0.05 * max(abs(low), abs(high), 1e-3))
        ranges.append([low - pad, high + pad])
    axes = [[r[0] + (r[1] - r[0]) * i / (grid - 1) for i in range(grid)] for r in ranges]
    began = time.perf_counter()
    values = []
    d0, d1 = directions
    for b in axes[1]:  # one row per value of the second coordinate
        row = []
        for a in axes[0]:
            theta = [o + a * x + b * y for o, x, y in zip(origin, d0, d1)]
            row.append(_loss_at(theta, params, loss, value_only))
        values.append(row)
    seconds = time.perf_counter() - began
    return {
        "kind": kind,
        "axes": axes,
        "values": values,
        "paths": paths,
        "directions": directions,
        "explained": explained,
        "seconds": seconds,
        "evaluations": grid * grid,
    }


def _loss_at(
    theta: list[float], params: list[Value], loss: Callable[[], Value], value_only: Compiled
) -> float:
    """The loss at θ: the traced forward code, or the Values where that code's path does not hold
    or it fails (an overflow, a domain error); NaN where the Values fail too."""
    try:
        return float(value_only(*theta))
    except (PathChanged, ArithmeticError, ValueError):
        for p, x in zip(params, theta):
            p.data = x
        try:
            with no_grad():
                return float(loss().data)
        except (ArithmeticError, ValueError):
            return math.nan
