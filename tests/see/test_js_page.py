"""The live page's JavaScript in the fast loop: under node, against the Python engine (issue 23).

``tests/js/page_harness.js`` runs the op twin (``autograd/see/ops_twin.js``) and the page's own
``forward``, ``backward`` (its chain rule), ``boxNumber`` and ``short`` (its number formats),
read by name out of ``autograd/see/page_template.html``, on the page data ``graph_data`` makes.
One node process serves the whole module (well under a second). Checked here:

- every op's value and local derivatives at the edge points and seeded random points of the
  browser test (``test_ops_twin_browser.cases``), to a relative 1e-12, and the same error where
  the engine raises one (a log derivative computed from the output fails at every point);
- the page's full backward pass over graphs with fan-out (``a*a``, ``a+a``, diamonds, a node
  used four times, seeded random graphs), at the recorded numbers and after leaves are changed,
  against ``backward()`` (a chain rule that overwrites instead of adding fails);
- the box format against ``dot_text.box_number`` and ``short`` against Python's ``%.4g``, at 0, -0,
  tiny, huge, inf and nan; ``pyRepr`` against ``repr``;
- the sign of an infinite constant in the page data and in the page's numbers.

The browser tests (slow) stay for layout and interaction. Without node this module is skipped,
saying so.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import autograd
from autograd import Value
from autograd.backward import topological_order
from autograd.see import dot_text
from autograd.see.page import graph_data, json_number
from tests.oracles import close
from tests.see.test_ops_twin_browser import TWIN_AGREES, assert_twin_agrees, cases

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "tests" / "js" / "page_harness.js"
OPS_TWIN = ROOT / "autograd" / "see" / "ops_twin.js"
TEMPLATE = ROOT / "autograd" / "see" / "page_template.html"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None, reason="node is not installed: the page's JavaScript is tested in the browser tests only"
)


def js_number(x: float) -> str | float:
    """A float as the harness reads it: JSON numbers, and strings for nan, +-inf and -0."""
    if x == 0.0 and math.copysign(1.0, x) < 0:
        return "-0"
    return json_number(x)


def run_node(requests: dict[str, Any], ops: Path = OPS_TWIN, template: Path = TEMPLATE) -> dict[str, Any]:
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(HARNESS), str(ops), str(template)],
        input=json.dumps(requests, allow_nan=False),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# --- graphs with fan-out: each a function of its leaves' numbers ----------------------------------


def _diamond(a: Value, b: Value) -> Value:
    c = a * b
    return (c + a) * (c - b)  # a reaches the root by three paths, b by three, c by two


def _four_uses(a: Value, b: Value) -> Value:
    s = a.tanh()
    return s * s + s.exp() - s / (b + 2.0)  # s used four times


def _neuron(x: Value, w: Value, b: Value) -> Value:
    return (w * x + b).tanh() * (w * x + b).sigmoid() + x.log()  # log at an input: 1/x, not 1/log(x)


GRAPHS: list[tuple[str, Callable[..., Value], list[float], list[float]]] = [
    # name, f, the numbers drawn, the numbers a learner types in afterwards
    ("a*a", lambda a: a * a, [3.0], [-0.5]),
    ("a+a", lambda a: a + a, [3.0], [7.0]),
    ("a*a*a", lambda a: a * a * a, [1.5], [-2.0]),
    ("diamond", _diamond, [2.0, -3.0], [0.5, 4.0]),
    ("four uses", _four_uses, [0.3, 1.0], [-1.2, 0.25]),
    ("neuron", _neuron, [2.0, -0.5, 0.7], [0.25, 1.5, -2.0]),
    ("sum of a and a", lambda a, b: autograd.sum([a, b, a, a * b]), [1.0, 2.0], [-3.0, 0.5]),
]


def _random_graph(seed: int) -> tuple[str, Callable[..., Value], list[float], list[float]]:
    """A seeded graph of 3 leaves and 12 ops, each op's inputs drawn from every earlier node, so
    most nodes feed several others."""
    rng = random.Random(seed)
    recipe = []
    for k in range(12):
        op = rng.choice(["add", "sub", "mul", "tanh", "sigmoid", "sin", "atan", "leaky_relu"])
        recipe.append((op, rng.randrange(3 + k), rng.randrange(3 + k)))

    def f(*leaves: Value) -> Value:
        nodes = list(leaves)
        for op, i, j in recipe:
            a, b = nodes[i], nodes[j]
            binary = {"add": a.__add__, "sub": a.__sub__, "mul": a.__mul__}
            if op in binary:
                nodes.append(binary[op](b))
            elif op == "leaky_relu":
                nodes.append(autograd.ops.leaky_relu(a, 0.1))
            else:
                nodes.append(getattr(a, op)())
        return autograd.sum(nodes[3:])  # every op reaches the root

    def leaves() -> list[float]:
        return [rng.uniform(-1.5, 1.5) for _ in range(3)]

    return f"random {seed}", f, leaves(), leaves()


GRAPHS += [_random_graph(seed) for seed in range(8)]


def _page_case(
    f: Callable[..., Value], drawn: list[float], typed: list[float] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The page request for ``f`` drawn at ``drawn`` (leaves set to ``typed`` if given), and
    what the engine says: every node's data and grad for the numbers the page ends up with."""
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(drawn)]
    root = f(*leaves)
    order = topological_order(root)
    request: dict[str, Any] = {"G": graph_data(order), "leaves": {}}
    if typed is not None:
        where = {id(node): k for k, node in enumerate(order)}  # a random graph may skip a leaf
        request["leaves"] = {
            str(where[id(leaf)]): js_number(x) for leaf, x in zip(leaves, typed) if id(leaf) in where
        }
        leaves = [Value(x, label=f"x{i}") for i, x in enumerate(typed)]
        root = f(*leaves)
        order = topological_order(root)
    root.backward()
    return request, {"data": [n.data for n in order], "grads": [n.grad for n in order]}


def graph_requests() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    out = []
    for name, f, drawn, typed in GRAPHS:
        for when, numbers in (("drawn", None), ("typed", typed)):
            request, expected = _page_case(f, drawn, numbers)
            out.append((f"{name}, {when}", request, expected))
    return out


FORMAT_NUMBERS = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -2.5,
    1e-4,
    9.99994e-5,
    1.5e-5,
    -4.997e-5,
    1e-300,
    5e-324,
    -1e-310,
    12345.6789,
    99999.99994,
    1e5,
    123456.0,
    1e300,
    -1.7976931348623157e308,
    3.14159265,
    -0.001234,
    math.inf,
    -math.inf,
    math.nan,
]


@pytest.fixture(scope="module")
def page() -> dict[str, Any]:
    """The harness's answers for every request of this module, from one node process."""
    op_cases = cases()
    graphs = graph_requests()
    result = run_node(
        {
            "ops": [[op, [js_number(x) for x in args], slope] for op, args, slope, _ in op_cases],
            "format": [js_number(x) for x in FORMAT_NUMBERS],
            "graphs": [request for _, request, _ in graphs],
        }
    )
    result["op_cases"], result["graph_cases"] = op_cases, graphs
    return result


# --- every op at every point -----------------------------------------------------------------------


def test_the_twin_has_exactly_the_engines_ops(page: dict[str, Any]) -> None:
    assert set(page["opNames"]) == {c[0] for c in page["op_cases"]} == set(autograd.ops.OPS)


def test_every_op_twin_matches_the_engine_at_every_point(page: dict[str, Any]) -> None:
    errors = assert_twin_agrees(page["op_cases"], page["ops"])
    assert errors >= 15  # the domain edges were reached: div by 0, log, sqrt, pow, exp, fsum
    assert len(page["ops"]) > 1500


def test_log_derivative_is_one_over_the_input() -> None:
    """By hand: d log(a)/da = 1/a; 1/out (the output) would give 1/log(2) = 1.4427 at a = 2."""
    got = run_node({"ops": [["log", [2.0], None], ["log", [math.e], None], ["log", [0.5], None]]})["ops"]
    assert [float(g["local"][0]) for g in got] == [0.5, 1 / math.e, 2.0]


# --- the page's chain rule -------------------------------------------------------------------------


def test_the_pages_backward_pass_matches_the_engine_on_graphs_with_fan_out(page: dict[str, Any]) -> None:
    assert len(page["graphs"]) == len(page["graph_cases"]) == 2 * len(GRAPHS)
    for (name, request, expected), got in zip(page["graph_cases"], page["graphs"]):
        assert got["errors"] == [], name
        assert got["steps"] == request["G"]["computed"], name
        data, grads = [float(x) for x in got["data"]], [float(x) for x in got["grads"]]
        for k, (d, e) in enumerate(zip(data, expected["data"])):
            assert close(d, e, **TWIN_AGREES), (name, k, d, e)
        for k, (g, e) in enumerate(zip(grads, expected["grads"])):
            assert math.isclose(g, e, rel_tol=1e-12, abs_tol=1e-15), (name, k, g, e)


def test_fan_out_by_hand() -> None:
    """d(a*a)/da = 2a and d(a+a)/da = 2, derived by hand: a chain rule that overwrites gives a and 1."""
    requests = []
    for f in (lambda a: a * a, lambda a: a + a):
        a = Value(3.0, "a")
        requests.append({"G": graph_data(topological_order(f(a))), "leaves": {}})
    grads = [g["grads"] for g in run_node({"graphs": requests})["graphs"]]
    assert [float(x) for x in grads[0]] == [1.0, 6.0]
    assert [float(x) for x in grads[1]] == [1.0, 2.0]


# --- numbers as the page writes them ---------------------------------------------------------------


def test_the_box_format_is_the_pictures(page: dict[str, Any]) -> None:
    for x, got in zip(FORMAT_NUMBERS, page["format"]):
        assert got["box"] == dot_text.box_number(x), x
        assert got["repr"] == repr(x), x


def test_short_numbers_are_four_significant_digits(page: dict[str, Any]) -> None:
    for x, got in zip(FORMAT_NUMBERS, page["format"]):
        expected = float(f"{x:.4g}")
        shown = float(got["short"])
        assert shown == expected or (math.isnan(shown) and math.isnan(expected)), x
    zeros = [got["short"] for x, got in zip(FORMAT_NUMBERS, page["format"]) if x == 0.0]
    assert zeros == ["0", "0"]  # 0 and -0 both read 0


def tie_and_edge_numbers() -> list[float]:
    """Numbers where toFixed/toExponential and Python part ways, and the format's edges.

    Exact binary ties at the 5th decimal (k/32, k/64 ... and their negatives: 0.03125 is a tie
    at four decimals), ties at the 4th significant digit (1.2345e5 = 123450 and 2.5 x 10**k
    integers, exact), the 1e-4 and 1e5 switches and their neighbours, subnormals, the largest
    double, 0 and -0, and seeded random doubles over 1e-300..1e300.
    """
    xs: list[float] = [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308]
    for denominator in (32, 64, 128, 1024, 2**20):
        xs += [k / denominator for k in range(1, 200, 2)]
    xs += [k * 0.5 + 0.00005 for k in range(20)]  # near-ties that are not exact: rounded as written
    xs += [123450.0, 123350.0, 250000.0, 350000.0, 1.2345e5 * 2**10, 9.9995e-5, 99999.99995, 99999.99994]
    for edge in (1e-4, 1e5, 1e-5, 1e4, 1.0, 10.0, 0.5):
        xs += [math.nextafter(edge, 0.0), edge, math.nextafter(edge, math.inf)]
    rng = random.Random(21)
    xs += [rng.uniform(-1, 1) * 10.0 ** rng.randint(-300, 300) for _ in range(300)]
    xs += [rng.uniform(-1e5, 1e5) for _ in range(200)]
    xs += [round(rng.uniform(-100, 100), 5) for _ in range(200)]  # five decimals: many look like ties
    return xs + [-x for x in xs]


def test_the_box_format_at_an_exact_tie() -> None:
    """0.03125 is exact in binary, a tie at four decimals: Python rounds it to even (0.0312), and
    toFixed(4) would write 0.0313, so the page's box and the picture's would differ."""
    got = run_node({"format": [0.03125, -0.03125, 123450.0]})["format"]
    assert [g["box"] for g in got] == ["0.0312", "-0.0312", "1.234e+05"]
    assert [g["box"] for g in got] == [dot_text.box_number(x) for x in (0.03125, -0.03125, 123450.0)]


def test_the_page_formats_every_number_as_python_does() -> None:
    """boxNumber is dot_text.box_number and short is %.4g, at ties, edges and random doubles;
    pyFixed and pyExp are Python's f-string formats at 0 to 17 digits."""
    xs = tie_and_edge_numbers()
    digits = [0, 1, 2, 3, 4, 6, 10, 17]
    requests: list[list[Any]] = [[js_number(x), kind, d] for x in xs for kind in ("f", "e") for d in digits]
    got = run_node({"format": [js_number(x) for x in xs], "pyformat": requests})
    wrong = [
        (x, g["box"], dot_text.box_number(x))
        for x, g in zip(xs, got["format"])
        if g["box"] != dot_text.box_number(x)
    ]
    assert wrong == []
    assert [float(g["short"]) for g in got["format"]] == [float(f"{x:.4g}") for x in xs]
    expected = [format(float(x), f".{d}{kind}") for x, kind, d in requests]
    wrong_formats = [(r, g, e) for r, g, e in zip(requests, got["pyformat"], expected, strict=True) if g != e]
    assert wrong_formats == []
    assert len(requests) > 10_000


# --- an infinite constant keeps its sign -----------------------------------------------------------


@pytest.mark.parametrize("c", [math.inf, -math.inf])
def test_an_infinite_constant_keeps_its_sign_in_the_page_data_and_numbers(c: float) -> None:
    x = Value(2.0, "x")
    root = x * c
    order = topological_order(root)
    data = graph_data(order)
    constant = next(n for n in data["nodes"] if not n["op"] and n["name"] != "x")
    assert constant["data"] == ("Infinity" if c > 0 else "-Infinity")
    got = run_node({"graphs": [{"G": data, "leaves": {}}], "format": [js_number(c)]})
    page_data = [float(v) for v in got["graphs"][0]["data"]]
    assert page_data[0] == c and page_data[order.index(x)] == 2.0  # 2 x c
    assert float(got["graphs"][0]["grads"][order.index(x)]) == c  # d(cx)/dx = c
    assert got["format"][0]["box"] == dot_text.box_number(c) == ("inf" if c > 0 else "-inf")


def test_a_predicted_answer_is_read_as_the_quiz_reads_it() -> None:
    """The page's prediction fields read what ``chainrule quiz`` reads (``parse_answer``): a
    fraction such as -1/3 was called "not a number" on the page while the quiz's own prompt
    suggests it."""
    from autograd.learn.quiz import parse_answer

    texts = ["0.5", "-2", " 1e-3 ", "-1/3", "1/2", " 3 / 4 ", "-0.5/-2", "1e3/4", "inf", "-inf", "nan"]
    refused = ["", "abc", "1/0", "1/", "/2", "1/2/3", "inf/2", "1/nan", "1,5", "2x"]
    got = run_node({"typed": texts + refused})["typed"]
    read = [None if g is None else float(g) for g in got]
    for text, value in zip(texts, read):
        expected = parse_answer(text.strip())
        assert value is not None and (value == expected or (math.isnan(value) and math.isnan(expected))), text
    assert read[len(texts) :] == [None] * len(refused)
    for text in refused:
        with pytest.raises(ValueError):
            parse_answer(text)


def test_a_typed_number_is_read_as_pythons_float_reads_it() -> None:
    """A leaf's text box and a prediction read what ``float()`` reads: JavaScript's ``Number``
    took ``0x10`` as 16 (and ``0b1``, ``0o7``), which the engine, the quiz and the exercises refuse."""
    texts = ["0x10", "0b1", "0o7", "1_000", "1__0", "_1", "1_", ".5", "5.", "1.e5", "-.5e-3", "+2",
             "1E+5", "1e1_0", " 7 ", "Infinity", "-INF", "+inf", "nan", "-nan", "inf inity", "1e", "e5",
             "--1", "1.2.3", "", " ", "0.1e-400", "1e400", "١٢"]  # fmt: skip
    got = run_node({"typed": texts})["typed"]
    for text, value in zip(texts, got):
        try:
            expected: float | None = float(text)
        except ValueError:
            expected = None
        if text == "١٢":  # Python reads other scripts' digits; the page need not: it refuses them
            assert value is None
            continue
        if expected is None:
            assert value is None, text
        else:
            assert value is not None, text
            assert float(value) == expected or (math.isnan(expected) and math.isnan(float(value))), text
