"""Pictures drawn by the real ``dot``: SVG parsed, labels, numbers, escaping, clusters, guards."""

from __future__ import annotations

import itertools
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograd import GraphvizMissing, Value, draw_dot, render
from autograd.see.draw import to_svg

pytestmark = pytest.mark.skipif(
    not any(Path(d, "dot").exists() for d in os.environ.get("PATH", "").split(os.pathsep)),
    reason="needs Graphviz's dot program",
)
SVG = "{http://www.w3.org/2000/svg}"


def svg_tree(root: Value, **options: object) -> ET.Element:
    return ET.fromstring(to_svg(root, **options).encode())


def texts(tree: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in tree.iter(f"{SVG}text")]


def groups(tree: ET.Element, kind: str) -> dict[str, ET.Element]:
    """Graphviz's <g class="node|cluster|edge"> elements by their <title>."""
    return {g.find(f"{SVG}title").text: g for g in tree.iter(f"{SVG}g") if g.get("class") == kind}


def neuron() -> tuple[Value, dict[str, Value]]:
    """micrograd's lecture neuron: o = tanh(x1 w1 + x2 w2 + b)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "n": n}


def test_records_show_label_data_and_grad_from_hand_formulas():
    o, _v = neuron()
    o.backward()
    tree = svg_tree(o)
    words = texts(tree)
    # o = tanh(0.8814) = 0.7071; do/dn = 1 - o^2 = 0.5; dn/dw1 = x1 = 2 -> w1.grad = 1.0; x1.grad = w1 * 0.5
    t = math.tanh(0.8813735870195432)
    assert f"data {t:.4f}" in words and "grad 1.0000" in words
    assert f"grad {1 - t**2:.4f}" in words
    nodes = groups(tree, "node")
    record_titles = [k for k in nodes if re.fullmatch(r"v\d+", k)]
    op_titles = [k for k in nodes if k.endswith("_op")]
    assert len(record_titles) == 10 and len(op_titles) == 5  # 5 leaves, 5 ops: mul mul add add tanh
    assert sorted(texts(nodes[k])[0] for k in op_titles) == ["add", "add", "mul", "mul", "tanh"]
    w1_box = next(nodes[k] for k in record_titles if texts(nodes[k])[0] == "w1")
    assert texts(w1_box) == ["w1", "data -3.0000", "grad 1.0000"]
    x1_box = next(nodes[k] for k in record_titles if texts(nodes[k])[0] == "x1")
    assert texts(x1_box) == ["x1", "data 2.0000", "grad -1.5000"]
    # edges: every input -> its op, every op -> its output
    assert len(groups(tree, "edge")) == 2 + 2 + 2 + 2 + 1 + 5


def test_left_to_right_by_default_and_grads_can_be_hidden():
    o, _ = neuron()
    assert "rankdir=LR" in draw_dot(o).source
    assert "rankdir=TB" in draw_dot(o, rankdir="TB").source
    assert not any(w.startswith("grad ") for w in texts(svg_tree(o, show_grad=False)))


HOSTILE = ['x<b>"q"{d}|e', "<script>alert(1)</script>", "back\\slash \\N \\l", "&amp; &lt;", "a|b{c}"]


@pytest.mark.parametrize("label", HOSTILE)
def test_labels_render_verbatim(label):
    x = Value(1.0, label=label)
    y = x * 2.0
    y.label = label
    words = texts(svg_tree(y))
    assert words.count(label) == 2
    assert not any(re.fullmatch(r"<script>.*", w) and w != label for w in words)


def test_script_label_is_text_in_the_svg_markup():
    x = Value(1.0, label="<script>alert(1)</script>")
    raw = to_svg(x * 1.0)
    assert "<script" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt;" in raw


def test_edge_labels_local_derivative_then_contribution():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    before = texts(svg_tree(c, edge_labels=True))
    assert "-3.0000" in before and "2.0000" in before  # dc/da = b, dc/db = a
    (c * 4.0).backward()  # upstream dL/dc = 4
    after = texts(svg_tree(c, edge_labels=True))  # c drawn as root; its grad is 4 now
    assert "-3.0000 × 4.0000 = -12.0000" in after and "2.0000 × 4.0000 = 8.0000" in after


def test_a_zero_is_drawn_without_a_sign():
    """x2 = 0 times w2 = -3 is IEEE's -0.0, and so is w2's contribution 0 * -2; both read 0.0000."""
    x2, w2 = Value(0.0, label="x2"), Value(-3.0, label="w2")
    p = x2 * w2
    p.label = "p"
    (p * -2.0).backward()
    assert math.copysign(1.0, p.data) == -1.0 and math.copysign(1.0, x2.data * p.grad) == -1.0
    shown = texts(svg_tree(p, edge_labels=True))
    assert "data 0.0000" in shown  # p's data
    assert "-3.0000 × -2.0000 = 6.0000" in shown and "0.0000 × -2.0000 = 0.0000" in shown
    assert not any("-0.0000" in text for text in shown)


def test_kinds_are_coloured():
    w, x = Value(0.5, label="w"), Value(2.0, label="x")
    y = w * x + 1.0
    source = draw_dot(y, params=[w]).source
    colour = {m.group(1): m.group(2) for m in re.finditer(r'(v\d+) \[label=.*?fillcolor="(#\w+)"', source)}
    from autograd.see.draw import COLOURS

    kinds = sorted(colour.values())
    assert kinds.count(COLOURS["parameter"]) == 1 and kinds.count(COLOURS["input"]) == 1
    assert kinds.count(COLOURS["constant"]) == 1 and kinds.count(COLOURS["output"]) == 1


class StandInModel:
    """Two layers of tanh neurons named as nn.Module names them (layers.L.neurons.N.w.I / .b)."""

    def __init__(self, sizes: list[int]) -> None:
        self.params: list[tuple[str, Value]] = []
        self.layers = []
        for layer, (nin, nout) in enumerate(itertools.pairwise(sizes)):
            neurons = []
            for n in range(nout):
                ws = [Value(0.1 * (i + 1) - 0.05 * n, label=f"w{i}") for i in range(nin)]
                b = Value(0.01 * n, label="b")
                self.params += [(f"layers.{layer}.neurons.{n}.w.{i}", w) for i, w in enumerate(ws)]
                self.params.append((f"layers.{layer}.neurons.{n}.b", b))
                neurons.append((ws, b))
            self.layers.append(neurons)

    def named_parameters(self) -> list[tuple[str, Value]]:
        return list(self.params)

    def __call__(self, xs: list[Value]) -> list[Value]:
        import autograd

        for neurons in self.layers:
            xs = [autograd.dot([*ws, b], [*xs, 1.0]).tanh() for ws, b in neurons]
        return xs


def mlp_loss() -> tuple[Value, StandInModel]:
    model = StandInModel([2, 3, 1])
    (out,) = model([Value(1.0, label="x0"), Value(-2.0, label="x1")])
    loss = (out - 1.0) ** 2
    loss.label = "loss"
    loss.backward()
    return loss, model


def test_clusters_per_layer_and_neuron():
    loss, model = mlp_loss()
    tree = svg_tree(loss, model=model)
    clusters = groups(tree, "cluster")
    titles = {"".join(texts(g)[:1]) for g in clusters.values()}
    assert {
        "layers.0",
        "layers.1",
        "layers.0.neurons.0",
        "layers.0.neurons.2",
        "layers.1.neurons.0",
    } <= titles
    assert len(clusters) == 2 + 4
    # Each neuron cluster holds its weights, bias, the constant 1.0, dot and tanh: (nin + 1 + 1) + 2 records.
    source = draw_dot(loss, model=model).source
    first = source[source.index("cluster_layer_0_neuron_0") :]
    first = first[: first.index("\n\t\t}")]  # the cluster block ends at its closing brace line
    assert len(re.findall(r"\bv\d+ \[", first)) == 2 + 1 + 1 + 2
    assert len(re.findall(r"\bv\d+_op \[", first)) == 2


def test_collapsed_view_has_one_box_per_neuron():
    loss, model = mlp_loss()
    tree = svg_tree(loss, model=model, collapse=True)
    nodes = groups(tree, "node")
    boxes = [k for k in nodes if k.startswith("neuron")]
    assert len(boxes) == 4
    box_texts = {texts(nodes[k])[0]: texts(nodes[k]) for k in boxes}
    out = box_texts["layers.1.neurons.0"]
    assert out[1] == "tanh"
    # inputs feed the three first-layer boxes, which feed the last: 2*3 + 3 edges, then sub, pow
    assert not any(t in ("w0", "w1", "b") for k in nodes for t in texts(nodes[k])[:1])
    assert len(groups(tree, "edge")) == 6 + 3 + 1 + 1 + 2 + 1 + 1


def test_focus_draws_the_neighbourhood_only():
    o, v = neuron()
    nodes = groups(svg_tree(o, focus=v["w1"], radius=2), "node")
    labels = {texts(g)[0] for k, g in nodes.items() if not k.endswith("_op") and texts(g)}
    # w1 -> mul op is 1 edge; x1 and the product are 2 edges away
    assert "w1" in labels and "x1" in labels and "o" not in labels and "b" not in labels


def test_size_guard_says_how_to_shrink():
    x = Value(1.0, label="x")
    y = x
    for _ in range(100):
        y = y * 1.01
    with pytest.raises(
        ValueError, match=r"201 values to draw, more than max_nodes=50.*collapse=True.*focus="
    ):
        draw_dot(y, max_nodes=50)
    assert draw_dot(y, focus=y, radius=3, max_nodes=50) is not None


def test_bad_arguments():
    x = Value(1.0)
    with pytest.raises(TypeError, match="draw_dot: root must be a Value, got int"):
        draw_dot(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="draw_dot: rankdir"):
        draw_dot(x, rankdir="XY")
    with pytest.raises(ValueError, match="collapse=True needs model="):
        draw_dot(x, collapse=True)
    with pytest.raises(ValueError, match="focus .* is not in the graph"):
        draw_dot(x, focus=Value(2.0))
    with pytest.raises(ValueError, match=r"render: the file name must end in \.svg, \.png or \.pdf"):
        render(x, "graph.gif")
    for screen in [(1920,), (1920.0, 1080), (0, 1080), "1920x1080"]:
        with pytest.raises(ValueError, match=r"draw_dot: screen must be \(width, height\) in pixels"):
            draw_dot(x, rankdir="auto", screen=screen)  # type: ignore[arg-type]


def test_auto_layout_fits_the_frame_it_is_given():
    # the lecture neuron: left to right suits a 1920 x 1080 screen, top to bottom the page's
    # nearly square graph panel (1295 x 1032), where left to right would be 0.72x natural size
    o, _ = neuron()
    assert draw_dot(o, rankdir="auto").graph_attr["rankdir"] == "LR"
    assert draw_dot(o, rankdir="auto", screen=(1295, 1032)).graph_attr["rankdir"] == "TB"


def test_render_by_suffix(tmp_path):
    o, _ = neuron()
    assert render(o, tmp_path / "g.svg").read_bytes().lstrip().startswith(b"<?xml")
    assert render(o, tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert render(o, tmp_path / "g.pdf").read_bytes()[:5] == b"%PDF-"


def test_missing_dot_says_how_to_install_and_source_still_works(tmp_path, monkeypatch):
    o, _ = neuron()
    graph = draw_dot(o)
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no dot here
    with pytest.raises(GraphvizMissing, match="apt-get install graphviz.*brew install graphviz"):
        graph.pipe(format="svg")
    with pytest.raises(GraphvizMissing, match="apt-get install graphviz"):
        render(o, tmp_path / "g.svg")
    assert "tanh" in graph.source and "rankdir=LR" in graph.source


def test_import_autograd_does_not_need_the_graphviz_package():
    code = (
        "import sys; sys.modules['graphviz'] = None\n"
        "import autograd\n"
        "x = autograd.Value(2.0); (x * x).backward(); assert x.grad == 4.0\n"
        "try:\n    autograd.draw_dot(x)\nexcept autograd.GraphvizMissing as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "pip install" in out and "graphviz" in out


def test_clusters_with_a_real_nn_mlp():
    import nn

    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    out = model([Value(1.0, label="x0"), Value(-2.0, label="x1")])
    loss = (out - 1.0) ** 2
    loss.backward()
    source = draw_dot(loss, model=model).source
    clusters = re.findall(r"subgraph (cluster_\w+)", source)
    assert sorted(clusters) == sorted(
        ["cluster_layer_0", "cluster_layer_1"] + [f"cluster_layer_0_neuron_{j}" for j in range(3)]
        + ["cluster_layer_1_neuron_0"]
    )  # fmt: skip
    # each hidden neuron's cluster: 2 weights + bias, its dot and tanh nodes (records v<k>), 2 op ovals
    first = source[source.index("cluster_layer_0_neuron_0") :]
    first = first[: first.index("\n\t\t}")]
    assert len(re.findall(r"\bv\d+ \[", first)) == 3 + 2
    assert len(re.findall(r"\bv\d+_op \[", first)) == 2
    collapsed = draw_dot(loss, model=model, collapse=True).source
    assert len(re.findall(r"\bneuron\d+ \[", collapsed)) == 4  # one box per neuron


def test_unlabelled_boxes_show_the_name_the_trace_uses():
    from autograd.steps import node_names

    o, _ = neuron()
    o.backward()
    names = node_names(o)
    nodes = groups(svg_tree(o), "node")
    for node, name in names.items():
        k = next(k for k, n in enumerate(autograd_order(o)) if n is node)
        assert texts(nodes[f"v{k}"])[0] == name  # 'x1' for a labelled leaf, 'v3' for x1*w1
    unnamed = [name for node, name in names.items() if not node.label]
    assert unnamed and all(re.fullmatch(r"v\d+", name) for name in unnamed)
    boxed = {texts(g)[0] for k, g in nodes.items() if not k.endswith("_op")}
    for step in o.backward_steps():  # every name a printed step uses is in a box
        named = set(re.findall(r"\b([A-Za-z_]\w*)\.grad \+=", str(step))) | {str(step).split()[2]}
        assert named <= boxed, (named, boxed)


def autograd_order(root: Value) -> list[Value]:
    from autograd import topological_order

    return topological_order(root)


def _mlp_loss():
    import nn

    model = nn.MLP(2, [4, 1], seed=0)
    data = [([0.0, 0.0], 0.0), ([0.0, 1.0], 1.0), ([1.0, 0.0], 1.0), ([1.0, 1.0], 0.0)]
    loss = sum(((model(x) - y) ** 2 for x, y in data), Value(0.0))
    loss.backward()
    return model, loss


def test_render_warns_when_its_text_is_too_small_and_says_how_to_draw_less(tmp_path):
    # MLP(2, [4, 1]) on XOR's four samples: 3800 px wide, fitted to 1920 x 1080 its box text is
    # about 7 px; the warning names the size and the two ways out, and the picture is still written
    from autograd import IllegibleGraphWarning
    from autograd.see.legibility import smallest_text

    model, loss = _mlp_loss()
    path = tmp_path / "mlp.svg"
    with pytest.warns(IllegibleGraphWarning, match=r"box text \d+\.\d px.*collapse=True.*focus=") as caught:
        render(loss, path, model=model)
    measured = smallest_text(path.read_text()).node_px
    assert measured < 14 and f"box text {measured:.1f} px" in str(caught[0].message)
    assert caught[0].filename == __file__  # points at the caller's render(...) line
    with pytest.warns(IllegibleGraphWarning, match="model=<the network>, collapse=True"):
        render(loss, tmp_path / "mlp.png")  # no model given: say that collapse needs one
    with pytest.warns(IllegibleGraphWarning, match="edge labels"):
        render(loss, tmp_path / "labels.svg", edge_labels=True)


def test_render_is_silent_when_its_text_is_readable(tmp_path):
    import warnings

    model, loss = _mlp_loss()
    o, _ = neuron()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        render(o, tmp_path / "neuron.svg", edge_labels=True)
        render(loss, tmp_path / "collapsed.svg", model=model, collapse=True)


def test_the_live_page_gets_every_layout_and_the_one_auto_picks_first():
    from autograd.see.draw import AUTO_LAYOUTS, page_layouts

    o, _ = neuron()
    o.backward()
    svgs = page_layouts(o, rankdir="auto", screen=(1295, 1032), edge_labels=True, live=True)
    orders = [int(re.search(r'<svg data-layout="(\d)"', svg).group(1)) for svg in svgs]
    assert sorted(orders) == list(range(len(AUTO_LAYOUTS)))
    picked = draw_dot(o, rankdir="auto", screen=(1295, 1032), edge_labels=True, live=True)
    rankdir, compact, fields = AUTO_LAYOUTS[orders[0]]
    assert picked.graph_attr["rankdir"] == rankdir and ("_op" not in picked.source) == compact
    # live: no legend under the picture (the page has its own), edge labels padded with figure
    # spaces to the length of 'local × upstream = contribution' with three 10-character numbers
    tree = ET.fromstring(svgs[0].encode())
    labels = [t for g in groups(tree, "edge").values() for t in texts(g)]
    assert labels and all(len(t) == len("0000000000 × 0000000000 = 0000000000") for t in labels)
    plain = to_svg(o, rankdir=rankdir, compact=compact, fields=fields, edge_labels=True)
    unpadded = [t for g in groups(ET.fromstring(plain.encode()), "edge").values() for t in texts(g)]
    assert sorted(t.strip("\u2007") for t in labels) == sorted(unpadded)  # the same numbers, centred
    assert "green: input" not in svgs[0] and "green: input" in to_svg(o, edge_labels=True)
    assert len(page_layouts(o, rankdir="LR")) == 1
