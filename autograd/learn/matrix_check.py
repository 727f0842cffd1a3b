"""``check_matrix_backward``: grade a learner's matrix backward formula, and name the mistake.

The learner writes the backward pass of a small matrix program with numpy (or lists), as the
lesson does (``dw = np.dot(X.T, dz) / m``). It is run at random shapes (square ones, where a
missing transpose still computes, and non-square ones, where it does not) and random values,
and each gradient it returns is compared with the one the engine adds up edge by edge on the
same program written with matrices of Values (``autograd.matmul`` and friends).

A wrong gradient is explained when it is one of the usual slips, tried on the numbers of the
run: the right product with a transpose missing or on the wrong factor (``X·dZ`` for ``Xᵀ·dZ``),
its factors in the wrong order (``Wᵀ·dZ`` for ``dZ·Wᵀ``), the transpose of the right gradient,
another matrix in place of a factor (``dH`` for ``dP``: an activation's derivative left out), the
batch not summed (per-example gradients, or one example's), a broadcast bias's gradient not
summed over the rows, a 1/m missing or extra, the sign, or the wrong shape (named with both).
Anything else is "unexplained", with where and one example. A ``Report`` as ``check_op``'s.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd.learn.report import Check, Mistake, Report
from autograd.ops import sum as value_sum
from autograd.value import Value

__all__ = ["MATRIX_MISTAKE_KINDS", "MatrixMistake", "check_matrix_backward"]

# Every kind of mistake check_matrix_backward names, with what it means.
MATRIX_MISTAKE_KINDS: dict[str, str] = {
    "missing_transpose": "a transpose missing or on the wrong factor (X·dZ where Xᵀ·dZ belongs)",
    "factor_order": "the factors of the product in the wrong order (Wᵀ·dZ where dZ·Wᵀ belongs)",
    "transposed": "the transpose of the right gradient (dZᵀ·X is (Xᵀ·dZ)ᵀ: the shape of Wᵀ, not W)",
    "wrong_factor": "another matrix where a factor belongs (dH for dP: an activation's derivative left out)",
    "batch_not_summed": "the batch not summed: per-example gradients, or one example's only",
    "bias_not_summed": "a broadcast bias's gradient not summed over the rows it was added to (db = dZ)",
    "missing_1_over_m": "the 1/m of a mean missing: yours is m × the right gradient",
    "extra_1_over_m": "a 1/m too many: yours is the right gradient / m",
    "sign": "the sign flipped: yours is -1 × the right gradient",
    "shape": "a gradient of the wrong shape (each gradient has the shape of its matrix)",
    "unexplained": "wrong, in no pattern known: where, and one example",
    "imprecise": "close to the right gradient, not within 1e-9 of its size (float32, an approximation)",
    "non_finite": "an infinity or NaN where the right gradient is a finite number",
    "not_a_matrix": "a result that is not a matrix of numbers",
    "count": "the wrong number of gradients returned",
    "raised": "the backward raised an exception",
}

Nested = Any  # nested lists of floats (any depth), or a float
TOL = 1e-9  # relative to the size of the right gradient: rounding is ~1e-15


@dataclass(frozen=True)
class MatrixMistake(Mistake):
    """A mistake of a matrix formula: a ``kind`` from ``MATRIX_MISTAKE_KINDS``; ``partial`` is the
    gradient it is about (``"dW"``)."""

    def __post_init__(self) -> None:
        if self.kind not in MATRIX_MISTAKE_KINDS:
            raise ValueError(
                f"MatrixMistake: unknown kind {self.kind!r}; the kinds are {', '.join(MATRIX_MISTAKE_KINDS)}"
            )


# --- nested lists: shape, flatten, products ---------------------------------------------------------


def shape(x: Nested) -> tuple[int, ...]:
    """numpy's shape of nested lists (a number: ``()``); ragged lists raise ValueError."""
    if not isinstance(x, list):
        return ()
    if not x:
        return (0,)
    inner = {shape(e) for e in x}
    if len(inner) != 1:
        raise ValueError("ragged")
    return (len(x), *inner.pop())


def flat(x: Nested) -> list[float]:
    if not isinstance(x, list):
        return [x]
    return [v for e in x for v in flat(e)]


def _read(x: object, what: str) -> Nested:
    """The learner's result as nested lists of floats (numpy arrays through ``.tolist()``)."""
    if hasattr(x, "tolist") and not isinstance(x, (list, tuple)):
        x = x.tolist()
    if isinstance(x, (list, tuple)):
        return [_read(e, what) for e in x]
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"{what} holds {type(x).__name__} {str(x)[:30]!r}, not a number")
    return float(x)


def _mm(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    return [
        [math.fsum(a[i][t] * b[t][j] for t in range(len(b))) for j in range(len(b[0]))] for i in range(len(a))
    ]


def _t(a: list[list[float]]) -> list[list[float]]:
    return [list(c) for c in zip(*a)]


def _close(g: Nested, t: Nested, scale: float) -> bool:
    """Same shape, and every entry within TOL·(1 + scale) of t's (g and t are never ragged here)."""
    if shape(g) != shape(t):
        return False
    tol = TOL * (1.0 + scale)
    return all(abs(x - y) <= tol for x, y in zip(flat(g), flat(t)))


def _as2d(x: Nested) -> list[list[float]] | None:
    s = shape(x)
    if len(s) == 2:
        return x  # type: ignore[no-any-return]
    if len(s) == 1:
        return [x]  # a 1-D bias: one row
    return None


# --- the run -----------------------------------------------------------------------------------------


def _dims(letters: set[str], rng: random.Random, square: bool) -> dict[str, int]:
    if square:
        return dict.fromkeys(letters, 3)
    sizes = (
        rng.sample([2, 3, 4, 5, 6], len(letters))
        if len(letters) <= 5
        else [rng.randint(2, 6) for _ in letters]
    )
    return dict(zip(sorted(letters), sizes))


def _shape_of(spec: str, dims: dict[str, int]) -> tuple[int, ...]:
    return tuple(int(d) if d.isdigit() else dims[d] for d in spec.split())


def _random(shp: tuple[int, ...], rng: random.Random, label: bool) -> Nested:
    if not shp:
        return float(rng.randint(0, 1)) if label else rng.uniform(-1, 1)
    return [_random(shp[1:], rng, label) for _ in range(shp[0])]


def _values(x: Nested) -> Any:
    return [_values(e) for e in x] if isinstance(x, list) else Value(x)


def _grads(x: Any) -> Nested:
    return [_grads(e) for e in x] if isinstance(x, list) else float(x.grad)


def _datas(x: Any) -> Nested:
    return [_datas(e) for e in x] if isinstance(x, list) else float(x.data)


def _name_shapes(named: dict[str, Nested]) -> str:
    return ", ".join(f"{k} {shape(v)}" for k, v in named.items())


@dataclass
class _Trial:
    inputs: dict[str, Nested]  # what the learner is given, by name
    truth: dict[str, Nested]  # the right gradient of each graded input
    factors: dict[str, list[list[float]]]  # the matrices a formula is made of, by name
    m: int
    answer: dict[str, Nested] | None = None  # the learner's, read
    error: str = ""
    count: str = ""  # the wrong number of gradients returned
    masked: dict[str, dict[str, Nested]] | None = None  # the gradient from one example's upstream only


def check_matrix_backward(
    forward: Callable[..., Any],
    backward: Callable[..., Any],
    shapes: dict[str, str],
    labels: Sequence[str] = (),
    wrt: Sequence[str] | None = None,
    trials: int = 6,
    seed: int = 0,
    name: str | None = None,
) -> Report:
    """Grade ``backward`` as the backward pass of ``forward``; return a ``Report``.

    ``shapes`` gives each input's shape in letters (or numbers), in the order both functions
    take them: ``{"X": "m n", "W": "n k", "b": "k"}``; a letter is one random size per run (``m``
    is the batch), and one run in two uses the same size for all (square matrices). Without a
    letter ``m`` the batch is the rows of the first input if it is a matrix, else 1 (no batch).
    ``forward(X, W, b)`` gets matrices of Values (a 1-D input as a flat list) and returns

    - a matrix ``Z``: then ``backward(X, W, b, dZ)`` gets the numbers and a random upstream
      gradient dZ = dL/dZ, and returns the gradient of each input, in order (dX, dW, db);
    - or a Value (a loss): ``backward(X, W, b)`` gets the numbers only.

    Either may come with a dict of named intermediate matrices (``return Z, {"H": H}``): their
    values and gradients (``H``, ``dH``) are factors the mistakes are written with; a loss's
    ``{"Z": Z}`` gives the ``dZ`` the formula is written with. ``labels`` names inputs drawn
    from {0, 1} and not graded (the targets ``y``); ``wrt`` the inputs whose gradients backward
    returns, in order (all but the labels if not given). The learner's functions get numpy arrays
    when numpy is installed, nested lists otherwise, and return either.
    """
    names = list(shapes)
    graded = [n for n in names if n not in labels] if wrt is None else list(wrt)
    unknown = [n for n in [*labels, *graded] if n not in shapes]
    if unknown or not graded:
        raise ValueError(
            "check_matrix_backward: labels and wrt must name inputs of shapes "
            f"({', '.join(names)}), got {unknown or 'none to grade'}"
        )
    if trials < 2:
        raise ValueError(
            f"check_matrix_backward: trials must be at least 2 (square and non-square shapes), got {trials}"
        )
    title = name or str(getattr(backward, "__name__", "backward"))
    letters = {d for spec in shapes.values() for d in spec.split() if not d.isdigit()}
    batch = "m" if "m" in letters else None
    rng = random.Random(seed)
    try:
        import numpy as np  # the learner's formula is numpy's: give it arrays where there are

        wrap: Callable[[Nested], Any] = lambda x: np.array(x, dtype=float)  # noqa: E731
    except ImportError:  # pragma: no cover - numpy is a test dependency
        wrap = lambda x: x  # noqa: E731
    runs: list[_Trial] = []
    for k in range(trials):
        dims = _dims(letters, rng, square=k % 2 == 0)
        inputs = {n: _random(_shape_of(shapes[n], dims), rng, n in labels) for n in names}
        first = _shape_of(shapes[names[0]], dims)  # no letter m: the rows of a first input that has rows
        m = dims[batch] if batch else (first[0] if len(first) >= 2 else 1)
        run = _engine(forward, inputs, names, graded, rng, m)
        try:
            answer = backward(*[wrap(run.inputs[n]) for n in run.inputs])
        except Exception as e:  # the learner's code: any exception is a finding
            text = str(e).splitlines()[0] if str(e) else ""
            run.error = f"{type(e).__name__}: {text if len(text) <= 90 else text[:87] + '...'}"
        else:
            try:
                run.answer = _answer(answer, graded)
            except _Count as e:
                run.count = str(e)
        runs.append(run)
    return _report(title, graded, runs)


def _engine(
    forward: Callable[..., Any], inputs: dict[str, Nested], names: list[str], graded: list[str],
    rng: random.Random, m: int,
) -> _Trial:  # fmt: skip
    """The right gradients: the program with matrices of Values, backward() from the engine."""
    values = {n: _values(inputs[n]) for n in names}
    result = forward(*[values[n] for n in names])
    extra: dict[str, Any] = {}
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], dict):
        result, extra = result
    given = dict(inputs)
    upstream: Nested = None
    if isinstance(result, Value):
        result.backward()
    else:
        upstream = _random((len(result), len(result[0])), rng, False)
        given["dZ"] = upstream
        loss = value_sum([v * g for row, grow in zip(result, upstream) for v, g in zip(row, grow)])
        loss.backward()
    truth = {n: _grads(values[n]) for n in graded}
    factors: dict[str, list[list[float]]] = {}
    for n in names:
        f = _as2d(inputs[n])
        if f is not None:
            factors[n] = f
    if upstream is not None:
        factors["dZ"] = upstream
    for n, mat in extra.items():
        factors[n], factors[f"d{n}"] = _datas(mat), _grads(mat)
    run = _Trial(given, truth, factors, m)
    if upstream is not None and len(upstream) > 1:  # the gradient from the first example alone
        for n in names:
            _zero(values[n])
        first = [row if i == 0 else [0.0] * len(row) for i, row in enumerate(upstream)]
        result2 = forward(*[values[n] for n in names])
        if isinstance(result2, tuple):
            result2 = result2[0]
        value_sum([v * g for row, grow in zip(result2, first) for v, g in zip(row, grow)]).backward()
        run.masked = {"first": {n: _grads(values[n]) for n in graded}}
    return run


def _zero(x: Any) -> None:
    if isinstance(x, list):
        for e in x:
            _zero(e)
    else:
        x.grad = 0.0


def _answer(answer: object, graded: list[str]) -> dict[str, Nested]:
    if len(graded) == 1 and not isinstance(answer, tuple):
        answer = (answer,)
    if not isinstance(answer, (tuple, list)) or len(answer) != len(graded):
        raise _Count(answer, graded)
    out: dict[str, Nested] = {}
    for name, a in zip(graded, answer):
        try:
            out[name] = _read(a, f"d{name}")
            shape(out[name])
        except (TypeError, ValueError) as e:
            out[name] = _Bad(str(e) if str(e) != "ragged" else f"d{name} is a ragged list")
    return out


class _Count(Exception):
    """The wrong number of gradients: "1 gradient, 2 needed"; "None, 2 gradients needed" (no return).

    With one gradient graded, a tuple is read as the tuple of gradients (as ``(dW,)`` is), so a
    matrix written as a tuple of rows counts as several: the message says so, true either way."""

    def __init__(self, answer: object, graded: list[str]) -> None:
        want = len(graded)
        if answer is None:  # with one graded, None is read as that gradient (not a number)
            super().__init__(f"None, {want} gradients needed")
            return
        got = len(answer) if isinstance(answer, (tuple, list)) else 1
        text = f"{got} gradient{'' if got == 1 else 's'}, {want} needed"
        if want == 1 and isinstance(answer, tuple):
            d = f"d{graded[0]}"
            text += (
                ": a tuple is read as the gradients, one per entry; "
                f"return {d} alone as a list or an array, or ({d},)"
            )
        super().__init__(text)


@dataclass(frozen=True)
class _Bad:
    why: str


def _report(title: str, graded: list[str], runs: list[_Trial]) -> Report:
    checks: list[Check] = []
    mistakes: list[Mistake] = []
    for n in graded:
        right, example = 0, ""
        found: list[tuple[bool, MatrixMistake | None]] = []
        for run in runs:
            ok, finding, ex = _judge(n, run)
            right += ok
            if not ok:
                example = example or ex
                found.append((_square(run), finding))
        # a finding at non-square shapes first: there the shapes tell the matrices apart
        findings = [f for _, f in sorted(found, key=lambda p: p[0]) if f is not None]
        checks.append(Check(f"d{n} at {len(runs)} shapes", right, len(runs), example))
        named = [f for f in findings if f.kind not in ("unexplained", "raised", "count")]
        pick = named[0] if named else (findings[0] if findings else None)
        if pick is not None:
            raised = [r for r in runs if r.error]
            if raised and pick.kind not in ("raised",):
                r = raised[0]
                extra = f" (and at {_name_shapes(r.inputs)} your backward raised {r.error})"
                pick = MatrixMistake(pick.kind, pick.message + extra, pick.partial)
            if all(m.message != pick.message for m in mistakes):
                mistakes.append(pick)
    if any(m.kind != "raised" for m in mistakes):  # a named mistake says why it raised
        mistakes = [m for m in mistakes if m.kind != "raised"]
    return Report(title, tuple(checks), tuple(mistakes))


def _square(run: _Trial) -> bool:
    """Whether every size above 1 in this run is the same (every matrix square, or a vector)."""
    return len({v for x in run.inputs.values() for v in shape(x) if v > 1}) <= 1


def _judge(n: str, run: _Trial) -> tuple[bool, MatrixMistake | None, str]:
    """Whether d``n`` is right in this run; if not, the mistake and an example."""
    d = f"d{n}"
    at = _name_shapes(run.inputs)
    if run.error:
        return (
            False,
            MatrixMistake("raised", f"your backward raised {run.error} at {at}", d),
            f"raised at {at}",
        )
    if run.count:
        return False, MatrixMistake("count", f"your backward returned {run.count} (at {at})"), run.count
    ans = run.answer
    assert ans is not None
    g, t = ans[n], run.truth[n]
    if isinstance(g, _Bad):
        return False, MatrixMistake("not_a_matrix", f"{d}: {g.why}", d), g.why
    scale = max((abs(v) for v in flat(t)), default=0.0)
    if shape(g) == () and len(flat(t)) == 1:  # one number for a gradient of one entry, as numpy broadcasts it
        g = _like(t, g)
    if _close(g, t, scale):
        return True, None, ""
    sg, st = shape(g), shape(t)
    bad = [v for v in flat(g) if not math.isfinite(v)]
    if bad:
        msg = f"{d} holds {bad[0]} where the right gradient is a finite number (at {at})"
        return False, MatrixMistake("non_finite", msg, d), msg
    ex = f"{d} at {at}: yours has shape {sg}" if sg != st else f"{d}{_first_diff(g, t, scale)} at {at}"
    return False, _explain(n, g, t, run, scale), ex


def _like(t: Nested, v: float) -> Nested:
    """Nested lists of t's shape holding v (t has one entry: [[v]] for t = [[x]])."""
    return [_like(e, v) for e in t] if isinstance(t, list) else v


def _first_diff(g: Nested, t: Nested, scale: float) -> str:
    """The first entry (in row-major order) that is wrong: off by more than TOL·(1 + scale).

    Entries within it are right (a sum in another order differs in the last bits), so they are
    never the example, though they are not equal."""
    gs, ts = flat(g), flat(t)
    tol = TOL * (1.0 + scale)
    i = next(i for i, (a, b) in enumerate(zip(gs, ts)) if not abs(a - b) <= tol)
    return f" entry {i}: yours {gs[i]:.12g}, the engine's {ts[i]:.12g}"


def _explain(n: str, g: Nested, t: Nested, run: _Trial, scale: float) -> MatrixMistake:
    d, m = f"d{n}", run.m
    sg, st = shape(g), shape(t)
    at = _name_shapes(run.inputs)
    if sg == st and all(abs(x - y) <= 1e-5 * (1.0 + scale) for x, y in zip(flat(g), flat(t))):
        worst = max(abs(x - y) for x, y in zip(flat(g), flat(t)))
        msg = f"{d}: close, off by up to {worst:.1e} where rounding in float64 gives about 1e-16 (at {at})"
        return MatrixMistake("imprecise", msg + ": float32, or an approximation?", d)
    for c, kind, what in (
        (m, "missing_1_over_m", "m ×"),
        (1 / m, "extra_1_over_m", "1/m ×"),
        (-1.0, "sign", "-1 ×"),
    ):
        if m > 1 or kind == "sign":
            if _close(g, _scaled(t, c), abs(c) * scale):
                examples = f"{m} example{'' if m == 1 else 's'}"
                return MatrixMistake(
                    kind, f"{d}: yours is {what} the right gradient (m = {examples}, at {at})", d
                )
    bias = len(st) == 1 or (len(st) == 2 and st[0] == 1)
    if len(sg) >= 1 and sg[0] == m and m > 1 and len(sg) >= len(st):
        for c, how in ((1.0, "summed"), (1 / m, "averaged")):
            summed = _scaled([math.fsum(col) for col in zip(*[flat(r) for r in g])], c)
            if _close(summed, flat(t), scale):
                if bias:
                    msg = (
                        f"{d}: yours has shape {sg}, one row per example; {how} over the rows it is the "
                        "right one: a bias added to every row collects the gradient of every row"
                    )
                    return MatrixMistake("bias_not_summed", msg, d)
                msg = (
                    f"{d}: yours has shape {sg}, one gradient per example; "
                    f"{how} over the batch it is the right one {st}"
                )
                return MatrixMistake("batch_not_summed", msg, d)
    if run.masked and _close(g, run.masked["first"][n], scale):
        kind = "bias_not_summed" if bias else "batch_not_summed"
        return MatrixMistake(
            kind,
            f"{d}: yours is the first example's gradient only; "
            f"each of the {m} examples adds its own (at {at})",
            d,
        )
    if len(sg) == 2 and len(st) == 2 and _close(_t(g), t, scale):
        return MatrixMistake(
            "transposed",
            f"{d}: yours is the transpose of the right gradient (yours has shape {sg}, {d} has "
            f"shape {st}){_formula(t, run, scale)}",
            d,
        )
    # products of two factors, each maybe transposed, times 1, 1/m or m
    right = _products(t, run, scale)
    mine = _products(g, run, max((abs(v) for v in flat(g)), default=0.0))
    for ra, ta, rb, tb, rc in right:
        for ga, gta, gb, gtb, gc in mine:
            if rc != gc:
                continue
            yours, theirs = _fmt(ga, gta, gb, gtb, gc), _fmt(ra, ta, rb, tb, rc)
            if (ga, gb) == (ra, rb) and (gta, gtb) != (ta, tb):
                return MatrixMistake(
                    "missing_transpose", f"{d}: yours is {yours}, the right one is {theirs} (at {at})", d
                )
            if (ga, gb) == (rb, ra) and (gta, gtb) == (tb, ta):
                return MatrixMistake(
                    "factor_order",
                    f"{d}: yours is {yours}, the right one is {theirs}: "
                    f"the same factors in the other order (at {at})",
                    d,
                )
            if (ga == ra) != (gb == rb) and (gta, gtb) == (ta, tb):
                return MatrixMistake(
                    "wrong_factor", f"{d}: yours is {yours}, the right one is {theirs} (at {at})", d
                )
    if sg != st:
        return MatrixMistake(
            "shape", f"{d}: yours has shape {sg}, the right one has shape {st}, the shape of {n} (at {at})", d
        )
    return MatrixMistake(
        "unexplained", f"{d}: wrong in no pattern known;{_first_diff(g, t, scale)} (at {at})", d
    )


def _scaled(x: Nested, c: float) -> Nested:
    return [_scaled(e, c) for e in x] if isinstance(x, list) else x * c


def _fmt(a: str, ta: bool, b: str, tb: bool, c: str) -> str:
    return f"{a}{'ᵀ' if ta else ''}·{b}{'ᵀ' if tb else ''}{c}"


def _formula(t: Nested, run: _Trial, scale: float) -> str:
    for a, ta, b, tb, c in _products(t, run, scale):
        return f": the right one is {_fmt(a, ta, b, tb, c)}"
    return ""


def _products(x: Nested, run: _Trial, scale: float) -> list[tuple[str, bool, str, bool, str]]:
    """Every product P·Q of two factors (each maybe transposed), times 1, 1/m or m, equal to x."""
    out: list[tuple[str, bool, str, bool, str]] = []
    if len(shape(x)) != 2:
        return out
    sx = shape(x)
    for a, fa in run.factors.items():
        for ta in (False, True):
            pa = _t(fa) if ta else fa
            if len(pa) != sx[0]:
                continue
            for b, fb in run.factors.items():
                for tb in (False, True):
                    pb = _t(fb) if tb else fb
                    if len(pb) != len(pa[0]) or len(pb[0]) != sx[1]:
                        continue
                    p = _mm(pa, pb)
                    for c, text in ((1.0, ""), (1 / run.m, f" / {run.m}"), (float(run.m), f" · {run.m}")):
                        if _close(x, _scaled(p, c), scale):
                            out.append((a, ta, b, tb, text.replace(str(run.m), "m")))
                            break
    return out
