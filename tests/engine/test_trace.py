"""autograd.trace: the Wengert list, the generated code, its guards and its safety.

Oracles: the node engine's backward() (itself checked against finite differences and
PyTorch elsewhere), central differences, and hand-derived derivatives.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import autograd
import nn
from autograd import PathChanged, Value, trace, trace_rules, trace_values
from tests.oracles import central_difference

# Each op with inputs kept inside its domain, so random graphs never raise.
UNARY: list[Callable[[Value], Value]] = [
    lambda a: -a,
    lambda a: abs(a),
    lambda a: (a * 0.3).exp(),
    lambda a: (a * a + 0.5).log(),
    lambda a: (a * a + 0.1).sqrt(),
    lambda a: a.tanh(),
    lambda a: a.sigmoid(),
    lambda a: a.softplus(),
    lambda a: a.relu(),
    lambda a: a.leaky_relu(0.1) if a <= 0.0 else a.tanh(),  # slope known only from a node at x <= 0
    lambda a: a.sin(),
    lambda a: a.cos(),
    lambda a: a.tanh().tan(),  # |tanh| < 1: far from tan's poles
    lambda a: a.atan(),
    lambda a: a.gelu(),
    lambda a: a.silu(),
    lambda a: a**2,
    lambda a: a**3.0 * 0.1,
    lambda a: 2.0 - a,
]
BINARY: list[Callable[[Value, Value], Value]] = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: a / (b * b + 1.0),
    lambda a, b: (a * a + 0.5) ** (b * 0.5),
    lambda a, b: autograd.sum([a, b, a]),
    lambda a, b: autograd.dot([a, b], [b, 0.5], a),
    lambda a, b: autograd.dot([a], [b]),
]


def random_function(seed: int, ops: int = 25) -> Callable[..., Value]:
    """f(x, y, z): a random graph of every kind of op, each value reused at random (fan-out)."""
    choices = random.Random(seed)
    plan = [(choices.random() < 0.5, choices.randrange(100), choices.randrange(100), choices.randrange(100))
            for _ in range(ops)]  # fmt: skip

    def f(x: Value, y: Value, z: Value) -> Value:
        values = [x, y, z]
        for unary, k, i, j in plan:
            a, b = values[i % len(values)], values[j % len(values)]
            if unary:
                out = UNARY[k % len(UNARY)](a)
            else:
                out = BINARY[k % len(BINARY)](a, b)
            values.append(out.tanh() if out > 3.0 or out < -3.0 else out)  # compared as Values: guarded
        return autograd.sum(values[-4:])

    return f


def by_backward(f: Callable[..., Value], xs: list[float]) -> tuple[float, list[float]]:
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward()
    return out.data, [v.grad for v in leaves]


def assert_close(got: tuple[float, tuple[float, ...]], expected: tuple[float, list[float]]) -> None:
    assert got[0] == pytest.approx(expected[0], rel=1e-12, abs=1e-12)
    assert list(got[1]) == pytest.approx(expected[1], rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("seed", range(40))
def test_compiled_random_graph_matches_backward(seed: int) -> None:
    f = random_function(seed)
    rng = random.Random(1000 + seed)
    xs = [rng.uniform(-2.0, 2.0) for _ in range(3)]
    compiled = trace(f, *xs).compile()
    assert_close(compiled(*xs), by_backward(f, xs))


def test_every_op_appears_in_the_random_graphs() -> None:
    seen = set()
    for seed in range(40):
        t = trace(random_function(seed), 0.3, -0.7, 1.1)
        seen.update(line.op for line in t.lines)
    expected = {"add", "sub", "neg", "mul", "div", "pow", "exp", "log", "sqrt", "tanh", "sigmoid",
                "softplus", "relu", "leaky_relu", "abs", "sin", "cos", "sum", "dot", "tan", "atan", "gelu",
                "silu"}  # fmt: skip
    assert expected <= seen


@pytest.mark.parametrize("seed", range(8))
def test_compiled_at_other_inputs_matches_backward_there(seed: int) -> None:
    """The traced code is reused at new points; where no guard fires it equals the engine there."""
    f = random_function(seed, ops=15)
    compiled = trace(f, 0.4, -0.3, 0.9).compile()
    rng = random.Random(seed)
    for _ in range(5):
        xs = [rng.uniform(-2.0, 2.0) for _ in range(3)]
        try:
            got = compiled(*xs)
        except PathChanged:
            continue  # a leaky_relu/tanh choice in the plan flipped: the guard caught it
        assert_close(got, by_backward(f, xs))


def test_gradient_against_central_differences() -> None:
    def f(x: Value, y: Value) -> Value:
        return (x * y).sin() + (x / y).exp() - (y * y + 1.0).log() * x.sigmoid()

    xs = [0.7, -1.3]
    _, grads = trace(f, *xs).compile()(*xs)
    for i in range(2):
        assert grads[i] == pytest.approx(central_difference(f, xs, i), rel=1e-7)


def test_hand_derived_example_and_the_table() -> None:
    def f(x: Value, y: Value) -> Value:
        return x * y + x  # df/dx = y + 1, df/dy = x

    t = trace(f, 2.0, 3.0)
    assert t.compile()(2.0, 3.0) == (8.0, (4.0, 2.0))
    assert t.compile()(-1.0, 5.0) == (-6.0, (6.0, -1.0))
    table = t.table()
    assert "v3 = mul(x, y) = 6.0" in table
    assert "v4 = add(v3, x) = 8.0" in table
    assert "x\u0304 += y \u00b7 v3\u0304" in table  # x-bar += y . v3-bar
    assert "y\u0304 += x \u00b7 v3\u0304" in table
    assert "gradient: x\u0304 = 4.0, y\u0304 = 2.0" in table


def test_source_is_one_line_per_op_with_names_from_labels() -> None:
    def f(x: Value, w: Value) -> Value:
        z = x * w
        z.label = "z"
        out = z.tanh()
        out.label = "out"
        return out

    t = trace(f, 0.5, -1.0)
    source = t.source()
    assert "Value" not in source
    assert "    z = x * w\n" in source
    assert "    out = tanh(z)\n" in source
    assert "    z_bar = (1.0 - out * out) * out_bar\n" in source
    assert "    x_bar = w * z_bar\n" in source
    assert source.count("\n    z = ") == 1 and len(t.lines) == 2


HOSTILE = [
    "__import__('os').system('touch {flag}')",
    "x\n    __import__('os').system('touch {flag}')",
    "print",
    "x_bar",
    "def",
    "ﬁ",
    "v3",
    '"""; __import__(\'os\').system(\'touch {flag}\'); """',
]


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_never_reach_the_code_as_code(label: str, tmp_path: Path) -> None:
    flag = tmp_path / "pwned"
    text = label.format(flag=flag)

    def f(x: Value, y: Value) -> Value:
        z = x * y
        z.label = text
        out = z + x
        out.label = text
        return out

    def build() -> Value:
        return f(a, b)

    a, b = Value(1.5, text), Value(2.0, "y")
    t = trace_values(build, [a, b], name=text)
    source = t.source()
    assert "__import__" not in source and "system" not in source and "def def" not in source
    compiled = t.compile()
    assert compiled(1.5, 2.0) == (4.5, (3.0, 1.5))
    assert not flag.exists()
    names = [line.name for line in t.lines] + t.input_names
    assert all(n.isascii() and n.isidentifier() for n in names)
    assert len(set(names)) == len(names)


def test_generated_code_runs_without_builtins() -> None:
    compiled = trace(lambda x: x * 2.0, 1.0).compile()
    assert compiled.function.__globals__["__builtins__"] == {}


def test_a_python_if_on_a_value_is_guarded() -> None:
    def f(x: Value) -> Value:
        return x * 2.0 if x > 1.0 else x * x

    compiled = trace(f, 3.0).compile()
    assert compiled(5.0) == (10.0, (2.0,))
    with pytest.raises(PathChanged, match=r"traced run had x > 1\.0 True"):
        compiled(0.5)
    low = trace(f, 0.5).compile()
    assert low(0.25) == (0.0625, (0.5,))
    with pytest.raises(PathChanged):
        low(2.0)


def test_max_of_values_is_guarded() -> None:
    def f(a: Value, b: Value) -> Value:
        return max(a, b) * 3.0

    compiled = trace(f, 1.0, 2.0).compile()
    assert compiled(0.0, 4.0) == (12.0, (0.0, 3.0))
    with pytest.raises(PathChanged):
        compiled(5.0, 4.0)


def test_kinks_are_not_a_change_of_path() -> None:
    def f(x: Value) -> Value:
        return x.relu() + abs(x) * 2.0

    compiled = trace(f, 1.0).compile()
    assert compiled(3.0) == (9.0, (3.0,))
    assert compiled(-3.0) == (6.0, (-2.0,))
    assert compiled(0.0) == (0.0, (0.0,))  # relu'(0) = 0 and |x|'(0) = 0, as the engine


def test_bad_input_gets_the_engines_message() -> None:
    compiled = trace(lambda x: x.log(), 2.0).compile()
    with pytest.raises(ValueError, match=r"log: input must be > 0, got -1\.0"):
        compiled(-1.0)
    with pytest.raises(TypeError, match="expected 1 inputs, got 2"):
        compiled(1.0, 2.0)
    with pytest.raises(TypeError, match="expected a real number, got str"):
        compiled("one")


def test_second_derivatives_through_a_trace_of_grad() -> None:
    def f(x: Value) -> Value:
        return x**3 + x.sin()

    # f'(x) = 3x^2 + cos x,  f''(x) = 6x - sin x
    compiled = trace(autograd.grad(f), 0.8).compile()
    first, (second,) = compiled(1.3)
    assert first == pytest.approx(3 * 1.3**2 + math.cos(1.3), rel=1e-14)
    assert second == pytest.approx(6 * 1.3 - math.sin(1.3), rel=1e-14)


def test_calling_a_compiled_trace_with_values_says_second_derivatives_are_not_supported() -> None:
    compiled = trace(lambda x: x * x, 1.0).compile()
    with pytest.raises(TypeError, match="no second derivatives through it"):
        compiled(Value(2.0))


def test_constants_and_unused_inputs() -> None:
    compiled = trace(lambda x, y: (Value(2.0) * 3.0) * x, 1.0, 5.0).compile()
    assert compiled(4.0, 9.0) == (24.0, (6.0, 0.0))
    assert trace(lambda x: x, 2.0).compile()(7.0) == (7.0, (1.0,))


def test_mlp_loss_traced_over_the_parameters_matches_backward() -> None:
    model = nn.MLP(2, [4, 4, 1], activation="tanh", seed=3)
    X, y = nn.data.make_moons(12, noise=0.1, seed=1)
    signs = [2.0 * t - 1.0 for t in y]
    params = model.parameters()

    def loss() -> Value:
        return nn.hinge([model(x) for x in X], signs) + 1e-4 * autograd.sum([p * p for p in params])

    compiled = trace_values(loss, params).compile()
    rng = random.Random(0)
    for _ in range(3):
        for p in params:
            p.data += rng.uniform(-0.3, 0.3)
        value, grads = compiled(*[p.data for p in params])
        model.zero_grad()
        out = loss()
        out.backward()
        assert value == pytest.approx(out.data, rel=1e-12)
        assert list(grads) == pytest.approx([p.grad for p in params], rel=1e-12, abs=1e-15)


def test_a_long_chain_is_traced_without_recursion() -> None:
    def f(x: Value) -> Value:
        for _ in range(3_000):
            x = x.relu() * 1.0001 + 1e-4
        return x

    value, (grad,) = trace(f, 0.5).compile()(0.5)
    expected = by_backward(f, [0.5])
    assert value == pytest.approx(expected[0], rel=1e-12)
    assert grad == pytest.approx(expected[1][0], rel=1e-12)


def test_a_wide_dot_product_compiles_in_the_engines_order() -> None:
    """10,000 terms in one sum would nest too deep for Python's compiler: the line is split."""
    rng = random.Random(5)
    ws = [Value(rng.uniform(-1, 1)) for _ in range(10_000)]
    xs = [Value(rng.uniform(-1, 1)) for _ in range(10_000)]
    out = autograd.dot(ws, xs, ws[0])
    out.backward()
    value, grads = trace_values(lambda: autograd.dot(ws, xs, ws[0]), ws).compile()(*[w.data for w in ws])
    assert value == out.data  # the same additions in the same order
    assert list(grads) == [w.grad for w in ws]


def test_reused_names_compute_the_same_as_own_names() -> None:
    """Long traces reuse dead names (trace_slots.py); forced on a short one, nothing changes."""
    for seed in range(10):
        f = random_function(seed)
        t = trace(f, 0.3, -0.8, 1.2)
        own, reused = t.source(reuse_names=False), t.source(reuse_names=True)
        assert len(set(re.findall(r"\bt\d+\b", reused))) < len(t.lines)
        results = []
        for text in (own, reused):
            namespace: dict[str, object] = {
                "__builtins__": {},
                "PathChanged": PathChanged,
                **trace_rules.HELPERS,
            }
            exec(text, namespace)
            results.append(namespace[f"{t.name}_value_and_grad"](0.3, -0.8, 1.2))  # type: ignore[operator]
        assert results[0] == results[1]


def test_a_leaky_relu_traced_where_its_input_is_positive_keeps_its_slope() -> None:
    """Traced at x = 2 (slope invisible in the local derivative 1.0), replayed at x = -3."""
    f = lambda a: (a * 1.5).leaky_relu(0.2)
    compiled = trace(f, 2.0).compile()
    value, (grad,) = compiled(-3.0)
    assert value == pytest.approx(0.2 * 1.5 * -3.0) and grad == pytest.approx(0.2 * 1.5)
    value, (grad,) = compiled(2.0)
    assert value == pytest.approx(3.0) and grad == pytest.approx(1.5)


def test_aux_values_come_back_computed_and_not_differentiated() -> None:
    """has_aux: extra Values (a model's outputs) are computed by the same code, at the new inputs;
    the gradient is that of the output alone."""
    a, b = Value(0.7, "a"), Value(-1.3, "b")

    def with_aux() -> tuple[Value, list[object]]:
        hidden = (a * b).tanh()
        return hidden * a + b, [hidden, (a - b).exp(), a, 2.5]  # a line, another line, an input, a number

    for reuse in (False, True):
        t = trace_values(with_aux, [a, b], "f", has_aux=True)
        namespace: dict[str, object] = {"__builtins__": {}, "PathChanged": PathChanged, **trace_rules.HELPERS}
        exec(t.source(reuse_names=reuse), namespace)
        function = namespace["f_value_and_grad"]
        for x, y in [(0.7, -1.3), (-0.4, 2.0)]:
            value, grads, aux = function(x, y)  # type: ignore[operator]
            hidden = math.tanh(x * y)
            assert value == pytest.approx(hidden * x + y, rel=1e-15)
            assert aux == pytest.approx((hidden, math.exp(x - y), x, 2.5), rel=1e-15)
            d = 1.0 - hidden * hidden  # d tanh(xy) = (1 - tanh^2) * (y dx + x dy), by hand
            assert grads == pytest.approx((hidden + x * d * y, x * d * x + 1.0), rel=1e-12)
    plain = trace_values(lambda: with_aux()[0], [a, b]).compile()(0.7, -1.3)
    assert t.compile()(0.7, -1.3)[:2] == plain  # the aux lines change neither value nor gradient


@pytest.mark.parametrize(
    "result, message",
    [(Value(1.0), "must return \\(output, aux\\)"), ((Value(1.0), Value(2.0)), "aux must be a sequence"),
     ((Value(1.0), ["x"]), "aux\\[0\\]: expected a real number, got str")],
)  # fmt: skip
def test_a_bad_aux_is_named(result: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        trace_values(lambda: result, [Value(0.5)], "loss", has_aux=True)


# -- what trace is given: no inputs refused, a model's parameters named from their paths ------------


def test_trace_with_no_inputs_refuses_and_points_to_trace_values() -> None:
    """trace(lambda: loss), closing over a model: what a learner tries first. It used to print
    a table with no input, 'v̄ = d0.8174.../dv' and an empty gradient."""
    model = nn.MLP(2, [3, 1], seed=0)
    loss = nn.mse([model(x) for x in [[1.0, 2.0], [-1.0, 0.5]]], [1.0, -1.0])
    with pytest.raises(TypeError, match=r"trace: no example inputs.*trace_values\(f, model\)"):
        trace(lambda: loss)

    def loss_of_model() -> Value:
        return loss

    with pytest.raises(TypeError, match=r"trace_values\(loss_of_model, model\)"):
        trace(loss_of_model)
    with pytest.raises(ValueError, match="trace_values: no inputs"):
        trace_values(lambda: loss, [])
    for form in (autograd.grad, autograd.value_and_grad):  # it said 'argnums 0 is out of range'
        with pytest.raises(ValueError, match=r"grad: called with no arguments.*trace_values\(f, model\)"):
            form(lambda: loss)()


def mlp_and_loss() -> tuple[nn.MLP, Callable[[], Value]]:
    model = nn.MLP(2, [2, 1], activation="tanh", seed=1)
    X, y = [[0.5, -1.0], [1.5, 0.25]], [1.0, -1.0]
    return model, lambda: nn.mse([model(x) for x in X], y)


@pytest.mark.parametrize("given", ["model", "named_parameters"])
def test_a_models_parameters_are_named_from_their_paths(given: str) -> None:
    model, loss = mlp_and_loss()
    inputs = model if given == "model" else model.named_parameters()
    t = trace_values(loss, inputs, "loss")
    assert t.input_names == [
        "l0_n0_w0", "l0_n0_w1", "l0_n0_b", "l0_n1_w0", "l0_n1_w1", "l0_n1_b",
        "l1_n0_w0", "l1_n0_w1", "l1_n0_b",
    ]  # fmt: skip
    table = t.table()
    assert not re.search(r"\bx\d", table)  # no parameter reads as a data input x3
    assert "  l1_n0_b = " in table and "(input)" in table
    params = model.parameters()
    model.zero_grad()
    fresh = loss()
    fresh.backward()  # the oracle: the node engine on a fresh graph
    assert t.gradient() == pytest.approx([p.grad for p in params], rel=1e-12)
    value, grads = t.compile()(*[p.data for p in params])
    assert value == pytest.approx(fresh.data, rel=1e-12)
    assert grads == pytest.approx([p.grad for p in params], rel=1e-12)
    assert "def loss_value_and_grad(l0_n0_w0, l0_n0_w1, l0_n0_b," in t.source()


def test_parameters_without_paths_keep_their_labels_numbered_never_x3() -> None:
    model, loss = mlp_and_loss()
    names = trace_values(loss, model.parameters()).input_names
    assert names == ["w0", "w1", "b", "w0_1", "w1_1", "b_1", "w0_2", "w1_2", "b_2"]


def test_short_names_that_would_clash_give_the_whole_paths() -> None:
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    pairs = [("layers.0.w", a), ("linear.0.w", b), ("out-put", c)]
    t = trace_values(lambda: a * b + c, pairs)
    assert t.input_names == ["layers_0_w", "linear_0_w", "out_put"]  # l0_w twice otherwise


def test_explicit_names_win_and_must_match_the_inputs() -> None:
    model, loss = mlp_and_loss()
    names = [f"p{k}" for k in range(9)]
    assert trace_values(loss, model, names=names).input_names == names
    with pytest.raises(ValueError, match="trace_values: 2 names for 9 inputs"):
        trace_values(loss, model, names=["a", "b"])


@pytest.mark.parametrize(
    "inputs, message",
    [(Value(1.0), "inputs must be a sequence of Values or a model, got Value"),
     (3.0, "inputs must be a sequence of Values or a model, got 3.0"),
     ([Value(1.0), 2.0], r"trace_values: inputs\[1\] must be a Value, got float 2.0")],
)  # fmt: skip
def test_inputs_that_are_not_values_are_named(inputs: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        trace_values(lambda: Value(1.0) * 2.0, inputs)  # type: ignore[arg-type]


def test_a_result_that_depends_on_no_input_says_so() -> None:
    table = trace(lambda x: Value(3.0) * 2.0, 1.0).table()
    assert "f's result, 6.0, depends on no input" in table
    assert "d6.0" not in table
    assert table.endswith("gradient: x\u0304 = 0.0")


def test_trace_values_names_the_function_it_traces():
    """trace_values(loss, model) is a trace of loss, not of an "f" the learner never wrote; a lambda
    has no name, so it stays f."""
    model = nn.MLP(2, [2, 1])

    def loss():
        return (model([Value(1.0), Value(-2.0)]) - 1.0) ** 2

    t = trace_values(loss, model)
    assert t.table().startswith("forward trace of loss (one line per op)")
    assert t.source().startswith("def loss_value_and_grad(")
    assert trace_values(lambda: loss(), model).table().startswith("forward trace of f ")
    assert trace_values(loss, model, "objective").table().startswith("forward trace of objective ")
