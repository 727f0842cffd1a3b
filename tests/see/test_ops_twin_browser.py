"""The page's JavaScript twin of the op table against the engine, in headless Chromium.

Every op of ``autograd/ops.py`` is run at edge points (0, -0, +-1, +-1000, tiny, huge, NaN,
+-inf and the points where an op refuses its input) and at seeded random points, once by
the engine and once by ``applyOp`` of ``autograd/see/ops_twin.js`` inside a live page. Values
and local derivatives agree to a relative 1e-12; where the engine raises, the twin throws the
same exception name with the same message.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from autograd import Value, ops, render_steps
from autograd.see.page import json_numbers, safe_json
from tests.engine.op_cases import BINARY, UNARY
from tests.oracles import close
from tests.see.browser import Browser, needs_browser, start_browser

pytestmark = [pytest.mark.slow, needs_browser]

EDGE = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1000.0, -1000.0, 1e-300, 1e300, 709.0, -745.0]
SPECIAL = [math.nan, math.inf, -math.inf]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    for b in start_browser():
        page = render_steps(Value(1.0, label="x") * 2.0, tmp_path_factory.mktemp("twin") / "twin.html")
        b.open(page)
        yield b


def python_result(make: Callable[[], Value]) -> dict[str, Any]:
    """What the engine does: the node's data and local derivatives, or the error it raises."""
    try:
        node = make()
    except (ValueError, ZeroDivisionError, OverflowError) as err:
        return {"error": type(err).__name__, "message": str(err)}
    return {"out": node.data, "local": list(node.local_grads)}


RUN_IN_PAGE = """((cases) => cases.map(([op, args, slope]) => {
  try {
    const [out, local] = applyOp(op, args.map(Number), slope);
    return {out: String(out), local: local.map(String)};
  } catch (err) {
    if (!(err instanceof OpError)) throw err;
    return {error: err.type, message: err.message};
  }
}))"""

# A twin agrees with the engine to 1e-12 relatively, and where the engine gives NaN, it does too.
TWIN_AGREES: dict[str, Any] = {"rel": 1e-12, "abs_": 1e-300, "nan_equal": True}


def cases() -> list[tuple[str, list[float], float | None, Callable[[], Value]]]:
    rng = random.Random(12)
    randoms = [rng.uniform(-5, 5) for _ in range(30)] + [rng.uniform(-1000, 1000) for _ in range(10)]
    randoms += [rng.choice([-1, 1]) * 10 ** rng.uniform(-8, 8) for _ in range(10)]
    points = EDGE + SPECIAL + randoms
    out: list[tuple[str, list[float], float | None, Callable[[], Value]]] = []
    for name, f in UNARY.items():
        for x in points:
            out.append((name, [x], None, lambda f=f, x=x: f(Value(x))))
    for slope in (0.01, 0.2):
        for x in points:
            out.append(("leaky_relu", [x], slope, lambda x=x, s=slope: ops.leaky_relu(Value(x), s)))
    pairs = list(itertools.product(EDGE + SPECIAL, repeat=2))
    pairs += [(rng.uniform(-5, 5), rng.uniform(-5, 5)) for _ in range(60)]
    pairs += [(rng.uniform(0, 10), rng.choice([-3.0, -2.0, 0.5, 2.0, 1.5, 400.0])) for _ in range(20)]
    pairs += [(-2.0, 0.5), (0.0, -1.0), (-0.0, -2.0), (10.0, 400.0), (1e-300, -2.0), (-8.0, 1 / 3)]
    for name, g in BINARY.items():
        for a, b in pairs:
            out.append((name, [a, b], None, lambda g=g, a=a, b=b: g(Value(a), Value(b))))
    lists = [[rng.uniform(-5, 5) for _ in range(rng.randint(1, 7))] for _ in range(30)]
    lists += [[1e16, 1.0, -1e16], [1e308, 1e308], [math.inf, -math.inf], [math.nan, 1.0], [0.1] * 10]
    lists += [[rng.choice(EDGE) for _ in range(rng.randint(1, 5))] for _ in range(20)]
    for xs in lists:
        out.append(("sum", xs, None, lambda xs=xs: ops.sum([Value(x) for x in xs])))
        n = len(xs) // 2
        if n:
            vals = xs[: 2 * n]
            out.append(("dot", vals, None, lambda v=vals, n=n: ops.dot(*_split(v, n))))
            with_bias = xs[: 2 * n + 1] if len(xs) > 2 * n else [*vals, 0.25]
            out.append(
                ("dot", with_bias, None, lambda v=with_bias, n=n: ops.dot(*_split(v, n), Value(v[-1])))
            )
    return out


def _split(values: list[float], n: int) -> tuple[list[Value], list[Value]]:
    return [Value(x) for x in values[:n]], [Value(x) for x in values[n : 2 * n]]


def assert_twin_agrees(op_cases: list[Any], results: list[Any]) -> int:
    """Each twin result (``{out, local}`` or ``{error}``) against the engine's, case by case, as
    ``cases()`` lists them: the same error, or the same numbers within ``TWIN_AGREES``. Returns
    how many cases were errors (the domain edges a test wants reached)."""
    errors = 0
    for (op, args, _, make), got in zip(op_cases, results):
        expected = python_result(make)
        if "error" in expected:
            errors += 1
            assert got == expected, (op, args)
            continue
        assert "error" not in got, (op, args, got)
        assert close(float(got["out"]), expected["out"], **TWIN_AGREES), (op, args, got, expected)
        assert len(got["local"]) == len(expected["local"]), (op, args)
        for g, e in zip(got["local"], expected["local"]):
            assert close(float(g), e, **TWIN_AGREES), (op, args, got, expected)
    return errors


def test_every_op_twin_matches_the_engine(browser: Browser) -> None:
    all_cases = cases()
    ops_covered = {c[0] for c in all_cases}
    assert ops_covered == {*UNARY, *BINARY, "leaky_relu", "sum", "dot"}
    assert ops_covered == set(browser.evaluate("Object.keys(OPS)"))  # the twin has exactly the engine's ops
    payload = safe_json([[op, json_numbers(args), slope] for op, args, slope, _ in all_cases])
    shown = browser.evaluate(f"{RUN_IN_PAGE}({payload})")
    errors = assert_twin_agrees(all_cases, shown)
    assert errors >= 15  # the domain edges were exercised: div by 0, log, sqrt, pow, exp, sin(inf), fsum
    assert browser.console_errors() == []


def test_python_float_repr_in_the_page(browser: Browser) -> None:
    numbers = [0.5, -2.0, 1e-05, 1.5e-07, 1e16, 1.2345e16, 123456789012345.6, -0.0, 0.1, 1e300, 5e-324, 3.0]
    shown = browser.evaluate(f"{safe_json(numbers)}.map(pyRepr)")
    assert shown == [repr(x) for x in numbers]
