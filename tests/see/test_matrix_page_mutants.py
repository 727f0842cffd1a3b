"""The matrix lens page (autograd.see.matrix_page) without a browser and without Graphviz: the
holes that mutation testing found, where the fast tests never gave the page a picture to mark.

Graphviz is replaced by ``FakeGraphviz``, which writes an SVG the way Graphviz does (an XML
prolog, ``<g id="node3" class="node"><title>v1</title>``, ``<g id="edge2" class="edge"><title>
v1&#45;&gt;v0_op</title>``, text with ``font-size``), with the names draw.py documents: value k
of the topological order is ``v<k>``, the oval of the op that made it ``v<k>_op`` (``compact``:
no ovals, edges go straight into the box). What the page must mark is derived by hand from the
graph: the edges out of W[i][j] are one per term of dW[i][j]'s sum."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

import autograd
import autograd.see.matrix_page as matrix_page
from autograd import Value, as_matrix, matmul, matrix_view
from autograd.matrix_lens import MatrixView
from autograd.see.matrix_page import _grid, _ids, _legible, matrix_view_html, render_matrix_view
from tests.engine.test_matrix_lens_mutants import product_loss

PROLOG = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
)


class FakeGraphviz:
    """``to_svg`` as Graphviz would answer it, for the graph of ``root``; records each call.

    ``focus=v``: only v, the nodes it feeds (with their ovals) and the edges between."""

    def __init__(self, compact: bool = False) -> None:
        self.compact = compact
        self.calls: list[dict[str, Any]] = []

    def __call__(self, root: Value, **options: Any) -> str:
        self.calls.append(options)
        order = autograd.topological_order(root)
        name = {id(n): f"v{k}" for k, n in enumerate(order)}
        focus = options.get("focus")
        shown = order if focus is None else [focus] + [n for n in order if any(c is focus for c in n.inputs)]
        groups: list[str] = []

        def node(title: str) -> None:
            k = len([g for g in groups if 'class="node"' in g]) + 1
            groups.append(
                f'<g id="node{k}" class="node">\n<title>{title}</title>\n'
                f'<g id="a_node{k}"><a xlink:title="x"><text font-size="11.00">{title}</text></a>\n</g>\n</g>'
            )

        def edge(tail: str, head: str) -> None:
            k = len([g for g in groups if 'class="edge"' in g]) + 1
            groups.append(
                f'<g id="edge{k}" class="edge">\n<title>{tail}&#45;&gt;{head}</title>\n'
                f'<text font-size="9.50">1.0000 × 1.0000 = 1.0000</text>\n</g>'
            )

        for n in shown:
            node(name[id(n)])
            if n.inputs and not self.compact:
                node(name[id(n)] + "_op")
                edge(name[id(n)] + "_op", name[id(n)])
            for child in n.inputs:
                if focus is None or child is focus:
                    edge(name[id(child)], name[id(n)] if self.compact else name[id(n)] + "_op")
        body = "\n".join(groups)
        return f'{PROLOG}<svg width="300pt" height="100pt"\n viewBox="0.00 0.00 300.00 100.00">\n{body}\n</svg>\n'


def small_product():  # type: ignore[no-untyped-def]
    """Z = X·W, X 2×2, W 2×1, loss = 2·Z[0][0] + 3·Z[1][0]: 13 values, drawn whole."""
    return product_loss()


def cell_attrs(page: str, cell: str) -> dict[str, str]:
    """The data attributes of one gradient cell of the page, unescaped."""
    tag = re.search(f'<td id="{cell}"([^>]*)>', page)
    assert tag is not None, cell
    return {k: html.unescape(v) for k, v in re.findall(r'data-(\w+)="([^"]*)"', tag.group(1))}


def test_an_entry_marks_its_edges_its_factors_and_the_nodes_it_feeds(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeGraphviz()
    monkeypatch.setattr(matrix_page, "to_svg", fake)
    loss, X, W, Z = small_product()
    v = {id(n): f"v{k}" for k, n in enumerate(autograd.topological_order(loss))}
    page = matrix_view_html(matrix_view(loss, {"X": X, "W": W}))
    assert len(fake.calls) == 1 and fake.calls[0] == {"rankdir": "auto", "edge_labels": True}
    # dW[1][0] = X[0][1]·dZ[0][0] + X[1][1]·dZ[1][0]: the edges W[1][0] -> Z[0][0]'s oval, -> Z[1][0]'s
    a = cell_attrs(page, "m1g-1-0")
    w, z0, z1 = v[id(W[1][0])], v[id(Z[0][0])], v[id(Z[1][0])]
    assert json.loads(a["edges"]) == [f"edge-{w}-{z0}_op", f"edge-{w}-{z1}_op"]
    # its own box first, then each term's other factor and the node it leads to
    assert json.loads(a["nodes"]) == [
        f"node-{w}",
        f"node-{v[id(X[0][1])]}",
        f"node-{z0}",
        f"node-{v[id(X[1][1])]}",
        f"node-{z1}",
    ]
    assert a["focus"] == "" and a["pre"] == "m1p"
    assert a["sum"].startswith("dW[1][0] = X[0][1]·d(X·W)[0][0] + X[1][1]·d(X·W)[1][0]\n")
    # dX[0][1] = W[1][0]·dZ[0][0]: one edge, X[0][1] -> Z[0][0]'s oval
    b = cell_attrs(page, "m0g-0-1")
    assert json.loads(b["edges"]) == [f"edge-{v[id(X[0][1])]}-{z0}_op"]
    assert json.loads(b["nodes"]) == [f"node-{v[id(X[0][1])]}", f"node-{w}", f"node-{z0}"]
    # the ids named are the SVG's own: each edge and box id is in the page once
    for ident in json.loads(a["edges"]) + json.loads(a["nodes"]):
        assert page.count(f'<g id="{ident}" class=') == 1, ident


def test_a_compact_drawing_marks_the_edges_into_the_box(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matrix_page, "to_svg", FakeGraphviz(compact=True))
    loss, X, W, Z = small_product()
    v = {id(n): f"v{k}" for k, n in enumerate(autograd.topological_order(loss))}
    page = matrix_view_html(matrix_view(loss, {"X": X, "W": W}))
    w = v[id(W[1][0])]
    assert json.loads(cell_attrs(page, "m1g-1-0")["edges"]) == [
        f"edge-{w}-{v[id(Z[0][0])]}",
        f"edge-{w}-{v[id(Z[1][0])]}",
    ]


def test_a_value_used_twice_by_one_op_marks_both_edges(monkeypatch: pytest.MonkeyPatch) -> None:
    """loss = W[0][0]·W[0][0]: dW[0][0] = W[0][0]·dloss + W[0][0]·dloss, two edges with one title."""
    monkeypatch.setattr(matrix_page, "to_svg", FakeGraphviz())
    W = as_matrix([[3.0]], "W")
    loss = W[0][0] * W[0][0]
    loss.backward()
    page = matrix_view_html(matrix_view(loss, {"W": W}))
    # order: loss (v0), W[0][0] (v1)
    assert json.loads(cell_attrs(page, "m0g-0-0")["edges"]) == ["edge-v1-v0_op", "edge-v1-v0_op-2"]
    assert json.loads(cell_attrs(page, "m0g-0-0")["nodes"]) == ["node-v1", "node-v0"]
    assert page.count('<g id="edge-v1-v0_op" class="edge">') == 1
    assert page.count('<g id="edge-v1-v0_op-2" class="edge">') == 1
    assert "edge-v1-v0_op-3" not in page


def test_a_dots_bias_has_no_other_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """z = dot([w0, w1], [x0, x1], bias=c): dc = 1·dz, the edge c -> z, no factor box."""
    monkeypatch.setattr(matrix_page, "to_svg", FakeGraphviz())
    w = as_matrix([[0.5, -1.0]], "w")
    c = as_matrix([[2.0]], "c")
    z = autograd.dot(w[0], [Value(3.0, label="x0"), Value(4.0, label="x1")], c[0][0])
    loss = z * 5.0
    loss.backward()
    v = {id(n): f"v{k}" for k, n in enumerate(autograd.topological_order(loss))}
    page = matrix_view_html(matrix_view(loss, {"w": w, "c": c}))
    a = cell_attrs(page, "m1g-0-0")
    assert json.loads(a["edges"]) == [f"edge-{v[id(c[0][0])]}-{v[id(z)]}_op"]
    assert json.loads(a["nodes"]) == [f"node-{v[id(c[0][0])]}", f"node-{v[id(z)]}"]
    # a bias's local derivative is 1; the dot node has no label and is no named product: its op
    assert a["sum"] == "dc[0][0] = 1·d[dot node]\n         = 1.0·5.0 = 5.0"
    # w[0][1]'s other factor is x1, drawn by its own name
    b = cell_attrs(page, "m0g-0-1")
    assert json.loads(b["nodes"]) == [
        f"node-{v[id(w[0][1])]}",
        f"node-{v[id(z.inputs[3])]}",
        f"node-{v[id(z)]}",
    ]


def big_product():  # type: ignore[no-untyped-def]
    """X 4×3 · W 3×3, loss = Σ Z²: 12 + 9 leaves, 12 dots, 12 squares and a sum: 46 values (more
    than 40, drawn one entry at a time), 21 entries (at most 60, so each is drawn)."""
    X = as_matrix([[float(i + j) / 4 for j in range(3)] for i in range(4)], "X")
    W = as_matrix([[float(i - j) / 2 for j in range(3)] for i in range(3)], "W")
    Z = matmul(X, W)
    loss = autograd.sum([z * z for row in Z for z in row])
    loss.backward()
    return loss, X, W, Z


def test_a_big_graph_draws_each_entrys_neighbourhood(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeGraphviz()
    monkeypatch.setattr(matrix_page, "to_svg", fake)
    loss, X, W, Z = big_product()
    order = autograd.topological_order(loss)
    assert len(order) > matrix_page.WHOLE_GRAPH_VALUES
    v = {id(n): f"v{k}" for k, n in enumerate(order)}
    page = matrix_view_html(matrix_view(loss, {"X": X, "W": W}))
    entries = [X[i][j] for i in range(4) for j in range(3)] + [W[i][j] for i in range(3) for j in range(3)]
    assert [c["focus"] for c in fake.calls] == entries and all(
        c == {"focus": c["focus"], "radius": 1, "edge_labels": True} for c in fake.calls
    )
    # W[1][0] is entry 12 + 3 = 15: its picture, hidden until pointed at, with ids of its own
    a = cell_attrs(page, "m1g-1-0")
    assert a["focus"] == "focus15"
    assert (
        '<div class="focus" id="focus15" hidden><p class="note">W[1][0] and the nodes it feeds</p><svg'
        in page
    )
    w = v[id(W[1][0])]
    heads = [v[id(Z[k][0])] for k in range(4)]
    assert json.loads(a["edges"]) == [f"f15-edge-{w}-{h}_op" for h in heads]
    # X[k][1] is not in W[1][0]'s neighbourhood (radius 1): only the boxes drawn are marked
    assert json.loads(a["nodes"]) == [f"f15-node-{w}"] + [f"f15-node-{h}" for h in heads]
    assert page.count(f'<g id="f15-node-{w}" class="node">') == 1
    assert f'<g id="f13-node-{v[id(W[0][1])]}" class="node">' in page
    assert len(order) == 46
    # the pictures one after another, each in its own hidden block
    assert (
        '</svg>\n</div><div class="focus" id="focus1" hidden><p class="note">X[0][1] and the nodes it feeds'
        in page
    )
    assert "The graph has 46 values, too many to read in one picture" in page


def test_ids_are_the_svgs_own_names_and_nothing_else_changes() -> None:
    svg = FakeGraphviz()(small_product()[0])
    out, seen, boxes = _ids(svg, "f2-")
    # by hand: Graphviz's numbered ids become ours, titles unescaped into them; the prolog is cut
    expected = svg[len(PROLOG) :]
    expected = re.sub(
        r'<g id="edge\d+" class="edge">\n<title>(v\d+(?:_op)?)&#45;&gt;(v\d+(?:_op)?)</title>',
        r'<g id="f2-edge-\1-\2" class="edge">\n<title>\1&#45;&gt;\2</title>',
        expected,
    )
    expected = re.sub(
        r'<g id="node\d+" class="node">\n<title>(v\d+(?:_op)?)</title>',
        r'<g id="f2-node-\1" class="node">\n<title>\1</title>',
        expected,
    )
    # and enlarged: the edge labels' 9.5 pt text at 14.5 px needs 14.5 / (9.5·4/3) = 1.1447×
    expected = expected.replace('<svg width="300pt" height="100pt"', '<svg width="343.4pt" height="114.5pt"')
    assert out == expected
    assert out.startswith('<svg width="343.4pt" height="114.5pt"\n viewBox=')
    assert 'id="a_node1"' in out  # the link groups inside a box keep Graphviz's ids
    assert seen["f2-edge-v1_op-v1"] == 1 and set(seen.values()) == {1}  # no edge drawn twice here
    assert sorted(seen) == sorted(re.findall(r'<g id="(f2-edge-[^"]+)" class="edge">', out))
    assert boxes == {m for m in re.findall(r'id="(f2-node-[^"]+)"', out)} and "f2-node-v0_op" in boxes
    # 13 values (4 of X, 2 of W, 2 dots, the constants 2 and 3, 2 products, the sum), 5 computed: 5 ovals
    assert len(boxes) == out.count('class="node"') == 13 + 5


def test_legible_enlarges_only_what_is_too_small() -> None:
    head = '<svg width="300pt" height="100pt" viewBox="0 0 300 100">'
    # smallest text 12 pt = 16 px on screen, already over 14.5 px: unchanged size
    big = head + '<text font-size="12.00">a</text><text font-size="14.00">b</text></svg>'
    assert _legible(big) == big.replace('width="300pt" height="100pt"', 'width="300.0pt" height="100.0pt"')
    # smallest 7.25 pt = 9.667 px: 14.5 / 9.667 = 1.5×, width and height both
    small = head + '<text font-size="14.00">a</text><text font-size="7.25">b</text></svg>'
    assert _legible(small) == small.replace(
        'width="300pt" height="100pt"', 'width="450.0pt" height="150.0pt"'
    )
    # no text, or no size in pt: left as it is
    assert _legible(head + "</svg>") == head + "</svg>"
    odd = '<svg width="300px" height="100px"><text font-size="7.25">b</text></svg>'
    assert _legible(odd) == odd


def test_the_grids_cells() -> None:
    grads = _grid("dW  (2×1)", [[11.0], [-16.0]], "m1g", grads=True)
    assert grads == (
        '<table class="m" id="m1g"><caption>dW  (2×1)</caption>'
        '<tr><td id="m1g-0-0" class=g tabindex=0>+11.0000</td></tr>'
        '<tr><td id="m1g-1-0" class=g tabindex=0>-16.0000</td></tr></table>'
    )
    # a factor's cells are only lit, never pointed at (no class g, no tab stop); a caption is escaped
    assert _grid("X<ᵀ>", [[1.0, 0.5]], "m1a") == (
        '<table class="m" id="m1a"><caption>X&lt;ᵀ&gt;</caption>'
        '<tr><td id="m1a-0-0">+1.0000</td><td id="m1a-0-1">+0.5000</td></tr></table>'
    )


def test_a_view_without_its_graph_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matrix_page, "to_svg", FakeGraphviz())
    loss, X, W, _ = small_product()
    view = matrix_view(loss, {"X": X, "W": W})
    note = '<p class="note">No graph: this view does not hold the graph it was read from.</p>'
    for bare in (MatrixView(view.matrices), MatrixView(view.matrices, None, view.values),
                 MatrixView(view.matrices, loss, {})):  # fmt: skip
        page = matrix_view_html(bare)
        assert f'<div class="graph" id="graph">{note}</div>' in page and "<svg" not in page
        assert json.loads(cell_attrs(page, "m1g-1-0")["edges"]) == []
        assert cell_attrs(page, "m1g-1-0")["focus"] == ""
    assert note not in matrix_view_html(view)


def test_render_writes_the_page_in_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matrix_page, "to_svg", FakeGraphviz())
    monkeypatch.chdir(tmp_path)
    loss, X, W, _ = small_product()
    view = matrix_view(loss, {"X": X, "W": W})
    out = render_matrix_view(view)
    assert out == Path("matrix_lens.html") and sorted(p.name for p in tmp_path.iterdir()) == [
        "matrix_lens.html"
    ]
    text = (tmp_path / "matrix_lens.html").read_bytes().decode("utf-8")
    assert text == matrix_view_html(view) and "dW = Xᵀ · d(X·W)" in text
    assert render_matrix_view(view, tmp_path / "b.html") == tmp_path / "b.html"


def bias_layer():  # type: ignore[no-untyped-def]
    """Z = X·W + b (X 2×1, W 1×2, b 1×2), loss = Σ c[i][j]·Z[i][j], c = [[1, 2], [3, 4]]: dZ = c."""
    X = as_matrix([[1.0], [2.0]], "X")
    W = as_matrix([[3.0, -1.0]], "W")
    b = as_matrix([[0.5, 0.25]], "b")
    Z = autograd.matrix_add(matmul(X, W), b[0])
    c = [[1.0, 2.0], [3.0, 4.0]]
    loss = autograd.sum([Z[i][j] * c[i][j] for i in range(2) for j in range(2)])
    loss.backward()
    return matrix_view(loss, {"X": X, "W": W, "b": b})


def test_each_section_shows_the_grads_beside_their_factors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matrix_page, "to_svg", FakeGraphviz())
    page = matrix_view_html(bias_layer())
    # by hand: dW = Xᵀ·dZ = [[7, 10]], Xᵀ = [[1, 2]], dZ = c; db = column sums of dZ = [[4, 6]]
    w_row = (
        '<h2>W</h2><div class=row><table class="m" id="m1g"><caption>dW  (1×2)</caption><tr>'
        '<td id="m1g-0-0" data-cells="'
    )
    assert w_row in page
    assert (
        '<span class="op">=</span><table class="m" id="m1a"><caption>Xᵀ</caption>'
        '<tr><td id="m1a-0-0">+1.0000</td><td id="m1a-0-1">+2.0000</td></tr></table>'
        '<span class="op">·</span><table class="m" id="m1b"><caption>d(X·W)</caption>'
        '<tr><td id="m1b-0-0">+1.0000</td><td id="m1b-0-1">+2.0000</td></tr>'
        '<tr><td id="m1b-1-0">+3.0000</td><td id="m1b-1-1">+4.0000</td></tr></table></div>'
        '<p class="verdict">dW = Xᵀ · d(X·W) · shapes (1×2)·(2×2) = (1×2): equal to the grads, entry by entry</p>'
        '<pre class="sum" id="m1p">point at an entry of dW</pre>'
    ) in page
    assert ">+7.0000</td>" in page and ">+10.0000</td>" in page
    # dW[0][1] = row 0 of Xᵀ · column 1 of dZ
    assert json.loads(cell_attrs(page, "m1g-0-1")["cells"]) == ["m1a-0-0", "m1a-0-1", "m1b-0-1", "m1b-1-1"]
    # the bias: one factor, whose column c is what db[0][c] sums
    assert ('<h2>b</h2><div class=row><table class="m" id="m2g"><caption>db  (1×2)</caption>') in page
    assert (
        '<span class="op">= Σ rows of</span><table class="m" id="m2a"><caption>d(X·W + b)</caption>'
        '<tr><td id="m2a-0-0">+1.0000</td><td id="m2a-0-1">+2.0000</td></tr>'
        '<tr><td id="m2a-1-0">+3.0000</td><td id="m2a-1-1">+4.0000</td></tr></table></div>'
        '<p class="verdict">db = Σ over the 2 rows it is added to of their grads · shapes 2 rows of (1×2) '
        'summed: equal to the grads, entry by entry</p><pre class="sum" id="m2p">point at an entry of db</pre>'
    ) in page
    assert json.loads(cell_attrs(page, "m2g-0-1")["cells"]) == ["m2a-0-1", "m2a-1-1"]
    assert cell_attrs(page, "m2g-0-1")["sum"] == (
        "db[0][1] = 1·d(X·W + b)[0][1] + 1·d(X·W + b)[1][1]\n         = 1.0·2.0 + 1.0·4.0 = 6.0"
    )
    # each gradient cell can be pointed at and tabbed to; a factor's cannot
    assert page.count("class=g tabindex=0") == 2 + 2 + 2
    # the graph's panel: its heading and how to read it, drawn whole (13 + ... values, at most 40)
    assert (
        '<div class="graph" id="graph"><h2>the graph</h2><p class="note">Each edge reads <i>local derivative '
        "× upstream grad = what it adds</i>. Point at an entry of a gradient: its edges light up, one per "
        "term of its sum.</p><svg"
    ) in page
    assert 'id="focus-note"' not in page


def test_a_section_with_no_product_has_no_factors_and_no_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matrix_page, "to_svg", FakeGraphviz())
    W = as_matrix([[3.0, -1.0]], "W")
    loss = W[0][0] * 2.0 + W[0][1] * 5.0
    loss.backward()
    page = matrix_view_html(matrix_view(loss, {"W": W}))
    assert (
        '<h2>W</h2><div class=row><table class="m" id="m0g"><caption>dW  (1×2)</caption><tr>'
        '<td id="m0g-0-0" data-cells="[]" data-pre="m0p"'
    ) in page
    assert '</table></div><pre class="sum" id="m0p">point at an entry of dW</pre>' in page
    assert 'class="verdict"' not in page and 'class="op"' not in page


def whole_or_not(n: int) -> tuple[Value, list[list[Value]], list[list[Value]]]:
    """z = tanh(X·W) for X 1×n, W n×1: 2n leaves, a dot and a tanh, 2n + 2 values."""
    X = as_matrix([[0.1 * (t + 1) for t in range(n)]], "X")
    W = as_matrix([[0.05] for _ in range(n)], "W")
    z = autograd.tanh(matmul(X, W)[0][0])
    z.backward()
    return z, X, W


def test_the_whole_graph_is_drawn_up_to_40_values(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeGraphviz()
    monkeypatch.setattr(matrix_page, "to_svg", fake)
    z, X, W = whole_or_not(19)
    assert len(autograd.topological_order(z)) == 40 == matrix_page.WHOLE_GRAPH_VALUES
    page = matrix_view_html(matrix_view(z, {"X": X, "W": W}))
    assert len(fake.calls) == 1 and "focus" not in fake.calls[0] and 'id="focus-note"' not in page
    z, X, W = whole_or_not(20)  # 42 values: one picture per entry, 40 of them
    fake.calls.clear()
    page = matrix_view_html(matrix_view(z, {"X": X, "W": W}))
    assert len(fake.calls) == 40 and all(c["radius"] == 1 for c in fake.calls)
    assert (
        '<p class="note" id="focus-note">The graph has 42 values, too many to read in one picture: '
        "pointing at an entry draws its own edges.</p>"
    ) in page


def test_up_to_60_entries_get_pictures(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeGraphviz()
    monkeypatch.setattr(matrix_page, "to_svg", fake)
    z, X, W = whole_or_not(30)  # 60 entries
    page = matrix_view_html(matrix_view(z, {"X": X, "W": W}))
    assert len(fake.calls) == 60 and 'id="focus59"' in page
    z, X, W = whole_or_not(31)  # 62 entries, 64 values
    fake.calls.clear()
    page = matrix_view_html(matrix_view(z, {"X": X, "W": W}))
    assert fake.calls == []
    assert (
        '<div class="graph" id="graph"><p class="note">The graph has 64 values and the named matrices 62 '
        "entries: too many to draw here. Draw one entry's neighbourhood with <code>autograd.draw_dot(loss, "
        "focus=W[i][j], radius=1, edge_labels=True)</code>.</p></div>"
    ) in page


def test_without_graphviz_the_page_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd.see.draw import GraphvizMissing

    def missing(*args: object, **kwargs: object) -> str:
        raise GraphvizMissing("no dot program on the PATH <here>")

    monkeypatch.setattr(matrix_page, "to_svg", missing)
    for n in (2, 20):  # drawn whole, and one entry at a time
        z, X, W = whole_or_not(n)
        page = matrix_view_html(matrix_view(z, {"X": X, "W": W}))
        assert (
            '<div class="graph" id="graph"><p class="note">No graph drawing: Graphviz is not available here '
            "(no dot program on the PATH &lt;here&gt;). The matrices are complete without it.</p></div>"
        ) in page


def test_the_page_is_utf8_whatever_the_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a machine whose locale is not UTF-8 (Windows' cp1252, a C locale) the page's ᵀ and ·
    must still be written: the file is UTF-8, as its <meta charset=utf-8> says."""
    import locale

    monkeypatch.setattr(matrix_page, "to_svg", FakeGraphviz())
    loss, X, W, _ = small_product()
    view = matrix_view(loss, {"X": X, "W": W})
    saved = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, "C")  # ASCII
        out = render_matrix_view(view, tmp_path / "lens.html")
    finally:
        locale.setlocale(locale.LC_CTYPE, saved)
    assert out.read_bytes().decode("utf-8") == matrix_view_html(view)


def test_the_result_itself_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """Z = X·W named, loss = Z[0][0]: the root feeds nothing, so it has no edges to mark, only its box."""
    monkeypatch.setattr(matrix_page, "to_svg", FakeGraphviz())
    X = as_matrix([[1.0, 2.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    Z = matmul(X, W)
    Z[0][0].backward()
    page = matrix_view_html(matrix_view(Z[0][0], {"Z": Z, "W": W}))
    a = cell_attrs(page, "m0g-0-0")
    assert json.loads(a["edges"]) == [] and json.loads(a["nodes"]) == ["node-v0"]
    assert a["sum"] == "dZ[0][0] = 1.0 (Z[0][0] is the result: backward() starts here with this grad)"


def test_a_page_says_when_the_product_is_not_the_grads(monkeypatch: pytest.MonkeyPatch) -> None:
    """backward() twice: the leaves' grads are twice the edge sums, so dW = Xᵀ·dZ is not them."""
    monkeypatch.setattr(matrix_page, "to_svg", FakeGraphviz())
    X = as_matrix([[1.0, 2.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    loss = matmul(X, W)[0][0]
    loss.backward()
    loss.backward()
    page = matrix_view_html(matrix_view(loss, {"X": X, "W": W}))
    assert (
        '<p class="verdict">dW = Xᵀ · d(X·W) · shapes (2×1)·(1×1) = (2×1): NOT equal to the grads: W[0][0].grad '
        "is not the sum of its own edges: backward() ran more than once, or the grads were not reset</p>"
        '<pre class="sum" id="m1p">point at an entry of dW</pre>'
    ) in page
    assert "entry by entry" not in page


def test_the_pages_title_its_sections_and_what_it_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matrix_page, "to_svg", FakeGraphviz())
    loss, X, W, _ = small_product()
    view = matrix_view(loss, {"X": X, "W": W})
    page = matrix_view_html(view)
    assert page.startswith("<!doctype html><html><head><meta charset=utf-8><title>matrix lens</title><style>")
    assert "<title>W &amp; X</title>" in matrix_view_html(view, title="W & X")
    # the sections one after another in the matrices' panel
    assert "<div class=page><div class=mats><h2>X</h2>" in page
    assert "point at an entry of dX</pre><h2>W</h2><div class=row>" in page
    assert 'point at an entry of dW</pre></div><div class="graph" id="graph">' in page
    with pytest.raises(TypeError) as info:
        matrix_view_html("not a view")  # type: ignore[arg-type]
    assert str(info.value) == "matrix_view_html: expected what autograd.matrix_view returns, got str"


def test_the_page_says_why_the_product_is_not_the_grads() -> None:
    """W used in X·W and in W[0][0]²: the page's verdict gives the lens's reason, escaped."""
    X = as_matrix([[1.0, 2.0], [3.0, 4.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    Z = matmul(X, W)
    loss = Z[0][0] * 2.0 + Z[1][0] * 3.0 + W[0][0] * W[0][0]
    loss.backward()
    page = matrix_view_html(matrix_view(loss, {"X": X, "W": W}))
    said = "NOT equal to the grads: W is also used outside X·W (by [mul node]), and its grads add those terms"
    assert f'<p class="verdict">dW = Xᵀ · d(X·W) · shapes (2×2)·(2×1) = (2×1): {html.escape(said)}</p>' in page
    assert '<p class="verdict">dX = d(X·W) · Wᵀ · shapes (2×1)·(1×2) = (2×2): equal to the grads, entry by entry</p>' in page
