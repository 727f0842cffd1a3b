"""Pictures of a computation graph: ``draw_dot(root)`` builds Graphviz DOT, ``render`` writes files.

As in micrograd's lecture pictures, each Value is a record box ``label | data | grad`` and
each operation a small oval between its inputs and its output, read left to right. On top
of that, for teaching:

- ``edge_labels=True`` writes on every edge input -> op the local derivative d(out)/d(in),
  and once backward has run (root.grad != 0) the chain-rule product
  ``local × upstream = contribution``, which is what that edge adds to the input's grad;
- colours tell parameters, inputs, constants and intermediate values apart;
- ``model=`` groups a neural network's nodes into a cluster per layer and per neuron, and
  ``collapse=True`` draws one box per neuron instead;
- ``focus=node, radius=r`` draws only what is within r edges of one node;
- ``max_nodes`` refuses a picture too big to read, saying how to make it smaller.

User text (labels, parameter names) is escaped for DOT, so ``x<b>"q"{d}|e`` or
``<script>`` is drawn verbatim and never read as markup. Graphviz is needed only here: the
Python package ``graphviz`` is imported when a picture is made, never by ``import autograd``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograd.see.dot_text import escape_record, escape_text, number
from autograd.see.selection import NamedParameters, Selection, parent, select
from autograd.value import Value

if TYPE_CHECKING:
    import graphviz  # type: ignore[import-untyped]

INSTALL_HINT = (
    "install Graphviz: 'sudo apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' "
    "(macOS), or see https://graphviz.org/download/; the DOT text is still available as .source"
)

COLOURS = {
    "parameter": "#cfe2ff",  # blue: what training changes
    "input": "#d3f0d3",  # green: data fed in
    "constant": "#eeeeee",  # grey: numbers written in the expression
    "intermediate": "#ffffff",
    "output": "#ffe2b8",  # orange: the root
}
LEGEND = "blue: parameter    green: input    grey: constant    orange: output"

Statement = tuple[str, dict[str, Any]]  # a node's name and attributes


class GraphvizMissing(RuntimeError):
    """The Graphviz ``dot`` program (or the ``graphviz`` Python package) is not installed."""


# --- the graphviz package, imported on demand --------------------------------------------------


def _graphviz() -> Any:
    try:
        import graphviz
    except ImportError:
        raise GraphvizMissing(
            "drawing needs the 'graphviz' Python package: pip install 'chainrule[draw]' "
            "(or pip install graphviz), and the Graphviz program: " + INSTALL_HINT
        ) from None
    return graphviz


_digraph_class: Any = None


def _digraph(**attrs: Any) -> graphviz.Digraph:
    """A ``graphviz.Digraph`` whose pipe/render say how to install Graphviz when ``dot`` is missing."""
    global _digraph_class
    gv = _graphviz()
    if _digraph_class is None:

        class ValueGraph(gv.Digraph):  # type: ignore[misc,name-defined]
            """A Digraph of Values; a missing ``dot`` program raises ``GraphvizMissing``."""

            def pipe(self, *args: Any, **kwargs: Any) -> Any:
                try:
                    return super().pipe(*args, **kwargs)
                except gv.ExecutableNotFound:
                    raise GraphvizMissing(
                        f"the Graphviz 'dot' program was not found: {INSTALL_HINT}"
                    ) from None

            def render(self, *args: Any, **kwargs: Any) -> Any:
                try:
                    return super().render(*args, **kwargs)
                except gv.ExecutableNotFound:
                    raise GraphvizMissing(
                        f"the Graphviz 'dot' program was not found: {INSTALL_HINT}"
                    ) from None

        _digraph_class = ValueGraph
    graph: graphviz.Digraph = _digraph_class(**attrs)
    return graph


# --- the picture: a selection (selection.py) drawn as records, ovals and edges -----------------


def draw_dot(
    root: Value,
    *,
    rankdir: str = "LR",
    show_grad: bool = True,
    edge_labels: bool = False,
    highlight: bool = True,
    params: Iterable[Value] | None = None,
    model: NamedParameters | None = None,
    collapse: bool = False,
    focus: Value | None = None,
    radius: int = 2,
    max_nodes: int = 500,
) -> graphviz.Digraph:
    """The graph under ``root`` as a ``graphviz.Digraph`` (shown inline by Jupyter).

    Nodes are named ``v<k>`` (k = position in ``topological_order(root)``, root ``v0``) with
    the op of ``v<k>`` drawn as ``v<k>_op``; collapsed neurons are ``neuron<j>``, in name order.

    What to draw: ``params`` (Values to colour as parameters), ``model`` (anything with
    ``named_parameters()``, such as an ``nn`` model: its parameters, and a cluster per layer
    and neuron), ``collapse=True`` (one box per neuron; needs ``model``), ``focus``/``radius``
    (only the nodes within ``radius`` edges of ``focus``), ``max_nodes`` (raise ``ValueError``
    rather than draw more boxes than this).

    How to draw it: ``rankdir`` 'LR' (default), 'RL', 'TB' or 'BT'; ``show_grad`` (the grad
    field); ``edge_labels`` (d(out)/d(in) on each edge, and after backward ``local × upstream
    = contribution``); ``highlight`` (colour parameters, inputs, constants and the output).
    """
    _check_options(root, rankdir, max_nodes, radius, collapse, model)
    selection = select(root, params=params, model=model, collapse=collapse, focus=focus, radius=radius)
    count = selection.box_count()
    if count > max_nodes:
        raise ValueError(
            f"draw_dot: {count} values to draw, more than max_nodes={max_nodes}. Draw less: "
            "collapse=True with model= (one box per neuron), or focus=<a Value> with radius=1 or 2 "
            "(its neighbourhood), or raise max_nodes."
        )
    loose, in_neuron, in_layer = _node_statements(selection, show_grad, highlight, focus)
    graph = _digraph(graph_attr={"rankdir": rankdir}, node_attr={"fontsize": "11"})
    for name, attrs in loose:
        graph.node(name, **attrs)
    _add_clusters(graph, in_neuron, in_layer, highlight)
    for tail, head, attrs in _edge_statements(selection, show_grad, edge_labels):
        graph.edge(tail, head, **attrs)
    if highlight:
        graph.attr(label=LEGEND, labelloc="b", fontsize="10", fontcolor="#666666")
    return graph


def _check_options(
    root: object, rankdir: str, max_nodes: object, radius: object, collapse: bool, model: object
) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"draw_dot: root must be a Value, got {type(root).__name__}")
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"draw_dot: rankdir must be 'LR', 'RL', 'TB' or 'BT', got {rankdir!r}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"draw_dot: max_nodes must be an int >= 1, got {max_nodes!r}")
    if isinstance(radius, bool) or not isinstance(radius, int) or radius < 0:
        raise ValueError(f"draw_dot: radius must be an int >= 0, got {radius!r}")
    if collapse and model is None:
        raise ValueError("draw_dot: collapse=True needs model= (neurons are found from its parameter names)")
    if model is not None and not callable(getattr(model, "named_parameters", None)):
        raise TypeError(f"draw_dot: model must have named_parameters(), got {type(model).__name__}")


def _record(fields: list[str]) -> Any:
    """A record label from already-escaped fields, drawn top to bottom."""
    return _graphviz().nohtml("{" + "|".join(fields) + "}")


def _node_statements(
    selection: Selection, show_grad: bool, highlight: bool, focus: Value | None
) -> tuple[list[Statement], dict[str, list[Statement]], dict[str, list[Statement]]]:
    """Every box and oval to draw, sorted by where it goes: loose, in a neuron's cluster, in a layer's."""
    loose: list[Statement] = []
    in_neuron: dict[str, list[Statement]] = {}
    in_layer: dict[str, list[Statement]] = {}

    def place(node: Value, statement: Statement) -> None:
        neuron = selection.neuron_of.get(node)
        (in_neuron.setdefault(neuron, []) if neuron is not None else loose).append(statement)

    for node in selection.order:  # one record per value, and an oval for the op that made it
        if node not in selection.shown or node in selection.box_of:
            continue
        kind = selection.kind(node)
        fields = [escape_record(node.label), f"data {number(node.data)}"]
        if show_grad:
            fields.append(f"grad {number(node.grad)}")
        attrs = {"label": _record(fields), "shape": "record", "tooltip": kind}
        if highlight:
            attrs.update(style="filled", fillcolor=COLOURS[kind])
        if node is selection.root or node is focus:
            attrs["penwidth"] = "2.5"
        name = f"v{selection.index[node]}"
        place(node, (name, attrs))
        if node.inputs:
            op_attrs = {"label": escape_text(node.op), "shape": "ellipse", "fontsize": "10", "margin": "0.02"}
            place(node, (f"{name}_op", op_attrs))

    for neuron, box in selection.boxes.items():  # one record per collapsed neuron
        members = [n for n in selection.order if selection.box_of.get(n) == box]
        out = next(
            n
            for n in members
            if not any(selection.box_of.get(c) == box for c in selection.consumers.get(n, []))
        )
        fields = [escape_record(neuron or "neuron"), escape_record(out.op), f"data {number(out.data)}"]
        if show_grad:
            fields.append(f"grad {number(out.grad)}")
        attrs = {"label": _record(fields), "shape": "record", "tooltip": "neuron"}
        if highlight:
            attrs.update(style="filled,rounded", fillcolor="#e8dcf5")
        in_layer.setdefault(parent(neuron), []).append((box, attrs))
    return loose, in_neuron, in_layer


def _edge_statements(
    selection: Selection, show_grad: bool, edge_labels: bool
) -> list[tuple[str, str, dict[str, str]]]:
    """Input -> op -> output edges; one edge between a collapsed box and anything else."""
    backward_ran = selection.root.grad != 0.0
    edges: list[tuple[str, str, dict[str, str]]] = []
    box_edges: set[tuple[str, str]] = set()
    box_of, index = selection.box_of, selection.index
    for node in selection.order:
        if node not in selection.shown or not node.inputs:
            continue
        target = box_of.get(node, f"v{index[node]}_op")
        if node not in box_of:
            edges.append((target, f"v{index[node]}", {}))
        for child, local in zip(node.inputs, node.local_grads):
            if child not in selection.shown:
                continue
            source = box_of.get(child, f"v{index[child]}")
            if source == target:
                continue
            if child in box_of or node in box_of:
                if (source, target) in box_edges:
                    continue
                box_edges.add((source, target))
            attrs = {}
            if edge_labels and node not in box_of:
                text = number(local)
                if backward_ran and show_grad:
                    text = f"{number(local)} × {number(node.grad)} = {number(local * node.grad)}"
                attrs = {"label": escape_text(text), "fontsize": "9", "fontcolor": "#555555"}
            edges.append((source, target, attrs))
    return edges


def _add_clusters(
    graph: graphviz.Digraph,
    in_neuron: dict[str, list[Statement]],
    in_layer: dict[str, list[Statement]],
    highlight: bool,
) -> None:
    """One cluster per layer, holding a cluster per neuron and any collapsed neuron boxes."""
    layers = sorted(set(in_layer) | {parent(neuron) for neuron in in_neuron})
    for n, layer in enumerate(layers):
        with graph.subgraph(name=f"cluster_layer_{n}") as outer:
            outer.attr(label=escape_text(layer or "model"), style="dashed", color="#888888", fontsize="10")
            for name, attrs in in_layer.get(layer, []):
                outer.node(name, **attrs)
            neurons = sorted(neuron for neuron in in_neuron if parent(neuron) == layer)
            for m, neuron in enumerate(neurons):
                with outer.subgraph(name=f"cluster_layer_{n}_neuron_{m}") as inner:
                    inner.attr(label=escape_text(neuron or "neuron"), style="rounded", color="#6a8fc7")
                    if highlight:
                        inner.attr(bgcolor="#f7f9fd")
                    for name, attrs in in_neuron[neuron]:
                        inner.node(name, **attrs)


def render(root: Value, path: str | Path, **options: Any) -> Path:
    """Draw the graph under ``root`` into ``path``: SVG, PNG or PDF by its suffix. Returns the path.

    ``options`` are ``draw_dot``'s. Raises ``GraphvizMissing`` (saying how to install it)
    when the ``dot`` program is not installed.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("svg", "png", "pdf"):
        raise ValueError(f"render: the file name must end in .svg, .png or .pdf, got {str(path)!r}")
    data = draw_dot(root, **options).pipe(format=fmt)
    path.write_bytes(data)
    return path


def to_svg(root: Value, **options: Any) -> str:
    """The picture as SVG text, what ``render`` writes to a .svg file (``options`` as for draw_dot)."""
    text: str = draw_dot(root, **options).pipe(format="svg", encoding="utf-8")
    return text
