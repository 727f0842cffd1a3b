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

import math
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from autograd.backward import topological_order
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

Statement = tuple[str, dict[str, str]]  # a node's name and attributes


class GraphvizMissing(RuntimeError):
    """The Graphviz ``dot`` program (or the ``graphviz`` Python package) is not installed."""


class NamedParameters(Protocol):
    """What ``draw_dot`` needs from a model: ``nn.Module.named_parameters()``."""

    def named_parameters(self) -> list[tuple[str, Value]]: ...


# --- escaping ----------------------------------------------------------------------------------

_RECORD_SPECIAL = frozenset('\\{}|<>" ')


def escape_record(text: str) -> str:
    """``text`` as literal characters inside one field of a DOT record label.

    Record syntax gives ``{ } | < >`` and spaces a meaning and DOT strings give ``"`` and
    backslash one; each gets a backslash. ``&`` becomes ``&amp;`` because Graphviz expands
    entities such as ``&lt;`` in every label. Newlines become line breaks, other control
    characters spaces.
    """
    out = []
    for c in text:
        if c in _RECORD_SPECIAL:
            out.append("\\" + c)
        elif c == "&":
            out.append("&amp;")
        elif c == "\n":
            out.append("\\n")
        elif ord(c) < 32 or c == "\x7f":
            out.append("\\ ")
        else:
            out.append(c)
    return "".join(out)


def escape_text(text: str) -> str:
    """``text`` for a plain label (op, edge, cluster title): backslash, ``"`` and ``&`` made literal."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")


def number(x: float) -> str:
    """A number in a box: four decimals as in micrograd (-0.5000), scientific when tiny or huge."""
    if math.isnan(x) or math.isinf(x):
        return str(x)
    if x == 0.0 or 1e-4 <= abs(x) < 1e6:
        return f"{x:.4f}"
    return f"{x:.3e}"


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


# --- neurons and layers from parameter names ---------------------------------------------------


def _parent(name: str) -> str:
    """Drop trailing indices and then one name: ``layers.0.neurons.3.w.1`` -> ``layers.0.neurons.3``,
    and ``layers.0.neurons.3`` -> ``layers.0`` (a parameter's neuron, a neuron's layer)."""
    parts = name.split(".")
    while parts and parts[-1].isdigit():
        parts.pop()
    return ".".join(parts[:-1])


def _neurons(
    order: list[Value], consumers: dict[Value, list[Value]], named: list[tuple[str, Value]]
) -> dict[Value, str]:
    """Which neuron each node belongs to, for the nodes that belong to one.

    A parameter belongs to the neuron its name says. A computed node whose parameter inputs all
    belong to neuron N belongs to N (the weighted sum); so does a one-input op applied to that
    node (the activation); so does an unlabelled constant used only inside N.
    """
    member = {p: _parent(name) for name, p in named}
    parameters = set(member)
    weighted_sum: dict[Value, str] = {}
    for node in reversed(order):  # inputs before consumers
        if not node.inputs:
            continue
        owners = {member[c] for c in node.inputs if c in parameters}
        if len(owners) == 1:
            member[node] = weighted_sum[node] = owners.pop()
        elif len(node.inputs) == 1 and node.inputs[0] in weighted_sum:
            member[node] = weighted_sum[node.inputs[0]]
    for node in order:
        if not node.inputs and not node.label and node not in member:
            users = {member.get(c, "") for c in consumers.get(node, [])}
            if len(users) == 1 and "" not in users:
                member[node] = users.pop()
    return member


def _neighbourhood(focus: Value, radius: int, consumers: dict[Value, list[Value]]) -> set[Value]:
    """Every node within ``radius`` edges of ``focus``, edges taken in either direction."""
    seen = {focus}
    frontier = [focus]
    for _ in range(radius):
        reached = []
        for node in frontier:
            for other in (*node.inputs, *consumers.get(node, [])):
                if other not in seen:
                    seen.add(other)
                    reached.append(other)
        frontier = reached
    return seen


def _kind(node: Value, root: Value, parameters: set[Value]) -> str:
    if node is root:
        return "output"
    if node in parameters:
        return "parameter"
    if node.inputs:
        return "intermediate"
    return "input" if node.label else "constant"


# --- the picture -------------------------------------------------------------------------------


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

    ``rankdir``: 'LR' (default), 'RL', 'TB' or 'BT'. ``show_grad``: include the grad field.
    ``edge_labels``: write d(out)/d(in) on each edge, and after backward ``local × upstream =
    contribution``. ``highlight``: colour parameters (known from ``params`` or ``model``),
    inputs (labelled leaves), constants (unlabelled leaves) and the output. ``model``: anything
    with ``named_parameters()`` (an ``nn`` model): clusters per layer and neuron, and with
    ``collapse=True`` one box per neuron. ``focus``/``radius``: only the nodes within
    ``radius`` edges of ``focus``. ``max_nodes``: raise ``ValueError`` rather than draw more
    value boxes than this.
    """
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

    order = topological_order(root)
    index = {node: k for k, node in enumerate(order)}
    consumers: dict[Value, list[Value]] = {}
    for node in order:
        for child in node.inputs:
            consumers.setdefault(child, []).append(node)

    named = list(model.named_parameters()) if model is not None else []
    parameters = {p for _, p in named}
    for p in params if params is not None else ():
        if not isinstance(p, Value):
            raise TypeError(f"draw_dot: params must hold Values, got {type(p).__name__}")
        parameters.add(p)
    neuron_of = _neurons(order, consumers, named) if model is not None else {}

    shown: Collection[Value] = order
    if focus is not None:
        if focus not in index:
            raise ValueError(f"draw_dot: focus {focus!r} is not in the graph under root")
        shown = _neighbourhood(focus, radius, consumers)

    # Collapsed, every node of a neuron is drawn as that neuron's one box.
    neurons = sorted({neuron_of[n] for n in shown if collapse and n in neuron_of})
    box_name = {neuron: f"neuron{j}" for j, neuron in enumerate(neurons)}
    box_of = {n: box_name[neuron_of[n]] for n in shown if collapse and n in neuron_of}
    count = len([n for n in shown if n not in box_of]) + len(neurons)
    if count > max_nodes:
        raise ValueError(
            f"draw_dot: {count} values to draw, more than max_nodes={max_nodes}. Draw less: "
            "collapse=True with model= (one box per neuron), or focus=<a Value> with radius=1 or 2 "
            "(its neighbourhood), or raise max_nodes."
        )

    nohtml = _graphviz().nohtml
    # Node statements by where they go: in a neuron's cluster, directly in a layer's, or loose.
    in_neuron: dict[str, list[Statement]] = {}
    in_layer: dict[str, list[Statement]] = {}
    loose: list[Statement] = []

    def place(node: Value, name: str, attrs: dict[str, str]) -> None:
        if node in neuron_of:
            in_neuron.setdefault(neuron_of[node], []).append((name, attrs))
        else:
            loose.append((name, attrs))

    for node in order:
        if node not in shown or node in box_of:
            continue
        kind = _kind(node, root, parameters)
        fields = [escape_record(node.label), f"data {number(node.data)}"]
        if show_grad:
            fields.append(f"grad {number(node.grad)}")
        attrs = {"label": nohtml("{" + "|".join(fields) + "}"), "shape": "record", "tooltip": kind}
        if highlight:
            attrs.update(style="filled", fillcolor=COLOURS[kind])
        if node is root or node is focus:
            attrs["penwidth"] = "2.5"
        place(node, f"v{index[node]}", attrs)
        if node.inputs:
            op_attrs = {"label": escape_text(node.op), "shape": "ellipse", "fontsize": "10", "margin": "0.02"}
            place(node, f"v{index[node]}_op", op_attrs)

    for name, box in box_name.items():
        members = [n for n in shown if box_of.get(n) == box]
        out = next(n for n in members if not any(box_of.get(c) == box for c in consumers.get(n, [])))
        fields = [escape_record(name or "neuron"), escape_record(out.op), f"data {number(out.data)}"]
        if show_grad:
            fields.append(f"grad {number(out.grad)}")
        attrs = {"label": nohtml("{" + "|".join(fields) + "}"), "shape": "record", "tooltip": "neuron"}
        if highlight:
            attrs.update(style="filled,rounded", fillcolor="#e8dcf5")
        in_layer.setdefault(_parent(name), []).append((box, attrs))

    backward_ran = root.grad != 0.0
    edges: list[tuple[str, str, dict[str, str]]] = []
    box_edges: set[tuple[str, str]] = set()
    for node in order:
        if node not in shown or not node.inputs:
            continue
        target = box_of.get(node, f"v{index[node]}_op")
        if node not in box_of:
            edges.append((target, f"v{index[node]}", {}))
        for child, local in zip(node.inputs, node.local_grads):
            if child not in shown:
                continue
            source = box_of.get(child, f"v{index[child]}")
            if source == target:
                continue
            if child in box_of or node in box_of:  # one edge between a box and anything else
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

    graph = _digraph(graph_attr={"rankdir": rankdir}, node_attr={"fontsize": "11"})
    for name, attrs in loose:
        graph.node(name, **attrs)
    _add_clusters(graph, in_neuron, in_layer, highlight)
    for tail, head, attrs in edges:
        graph.edge(tail, head, **attrs)
    if highlight:
        graph.attr(label=LEGEND, labelloc="b", fontsize="10", fontcolor="#666666")
    return graph


def _add_clusters(
    graph: graphviz.Digraph,
    in_neuron: dict[str, list[Statement]],
    in_layer: dict[str, list[Statement]],
    highlight: bool,
) -> None:
    """One cluster per layer, holding a cluster per neuron and any collapsed neuron boxes."""
    layers = sorted(set(in_layer) | {_parent(neuron) for neuron in in_neuron})
    for n, layer in enumerate(layers):
        with graph.subgraph(name=f"cluster_layer_{n}") as outer:
            outer.attr(label=escape_text(layer or "model"), style="dashed", color="#888888", fontsize="10")
            for name, attrs in in_layer.get(layer, []):
                outer.node(name, **attrs)
            neurons = sorted(neuron for neuron in in_neuron if _parent(neuron) == layer)
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
