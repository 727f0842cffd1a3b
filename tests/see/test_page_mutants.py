"""The live page's Python half (``autograd/see/page.py``), checked line by line (issue 23, mutation testing).

Each test pins something the page's reader or the learner depends on: the numbers in the page's
JSON (derived by hand here), the exact error a bad argument gets, what the drawing is asked for
(the options handed to ``draw.page_layouts``, caught by a stand-in so that no ``dot`` runs), and
the text of the page. Fast: the one real drawing is laid out left to right (one ``dot`` run).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

import nn
from autograd import Value, topological_order
from autograd.see import page
from autograd.see.draw import COLOURS, MAX_NODES, NEURON_COLOUR, GraphvizMissing
from autograd.see.page import (
    GRAPH_PANEL,
    WASM,
    fill_page,
    graph_data,
    json_number,
    json_numbers,
    live_page,
    matrix_data,
    page_backward,
    render_steps,
    safe_json,
    twin_graph,
)

CSP = "script-src 'unsafe-inline'"


def steps_data(text: str) -> dict[str, Any]:
    """The page's graph JSON, as the page's script reads it."""
    found = re.search(r'<script id="steps-data" type="application/json">(.*?)</script>', text, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def lecture() -> tuple[Value, Value, Value, Value]:
    """a = 2, b = -3; c = a·b = -6; out = c + a = -4. d(out)/dc = 1, d/da = b + 1 = -2, d/db = a = 2."""
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = a * b
    out = c + a
    out.label = "out"
    return a, b, c, out


class Drawn:
    """A stand-in for ``draw.page_layouts`` / ``page_dots`` that records what it was asked."""

    def __init__(self, result: list[str]) -> None:
        self.result = result
        self.calls: list[tuple[Value, dict[str, Any]]] = []

    def __call__(self, root: Value, **options: Any) -> list[str]:
        self.calls.append((root, dict(options)))
        return self.result


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> Drawn:
    first = '<?xml version="1.0"?>\n<!-- Title: g -->\n<svg id="first"><svg id="inner"></svg></svg>'
    drawn = Drawn([first, "<svg id='second'></svg>", "<svg id='third'></svg>"])
    monkeypatch.setattr(page, "page_layouts", drawn)
    return drawn


# --- numbers into JSON --------------------------------------------------------------------------


def test_json_number_writes_what_javascripts_number_reads_back() -> None:
    assert json_number(1.5) == 1.5 and json_number(-0.0) == 0.0
    assert json_number(math.nan) == "NaN"
    assert json_number(math.inf) == "Infinity"
    assert json_number(-math.inf) == "-Infinity"
    np = pytest.importorskip("numpy")
    out = json_numbers([3, True, np.float32(0.25), np.int64(-2), math.inf])
    assert out == [3.0, 1.0, 0.25, -2.0, "Infinity"]
    assert all(type(x) is float for x in out[:4])


def test_safe_json_carries_any_text_and_refuses_nan() -> None:
    text = "</script><!-- a & b \u2028 c \u2029 é"
    written = safe_json({"label": text, "x": [1.5, None]})
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in written
    assert "\\u003c/script\\u003e\\u003c!-- a \\u0026 b \\u2028 c \\u2029 é" in written
    assert json.loads(written) == {"label": text, "x": [1.5, None]}
    with pytest.raises(ValueError):  # NaN is not JSON: json_number must have run first
        safe_json([math.nan])


# --- the page's own backward pass and its graph ---------------------------------------------------


def test_page_backward_is_the_chain_rule_from_the_seed_and_ignores_grads() -> None:
    a, b, c, out = lecture()
    order = topological_order(out)
    by = dict(zip(order, page_backward(order, 2.0)))
    assert by[out] == 2.0 and by[c] == 2.0 and by[a] == -4.0 and by[b] == 4.0
    out.backward()
    out.backward()  # grads accumulated twice: a.grad = -4
    assert dict(zip(order, page_backward(order, 1.0))) == {out: 1.0, c: 1.0, a: -2.0, b: 2.0}


def test_graph_data_lists_every_node_before_the_backward_pass() -> None:
    a, b, c, out = lecture()
    k = Value(0.5)  # an unlabelled constant
    leaky = (out * k).leaky_relu(0.2)  # out·k = -2 <= 0: slope 0.2 is its local derivative
    up = (a * 1.0).leaky_relu(0.3)  # a > 0: the slope is remembered, the derivative is 1
    root = leaky + up
    order = topological_order(root)
    w = nn.Layer(1, 1).neurons[0].w[0]
    data = graph_data(order, 3.0, {b}, None)
    names = [n["name"] for n in data["nodes"]]
    assert names[0] == "v0" and data["root"] == "v0"
    assert [n["name"] for n in data["nodes"] if n["name"] in ("a", "b", "out")] != []
    byname = {n["name"]: n for n in data["nodes"]}
    assert byname["a"] == {"name": "a", "op": "", "inputs": [], "data": 2.0, "local": [], "kind": "input"}
    assert byname["b"]["kind"] == "parameter"
    assert byname["out"] == {
        "name": "out",
        "op": "add",
        "inputs": [names.index(c.label or f"v{order.index(c)}"), names.index("a")],
        "data": -4.0,
        "local": [1.0, 1.0],
        "kind": "intermediate",
    }
    assert byname[f"v{order.index(k)}"]["kind"] == "constant"
    assert data["nodes"][order.index(leaky)]["slope"] == 0.2
    assert data["nodes"][order.index(leaky)]["local"] == [0.2]
    assert data["nodes"][order.index(up)]["slope"] == 0.3
    assert data["nodes"][order.index(up)]["local"] == [1.0]
    assert "slope" not in data["nodes"][order.index(out)]
    assert data["nodes"][0]["kind"] == "output"
    assert data["seed"] == 3.0
    assert data["computed"] == 7  # +, ·, ·k, leaky, ·1.0, leaky, +: the leaves come after
    assert all(order[j].inputs for j in range(7)) and not any(order[j].inputs for j in range(7, len(order)))
    assert data["stale"] == []
    assert data["colours"] == {
        **COLOURS,
        "neuron": NEURON_COLOUR,
        "step-current": "#a0148c",
        "step-input": "#8c564b",
    }
    assert w not in order


def test_stale_names_exactly_the_leaves_holding_a_grad() -> None:
    _a, _b, _c, out = lecture()
    out.backward()  # a.grad = -2, b.grad = 2
    z = Value(5.0, "z")
    z.grad = 0.0
    y = Value(1.0, "y")
    y.grad = Value(0.5)  # create_graph=True leaves a Value
    root = out + z * y
    root.label = "root"
    root.grad = 4.0  # a computed node's grad is never named
    order = topological_order(root)
    data = graph_data(order)
    assert sorted(data["stale"]) == ["a", "b", "y"]
    assert data["seed"] == 1.0
    assert graph_data(order, math.inf)["seed"] == "Infinity"


def test_twin_graph_copies_without_touching_the_users_nodes() -> None:
    _a, _b, _c, out = lecture()
    order = topological_order(out)
    names = ["n0", "n1", "n2", "n3"]
    grads = [1.0, 2.0, 3.0, 4.0]
    twin = twin_graph(order, names, grads)
    assert set(twin) == set(order)
    for k, node in enumerate(order):
        copy = twin[node]
        assert copy is not node
        assert (copy.data, copy.label, copy.op, copy.local_grads, copy.grad) == (
            node.data,
            names[k],
            node.op,
            node.local_grads,
            grads[k],
        )
        assert copy.inputs == tuple(twin[x] for x in node.inputs)
    assert topological_order(twin[out]) == [twin[n] for n in order]
    assert sorted((n.label, n.grad) for n in order) == [("", 0.0), ("a", 0.0), ("b", 0.0), ("out", 0.0)]


# --- the matrix view's data ----------------------------------------------------------------------


def test_matrix_cells_say_when_their_grad_is_final() -> None:
    a, b, c, out = lecture()
    order = topological_order(out)  # out, c, a, b: step 1 is out (adds to c and a), step 2 is c
    names = ["out", "v1", "a", "b"] if order[2] is a else ["out", "v1", "b", "a"]
    entry, layer = matrix_data(
        {"M": ((out, c), [a, b]), "L": {"weight": [[a, b]], "bias": (out,), "columns": ("p", "q")}},
        order,
        names,
    )
    assert entry == {
        "name": "M",
        "layer": False,
        "rows": [
            [{"node": 0, "final": 0}, {"node": 1, "final": 1}],
            [{"node": order.index(a), "final": 2}, {"node": order.index(b), "final": 2}],
        ],
    }
    assert layer["layer"] is True and layer["columns"] == ["p", "q"]
    assert layer["bias"] == [{"node": 0, "final": 0}]
    assert matrix_data({"L": {"weight": [[a, b]]}}, order, names)[0]["bias"] is None
    assert matrix_data({"L": {"weight": [[a, b]]}}, order, names)[0]["columns"] == ["x1", "x2"]


def test_a_numpy_bias_is_a_list_of_values() -> None:
    np = pytest.importorskip("numpy")
    a, b, _c, out = lecture()
    order = topological_order(out)
    bias = np.empty(1, dtype=object)
    bias[0] = b
    (layer,) = matrix_data({"L": {"weight": [[a]], "bias": bias}}, order, ["out", "v1", "a", "b"])
    assert layer["bias"] == [{"node": order.index(b), "final": 2}]


@pytest.mark.parametrize(
    ("given", "error", "message"),
    [
        (
            lambda a, b: {"L": {"weight": [[a]], "bias": a}},
            TypeError,
            "render_steps: matrices['L']['bias'] must be a list of Values, one per row, got Value",
        ),
        (
            lambda a, b: {"L": {"weight": [[a]], "bias": {a}}},
            TypeError,
            "render_steps: matrices['L']['bias'] must be a list of Values, one per row, got set",
        ),
        (
            lambda a, b: {"L": {"weight": [[a]], "bias": [a, b]}},
            ValueError,
            "render_steps: matrices['L']['bias'] has 2 entries, but 'weight' has 1 rows (one each)",
        ),
        (
            lambda a, b: {"L": {"weight": [[a]], "bias": [2.0]}},
            TypeError,
            "render_steps: matrices['L']['bias'][0] must be a Value of the graph, got float 2.0",
        ),
        (
            lambda a, b: {"L": {"weight": [[a]], "bias": [Value(0.25, "stray")]}},
            ValueError,
            "render_steps: matrices['L']['bias'][0] (stray, data 0.25) is not a node of the graph of out: "
            "every cell must be a Value the root was computed from",
        ),
        (
            lambda a, b: {"L": {"weight": [[a, b]], "columns": "pq"}},
            TypeError,
            "render_steps: matrices['L']['columns'] must be a list of str, got 'pq'",
        ),
        (
            lambda a, b: {"L": {"weight": [[a, b]], "columns": {"p", "q"}}},
            TypeError,
            "render_steps: matrices['L']['columns'] must be a list of str, got {",
        ),
        (
            lambda a, b: {"L": {"weight": [[a, b]], "columns": ["p", 2]}},
            TypeError,
            "render_steps: matrices['L']['columns'] must be a list of str, got ['p', 2]",
        ),
        (
            lambda a, b: {"L": {"weight": [[a, b]], "columns": ["p"]}},
            ValueError,
            "render_steps: matrices['L']['columns'] has 1 labels for 2 columns",
        ),
        (
            lambda a, b: {"L": {"weight": [[a]], "bias": [a], "extra": 1}},
            ValueError,
            "render_steps: matrices['L'] must be a grid, or a dict with 'weight' (and optional 'bias', "
            "'columns'), got the keys ['bias', 'extra', 'weight']",
        ),
        (
            lambda a, b: {"L": {"bias": [a]}},
            ValueError,
            "render_steps: matrices['L'] must be a grid, or a dict with 'weight' (and optional 'bias', "
            "'columns'), got the keys ['bias']",
        ),
        (
            lambda a, b: {3: [[a]]},
            TypeError,
            "render_steps: each matrix needs a non-empty str name, got 3",
        ),
        (
            lambda a, b: [[a]],
            TypeError,
            "render_steps: matrices must be a dict of name -> grid of Values, got list",
        ),
        (
            lambda a, b: {"W": [[a], [Value(0.125)]]},
            ValueError,
            "render_steps: matrices['W'][1][0] (unlabelled, data 0.125) is not a node of the graph of out: "
            "every cell must be a Value the root was computed from",
        ),
        (
            lambda a, b: {"W": [[a, "b"]]},
            TypeError,
            "render_steps: matrices['W'][0][1] must be a Value of the graph, got str 'b'",
        ),
    ],
)
def test_bad_matrices_get_the_whole_message(given: Any, error: type[Exception], message: str) -> None:
    a, b, _c, out = lecture()
    order = topological_order(out)
    names = ["out", "v1"] + [n.label for n in order[2:]]
    with pytest.raises(error) as caught:
        matrix_data(given(a, b), order, names)
    assert str(caught.value).startswith(message)
    if not message.endswith("{"):
        assert str(caught.value) == message


# --- what the page asks the drawing for ----------------------------------------------------------


def test_the_drawing_is_of_the_twin_with_the_pages_grads(layouts: Drawn) -> None:
    a, b, c, out = lecture()
    out.backward()  # earlier grads: not what the page draws
    text = live_page(out, 2.0, focus=c, radius=1, params=[b])
    ((root, options),) = layouts.calls
    assert root is not out and root.label == "out" and root.data == -4.0
    order = topological_order(root)
    assert [n.grad for n in order] == [2.0, 2.0] + [(-4.0 if n.label == "a" else 4.0) for n in order[2:]]
    assert [n.label for n in order] == ["out", "v1", *[n.label for n in topological_order(out)[2:]]]
    assert options["focus"] is order[1] and options["params"] == [n for n in order if n.label == "b"]
    assert options["show_grad"] is True and options["live"] is True
    assert options["max_nodes"] == MAX_NODES and options["rankdir"] == "auto"
    assert options["screen"] == GRAPH_PANEL == (1920 - 625, 1080 - 48)
    assert options["radius"] == 1
    assert (a.grad, b.grad, c.grad, out.grad, c.label) == (-2.0, 2.0, 1.0, 1.0, "")
    # the SVG goes in without its XML declaration, the other layouts as templates
    assert (
        '<div id="canvas"><svg id="first"><svg id="inner"></svg></svg><template class="cr-layout">'
        "<svg id='second'></svg></template><template class=\"cr-layout\"><svg id='third'></svg></template></div>"
        in text
    )
    assert "<?xml" not in text and WASM not in text and text.count(CSP) == 1
    data = steps_data(text)
    assert data["seed"] == 2.0 and sorted(data["stale"]) == ["a", "b"]
    assert {n["name"]: n["kind"] for n in data["nodes"]}["b"] == "parameter"
    assert data["matrices"] == []


def test_options_the_caller_gives_are_passed_on(layouts: Drawn) -> None:
    _a, _b, _c, out = lecture()
    stranger = Value(1.0)
    live_page(out, max_nodes=7, screen=(800, 600), rankdir="LR", focus=stranger, show_grad=False)
    ((_, options),) = layouts.calls
    assert options["max_nodes"] == 7 and options["screen"] == (800, 600) and options["rankdir"] == "LR"
    assert options["focus"] is stranger  # not in the graph: draw_dot says so
    assert options["show_grad"] is True
    assert "params" not in options and "model" not in options


def test_a_model_is_seen_through_the_twin(layouts: Drawn) -> None:
    layer = nn.Layer(2, 1, activation="tanh", seed=4)
    (y,) = layer.outputs([Value(1.0, "x1"), Value(-1.0, "x2")])
    text = live_page(y, model=layer, collapse=True)
    ((root, options),) = layouts.calls
    model = options["model"]
    twins = {n.label: n for n in topological_order(root)}
    named = model.named_parameters()
    assert [name for name, _ in named] == [name for name, _ in layer.named_parameters()]
    assert all(twins[name] is p for name, p in named)  # the twin nodes, named as in the model
    assert model.neurons is layer.neurons and model.activation == "tanh"  # read from the model
    kinds = {n["name"]: n["kind"] for n in steps_data(text)["nodes"]}
    assert {kinds[name] for name, _ in named} == {"parameter"}
    assert kinds["x1"] == "input"
    x2 = next(n for n in topological_order(y) if n.label == "x2")
    both = {n["name"]: n["kind"] for n in steps_data(live_page(y, model=layer, params=[x2]))["nodes"]}
    assert both["x2"] == "parameter" and {both[name] for name, _ in named} == {"parameter"}  # the union
    assert both["x1"] == "input"


def test_params_outside_the_graph_and_stray_cells(layouts: Drawn) -> None:
    _a, _b, _c, out = lecture()
    stranger = Value(9.0, "stranger")
    live_page(out, params=[stranger])  # draw_dot takes it (and draws nothing for it): passed as it is
    assert layouts.calls[0][1]["params"] == [stranger]
    with pytest.raises(ValueError) as caught:
        live_page(out, matrices={"W": [[stranger]]})
    assert str(caught.value) == (
        "render_steps: matrices['W'][0][0] (stranger, data 9) is not a node of the graph of out: "
        "every cell must be a Value the root was computed from"
    )


def test_a_model_without_named_parameters_is_passed_as_given(layouts: Drawn) -> None:
    _a, _b, _c, out = lecture()
    thing = object()
    live_page(out, model=thing)
    assert layouts.calls[0][1]["model"] is thing


# --- who lays the graph out -----------------------------------------------------------------------


def test_where_dot_cannot_run_the_page_lays_itself_out(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(root: Value, **options: Any) -> list[str]:
        raise GraphvizMissing("no dot here")

    dots = Drawn(["digraph { a }", "digraph { </script> }"])
    monkeypatch.setattr(page, "page_layouts", missing)
    monkeypatch.setattr(page, "page_dots", dots)
    a, _b, c, out = lecture()
    text = live_page(out, 3.0)
    ((root, options),) = dots.calls
    assert root.label == "out" and options["rankdir"] == "auto" and "screen" not in options
    assert {n.grad for n in topological_order(root)} == {0.0}  # no answer in the DOT text
    assert {x for n in topological_order(root) for x in n.local_grads} == {0.0}
    assert (
        '<script id="cr-dot" type="application/json">["digraph { a }", "digraph { \\u003c/script\\u003e }"]</script>'
        in text
    )
    assert f"{CSP} {WASM}" in text and text.count(WASM) == 1
    assert '<div id="canvas"></div>' in text
    assert steps_data(text)["seed"] == 3.0
    assert [n["local"] for n in steps_data(text)["nodes"]][:2] == [[1.0, 1.0], [-3.0, 2.0]]
    assert (a.grad, c.local_grads) == (0.0, (-3.0, 2.0))  # the user's graph is untouched
    with pytest.raises(GraphvizMissing, match="no dot here"):
        live_page(out, layout="dot")


def test_layout_browser_never_runs_dot(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(root: Value, **options: Any) -> list[str]:
        raise AssertionError("dot was asked")

    monkeypatch.setattr(page, "page_layouts", refuse)
    _a, _b, _c, out = lecture()
    text = live_page(out, layout="browser", rankdir="LR")
    found = re.search(r'<script id="cr-dot" type="application/json">(.*?)</script>', text, re.S)
    assert found is not None
    (dot,) = json.loads(found.group(1))
    assert "out" in dot and "rankdir=LR" in dot
    assert "-2.0000" not in dot and "grad 0.0000" in dot  # a.grad is -2: no grad in the text
    assert text.count(WASM) == 1


def test_a_real_page_drawn_by_dot() -> None:
    _a, _b, _c, out = lecture()
    text = live_page(out, rankdir="LR")
    svg = text.split('<div id="canvas">')[1]
    assert svg.startswith("<svg") and "grad &#45;2.0000" in svg  # the page's grads, show_grad on
    assert "<template" not in svg.split("</svg>")[1].split("</div>")[0]
    assert WASM not in text


# --- arguments ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda r: live_page(2.0), TypeError, "render_steps: root must be a Value, got float"),
        (
            lambda r: live_page(r, layout="svg"),
            ValueError,
            "render_steps: layout must be 'auto', 'dot' or 'browser', got 'svg'",
        ),
        (
            lambda r: live_page(r, layout=None),
            ValueError,
            "render_steps: layout must be 'auto', 'dot' or 'browser', got None",
        ),
        (lambda r: live_page(r, "1"), TypeError, "render_steps: expected a real number, got str '1'"),
        (
            lambda r: live_page(r, max_nodes=True),
            ValueError,
            "render_steps: max_nodes must be an int >= 1, got True",
        ),
        (
            lambda r: live_page(r, max_nodes=2.0),
            ValueError,
            "render_steps: max_nodes must be an int >= 1, got 2.0",
        ),
        (
            lambda r: live_page(r, max_nodes=0),
            ValueError,
            "render_steps: max_nodes must be an int >= 1, got 0",
        ),
        (
            lambda r: live_page(r, max_nodes=3),
            ValueError,
            "render_steps: the graph has 4 nodes, more than max_nodes=3; a page that large cannot be read. "
            "Step through a smaller piece (one neuron), or raise max_nodes.",
        ),
        (
            lambda r: render_steps(r, "page.svg"),
            ValueError,
            "render_steps: the file name must end in .html, got 'page.svg'",
        ),
    ],
)
def test_bad_arguments_get_the_whole_message(call: Any, error: type[Exception], message: str) -> None:
    _a, _b, _c, out = lecture()
    with pytest.raises(error) as caught:
        call(out)
    assert str(caught.value) == message


def test_the_smallest_max_nodes_that_fits_is_enough(layouts: Drawn) -> None:
    _a, _b, _c, out = lecture()
    live_page(out, max_nodes=4)
    one = Value(1.0, "one")
    live_page(one, max_nodes=1)
    assert [o["max_nodes"] for _, o in layouts.calls] == [4, 1]


def test_render_steps_writes_the_page(layouts: Drawn, tmp_path: Path) -> None:
    a, b, _c, out = lecture()
    for name in ("p.html", "P.HTM"):
        path = render_steps(out, str(tmp_path / name), 2.0, matrices={"M": [[a, b]]})
        assert isinstance(path, Path) and path == tmp_path / name
        written = path.read_text(encoding="utf-8")
        assert written == live_page(out, 2.0, matrices={"M": [[a, b]]})
        assert steps_data(written)["seed"] == 2.0 and steps_data(written)["matrices"][0]["name"] == "M"
    layouts.calls.clear()
    plain = render_steps(out, tmp_path / "plain.html").read_text(encoding="utf-8")  # the defaults
    assert steps_data(plain)["seed"] == 1.0 and steps_data(plain)["matrices"] == []
    assert layouts.calls[0][1]["max_nodes"] == MAX_NODES and layouts.calls[0][1]["rankdir"] == "auto"
    assert steps_data(live_page(out))["seed"] == 1.0
    layouts.calls.clear()
    render_steps(out, tmp_path / "lr.html", rankdir="LR", radius=1)  # options go to the drawing
    assert layouts.calls[0][1]["rankdir"] == "LR" and layouts.calls[0][1]["radius"] == 1
    layouts.calls.clear()
    browser = render_steps(out, tmp_path / "b.html", layout="browser").read_text(encoding="utf-8")
    assert layouts.calls == [] and browser.count(WASM) == 1 and '<script id="cr-dot"' in browser


def test_title_counts_steps_and_stays_text(layouts: Drawn) -> None:
    x = Value(2.0, "x")
    y = x * x
    y.label = "<b>{{DATA}}</b>"
    text = live_page(y)
    assert "<title>Backward pass of &lt;b&gt;{{DATA}}&lt;/b&gt;: 1 step</title>" in text
    assert "<h1>Backward pass of &lt;b&gt;{{DATA}}&lt;/b&gt;: 1 step</h1>" in text
    assert "<title>Backward pass of the graph: 0 steps</title>" in live_page(Value(1.0))


def test_the_page_carries_the_op_twin() -> None:
    ops = (Path(page.__file__).parent / "ops_twin.js").read_text(encoding="utf-8")
    text = fill_page("page_template.html", {"TITLE": "t", "SVG": "", "LAYOUT": "", "DATA": "{}", "OPS": ops})
    assert ops in text
    assert not re.search(r"\{\{[A-Z]+\}\}", text.replace("{{...}}", ""))


def test_fill_page_fills_each_slot_once_and_puts_the_head_in() -> None:
    slots = {"TITLE": "{{DATA}}", "DATA": "[1]"}
    text = fill_page("flipbook_template.html", slots)
    assert "<title>{{DATA}}</title>" in text and "<h1>{{DATA}}</h1>" in text
    assert '<script id="run-data" type="application/json">[1]</script>' in text
    assert "{{HEAD}}" not in text and text.count(CSP) == 1
    with pytest.raises(KeyError):
        fill_page("flipbook_template.html", {"TITLE": "t"})


def test_allow_wasm_needs_exactly_one_policy() -> None:
    assert page._allow_wasm(f"<meta {CSP}; x>") == f"<meta {CSP} {WASM}; x>"
    for bad in ("<meta>", f"{CSP} {CSP}"):
        with pytest.raises(RuntimeError) as caught:
            page._allow_wasm(bad)
        assert str(caught.value) == "render_steps: the page head's Content-Security-Policy was not found"


def test_params_given_as_a_generator_are_drawn_as_parameters(layouts: Drawn) -> None:
    """draw_dot takes any iterable of params; the page read a generator twice and drew none (fixed)."""
    _a, b, _c, out = lecture()
    text = live_page(out, params=(p for p in [b]))
    ((root, options),) = layouts.calls
    assert options["params"] == [n for n in topological_order(root) if n.label == "b"] != []
    assert {n["name"]: n["kind"] for n in steps_data(text)["nodes"]}["b"] == "parameter"


def test_params_that_are_not_values_are_refused_by_the_page() -> None:
    _a, _b, _c, out = lecture()
    with pytest.raises(TypeError) as caught:
        live_page(out, params=[[1.0]])  # unhashable: set() raised Python's own error
    assert str(caught.value) == "render_steps: params must hold Values, got list [1.0]"
    with pytest.raises(TypeError) as caught:
        live_page(out, params=[2.5])
    assert str(caught.value) == "render_steps: params must hold Values, got float 2.5"
