"""Holes the mutation session found in autograd/trace_slots.py (docs/testing.md, issue 23).

``reuse_names`` renames a generated function's locals so that a dead value hands its name on.
Before, the fast tests compared reused and own names on random functions only at the traced
point, so a renaming that broke a guard (a comparison whose last use is the guard itself), the
names in a ``PathChanged`` message, or the reuse itself (names never freed) went unnoticed.
"""

from __future__ import annotations

import math
import re

import pytest

from autograd import PathChanged, Value, trace, trace_rules


def compiled(source: str, name: str):
    namespace: dict[str, object] = {"__builtins__": {}, "PathChanged": PathChanged, **trace_rules.HELPERS}
    exec(source, namespace)
    return namespace[f"{name}_value_and_grad"]


def outcome(function, *xs):
    """(value, grads), or the PathChanged message."""
    try:
        return function(*xs)
    except PathChanged as err:
        return str(err)


def last_use_in_a_guard(x: Value, y: Value) -> Value:
    a = x * 2.0
    b = y * 3.0  # a and b are read by the comparison only
    return x + y if a > b else x - y


def guards_and_fan_out(x: Value, y: Value) -> Value:
    a = x * y
    b = a.tanh() if a > 0.0 else a.relu()
    c = b * b + a
    if c < 5.0:
        c = c + x
    return c * y


@pytest.mark.parametrize(
    ("f", "traced_at", "points"),
    [
        (last_use_in_a_guard, (2.0, 1.0), [(2.0, 1.0), (5.0, -1.0), (1.0, 2.0), (0.0, 0.0)]),
        (guards_and_fan_out, (0.5, 2.0), [(0.5, 2.0), (0.3, 1.5), (-0.5, 2.0), (3.0, 2.0)]),
    ],
)
def test_reused_names_keep_the_guards_and_their_messages(f, traced_at, points):
    """At every point, the reused code gives what the own-names code gives: the same numbers, or
    PathChanged with the same message (naming the trace's own names, v3, not a slot t0)."""
    t = trace(f, *traced_at)
    own = compiled(t.source(reuse_names=False), t.name)
    reused = compiled(t.source(reuse_names=True), t.name)
    changed = 0
    for point in points:
        expected = outcome(own, *point)
        assert outcome(reused, *point) == expected, point
        if isinstance(expected, str):
            changed += 1
            assert re.search(r"\bv\d+\b", expected) and not re.search(r"\bt\d+\b", expected), expected
    assert changed >= 1  # some point takes another path


def test_a_guard_that_is_the_last_use_compares_the_right_numbers():
    """f traced at (2, 1), where 2x = 4 > 3y = 3: at (5, -1) (10 > -3) the value is x + y = 4 and
    the grads (1, 1); at (1, 2) (2 < 6) it takes another path (by hand)."""
    t = trace(last_use_in_a_guard, 2.0, 1.0)
    reused = compiled(t.source(reuse_names=True), t.name)
    assert reused(5.0, -1.0) == (4.0, (1.0, 1.0))
    with pytest.raises(PathChanged, match="True; these inputs make it False"):
        reused(1.0, 2.0)


def test_guards_and_fan_out_by_hand():
    """f(x, y) = ((tanh(xy))**2 + xy + x) * y on the traced path (xy > 0, c < 5). With u = xy
    and s = tanh(u): df/dx = y * (2 s (1 - s**2) y + y + 1), df/dy = c + y * (2 s (1 - s**2) x + x)."""
    t = trace(guards_and_fan_out, 0.5, 2.0)
    reused = compiled(t.source(reuse_names=True), t.name)
    for x, y in [(0.5, 2.0), (0.3, 1.5)]:
        s = math.tanh(x * y)
        c = s * s + x * y + x
        ds = 2 * s * (1 - s * s)
        value, (dx, dy) = reused(x, y)
        assert value == pytest.approx(c * y, rel=1e-14)
        assert dx == pytest.approx(y * (ds * y + y + 1), rel=1e-13)
        assert dy == pytest.approx(c + y * (ds * x + x), rel=1e-13)


def affine_chain(n: int):
    def f(x: Value) -> Value:
        for _ in range(n):
            x = x * 1.1 + 0.3  # nothing of it is read by the backward pass: every value dies at once
        return x

    return f


def test_a_chain_shares_a_handful_of_names_numbered_from_t0():
    """x -> 1.1 x + 0.3, n times: the reused code needs as many names for n = 100 as for n = 10
    (a dead value always hands its name on), numbered t0, t1, ... without a gap; no line copies a
    name to itself; and it computes 1.1**n x + 0.3 (1.1**n - 1) / 0.1, slope 1.1**n."""
    counts = []
    for n in (10, 100):
        t = trace(affine_chain(n), 0.5)
        source = t.source(reuse_names=True)
        names = sorted({int(k) for k in re.findall(r"\bt(\d+)\b", source)})
        assert names == list(range(len(names)))
        assert not re.search(r"^\s+(t\d+) = \1$", source, flags=re.MULTILINE)
        counts.append(len(names))
        value, (slope,) = compiled(source, t.name)(2.0)
        assert value == pytest.approx(1.1**n * 2.0 + 0.3 * (1.1**n - 1) / 0.1, rel=1e-12)
        assert slope == pytest.approx(1.1**n, rel=1e-12)
    assert counts[0] == counts[1] <= 4


def test_a_value_never_read_hands_its_name_on_at_once():
    """reuse_names on a hand-written body: b is assigned and never read, so its name is free for c
    at once, and two names (the most values alive together: a and c) are enough (mutants: a dead
    value's name not freed, or freed as the wrong name)."""
    from autograd.trace_slots import reuse_names

    body = ["    a = x * 2.0", "    b = x * 3.0", "    c = x + 1.0", "    return a + c"]
    renamed = reuse_names(body, {"x"})
    assert renamed == ["    t0 = x * 2.0", "    t1 = x * 3.0", "    t1 = x + 1.0", "    return t0 + t1"]
    namespace: dict[str, object] = {}
    exec("def f(x):\n" + "\n".join(renamed), namespace)
    assert namespace["f"](5.0) == 5.0 * 2.0 + 5.0 + 1.0  # type: ignore[operator]


def test_an_augmented_assignment_keeps_its_target_alive():
    """a += c reads a, even where nothing reads a afterwards: a keeps its name until then, so c
    needs a second one and f(x) = c = 3x (mutants: the target of += not counted as read, so a's
    name goes to c at once and a += c doubles c)."""
    from autograd.trace_slots import reuse_names

    body = ["    a = x * 2.0", "    c = x * 3.0", "    a += c", "    return c"]
    renamed = reuse_names(body, {"x"})
    assert renamed == ["    t0 = x * 2.0", "    t1 = x * 3.0", "    t0 += t1", "    return t1"]
    namespace: dict[str, object] = {}
    exec("def f(x):\n" + "\n".join(renamed), namespace)
    assert namespace["f"](5.0) == 15.0  # type: ignore[operator]
