"""The last survivors of ``autograd/see/draw.py`` (docs/testing.md, issue 23; mutmut at c4ab01d).

What each case checks is read from the module's docstrings: the nodes within ``radius`` edges
of a focus, a box's fields in a grid, a collapsed neuron's box and its layer's cluster, one edge
per input of a neuron's box, what ``dot``'s failures say, ``render`` handing its arguments to
graphviz, ``auto`` measuring the very pictures it may draw, the warning's threshold and the
page's first picture on a tie. ``dot`` is stood in for (graphviz's own ``Digraph.pipe`` and
``render`` replaced, or the measuring replaced by a table of sizes): no program runs here.
"""

from __future__ import annotations

import math
import re
import subprocess
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import graphviz  # type: ignore[import-untyped]
import pytest

import autograd
from autograd import GraphvizMissing, IllegibleGraphWarning, Value, draw_dot, render, topological_order
from autograd.see import draw
from autograd.see.draw import AUTO_LAYOUTS, dot_failed, page_dots, page_layouts

ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^\s\]]+)')
EMPTY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="50pt" viewBox="0 0 100 50"></svg>'


def nodes(source: str) -> dict[str, dict[str, str]]:
    """Every node statement of a DOT text: its name and attributes (quotes taken off)."""
    found = {}
    for line in source.splitlines():
        match = re.fullmatch(r"\t+(\w+) \[(.*)\]", line)
        if match and match.group(1) not in ("graph", "node", "edge"):
            found[match.group(1)] = {k: v.strip('"') for k, v in ATTR.findall(match.group(2))}
    return found


def links(source: str) -> list[tuple[str, str]]:
    """Every edge of a DOT text, tail and head, in order."""
    return re.findall(r"^\t+(\w+) -> (\w+)", source, flags=re.M)


def names(root: Value) -> dict[Value, str]:
    """Each node's name in a picture: v<k>, k its place in topological_order(root)."""
    return {node: f"v{k}" for k, node in enumerate(topological_order(root))}


class Named:
    """A stand-in model: only named_parameters()."""

    def __init__(self, pairs: list[tuple[str, Value]]) -> None:
        self.pairs = pairs

    def named_parameters(self) -> list[tuple[str, Value]]:
        return list(self.pairs)


def chain(length: int) -> list[Value]:
    """x, sin x, sin sin x, ...: ``length`` values, the root last."""
    values = [Value(0.5, label="x")]
    for _ in range(length - 1):
        values.append(values[-1].sin())
    return values


# --- what is drawn: a focus's neighbourhood, a grid, collapsed neurons ---------------------------


def test_the_default_radius_is_two_edges_and_edges_are_drawn_beyond_a_hidden_root() -> None:
    """A chain of 7 values (the root v0, x is v6), focus v3: by default the nodes within 2
    edges, v1 ... v5, each computed one with its oval; the root is not drawn, yet every
    edge among the drawn nodes is (v5's input x is not drawn: no edge from it)."""
    values = chain(7)
    root, focus = values[-1], values[3]
    name = names(root)
    assert name[focus] == "v3"
    source = draw_dot(root, focus=focus).source
    assert set(nodes(source)) == {"v1", "v2", "v3", "v4", "v5", "v1_op", "v2_op", "v3_op", "v4_op", "v5_op"}
    assert links(source) == [
        ("v1_op", "v1"), ("v2", "v1_op"), ("v2_op", "v2"), ("v3", "v2_op"), ("v3_op", "v3"),
        ("v4", "v3_op"), ("v4_op", "v4"), ("v5", "v4_op"), ("v5_op", "v5"),
    ]  # fmt: skip


def test_an_input_out_of_the_focus_does_not_hide_the_next_input() -> None:
    """m = a * b, focus b, radius 1: b and m are drawn, a (2 edges from b) is not; b's edge
    into m's oval is there although m's first input, a, is left out."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    m = a * b
    name = names(m)
    source = draw_dot(m, focus=b, radius=1).source
    assert set(nodes(source)) == {name[m], f"{name[m]}_op", name[b]}
    assert links(source) == [(f"{name[m]}_op", name[m]), (name[b], f"{name[m]}_op")]


def test_a_compact_grid_puts_the_op_and_the_name_in_the_names_column() -> None:
    """fields='grid': {names}|{numbers}; compact: the op first among the names. Top to bottom
    as it is, left to right in braces (Graphviz turns records sideways)."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    d = a * b
    d.label = "d"
    tb = nodes(draw_dot(d, rankdir="TB", compact=True, fields="grid").source)
    assert tb["v0"]["label"] == "{mul|d}|{data -6.0000|grad 0.0000}"
    lr = nodes(draw_dot(d, rankdir="LR", compact=True, fields="grid", show_grad=False).source)
    assert lr["v0"]["label"] == "{{mul|d}|{data -6.0000}}"


def two_layers() -> tuple[Value, Named]:
    """Neuron layers.0.neurons.0 (w = 0.5 on x = 2) feeds layers.1.neurons.0 (w = -1): out =
    tanh(-tanh(1))."""
    x = Value(2.0, label="x")
    w0, w1 = Value(0.5, label="w"), Value(-1.0, label="w")
    h = autograd.dot([w0], [x]).tanh()
    out = autograd.dot([w1], [h]).tanh()
    return out, Named([("layers.0.neurons.0.w.0", w0), ("layers.1.neurons.0.w.0", w1)])


def test_collapsed_neurons_sit_in_their_own_layers_cluster_and_show_no_grad_when_told() -> None:
    """One cluster per layer, titled with the layer's name, holding that layer's neuron box;
    show_grad=False leaves a neuron box its data only: tanh(1) = 0.7616, tanh(-0.7616) = -0.6420."""
    out, model = two_layers()
    out.backward()
    source = draw_dot(out, model=model, collapse=True, show_grad=False).source
    found = nodes(source)
    h = math.tanh(1.0)
    assert found["neuron0"]["label"] == f"{{layers.0.neurons.0|tanh|data {h:.4f}}}"
    assert found["neuron1"]["label"] == f"{{layers.1.neurons.0|tanh|data {math.tanh(-h):.4f}}}"
    layer0, layer1 = source.split("subgraph cluster_layer_1 {")
    assert 'label="layers.0"' in layer0.split("subgraph cluster_layer_0 {")[1]
    assert "\t\tneuron0 [" in layer0 and "neuron1 [" not in layer0
    assert 'label="layers.1"' in layer1 and "\t\tneuron1 [" in layer1
    assert "cluster_layer_2" not in source and "label=model" not in source


def test_a_neuron_box_gets_one_edge_from_each_input_however_often_it_is_used() -> None:
    """One neuron, dot(w, [x, x, y]) then tanh: the dot node's inputs are w0 w1 w2 x x y;
    collapsed, x feeds the box once and so does y (after x's second use)."""
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    ws = [Value(0.1 * k, label=f"w{k}") for k in range(3)]
    out = autograd.dot(ws, [x, x, y]).tanh()
    model = Named([(f"layers.0.neurons.0.w.{k}", w) for k, w in enumerate(ws)])
    name = names(out)
    source = draw_dot(out, model=model, collapse=True).source
    assert sorted(links(source)) == sorted([(name[x], "neuron0"), (name[y], "neuron0")])


# --- dot failing, and render handing its arguments to graphviz -----------------------------------


def test_a_failing_dots_stderr_that_is_not_utf8_is_quoted_with_replacement_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bytes that are not UTF-8 in a failed run's stderr (Latin-1 é, a stray 0xff) are shown as
    U+FFFD, never a raw UnicodeDecodeError."""

    def failing(self: Any, *args: Any, **kwargs: Any) -> bytes:
        raise subprocess.CalledProcessError(2, ["dot"], stderr=b"caf\xe9 \xff")

    monkeypatch.setattr(graphviz.Digraph, "pipe", failing)
    with pytest.raises(GraphvizMissing) as err:
        draw_dot(Value(1.0)).pipe(format="svg")
    assert str(err.value) == dot_failed("failed (exit status 2: caf\ufffd \ufffd)")


def test_render_hands_its_arguments_to_graphviz_and_gives_back_its_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``draw_dot(x).render("g", format="svg")``, as in micrograd: graphviz's render gets the
    same graph and arguments, by position and by name, and its return value comes back; a
    missing dot there is GraphvizMissing saying so."""
    calls: list[tuple[Any, tuple[Any, ...], dict[str, Any]]] = []

    def recorder(self: Any, *args: Any, **kwargs: Any) -> str:
        calls.append((self, args, kwargs))
        return "g.svg"

    monkeypatch.setattr(graphviz.Digraph, "render", recorder)
    graph = draw_dot(Value(1.0, label="x"))
    assert graph.render("g", format="svg", cleanup=True) == "g.svg"
    assert calls == [(graph, ("g",), {"format": "svg", "cleanup": True})]

    def missing(self: Any, *args: Any, **kwargs: Any) -> str:
        raise graphviz.ExecutableNotFound(["dot"])

    monkeypatch.setattr(graphviz.Digraph, "render", missing)
    with pytest.raises(GraphvizMissing) as err:
        graph.render("g", format="svg")
    assert str(err.value) == dot_failed("was not found")


def recorded_pipes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """Stand in for dot: each pipe's graph source and arguments are recorded; the answer is an
    empty SVG (text when an encoding is asked for, bytes otherwise, as graphviz does)."""
    pipes: list[tuple[str, dict[str, Any]]] = []

    def pipe(self: Any, **kwargs: Any) -> Any:
        pipes.append((self.source, kwargs))
        return EMPTY_SVG if kwargs.get("encoding") else EMPTY_SVG.encode()

    monkeypatch.setattr(graphviz.Digraph, "pipe", pipe)
    return pipes


def test_render_to_svg_runs_dot_once_and_writes_what_it_got(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An .svg file is laid out once: the text measured for the warning is the file written
    (a .png needs a second run, for an SVG to measure)."""
    pipes = recorded_pipes(monkeypatch)
    x = Value(1.0, label="x")
    for suffix in ("svg", "SVG"):
        pipes.clear()
        path = render(x, tmp_path / f"g.{suffix}", rankdir="LR")
        assert path.read_bytes() == EMPTY_SVG.encode()
        assert pipes == [(draw_dot(x).source, {"format": "svg"})]
    pipes.clear()
    render(x, tmp_path / "g.png", rankdir="LR")
    assert [kwargs["format"] for _, kwargs in pipes] == ["png", "svg"]


# --- auto: the pictures measured are the pictures it may draw --------------------------------------


def measured(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """Every candidate's DOT text, as auto hands it to dot; no candidate is readable (1 px), so
    all five are measured."""
    monkeypatch.setattr(draw, "smallest_text", lambda svg, screen: SimpleNamespace(node_px=1.0, edge_px=1.0))
    return recorded_pipes(monkeypatch)


def test_auto_measures_each_candidate_with_every_option_it_was_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """No grads, edge labels, no colours, live (padded labels), focus v2 with radius 1: each
    candidate measured is exactly ``draw_dot`` of that layout with the same options."""
    values = chain(5)
    root = values[-1]
    root.backward()
    options: dict[str, Any] = dict(
        show_grad=False, edge_labels=True, highlight=False, focus=values[2], radius=1, live=True, max_nodes=3
    )
    pipes = measured(monkeypatch)
    draw_dot(root, rankdir="auto", **options)
    assert [source for source, _ in pipes] == [
        draw_dot(root, rankdir=r, compact=c, fields=f, **options).source for r, c, f in AUTO_LAYOUTS
    ]
    assert "v0" not in nodes(pipes[0][0]) and "v4" not in nodes(pipes[0][0])  # the focus's neighbourhood


@pytest.mark.parametrize("as_given", [list, iter])
def test_auto_measures_each_candidate_with_its_parameters_coloured(
    monkeypatch: pytest.MonkeyPatch, as_given: Any
) -> None:
    """params=[a] (or a generator of it: read once) colours a blue in every candidate measured,
    and the legend names it, as in the picture drawn."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    d = a * b
    pipes = measured(monkeypatch)
    draw_dot(d, rankdir="auto", params=as_given([a]))
    expected = [draw_dot(d, rankdir=r, compact=c, fields=f, params=[a]).source for r, c, f in AUTO_LAYOUTS]
    assert [source for source, _ in pipes] == expected
    assert all(nodes(source)["v1"]["fillcolor"] == "#cfe2ff" for source in expected)


def test_a_picture_over_max_nodes_is_refused_before_dot_lays_out_any_candidate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pipes = measured(monkeypatch)
    with pytest.raises(ValueError, match=r"^draw_dot: 5 values to draw, more than max_nodes=4\. "):
        draw_dot(chain(5)[-1], rankdir="auto", max_nodes=4)
    assert pipes == []


def test_params_that_are_not_an_iterable_are_named() -> None:
    with pytest.raises(TypeError) as err:
        draw_dot(Value(1.0), params=Value(2.0))  # type: ignore[arg-type]
    assert str(err.value) == (
        "draw_dot: params must be an iterable of Values (a list, a tuple, a generator), "
        "got Value Value(data=2.0, grad=0.0)"
    )


@pytest.mark.parametrize("rankdir", ["auto", "TB"])
def test_the_pages_pictures_colour_parameters_given_as_a_generator(rankdir: str) -> None:
    """page_dots reads params once: every layout's DOT text colours a as a parameter."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    d = a * b
    sources = page_dots(d, rankdir=rankdir, params=(p for p in [a]))
    assert len(sources) == (5 if rankdir == "auto" else 1)
    assert all(nodes(source)["v1"]["fillcolor"] == "#cfe2ff" for source in sources)
    assert all("blue: parameter" in source for source in sources)


def test_page_layouts_colour_parameters_given_as_a_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    """page_layouts reads params once: each of the five pictures it lays out colours a."""
    pipes = recorded_pipes(monkeypatch)
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    d = a * b
    assert len(page_layouts(d, rankdir="auto", params=(p for p in [a]))) == 5
    assert [source for source, _ in pipes] == [
        draw_dot(d, rankdir=r, compact=c, fields=f, params=[a]).source for r, c, f in AUTO_LAYOUTS
    ]


# --- the warning's threshold, and the page's first picture on a tie -------------------------------


def sized(monkeypatch: pytest.MonkeyPatch, node_px: float, edge_px: float) -> list[str]:
    """The warnings _warn_if_illegible gives when the smallest texts measure these sizes."""
    monkeypatch.setattr(
        draw, "smallest_text", lambda svg, screen: SimpleNamespace(node_px=node_px, edge_px=edge_px)
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw._warn_if_illegible(EMPTY_SVG, {})
    return [str(w.message) for w in caught if issubclass(w.category, IllegibleGraphWarning)]


def test_text_exactly_at_the_readable_size_gives_no_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    """'smaller than 14 px in the boxes or 12 px on the edges': 14 and 12 exactly are readable."""
    assert sized(monkeypatch, 14.0, 12.0) == []
    [message] = sized(monkeypatch, 13.5, 12.0)
    assert "box text 13.5 px (readable: >= 14 px)." in message and "edge labels" not in message
    [message] = sized(monkeypatch, 14.0, 11.5)
    assert "edge labels 11.5 px (readable: >= 12 px)." in message and "box text" not in message


def test_the_page_opens_on_the_first_of_two_equally_close_layouts(monkeypatch: pytest.MonkeyPatch) -> None:
    """None readable, layouts 1 and 3 tie for the closest (0.75): the page opens on 1, the one
    auto picks (the first of a tie), then the others in their order."""

    def fake_to_svg(root: Value, rankdir: str, compact: bool, fields: str, **options: Any) -> str:
        return f'<svg k="{AUTO_LAYOUTS.index((rankdir, compact, fields))}"></svg>'

    sizes = [(7.0, 12.0), (14.0, 9.0), (7.0, 12.0), (10.5, 20.0), (3.5, 3.0)]  # 0.5 0.75 0.5 0.75 0.25

    def fake_smallest_text(svg: str, screen: tuple[int, int]) -> SimpleNamespace:
        k = int(svg.split('k="')[1].split('"')[0])
        return SimpleNamespace(node_px=sizes[k][0], edge_px=sizes[k][1])

    monkeypatch.setattr(draw, "to_svg", fake_to_svg)
    monkeypatch.setattr(draw, "smallest_text", fake_smallest_text)
    pictures = page_layouts(Value(1.0), rankdir="auto")
    assert [int(svg.split('data-layout="')[1].split('"')[0]) for svg in pictures] == [1, 0, 2, 3, 4]
