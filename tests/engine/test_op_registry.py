"""Every op of the registry (``autograd.ops.OPS``) has every form: the completeness test.

For each op: the float rule (the local derivatives the forward stores are the rule's, or, for an
op without a rule, constants), the Value rule (``backward(create_graph=True)`` gets Values of the
same numbers), Value's methods and their declarations for type checkers, a trace template
(``autograd.trace`` replays the op to the engine's value and gradients), a row in the JavaScript
twin (``autograd/see/ops_twin.js``, hand-written, checked here by name; the browser test checks
its numbers), a row in docs/ops.md, and a case in ``tests/engine/op_cases.py``. A new op that lacks
any of them fails here, naming the op and the missing form.
"""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import pytest

from autograd import Value, ops, trace
from autograd.ops import local_grads_as_values
from tests.engine.op_cases import CASES, OpCase, sample_points

ROOT = Path(__file__).resolve().parents[2]
NAMES = list(ops.OPS)


def cases_of(name: str) -> list[OpCase]:
    """The op cases whose root node is made by op ``name``."""
    found = []
    for case in CASES:
        point = sample_points(case, 1, 0)[0]
        if case.apply(*[Value(x) for x in point]).op == name:
            found.append(case)
    return found


def points_and_nodes(name: str) -> list[tuple[OpCase, tuple[float, ...], Value]]:
    """Nodes of op ``name`` at random points and at the edge points away from a kink."""
    out = []
    for case in cases_of(name):
        edges = [p for p in case.edges if all(abs(x - k) > 1e-3 for x in p for k in case.kinks)]
        for point in sample_points(case, 4, 1) + edges:
            leaves = [Value(x) for x in point]
            out.append((case, point, case.apply(*leaves)))
    return out


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)


@pytest.mark.parametrize("name", NAMES)
def test_a_test_case(name: str) -> None:
    assert cases_of(name), f"{name}: no case in tests/engine/op_cases.py builds a node of this op"


@pytest.mark.parametrize("name", NAMES)
def test_the_float_rule(name: str) -> None:
    entry = ops.OPS[name]
    assert getattr(ops, name) is entry.guarded, f"{name}: ops.{name} is not the registered op"
    for case, point, node in points_and_nodes(name):
        if entry.rule is not None:
            expected = entry.rule(node.data, tuple(v.data for v in node.inputs))
            assert all(map(same, node.local_grads, expected)), (name, point)
        else:  # no rule: its local derivatives must be constants near every point
            near = case.apply(*[Value(x + 1e-6 * (1.0 + abs(x))) for x in point])
            if near.op == name:
                assert near.local_grads == node.local_grads, (
                    f"{name}: its local derivatives vary ({node.local_grads} at {point}, "
                    f"{near.local_grads} nearby) but it has no rule {name}_grads"
                )


@pytest.mark.parametrize("name", NAMES)
def test_the_value_rule_for_create_graph(name: str) -> None:
    for _, point, node in points_and_nodes(name):
        as_values = local_grads_as_values(node)
        assert len(as_values) == len(node.local_grads), name
        for got, stored in zip(as_values, node.local_grads):
            number = got.data if isinstance(got, Value) else got
            assert same(number, stored), (name, point)
        if ops.OPS[name].rule is not None and any(not isinstance(d, float) for d in node.local_grads):
            pytest.fail(f"{name}: the forward stored something other than floats")


@pytest.mark.parametrize("name", NAMES)
def test_values_methods_and_their_declarations(name: str) -> None:
    entry = ops.OPS[name]
    declared = declared_methods()
    for method in entry.methods:
        assert Value.__dict__.get(method) is entry.guarded, f"{name}: Value.{method} is not the op"
        assert method in declared, f"{name}: value.py's TYPE_CHECKING block does not declare {method}"
    if entry.reflected:
        assert Value.__dict__.get(entry.reflected) is entry.swapped
        assert entry.reflected in declared, f"{name}: value.py does not declare {entry.reflected}"


def declared_methods() -> set[str]:
    """The methods declared in value.py's ``if TYPE_CHECKING:`` block inside ``class Value``."""
    tree = ast.parse((ROOT / "autograd" / "value.py").read_text())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Value")
    block = next(n for n in cls.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    return {n.name for n in block.body if isinstance(n, ast.FunctionDef)}


def test_no_method_is_declared_that_no_op_provides() -> None:
    provided = {m for o in ops.OPS.values() for m in (*o.methods, o.reflected) if m}
    assert declared_methods() == provided


@pytest.mark.parametrize("name", NAMES)
def test_a_trace_template(name: str) -> None:
    """autograd.trace turns the op into a line of float code that gives the engine's numbers."""
    for case in cases_of(name):
        for point in sample_points(case, 3, 2):
            leaves = [Value(x) for x in point]
            out = case.apply(*leaves)
            out.backward()
            value, grads = trace(case.apply, *point).compile()(*point)
            assert same(value, out.data), (name, point)
            assert all(map(same, grads, [v.grad for v in leaves])), (name, point)


def twin_source() -> str:
    return (ROOT / "autograd" / "see" / "ops_twin.js").read_text()


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@pytest.mark.parametrize("name", NAMES)
def test_a_javascript_twin_row(name: str) -> None:
    source = twin_source()
    table = re.search(r"const OPS = \{(.*?)\};", source, flags=re.DOTALL)
    assert table is not None
    assert name in re.findall(r"\w+", table.group(1)), f"{name}: not in ops_twin.js's OPS"
    assert re.search(rf"^function {name}\(", source, flags=re.MULTILINE), (
        f"{name}: ops_twin.js has no function {name}"
    )
    if ops.OPS[name].rule is not None:
        rule = f"{camel(name)}Grads"
        assert re.search(rf"^function {rule}\(", source, flags=re.MULTILINE), (
            f"{name}: ops_twin.js has no {rule}"
        )


def test_the_twin_has_no_op_the_engine_lacks() -> None:
    table = re.search(r"const OPS = \{(.*?)\};", twin_source(), flags=re.DOTALL)
    assert table is not None
    assert re.findall(r"\w+", table.group(1)) == NAMES  # and in the same order, row for row


@pytest.mark.parametrize("name", NAMES)
def test_a_docs_row(name: str) -> None:
    assert re.search(rf"^\| `{name}` ", (ROOT / "docs" / "ops.md").read_text(), flags=re.MULTILINE), name


def test_the_parser_takes_the_ops_the_registry_marks() -> None:
    from chainrule.expression import FUNCTIONS

    assert set(FUNCTIONS) == {o.name for o in ops.OPS.values() if o.expression}
    assert all(ops.OPS[name].arity == 1 for name in FUNCTIONS)


def test_the_prose_lists_of_ops_name_every_op() -> None:
    """README's list of Value's methods and docs/cli.md's list of the parser's functions."""
    readme = (ROOT / "README.md").read_text()
    methods = re.search(r"methods `([a-z_ ]+)` \(also as functions", readme)
    assert methods is not None
    named = {m for o in ops.OPS.values() for m in o.methods if not m.startswith("_")} - {"abs"}
    assert set(methods.group(1).split()) == named  # abs is named apart: `abs()`
    cli = re.search(
        r"calls of the engine's functions: `([a-z_ \n]+)`", (ROOT / "docs" / "cli.md").read_text()
    )
    assert cli is not None
    assert set(cli.group(1).split()) == {o.name for o in ops.OPS.values() if o.expression}
