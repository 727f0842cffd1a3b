"""What mutation testing of autograd/steps.py found untested: the texts a learner reads, word for word.

Every expected line here is derived from the docstrings and by hand (local derivatives of sums and
products), not pasted from a run: a step's header and its terms, ``explain``'s numbered paths, the
"N more" of a long sum or a long path, the name of an x outside the graph, the checks of bad input.
"""

from __future__ import annotations

import math

import pytest

import autograd
import autograd.steps as steps_module
from autograd import Value, backward_steps, explain
from autograd.backward import topological_order
from autograd.steps import node_names


def labelled(value: Value, label: str) -> Value:
    value.label = label
    return value


# --- node_names ---------------------------------------------------------------------------------


def test_node_names_put_a_given_name_before_the_label_and_number_the_rest():
    w, b = Value(0.5, label="w0"), Value(2.0)  # b has no label
    root = w * b + w
    order = topological_order(root)
    names = node_names(root, given={w: "layers.0.neurons.1.w0"})
    assert names[w] == "layers.0.neurons.1.w0"  # the given name wins over the label "w0"
    assert names[b] == f"v{order.index(b)}"  # no name given, no label: its place in the order
    assert names[root] == "v0"
    assert list(names) == order


def test_node_names_use_the_order_given_instead_of_walking_the_graph_again(monkeypatch):
    a = Value(1.0, label="a")
    root = a * 3.0 + a
    order = topological_order(root)

    def walked(_root: Value) -> list[Value]:
        raise AssertionError("node_names walked the graph although its order was given")

    monkeypatch.setattr(steps_module, "topological_order", walked)
    names = node_names(root, order)
    assert list(names) == order and names[a] == "a" and names[root] == "v0"


# --- backward_steps ------------------------------------------------------------------------------


def sum_step(n: int, seed: float) -> str:
    """The one step of s = x1 + ... + xn with xk = k, run with upstream ``seed``."""
    xs = [Value(float(k), label=f"x{k}") for k in range(1, n + 1)]
    s = labelled(autograd.sum(xs), "s")
    (step,) = backward_steps(s, seed)
    return str(step)


def test_a_step_text_names_up_to_six_inputs_and_shortens_more():
    # ds/dxk = 1 for every k, so each xk receives 1 × seed; s = 1 + ... + n = n(n + 1)/2.
    six = sum_step(6, 2.5)
    assert six.splitlines() == [
        "step 0: s = sum(x1, x2, x3, x4, x5, x6) = 21.0, upstream grad d(root)/d(s) = 2.5",
        *(f"    x{k}.grad += 1.0 × 2.5 = 2.5    (0.0 -> 2.5)" for k in range(1, 7)),
    ]
    seven = sum_step(7, 1.0).splitlines()
    assert (
        seven[0] == "step 0: s = sum(x1, x2, x3, x4, x5, ... 2 more) = 28.0, upstream grad d(root)/d(s) = 1.0"
    )
    assert len(seven) == 8  # every term is still listed below the header
    eight = sum_step(8, 1.0).splitlines()
    assert eight[0].startswith("step 0: s = sum(x1, x2, x3, x4, x5, ... 3 more) = 36.0,")


def test_a_bad_seed_is_refused_naming_backward_steps():
    with pytest.raises(TypeError, match=r"^backward_steps: expected a real number, got str 'x'$"):
        backward_steps(Value(1.0), "x")  # type: ignore[arg-type]


def test_a_leaf_root_accumulates_its_seed_as_backward_does():
    # backward() on a leaf adds the seed to the grad it has: 1.0 + 0.5 = 1.5, twice 2.0.
    leaf = Value(4.0)
    leaf.grad = 1.0
    assert list(backward_steps(leaf, 0.5)) == []
    assert leaf.grad == 1.5
    twin = Value(4.0)
    twin.grad = 1.0
    twin.backward(0.5)
    assert twin.grad == leaf.grad


# --- explain: the text ---------------------------------------------------------------------------

CS = [0.5 + k for k in range(10)]  # 0.5, 1.5, ..., 9.5: s = sum of x * c over them, ds/dx = 50


def fan(max_paths: int) -> str:
    """s = sum over k of mk, mk = x * ck: ten paths s -> mk -> x, path k's product 1 × ck."""
    x = Value(2.0, label="x")
    s = labelled(autograd.sum([labelled(x * c, f"m{k}") for k, c in enumerate(CS, 1)]), "s")
    s.backward()
    return str(explain(x, s, max_paths=max_paths))


def test_explain_numbers_every_path_and_shortens_the_total_after_eight_terms():
    lines = fan(20).splitlines()
    assert lines[0] == "ds/dx = sum over 10 path(s) of the product of local derivatives"
    assert lines[1:11] == [f"  path {k}: ds/dm{k} · dm{k}/dx = 1.0 × {c} = {c}" for k, c in enumerate(CS, 1)]
    assert lines[11] == "  total = 0.5 + 1.5 + 2.5 + 3.5 + 4.5 + 5.5 + 6.5 + 7.5 + (2 more) = 50.0"
    assert lines[12:] == ["  x.grad = 50.0: matches"]


def test_explain_says_how_many_paths_are_not_listed_and_what_they_sum_to():
    # Listed: c1, c2, c3; the other seven sum to 50 - 4.5 = 45.5.
    assert fan(3).splitlines() == [
        "ds/dx = sum over 10 path(s) of the product of local derivatives",
        "  path 1: ds/dm1 · dm1/dx = 1.0 × 0.5 = 0.5",
        "  path 2: ds/dm2 · dm2/dx = 1.0 × 1.5 = 1.5",
        "  path 3: ds/dm3 · dm3/dx = 1.0 × 2.5 = 2.5",
        "  ... and 7 more path(s) not listed (they sum to 45.5)",
        "  total = 0.5 + 1.5 + 2.5 + (7 more) = 50.0",
        "  x.grad = 50.0: matches",
    ]


def test_explain_with_max_paths_zero_lists_none_and_still_totals_all():
    lines = fan(0).splitlines()
    assert lines[1:] == [
        "  ... and 10 more path(s) not listed (they sum to 50.0)",
        "  total = (10 more) = 50.0",  # was "total =  + (10 more)", a sum with a hole in it
        "  x.grad = 50.0: matches",
    ]


def chain_path(n: int) -> str:
    """y_k = y_(k-1) * k from y_0 = x: one path of n edges, dy_k/dy_(k-1) = k, product n!."""
    x = Value(1.0, label="x")
    y = x
    for k in range(1, n + 1):
        y = labelled(y * float(k), f"y{k}")
    (path_line,) = [line for line in str(explain(x, y)).splitlines() if line.startswith("  path")]
    return path_line


def test_a_path_of_ten_edges_is_written_whole():
    factors = " · ".join(f"dy{k}/dy{k - 1}" for k in range(10, 1, -1)) + " · dy1/dx"
    numbers = " × ".join(f"{float(k)}" for k in range(10, 0, -1))
    assert chain_path(10) == f"  path 1: {factors} = {numbers} = 3.629e+06"  # 10! = 3628800


def test_a_longer_path_shows_its_first_and_last_five_factors():
    # 11 edges: dy11/dy10 ... dy7/dy6, then one left out (dy6/dy5 = 6), then dy5/dy4 ... dy1/dx.
    factors = "dy11/dy10 · dy10/dy9 · dy9/dy8 · dy8/dy7 · dy7/dy6 · (1 more factors) · "
    factors += "dy5/dy4 · dy4/dy3 · dy3/dy2 · dy2/dy1 · dy1/dx"
    numbers = "11.0 × 10.0 × 9.0 × 8.0 × 7.0 × (1 more factors) × 5.0 × 4.0 × 3.0 × 2.0 × 1.0"
    assert chain_path(11) == f"  path 1: {factors} = {numbers} = 3.992e+07"  # 11! = 39916800
    twelve = chain_path(12)  # two left out: dy7/dy6 and dy6/dy5
    assert "dy8/dy7 · (2 more factors) · dy5/dy4" in twelve and "dy7/dy6" not in twelve
    assert "8.0 × (2 more factors) × 5.0" in twelve and twelve.endswith(" = 4.79e+08")  # 12!


def test_explain_names_an_x_outside_the_graph_by_its_label_or_x():
    z = Value(1.0, label="z")
    y = labelled(z * 3.0, "y")
    y.backward()
    w = Value(2.0, label="w")  # not under y: no path, dy/dw = 0
    assert str(explain(w, y)).splitlines() == [
        "dy/dw = sum over 0 path(s) of the product of local derivatives",
        "  total = 0.0: no path leads from y down to w",  # was "total =  = 0.0"
        "  w.grad = 0.0: matches",
    ]
    assert str(explain(Value(2.0), y)).startswith("dy/dx = sum over 0 path(s)")


def test_a_stale_grad_is_told_what_it_should_hold():
    x = Value(2.0, label="x")
    y = labelled(x * 3.0, "y")
    y.backward()
    y.backward()  # twice, no zero_grad: x.grad = 3 + 3
    assert str(explain(x, y)).splitlines()[-1] == (
        "  x.grad = 6.0: does NOT match (x.grad holds dy/dx only after exactly one backward pass from y, on zeroed grads)"
    )


def test_explain_matches_when_both_are_infinite_or_both_nan():
    # d sqrt(x)/dx = 1/(2 sqrt x) = +inf at x = 0 (as in PyTorch): the sum and the grad agree.
    x = Value(0.0, label="x")
    y = labelled(x.sqrt(), "y")
    y.backward()
    assert x.grad == math.inf
    e = explain(x, y)
    assert e.total == math.inf and e.matches_grad
    assert str(e).splitlines()[-1] == "  x.grad = inf: matches"  # was "does NOT match (...)"
    # 0 × sqrt(x): the one path's product is 0 × inf = nan, and backward meets the same 0 × inf.
    x2 = Value(0.0, label="x")
    z = labelled(x2.sqrt() * 0.0, "z")
    z.backward()
    e2 = explain(x2, z)
    assert math.isnan(x2.grad) and math.isnan(e2.total) and e2.matches_grad


def test_an_infinite_total_does_not_match_a_finite_grad():
    x = Value(0.0, label="x")
    r = labelled(x.sqrt(), "r")  # no backward yet: x.grad is 0, the total is +inf
    e = explain(x, r)
    assert not e.matches_grad  # was "matches": 1e-9 × inf made every gap look like rounding
    assert str(e).splitlines()[-1] == (
        "  x.grad = 0.0: does NOT match (x.grad holds dr/dx only after exactly one backward pass from r, on zeroed grads)"
    )


# --- explain: bad input --------------------------------------------------------------------------


def test_explain_names_the_types_it_was_given():
    with pytest.raises(TypeError, match=r"^explain: x and root must be Values, got float and Value$"):
        explain(1.0, Value(1.0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^explain: x and root must be Values, got Value and str$"):
        explain(Value(1.0), "y")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [True, False, 1.0, -1, "3"])
def test_explain_refuses_a_max_paths_that_is_not_an_int_from_zero(bad):
    with pytest.raises(ValueError, match=rf"^explain: max_paths must be an int >= 0, got {bad!r}$"):
        explain(Value(1.0), Value(1.0), max_paths=bad)


def test_explain_max_paths_zero_and_one_are_accepted():
    x = Value(3.0, label="x")
    y = x * x  # two edges into x: two paths, each of product 3; dy/dx = 2x = 6
    y.backward()
    none_listed = explain(x, y, max_paths=0)
    assert (none_listed.paths, none_listed.path_count, none_listed.total) == ((), 2, 6.0)
    one = explain(x, y, max_paths=1)
    assert len(one.paths) == 1 and one.paths[0].product == 3.0 and one.total == 6.0


def test_explain_lists_twenty_paths_by_default():
    # s = x*1 + ... + x*25: 25 paths; the docs (debugging.md) promise a default of 20 listed.
    x = Value(1.0, label="x")
    s = autograd.sum([x * float(k) for k in range(1, 26)])
    e = explain(x, s)
    assert (len(e.paths), e.path_count, e.total) == (20, 25, 325.0)  # 1 + ... + 25 = 325
    assert "  ... and 5 more path(s) not listed (they sum to 115.0)" in str(e)  # 21 + ... + 25
