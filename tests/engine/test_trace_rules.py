"""Each template of autograd/trace_rules.py against the op it writes code for, at random points.

The forward template must give the op's own number, and each derivative template the local
derivative that the op's ``*_grads`` rule stored on the node (the engine's one formula).
"""

from __future__ import annotations

import math
import random

import pytest

import autograd
from autograd import Value, ops, trace_rules
from tests.engine.op_cases import BINARY, UNARY


def evaluate(expression: str, names: dict[str, float]) -> float:
    result = eval(expression, {"__builtins__": {}, **trace_rules.HELPERS}, names)
    return float(result)


POSITIVE_ONLY = {"log", "sqrt"}


def test_every_template_has_a_check() -> None:
    assert set(trace_rules.TEMPLATES) == set(UNARY) | set(BINARY)


def check_node(node: Value, forward: str, grads: list[str], names: dict[str, float]) -> None:
    names = {**names, "out": node.data}
    assert evaluate(forward, names) == pytest.approx(node.data, rel=1e-15, abs=1e-300)
    assert len(grads) == len(node.local_grads)
    for template, expected in zip(grads, node.local_grads):
        assert evaluate(template, names) == pytest.approx(expected, rel=1e-14, abs=1e-300)


@pytest.mark.parametrize("op", sorted(UNARY))
def test_unary_templates_match_the_op_and_its_rule(op: str) -> None:
    rng = random.Random(op)
    points = [rng.uniform(-5.0, 5.0) for _ in range(50)] + [0.0, 1e-8, -1e-8, 30.0, -30.0]
    for x in points:
        if op in POSITIVE_ONLY and x <= 0.0:
            x = math.fabs(x) + 1e-3
        node = UNARY[op](Value(x))
        forward, grads = trace_rules.TEMPLATES[op]
        check_node(node, forward.format("a"), [g.format("a", out="out") for g in grads], {"a": x})
        rule = ops.LOCAL_GRAD_RULES.get(op)
        if rule is not None:  # the rule itself, called on numbers, gives the same derivative
            assert rule(node.data, (x,))[0] == pytest.approx(
                evaluate(grads[0].format("a", out="out"), {"a": x, "out": node.data})
            )


@pytest.mark.parametrize("op", sorted(BINARY))
def test_binary_templates_match_the_op_and_its_rule(op: str) -> None:
    rng = random.Random(op)
    for _ in range(50):
        a, b = rng.uniform(-4.0, 4.0), rng.uniform(-4.0, 4.0)
        if op == "pow":
            a = math.fabs(a) + 0.1
        if op == "div" and b == 0.0:
            b = 1.0
        node = BINARY[op](Value(a), Value(b))
        forward, grads = trace_rules.TEMPLATES[op]
        check_node(
            node, forward.format("a", "b"), [g.format("a", "b", out="out") for g in grads], {"a": a, "b": b}
        )


def test_pow_template_at_zero_and_with_whole_exponents_of_negative_bases() -> None:
    for a, b in [(0.0, 0.0), (0.0, 0.5), (0.0, 2.0), (-2.0, 3.0), (-1.5, 2.0)]:
        node = ops.pow(Value(a), Value(b))
        forward, grads = trace_rules.TEMPLATES["pow"]
        check_node(
            node, forward.format("a", "b"), [g.format("a", "b", out="out") for g in grads], {"a": a, "b": b}
        )


def test_leaky_relu_template() -> None:
    for x in [-2.0, -1e-3, 0.0, 0.5, 3.0]:
        node = ops.leaky_relu(Value(x), 0.2)
        forward, grads = trace_rules.leaky_relu_template("0.2")
        check_node(node, forward.format("a"), [grads[0].format("a", out="out")], {"a": x})


def test_sum_and_dot_lines() -> None:
    rng = random.Random(7)
    xs = [rng.uniform(-1, 1) for _ in range(7)]
    names = {f"a{i}": x for i, x in enumerate(xs)}
    args = list(names)
    node = autograd.sum([Value(x) for x in xs])
    check_node(node, trace_rules.forward_of("sum", args), trace_rules.grads_of("sum", "out", args), names)
    for bias in (False, True):
        ws, vs = [Value(x) for x in xs[:3]], [Value(x) for x in xs[3:6]]
        node = autograd.dot(ws, vs, Value(xs[6]) if bias else None)
        used = args if bias else args[:6]
        check_node(node, trace_rules.forward_of("dot", used), trace_rules.grads_of("dot", "out", used), names)
        assert (
            evaluate(trace_rules.forward_of("dot", used), names) == node.data
        )  # the same order of additions


def test_the_templates_use_only_public_helpers_of_ops() -> None:
    """trace_rules reads ops.py's public names only: a private helper may change without notice."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(trace_rules.__file__).read_text())
    private = sorted(
        {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr.startswith("_")
        }
        - {"__file__"}
    )
    assert private == []
