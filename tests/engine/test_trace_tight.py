"""The tighter generated code (issue 24, item 6) and the compact code of long traces (item 3).

Each rewrite of ``Trace.source()`` must compute the very numbers of the plain per-edge code:
the adjoint sums (one line per value, added in the order of the table's ``+=`` lines), relu's
derivative multiplied inside its branches, local derivatives of constants computed when the
code is written, a dot written as its adds (before Python 3.12), and, for long traces, values
written where they are used and adjoints passed on without a copy. Each test is built so that a
wrong rewrite gives another number: sums whose order changes the result, a slope that is not
0 or 1, an infinity through a dead relu, subtractions whose grouping matters.

Oracles: the node engine's ``backward()``, ``Trace.gradient()`` (the table's per-edge sums, in
its order), hand-derived derivatives and central differences.
"""

from __future__ import annotations

import itertools
import math
import random
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import pytest

import autograd
import nn
from autograd import PathChanged, Value, trace, trace_rules, trace_values
from autograd.trace import NumberRead
from bench import gpt
from tests.engine.test_trace import by_backward, random_function
from tests.oracles import central_difference


def left_to_right(terms: Iterable[float], start: float = 0.0) -> float:
    """start + t0 + t1 + ..., one rounding per add: what the generated ``+`` lines do. (The
    builtin ``sum`` of floats compensates its rounding from Python 3.12 on, so it cannot show
    that an order matters.)"""
    total = start
    for t in terms:
        total += t
    return total


def run(source: str, name: str, *inputs: float) -> Any:
    """Execute generated ``source`` as ``compile()`` does and call its function."""
    namespace: dict[str, Any] = {"__builtins__": {}, "PathChanged": PathChanged, **trace_rules.HELPERS}
    exec(compile(source, "<test>", "exec"), namespace)
    return namespace[f"{name}_value_and_grad"](*inputs)


# -- one line per adjoint: the terms summed in the table's order -------------------------------


def test_a_value_used_three_times_sums_its_terms_in_the_order_of_the_table() -> None:
    """x's three terms are 1e16, 1.0 and -1e16 in some order: two orders of adding them give
    two different numbers, so the code must add them exactly as the per-edge table does."""

    def f(x: Value, a: Value, b: Value, c: Value) -> Value:
        return x * a + x * b + x * c

    xs = (1.0, 1e16, 1.0, -1e16)
    t = trace(f, *xs)
    _, grads = t.compile()(*xs)
    assert grads == t.gradient()
    terms = [1e16, 1.0, -1e16]  # dx: a + b + c, one term per use
    orders = {left_to_right(order) for order in itertools.permutations(terms)}
    assert len(orders) > 1  # the order matters here, so the equality above can fail
    _, engine = by_backward(f, list(xs))
    assert list(grads) == engine  # and it is the engine's order
    assert grads[1:] == (1.0, 1.0, 1.0)  # d/da = x, d/db = x, d/dc = x
    assert "x_bar = " in t.source() and "x_bar +=" not in t.source()


def test_a_value_used_250_times_is_summed_in_pieces_left_to_right() -> None:
    """More than SUM_TERMS terms: the sum goes on over several lines (x_bar = x_bar + ...)."""
    rng = random.Random(3)
    scales = [rng.choice((1e16, -1e16, 1.0, 3.0, -7.0)) for _ in range(250)]

    def f(x: Value) -> Value:
        return autograd.sum([x * s for s in scales])

    t = trace(f, 0.5)
    source = t.source()
    assert source.count("    x_bar = x_bar + ") == 2  # 100 + 100 + 50 terms
    _, grads = t.compile()(0.5)
    assert grads == t.gradient()
    _, engine = by_backward(f, [0.5])
    assert list(grads) == pytest.approx(engine, rel=1e-14)  # the engine adds in its own order
    assert left_to_right(reversed(scales)) != left_to_right(scales)  # the order matters for these terms


def test_random_graphs_compute_the_tables_numbers_to_the_last_bit() -> None:
    """Fan-out everywhere (random graphs of every op): compiled gradient == the table's sums."""
    for seed in range(30):
        f = random_function(seed)
        xs = (0.3, -0.8, 1.2)
        t = trace(f, *xs)
        value, grads = t.compile()(*xs)
        assert grads == t.gradient(), seed
        engine_value, engine = by_backward(f, list(xs))
        assert value == engine_value
        assert list(grads) == pytest.approx(engine, rel=1e-12, abs=1e-12)


# -- relu's derivative multiplied inside its branches -------------------------------------------


def test_an_infinite_adjoint_through_a_dead_relu_is_nan_as_in_the_engine() -> None:
    """d/dx relu(x) * y at x < 0 is 0 * y = nan for y = inf: the branch keeps 0.0 * u, it does
    not drop it to 0.0 (which would be a number the engine never gives)."""

    def f(x: Value, y: Value) -> Value:
        return x.relu() * y

    t = trace(f, 2.0, 3.0)
    assert "(v3_bar if x > 0.0 else 0.0 * v3_bar)" in t.source()
    _, (dx, dy) = t.compile()(-1.0, math.inf)
    _, (engine_dx, engine_dy) = by_backward(f, [-1.0, math.inf])
    assert math.isnan(dx) and math.isnan(engine_dx)
    assert dy == engine_dy == 0.0
    assert t.compile()(2.0, 3.0)[1] == (3.0, 2.0)  # live: d/dx = y, d/dy = relu(x)


def test_leaky_relus_slope_is_multiplied_in_its_branch() -> None:
    """A slope that is neither 0 nor 1: d/dx leaky_relu(x, 0.2) * 3 = 0.6 at x < 0, 3 at x > 0."""

    def f(x: Value) -> Value:
        return x.leaky_relu(0.2) * 3.0

    t = trace(f, -1.0)
    assert "0.2 * v2_bar" in t.source()
    g = t.compile()
    for x, expected in ((-1.0, 0.2 * 3.0), (-5.0, 0.2 * 3.0), (2.0, 3.0)):
        assert g(x)[1] == (expected,) == tuple(by_backward(f, [x])[1])
        assert g(x)[1][0] == pytest.approx(central_difference(f, [x], 0), rel=1e-6)


def test_abs_nested_condition_is_left_as_it_was() -> None:
    """abs's derivative has two conditions; it is not a select of two numbers and stays a product."""

    def f(x: Value) -> Value:
        return abs(x) * 2.0

    g = trace(f, -1.5).compile()
    assert [g(x)[1][0] for x in (-1.5, 0.0, 2.0)] == [-2.0, 0.0, 2.0]


# -- local derivatives of constants, computed when the code is written -------------------------


@pytest.mark.parametrize("divisor", [3.0, -4.0, 0.1, 7e-300])
def test_a_constant_divisors_derivative_is_written_as_its_number(divisor: float) -> None:
    """d/dx (x / c) = 1 / c: written as the number 1.0 / c (not 0 or 1), the engine's number."""

    def f(x: Value) -> Value:
        return x / divisor

    t = trace(f, 2.0)
    source = t.source()
    assert f"1.0 / {divisor!r}" not in source and f"1.0 / ({divisor!r})" not in source
    assert repr(1.0 / divisor) in source
    assert t.compile()(5.0)[1] == (1.0 / divisor,) == tuple(by_backward(f, [5.0])[1])


# -- a dot as its adds --------------------------------------------------------------------------


def test_a_dot_adds_in_the_engines_order_bit_for_bit() -> None:
    """16 products and a bias: written as b + w0 * x0 + ... before 3.12, as sum() from 3.12 on;
    either way the engine's number to the last bit, with and without a bias."""
    rng = random.Random(11)
    differs = False
    for seed in range(40):
        ws = [rng.uniform(-1e3, 1e3) * 10 ** rng.randint(-8, 8) for _ in range(16)]
        xs = [rng.uniform(-1.0, 1.0) for _ in range(16)]
        bias = rng.uniform(-1e6, 1e6)
        for with_bias in (True, False):
            leaves = [Value(w) for w in ws]
            t = trace_values(lambda: autograd.dot(leaves, xs, bias if with_bias else None), leaves)
            expected = autograd.dot(ws, xs, bias if with_bias else None).data
            assert t.compile()(*ws)[0] == expected, seed
        products = [w * x for w, x in zip(ws, xs)]
        differs |= left_to_right([*products, bias]) != left_to_right(products, bias)  # bias last: another number
    if sys.version_info < (3, 12):  # from 3.12 both sides use sum(), which compensates: no order to get wrong
        assert differs  # so a wrong order would have been caught
    w = Value(1.0, "w")
    source = trace_values(lambda: autograd.dot([w, w], [2.0, 3.0], 1.0), [w]).source()
    written = "sum((w * 2.0, w * 3.0, ), 1.0)" if sys.version_info >= (3, 12) else "1.0 + w * 2.0 + w * 3.0"
    assert f" = {written}\n" in source


# -- compact code for long traces ------------------------------------------------------------


def compact_and_plain(t: autograd.Trace, *inputs: float) -> tuple[Any, Any]:
    plain = run(t.source(compact=False), t.name, *inputs)
    compact = run(t.source(compact=True), t.name, *inputs)
    return plain, compact


def test_compact_code_computes_the_same_numbers_on_random_graphs() -> None:
    for seed in range(30):
        t = trace(random_function(seed, ops=40), 0.3, -0.8, 1.2)
        for xs in ((0.3, -0.8, 1.2), (0.25, -0.7, 1.1)):
            try:
                plain, compact = compact_and_plain(t, *xs)
            except PathChanged:
                continue
            assert plain == compact, seed


def test_compact_code_keeps_the_grouping_of_subtractions_and_divisions() -> None:
    """Values used once, written where they are used: a - (b - c), a - (b + c), -(a + b) and
    (a + b) * c need their parentheses; a wrong grouping gives another number."""

    def f(a: Value, b: Value, c: Value) -> Value:
        one = a - (b - c)
        two = a - (b + c)
        three = -(a + b)
        four = (a + b) * c
        five = (a - b) / c
        return one + two + three * 2.0 + four + five

    xs = (0.1, 1e16, 3.0)
    t = trace(f, *xs)
    plain, compact = compact_and_plain(t, *xs)
    assert plain == compact
    assert compact[0] == f(*(Value(x) for x in xs)).data
    compact_source = t.source(compact=True)
    assert "a - (b - c)" in compact_source and "a - (b + c)" in compact_source
    assert (0.1 - (1e16 - 3.0)) != (0.1 - 1e16 - 3.0)  # the parentheses matter at these inputs


def test_a_long_chain_is_cut_into_lines_python_can_compile() -> None:
    """5,000 adds, each value used once: at most INLINE_DEPTH operators per expression."""
    rng = random.Random(2)
    constants = [rng.uniform(-1, 1) for _ in range(5000)]

    def f(x: Value) -> Value:
        s = x
        for c in constants:
            s = s + c * x
        return s

    t = trace(f, 0.5)
    value, grads = t.compile()(0.7)  # long: compact by default, and it compiles
    engine_value, engine = by_backward(f, [0.7])
    assert value == engine_value
    assert list(grads) == pytest.approx(engine, rel=1e-12)
    assert t.source().count("\n") < len(t.lines)


def test_compact_code_keeps_its_guards() -> None:
    """An MLP's loss with a max() (a guarded comparison) written compact: the same numbers as
    the node engine, and PathChanged when the comparison flips."""
    model = nn.MLP(2, [8, 8, 1], seed=1)
    point = [0.4, -0.2]

    def loss() -> Value:
        out = model(point)
        return max(out, out * 0.5) * out  # compares out with out / 2: the sign of out decides

    t = trace_values(loss, model.named_parameters())
    params = [p.data for p in model.parameters()]
    plain, compact = compact_and_plain(t, *params)
    assert plain == compact
    engine = loss()
    engine.backward()
    assert compact[0] == engine.data
    assert list(compact[1]) == pytest.approx([p.grad for p in model.parameters()], rel=1e-12, abs=1e-15)
    flipped = [*params[:-9], *(-p for p in params[-9:])]  # the output neuron's 8 weights and bias
    with pytest.raises(PathChanged):  # out changes sign, so max(out, out * 0.5) takes the other side
        run(t.source(compact=True), t.name, *flipped)


# -- data: arguments that get no adjoint ---------------------------------------------------------


def test_data_get_no_adjoint_and_the_gradient_is_only_for_the_inputs() -> None:
    """loss = w * (d1 * d2) + (w * d1) ** 2: d1 * d2 depends on data only (its number is needed,
    its adjoint is not); w * d1 is on w's path (its adjoint is needed). By hand:
    dloss/dw = d1 d2 + 2 w d1**2."""
    w, d1, d2 = Value(0.7, "w"), Value(1.5, "d1"), Value(-2.0, "d2")

    def loss() -> Value:
        return w * (d1 * d2) + (w * d1) ** 2

    t = trace_values(loss, [w], data=[d1, d2])
    source = t.source()
    assert "d1_bar" not in source and "d2_bar" not in source
    g = t.compile()
    for wv, a, b in ((0.7, 1.5, -2.0), (-0.3, 0.5, 4.0), (2.0, -1.0, 0.25)):
        value, grads = g(wv, a, b)
        assert value == pytest.approx(wv * a * b + (wv * a) ** 2, rel=1e-14)
        assert grads == pytest.approx((a * b + 2.0 * wv * a * a,), rel=1e-14)  # one gradient: w's
        ws = Value(wv)
        engine = ws * (Value(a) * Value(b)) + (ws * Value(a)) ** 2
        engine.backward()
        assert grads[0] == pytest.approx(ws.grad, rel=1e-12)
        fd = central_difference(lambda v: v * (a * b) + (v * a) ** 2, [wv], 0)
        assert grads[0] == pytest.approx(fd, rel=1e-6)


def test_data_are_checked_where_they_enter() -> None:
    w, d = Value(1.0), Value(2.0)
    with pytest.raises(TypeError, match=r"data\[0\] must be a Value, got float 2.0"):
        trace_values(lambda: w * d, [w], data=[2.0])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"data\[0\] .* is also an input"):
        trace_values(lambda: w * d, [w], data=[w])
    with pytest.raises(TypeError, match="data must be a sequence of Values"):
        trace_values(lambda: w * d, [w], data=d)  # type: ignore[arg-type]


def test_reading_a_data_values_number_is_refused() -> None:
    """Data vary between calls as inputs do: reading one's number in the traced code is refused."""
    w, d = Value(1.0), Value(2.0)
    with pytest.raises(NumberRead):
        trace_values(lambda: w * (3.0 if d.data > 0 else -3.0), [w], data=[d])


# -- the GPT step: the shape-keyed loss against the node engine ---------------------------------


def gpt_grads(seq: Sequence[int]) -> tuple[float, list[float], float, list[float]]:
    """(loss, grads) of the node engine's indexed GPT, and of nn.ShapeCachedLoss on the one-hot one."""
    params = gpt.gpt_parameters(Value, seed=4)
    flat = gpt.flat(params)
    loss = gpt.gpt_loss(params, seq)
    loss.backward()
    engine = [p.grad for p in flat]
    for p in flat:
        p.grad = 0.0
    compiled = nn.ShapeCachedLoss(lambda xs, ys: gpt.gpt_loss_one_hot(params, xs, ys), flat)
    value = compiled(*gpt.one_hot(seq))
    return loss.data, engine, value, [p.grad for p in flat]


@pytest.mark.slow  # a GPT traced and compiled: seconds
def test_the_compact_gpt_step_gives_the_node_engines_loss_and_all_grads() -> None:
    """Long enough to be written compact (and its data pruned): loss and 4,192 grads to 1e-12."""
    seq = gpt.tokens(" ava ")
    engine_loss, engine, value, grads = gpt_grads(seq)
    assert value == pytest.approx(engine_loss, rel=1e-12)
    assert len(grads) == len(engine) == 4192
    worst = max(abs(a - b) for a, b in zip(grads, engine))
    assert worst < 1e-12
    assert sum(1 for g in engine if g != 0.0) > 2000  # a real gradient, not zeros compared with zeros


@pytest.mark.slow  # a GPT traced and compiled: seconds
def test_the_shape_keyed_loss_traces_are_compact_and_prune_the_data() -> None:
    params = gpt.gpt_parameters(Value, seed=4)
    flat = gpt.flat(params)
    compiled = nn.ShapeCachedLoss(lambda xs, ys: gpt.gpt_loss_one_hot(params, xs, ys), flat)
    xs, ys = gpt.one_hot(gpt.tokens(" ab "))
    compiled(xs, ys)
    (key,) = compiled.cache
    trace_ = compiled.cache[key].trace
    source = compiled.source(key)
    assert len(trace_.grad_names) == 4192
    data_names = trace_.input_names[4192:]
    assert len(data_names) == 2 * 3 * gpt.VOCAB
    assert not any(f"{name}_bar" in source for name in data_names)
    assert "compact" in source


def test_the_table_says_which_arguments_are_data() -> None:
    w, d = Value(1.0, "w"), Value(2.0, "d")
    table = trace_values(lambda: w * d, [w], data=[d]).table()
    assert "  w = 1.0    (input)" in table and "  d = 2.0    (data: no gradient)" in table
    assert "d\u0304" not in table  # no adjoint line for the data
    assert "gradient: w\u0304 = 2.0" in table
    only_data = trace_values(lambda: d * 3.0, [w], data=[d]).table()
    assert "depends on no differentiated input" in only_data


# -- the benchmarks of these rewrites run (speed is measured there, never here) --------------------


def test_bench_tape_ways_agree_with_the_node_engine() -> None:
    """bench.tape's straight-line code, the generated code and the loops: the engine's numbers."""
    from bench import tape

    ways, trace_ = tape.candidates()  # raises unless each gives the engine's loss and gradient
    assert len(ways) == 3 and len(trace_.grad_names) == 337
    results = tape.measure(ways, rounds=1, calls=2)
    assert set(results) == set(ways)


@pytest.mark.slow  # 7 traces and 20 node-engine steps: seconds
def test_bench_gpt_train_runs_end_at_the_same_loss() -> None:
    from bench import gpt_train

    compiled = gpt_train.compiled_run(20)
    assert compiled == pytest.approx(gpt_train.engine_run(Value, False, 20), rel=1e-12)
    assert compiled == pytest.approx(gpt_train.engine_run(Value, True, 20), rel=1e-12)
