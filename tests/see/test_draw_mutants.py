"""Holes the mutation session found in ``autograd/see/draw.py`` (docs/testing.md, issue 23).

Each case states what a picture shows, read from its DOT text (``draw_dot(...).source``) or
from the SVG ``dot`` makes, derived from the module's docstrings: the fields of a box, its
colour, the labels on the edges, the clusters, the legend, the layout chosen, the messages of
the errors and the warning. Each fails on the surviving mutants its docstring names.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import pytest

import autograd
from autograd import GraphvizMissing, IllegibleGraphWarning, Value, draw_dot, render
from autograd.see.draw import AUTO_LAYOUTS, page_dots, page_layouts, to_svg, with_room

needs_dot = pytest.mark.skipif(
    not any(Path(d, "dot").exists() for d in os.environ.get("PATH", "").split(os.pathsep)),
    reason="needs Graphviz's dot program",
)
ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^\s\]]+)')


def attrs_of(text: str) -> dict[str, str]:
    """``key=value key="quoted value"`` as a dict, quotes taken off."""
    return {k: v[1:-1] if v.startswith('"') else v for k, v in ATTR.findall(text)}


def nodes(source: str) -> dict[str, dict[str, str]]:
    """Every node statement of a DOT text: its name and attributes."""
    found = {}
    for line in source.splitlines():
        match = re.fullmatch(r"\t+(\w+) \[(.*)\]", line)
        if match and match.group(1) not in ("graph", "node", "edge"):
            found[match.group(1)] = attrs_of(match.group(2))
    return found


def edges(source: str) -> list[tuple[str, str, dict[str, str]]]:
    """Every edge statement of a DOT text: tail, head and attributes, in order."""
    found = []
    for line in source.splitlines():
        match = re.fullmatch(r"\t+(\w+) -> (\w+)(?: \[(.*)\])?", line)
        if match:
            found.append((match.group(1), match.group(2), attrs_of(match.group(3) or "")))
    return found


def product() -> tuple[Value, Value, Value, Value]:
    """c = a * b with a = 2 (labelled a), b = -3 (labelled b); d = c + 1.0, labelled d."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    d = c + 1.0
    d.label = "d"
    return a, b, c, d


# --- the boxes, ovals and edges ------------------------------------------------------------------


def test_each_value_is_a_record_of_label_data_grad_and_each_op_an_oval():
    """Left to right: a record ``{label|data ...|grad ...}`` (braces: a row in a sideways
    graph), filled in its kind's colour with the kind as tooltip, the root drawn thicker; each
    op an ellipse named ``v<k>_op`` with its name and margin 0.02. Order: d, c, the constant 1,
    a, b (v0 ... v4). Graph: ranks and nodes 0.2 apart; node text 11 pt, boxes 0.3 in high."""
    a, _b, _c, d = product()
    d.backward()  # dd/dc = 1, dd/da = b = -3, dd/db = a = 2
    source = draw_dot(d, params=[a]).source
    assert "\tgraph [nodesep=0.2 rankdir=LR ranksep=0.2]\n" in source
    assert "\tnode [fontsize=11 height=0.3]\n" in source
    assert nodes(source) == {
        "v0": {"label": "{d|data -5.0000|grad 1.0000}", "fillcolor": "#ffe2b8", "penwidth": "2.5",
               "shape": "record", "style": "filled", "tooltip": "output"},
        "v0_op": {"label": "add", "margin": "0.02", "shape": "ellipse"},
        "v1": {"label": "{c|data -6.0000|grad 1.0000}", "fillcolor": "#ffffff", "shape": "record",
               "style": "filled", "tooltip": "intermediate"},
        "v1_op": {"label": "mul", "margin": "0.02", "shape": "ellipse"},
        "v2": {"label": "{v2|data 1.0000|grad 1.0000}", "fillcolor": "#eeeeee", "shape": "record",
               "style": "filled", "tooltip": "constant"},
        "v3": {"label": "{a|data 2.0000|grad -3.0000}", "fillcolor": "#cfe2ff", "shape": "record",
               "style": "filled", "tooltip": "parameter"},
        "v4": {"label": "{b|data -3.0000|grad 2.0000}", "fillcolor": "#d3f0d3", "shape": "record",
               "style": "filled", "tooltip": "input"},
    }  # fmt: skip
    assert edges(source) == [
        ("v0_op", "v0", {}), ("v1", "v0_op", {}), ("v2", "v0_op", {}),
        ("v1_op", "v1", {}), ("v3", "v1_op", {}), ("v4", "v1_op", {}),
    ]  # fmt: skip


def test_the_legend_names_the_colours_drawn_in_order_under_the_picture():
    """'blue: parameter    green: input    grey: constant    orange: output' (four spaces), at
    the bottom, 11 pt, grey #555555; only the kinds drawn; none without highlight."""
    a, b, _c, d = product()
    source = draw_dot(d, params=[a]).source
    legend = 'fontcolor="#555555" fontsize=11 label="blue: parameter    green: input    grey: constant    orange: output" labelloc=b'
    assert f"\t{legend}\n" in source
    only_inputs = draw_dot(a * b).source  # two labelled leaves and the root
    assert 'label="green: input    orange: output"' in only_inputs
    plain = draw_dot(d, params=[a], highlight=False).source
    assert "labelloc" not in plain and "fillcolor" not in plain and "style" not in plain


def test_without_grad_a_box_has_its_data_only():
    *_, d = product()
    d.backward()
    source = draw_dot(d, show_grad=False, edge_labels=True).source
    assert nodes(source)["v3"]["label"] == "{a|data 2.0000}"
    # after backward, without grads the edges still carry the local derivative only
    assert [e[2]["label"] for e in edges(source) if e[2]] == ["1.0000", "1.0000", "-3.0000", "2.0000"]


def test_edge_labels_before_and_after_backward():
    """Before backward (root.grad == 0): d(out)/d(in) only; after: local × upstream =
    contribution, with upstream the op's output grad. 9.5 pt, grey #444444; the op -> output
    edge has no label."""
    *_, d = product()
    before = edges(draw_dot(d, edge_labels=True).source)
    style = {"fontcolor": "#444444", "fontsize": "9.5"}
    assert before == [
        ("v0_op", "v0", {}), ("v1", "v0_op", {"label": "1.0000", **style}), ("v2", "v0_op", {"label": "1.0000", **style}),
        ("v1_op", "v1", {}), ("v3", "v1_op", {"label": "-3.0000", **style}), ("v4", "v1_op", {"label": "2.0000", **style}),
    ]  # fmt: skip
    d.backward(2.0)  # upstream of c is 2: a's contribution -3 × 2 = -6, b's 2 × 2 = 4
    after = [e[2].get("label") for e in edges(draw_dot(d, edge_labels=True).source)]
    assert after == [None, "1.0000 × 2.0000 = 2.0000", "1.0000 × 2.0000 = 2.0000",
                     None, "-3.0000 × 2.0000 = -6.0000", "2.0000 × 2.0000 = 4.0000"]  # fmt: skip


def test_a_negative_root_grad_counts_as_backward_having_run():
    """backward(grad=-1): root.grad = -1 != 0, so the products are written."""
    *_, d = product()
    d.backward(-1.0)
    labels = [e[2].get("label") for e in edges(draw_dot(d, edge_labels=True).source)]
    assert "-3.0000 × -1.0000 = 3.0000" in labels


@pytest.mark.parametrize(
    ("rankdir", "fields", "label"),
    [
        ("LR", None, "{a|data 2.0000|grad 0.0000}"),
        ("RL", None, "{a|data 2.0000|grad 0.0000}"),
        ("TB", None, "{a|data 2.0000|grad 0.0000}"),
        ("BT", None, "{a|data 2.0000|grad 0.0000}"),
        ("LR", "column", "a|data 2.0000|grad 0.0000"),
        ("TB", "row", "a|data 2.0000|grad 0.0000"),
        ("LR", "grid", "{{a}|{data 2.0000|grad 0.0000}}"),
        ("TB", "grid", "{a}|{data 2.0000|grad 0.0000}"),
    ],
)
def test_a_boxs_fields_follow_rankdir_and_fields(rankdir, fields, label):
    """A record's fields run across in a top-to-bottom graph and down in a sideways (LR, RL)
    one, and each pair of braces turns them (Graphviz's record shapes): so a row is braced left
    to right, a column top to bottom (the defaults); a grid is names beside numbers."""
    *_, d = product()
    source = draw_dot(d, rankdir=rankdir, fields=fields).source
    assert f"rankdir={rankdir}" in source
    assert nodes(source)["v3"]["label"] == label


def test_compact_writes_the_op_in_its_outputs_box_and_draws_no_oval():
    """compact: a computed value's box starts with its op; inputs point at the output's box."""
    *_, d = product()
    source = draw_dot(d, compact=True).source
    found = nodes(source)
    assert found["v1"]["label"] == "{mul|c|data -6.0000|grad 0.0000}"
    assert found["v3"]["label"] == "{a|data 2.0000|grad 0.0000}"  # a leaf: no op
    assert not any(name.endswith("_op") for name in found)
    assert [(t, h) for t, h, _ in edges(source)] == [("v1", "v0"), ("v2", "v0"), ("v3", "v1"), ("v4", "v1")]


def test_the_focus_is_drawn_thicker_as_the_root_is():
    _a, _b, c, d = product()
    found = nodes(draw_dot(d, focus=c, radius=1).source)
    assert found["v1"]["penwidth"] == "2.5" and found["v0"]["penwidth"] == "2.5"
    assert "penwidth" not in found["v3"] and "v2" not in found  # the constant is 2 edges from c


def test_op_names_and_labels_are_escaped_in_their_statements():
    """An op named ``a"b`` is ``label="a\\"b"`` on its oval; a label ``x y|z`` is ``x\\ y\\|z``
    in its record."""
    x = Value(1.0, label="x y|z")
    y = Value(2.0, "", 'a"b', (x,), (1.0,))
    found = nodes(draw_dot(y).source)
    assert found["v0_op"]["label"] == 'a\\"b'
    assert found["v1"]["label"] == "{x\\ y\\|z|data 1.0000|grad 0.0000}"


# --- the live page's pictures ----------------------------------------------------------------


def test_with_room_pads_with_figure_spaces_to_three_ten_character_numbers():
    """'0000000000 × 0000000000 = 0000000000' is 36 characters: a label of 10 gets 13 figure
    spaces before and 13 after; of 11, 12 before and 13 after; of 36 or more, none."""
    assert with_room("x" * 10) == "\u2007" * 13 + "x" * 10 + "\u2007" * 13
    assert with_room("x" * 11) == "\u2007" * 12 + "x" * 11 + "\u2007" * 13
    assert with_room("x" * 36) == "x" * 36 and with_room("x" * 40) == "x" * 40


def test_a_live_picture_has_padded_edge_labels_and_no_legend():
    *_, d = product()
    source = draw_dot(d, edge_labels=True, live=True).source
    assert "labelloc" not in source and "orange: output" not in source
    labels = [e[2]["label"] for e in edges(source) if e[2]]
    assert labels[2] == with_room("-3.0000")
    assert all(len(label) == 36 for label in labels)


# --- what draw_dot refuses, and how it says so -------------------------------------------------


def test_bad_options_are_named_with_their_value():
    x = Value(1.0)
    cases = [
        (dict(rankdir="lr"), ValueError, "draw_dot: rankdir must be 'LR', 'RL', 'TB', 'BT' or 'auto', got 'lr'"),
        (dict(max_nodes=0), ValueError, "draw_dot: max_nodes must be an int >= 1, got 0"),
        (dict(max_nodes=True), ValueError, "draw_dot: max_nodes must be an int >= 1, got True"),
        (dict(max_nodes=2.0), ValueError, "draw_dot: max_nodes must be an int >= 1, got 2.0"),
        (dict(radius=-1), ValueError, "draw_dot: radius must be an int >= 0, got -1"),
        (dict(radius=False), ValueError, "draw_dot: radius must be an int >= 0, got False"),
        (dict(radius=1.0), ValueError, "draw_dot: radius must be an int >= 0, got 1.0"),
        (dict(collapse=True), ValueError,
         "draw_dot: collapse=True needs model= (neurons are found from its parameter names)"),
        (dict(model=[x]), TypeError, "draw_dot: model must have named_parameters(), got list"),
        (dict(fields="rows"), ValueError, "draw_dot: fields must be 'row', 'column' or 'grid', got 'rows'"),
        (dict(screen=(1920, 0)), ValueError,
         "draw_dot: screen must be (width, height) in pixels, two ints > 0, got (1920, 0)"),
        (dict(screen=(True, 1080)), ValueError,
         "draw_dot: screen must be (width, height) in pixels, two ints > 0, got (True, 1080)"),
        (dict(screen=[1920, 1080]), ValueError,
         "draw_dot: screen must be (width, height) in pixels, two ints > 0, got [1920, 1080]"),
        (dict(screen=(1920, 1080, 1)), ValueError,
         "draw_dot: screen must be (width, height) in pixels, two ints > 0, got (1920, 1080, 1)"),
    ]  # fmt: skip
    for options, error, message in cases:
        with pytest.raises(error) as err:
            draw_dot(x, **options)
        assert str(err.value) == message, options
    with pytest.raises(TypeError) as err:
        draw_dot(2.0)  # type: ignore[arg-type]
    assert str(err.value) == "draw_dot: root must be a Value, got float"


def test_the_smallest_allowed_options_are_accepted():
    """max_nodes=1 for one box, radius=0 (the focus alone), a 1 x 1 screen, every rankdir."""
    x = Value(1.0, label="x")
    y = x * 2.0
    assert list(nodes(draw_dot(x, max_nodes=1).source)) == ["v0"]
    assert list(nodes(draw_dot(y, focus=x, radius=0).source)) == ["v1"]  # y v0, x v1, the 2.0 v2
    for rankdir in ("LR", "RL", "TB", "BT"):
        assert f"rankdir={rankdir}" in draw_dot(y, rankdir=rankdir, screen=(1, 1)).source


def test_max_nodes_counts_the_boxes_and_says_how_to_draw_less():
    """y = x * 2: three boxes. max_nodes=3 draws them; 2 refuses with the count and the ways out."""
    x = Value(1.0, label="x")
    y = x * 2.0
    assert len([n for n in nodes(draw_dot(y, max_nodes=3).source) if not n.endswith("_op")]) == 3
    with pytest.raises(ValueError) as err:
        draw_dot(y, max_nodes=2)
    assert str(err.value) == (
        "draw_dot: 3 values to draw, more than max_nodes=2. Draw less: collapse=True with model= "
        "(one box per neuron), or focus=<a Value> with radius=1 or 2 (its neighbourhood), or raise max_nodes."
    )


# --- a model: clusters per layer and neuron, or one box per neuron ------------------------------


class Named:
    """A stand-in model: only named_parameters(), with the names the test chooses."""

    def __init__(self, pairs: list[tuple[str, Value]]) -> None:
        self.pairs = pairs

    def named_parameters(self) -> list[tuple[str, Value]]:
        return list(self.pairs)


def two_neurons() -> tuple[Value, Named, Value, Value]:
    """Neurons layers.0.neurons.0 (w = 0.5) and layers.0.neurons.1 (w = -1) on x = 2, their
    tanh outputs h0, h1 and loss = h1 * h1 + h0 (h1 used twice by one op)."""
    x = Value(2.0, label="x")
    w0, w1 = Value(0.5, label="w"), Value(-1.0, label="w")
    h0 = autograd.dot([w0], [x]).tanh()
    h1 = autograd.dot([w1], [x]).tanh()
    loss = h1 * h1 + h0
    loss.label = "loss"
    model = Named([("layers.0.neurons.0.w.0", w0), ("layers.0.neurons.1.w.0", w1)])
    return loss, model, h0, h1


def cluster_lines(source: str) -> list[str]:
    """The attribute lines of the clusters, with the subgraph lines, in order."""
    return [
        line.strip()
        for line in source.splitlines()
        if line.strip().startswith(("subgraph", "color=", "bgcolor="))
    ]


def test_clusters_per_layer_and_neuron_are_titled_and_styled():
    """A dashed grey cluster per layer (#888888), in it a rounded blue-grey one per neuron
    (#6a8fc7) with a pale background (#f7f9fd) when highlighted; names sorted."""
    loss, model, _h0, _h1 = two_neurons()
    source = draw_dot(loss, model=model).source
    assert cluster_lines(source) == [
        "subgraph cluster_layer_0 {",
        'color="#888888" label="layers.0" style=dashed',
        "subgraph cluster_layer_0_neuron_0 {",
        'color="#6a8fc7" label="layers.0.neurons.0" style=rounded',
        'bgcolor="#f7f9fd"',
        "subgraph cluster_layer_0_neuron_1 {",
        'color="#6a8fc7" label="layers.0.neurons.1" style=rounded',
        'bgcolor="#f7f9fd"',
    ]
    plain = draw_dot(loss, model=model, highlight=False).source
    assert "bgcolor" not in plain and 'label="layers.0.neurons.1" style=rounded' in plain


def test_parameters_with_bare_names_are_grouped_as_model_and_neuron():
    """Names with no layer or neuron part ('w'): the clusters are titled 'model' and 'neuron',
    and so is the collapsed box."""
    import math

    x = Value(2.0, label="x")
    w = Value(0.5, label="w")
    out = (w * x).tanh()
    source = draw_dot(out, model=Named([("w", w)])).source
    assert "label=model style=dashed" in source and "label=neuron style=rounded" in source
    collapsed = nodes(draw_dot(out, model=Named([("w", w)]), collapse=True).source)
    assert [attrs["label"] for name, attrs in collapsed.items() if name.startswith("neuron")] == [
        f"{{neuron|tanh|data {math.tanh(1.0):.4f}|grad 0.0000}}"
    ]  # the box's output is tanh(w x) = tanh(1)


def test_collapsed_neurons_are_purple_rounded_boxes_with_one_edge_each_way():
    """Each neuron one box 'name|op|data|grad' (purple #e8dcf5, rounded) in its layer's
    cluster; x feeds each box once; h1 * h1 draws one edge from h1's box, not two; the
    legend says 'purple: neuron' and no longer 'blue: parameter' (the weights are in boxes)."""
    import math

    loss, model, _h0, _h1 = two_neurons()
    loss.backward()  # dloss/dh0 = 1, dloss/dh1 = 2 h1
    source = draw_dot(loss, model=model, collapse=True, edge_labels=True).source
    found = nodes(source)
    t0, t1 = math.tanh(1.0), math.tanh(-2.0)
    assert found["neuron0"] == {
        "label": f"{{layers.0.neurons.0|tanh|data {t0:.4f}|grad 1.0000}}",
        "fillcolor": "#e8dcf5", "shape": "record", "style": "filled,rounded", "tooltip": "neuron",
    }  # fmt: skip
    assert found["neuron1"]["label"] == f"{{layers.0.neurons.1|tanh|data {t1:.4f}|grad {2 * t1:.4f}}}"
    links = [(t, h) for t, h, _ in edges(source)]
    assert links.count(("neuron1", "v1_op")) == 1 and links.count(("neuron0", "v0_op")) == 1
    assert sorted(link for link in links if link[1].startswith("neuron")) == [
        ("v7", "neuron0"),
        ("v7", "neuron1"),
    ]
    assert 'label="green: input    orange: output    purple: neuron"' in source
    # the edge out of a box carries its product; the edge into one has no single local derivative
    into = [a for t, h, a in edges(source) if h.startswith("neuron")]
    assert into == [{}, {}]
    plain = nodes(draw_dot(loss, model=model, collapse=True, highlight=False).source)["neuron0"]
    assert "fillcolor" not in plain and "style" not in plain


def test_an_op_that_uses_a_value_twice_draws_two_edges_from_it():
    """Outside a neuron box every input is an edge of its own: h * h has two."""
    x = Value(3.0, label="x")
    y = x * x
    assert [(t, h) for t, h, _ in edges(draw_dot(y).source)] == [
        ("v0_op", "v0"),
        ("v1", "v0_op"),
        ("v1", "v0_op"),
    ]


# --- render, its warning, and the layouts measured with dot -------------------------------------


@needs_dot
def test_render_takes_the_suffix_in_any_case_and_returns_the_path(tmp_path):
    *_, d = product()
    path = tmp_path / "G.SVG"
    assert render(d, str(path)) == path
    assert path.read_bytes().lstrip().startswith(b"<?xml")
    with pytest.raises(ValueError) as err:
        render(d, tmp_path / "g.svgz")
    assert (
        str(err.value)
        == f"render: the file name must end in .svg, .png or .pdf, got {str(tmp_path / 'g.svgz')!r}"
    )


def illegible(caught: list[warnings.WarningMessage]) -> str:
    [warning] = [w for w in caught if issubclass(w.category, IllegibleGraphWarning)]
    assert warning.filename == __file__  # the caller's render(...) line, not draw.py's
    return str(warning.message)


@needs_dot
def test_render_on_a_small_screen_warns_with_the_sizes_and_the_ways_out(tmp_path):
    """Fitted to 200 x 100 px the picture's text is a few px: the warning gives the screen, each
    size (measured here from the SVG written) against 14 and 12 px, and the ways to draw less."""
    from autograd.see.legibility import smallest_text

    *_, d = product()
    d.backward()
    path = tmp_path / "g.svg"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render(d, path, screen=(200, 100), edge_labels=True)
    sizes = smallest_text(path.read_text(), (200, 100))
    assert sizes.node_px < 14 and sizes.edge_px < 12
    assert illegible(caught) == (
        "render: fitted to a 200 × 100 screen, this picture's text is too small to read: "
        f"box text {sizes.node_px:.1f} px (readable: >= 14 px) and edge labels {sizes.edge_px:.1f} px "
        "(readable: >= 12 px). Draw less: model=<the network>, collapse=True (one box per neuron), "
        "or focus=<a Value>, radius=1 or 2 (only its neighbourhood)."
    )


@needs_dot
def test_the_warning_offers_only_what_was_not_asked_for(tmp_path):
    """With a model: 'collapse=True'; already collapsed: only focus. No edge labels: box text only."""
    loss, model, _h0, _h1 = two_neurons()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render(loss, tmp_path / "m.svg", screen=(120, 80), model=model)
    message = illegible(caught)
    assert "edge labels" not in message
    assert message.endswith(
        "Draw less: collapse=True (one box per neuron), or focus=<a Value>, radius=1 or 2 (only its neighbourhood)."
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render(loss, tmp_path / "c.png", screen=(120, 80), model=model, collapse=True)
    assert illegible(caught).endswith("Draw less: focus=<a Value>, radius=1 or 2 (only its neighbourhood).")


@needs_dot
def test_render_is_silent_for_a_readable_picture(tmp_path):
    *_, d = product()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        render(d, tmp_path / "g.pdf", edge_labels=True)


@needs_dot
def test_page_layouts_gives_every_layout_marked_with_its_place():
    """rankdir='auto': five SVGs, each ``<svg data-layout="k" ...``, k the place in
    AUTO_LAYOUTS, the first the one auto picks; any other rankdir: the one picture."""
    *_, d = product()
    svgs = page_layouts(d, rankdir="auto", screen=(1920, 1080))
    chosen = draw_dot(d, rankdir="auto", screen=(1920, 1080))
    marks = [int(re.search(r'<svg data-layout="(\d)" ', svg).group(1)) for svg in svgs]
    assert sorted(marks) == [0, 1, 2, 3, 4]
    rankdir, _compact, _fields = AUTO_LAYOUTS[marks[0]]
    assert chosen.graph_attr["rankdir"] == rankdir
    assert all(svg.count("data-layout") == 1 for svg in svgs)
    [one] = page_layouts(d, rankdir="TB")
    assert "data-layout" not in one and one == to_svg(d, rankdir="TB")


def test_page_dots_gives_each_layouts_dot_text_in_order():
    """rankdir='auto': the DOT text of each of AUTO_LAYOUTS in order (no screen: the page
    measures its own panel); another rankdir: the one asked for."""
    *_, d = product()
    sources = page_dots(d, rankdir="auto", screen=(300, 300), edge_labels=True)
    assert len(sources) == len(AUTO_LAYOUTS) == 5
    for source, (rankdir, compact, fields) in zip(sources, AUTO_LAYOUTS):
        assert source == draw_dot(d, rankdir=rankdir, compact=compact, fields=fields, edge_labels=True).source
    assert page_dots(d, rankdir="BT") == [draw_dot(d, rankdir="BT").source]
    assert page_dots(d) == [draw_dot(d).source]


def chain(boxes: int) -> Value:
    """A chain of sines on x: ``boxes`` values, no constants."""
    y = Value(0.5, label="x")
    for _ in range(boxes - 1):
        y = y.sin()
    return y


def test_beyond_150_boxes_the_page_gets_one_left_to_right_picture():
    """151 boxes: no layout is measured; page_dots gives one DOT text, left to right with ovals."""
    y = chain(151)
    [source] = page_dots(y, rankdir="auto")
    assert source == draw_dot(y, rankdir="LR").source
    assert len(page_dots(chain(150), rankdir="auto")) == 5


@needs_dot
def test_page_layouts_measures_up_to_150_boxes_and_draws_one_picture_beyond():
    y = chain(151)
    assert page_layouts(y, rankdir="auto", edge_labels=True) == [to_svg(y, rankdir="LR", edge_labels=True)]
    assert len(page_layouts(chain(150), rankdir="auto")) == 5


def wide_neuron() -> tuple[Value, Named]:
    """One neuron of 160 weights on the same x: 163 boxes (160 w, x, dot, tanh), collapsed 2."""
    x = Value(0.5, label="x")
    ws = [Value(0.01 * k, label=f"w{k}") for k in range(160)]
    out = autograd.dot(ws, [x] * 160).tanh()
    return out, Named([(f"layers.0.neurons.0.w.{k}", w) for k, w in enumerate(ws)])


def test_the_page_counts_only_the_boxes_it_will_draw():
    """What decides 'more than 150' is the picture asked for: a focus and its radius, a model
    collapsed to one box per neuron (the colours of params= change no count)."""
    y = chain(200)
    assert len(page_dots(y, rankdir="auto", focus=y, radius=2)) == 5  # 3 boxes
    assert len(page_dots(y, rankdir="auto", focus=y, radius=160)) == 1  # 161 boxes
    assert len(page_dots(y, rankdir="auto", params=[y])) == 1
    out, model = wide_neuron()
    assert len(page_dots(out, rankdir="auto", model=model)) == 1
    assert len(page_dots(out, rankdir="auto", model=model, collapse=True)) == 5


@needs_dot
def test_page_layouts_counts_only_the_boxes_it_will_draw():
    y = chain(200)
    assert len(page_layouts(y, rankdir="auto", focus=y, radius=2)) == 5
    assert len(page_layouts(y, rankdir="auto", focus=y, radius=160)) == 1
    out, model = wide_neuron()
    assert len(page_layouts(out, rankdir="auto", model=model, collapse=True)) == 5


def test_page_dots_ignores_the_screen_it_is_given():
    """The page measures its own panel: a screen passed along is dropped, never checked."""
    *_, d = product()
    assert page_dots(d, rankdir="LR", screen=(0, 0)) == [draw_dot(d).source]


# --- Graphviz missing or failing -----------------------------------------------------------------


def test_without_the_graphviz_package_drawing_says_what_to_install(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "graphviz", None)  # import graphviz fails
    with pytest.raises(GraphvizMissing) as err:
        draw_dot(Value(1.0))
    assert str(err.value) == (
        "drawing needs the 'graphviz' Python package: pip install 'chainrule[draw]' (or pip install graphviz), "
        "and the Graphviz program: install Graphviz: 'sudo apt-get install graphviz' (Debian/Ubuntu), "
        "'brew install graphviz' (macOS), or see https://graphviz.org/download/; the DOT text is still "
        "available as .source"
    )
    assert err.value.__cause__ is None and err.value.__suppress_context__


def fake_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    """A 'dot' on PATH that runs ``script`` (a broken install)."""
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\n" + script + "\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))


WAYS_OUT = (
    ": install Graphviz: 'sudo apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS), "
    "or see https://graphviz.org/download/; the DOT text is still available as .source; or, where no program "
    "can run (Python in a browser, Pyodide), take the DOT text, draw_dot(root).source, to Graphviz compiled "
    "for the browser (@viz-js/viz) to lay it out"
)


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for dot")
def test_a_failing_dot_is_quoted_on_one_line_cut_at_300_characters(tmp_path, monkeypatch):
    """What dot wrote to stderr, its whitespace runs made single spaces, at most 300 characters."""
    said = "é " + "word\n\t " * 60  # 2 + 60 * 7 characters; on one line 2 + 60 * 5 - 1
    fake_dot(tmp_path, monkeypatch, f"printf '{said}' >&2\nexit 3")
    graph = draw_dot(Value(1.0))
    with pytest.raises(GraphvizMissing) as err:
        graph.pipe(format="svg")
    one_line = " ".join(said.split())[:300]
    assert len(one_line) == 300
    assert str(err.value) == f"the Graphviz 'dot' program failed (exit status 3: {one_line})" + WAYS_OUT


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for dot")
def test_a_dot_that_fails_silently_gives_its_exit_status_only(tmp_path, monkeypatch):
    fake_dot(tmp_path, monkeypatch, "exit 2")
    with pytest.raises(GraphvizMissing) as err:
        to_svg(Value(1.0))
    assert str(err.value) == "the Graphviz 'dot' program failed (exit status 2)" + WAYS_OUT
    with pytest.raises(GraphvizMissing) as err:
        render(Value(1.0), tmp_path / "g.svg")
    assert str(err.value) == "the Graphviz 'dot' program failed (exit status 2)" + WAYS_OUT


def test_a_missing_dot_is_named_with_both_ways_out(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory
    with pytest.raises(GraphvizMissing) as err:
        to_svg(Value(1.0))
    assert str(err.value) == "the Graphviz 'dot' program was not found" + WAYS_OUT
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_without_dot_auto_falls_back_to_left_to_right_with_ovals(tmp_path, monkeypatch):
    """rankdir='auto' cannot measure without dot: the DOT text is left to right with ovals."""
    *_, d = product()
    monkeypatch.setenv("PATH", str(tmp_path))
    graph = draw_dot(d, rankdir="auto", screen=(300, 900))
    assert graph.source == draw_dot(d, rankdir="LR", screen=(300, 900)).source


def picked(svgs: list[str]) -> tuple[str, bool, str]:
    """The layout of the first SVG page_layouts gives, read from its data-layout mark."""
    return AUTO_LAYOUTS[int(re.search(r'<svg data-layout="(\d)" ', svgs[0]).group(1))]


@needs_dot
@pytest.mark.parametrize("screen", [(1295, 1032), (1920, 1080), (260, 180), (180, 900)])
def test_page_layouts_picks_first_what_auto_picks_for_the_screen(screen):
    """The first picture is the one ``rankdir='auto'`` draws for the same screen: the first
    readable, else the best (the page's nearly square panel, 1295 x 1032, takes the lecture
    neuron top to bottom; on a 260 x 180 or 180 x 900 screen nothing is readable)."""
    from tests.see.test_draw import neuron

    o, _ = neuron()
    o.backward()
    rankdir, compact, fields = picked(page_layouts(o, rankdir="auto", screen=screen, edge_labels=True))
    chosen = draw_dot(o, rankdir="auto", screen=screen, edge_labels=True)
    assert (
        chosen.source == draw_dot(o, rankdir=rankdir, compact=compact, fields=fields, edge_labels=True).source
    )
    if screen == (1295, 1032):
        assert rankdir == "TB"
