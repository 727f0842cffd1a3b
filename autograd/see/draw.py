"""Pictures of a computation graph: ``draw_dot(root)`` builds Graphviz DOT, ``render`` writes files.

As in micrograd's lecture pictures, each Value is a record box ``label | data | grad`` (an
unlabelled value is named ``v<k>``, as ``backward_steps``, ``explain`` and the page name it) and
each operation a small oval between its inputs and its output, read left to right. On top
of that, for teaching:

- ``edge_labels=True`` writes on every edge input -> op the local derivative d(out)/d(in),
  and once backward has run (root.grad != 0) the chain-rule product
  ``local × upstream = contribution``, which is what that edge adds to the input's grad;
- colours tell parameters, inputs, constants and intermediate values apart;
- ``model=`` groups a neural network's nodes into a cluster per layer and per neuron, and
  ``collapse=True`` draws one box per neuron instead;
- ``focus=node, radius=r`` draws only what is within r edges of one node;
- ``max_nodes`` refuses a picture too big to read, saying how to make it smaller;
- ``rankdir="auto"`` (``render``'s default) lays the graph out left to right or top to bottom,
  with each op in an oval or written in its output's box (``compact=True``), whichever is
  first readable on a 1920 × 1080 screen (``legibility.py``: node text >= 14 px, edge labels
  >= 12 px), else whichever comes closest.

User text (labels, parameter names) is escaped for DOT, so ``x<b>"q"{d}|e`` or
``<script>`` is drawn verbatim and never read as markup. Graphviz is needed only here: the
Python package ``graphviz`` is imported when a picture is made, never by ``import autograd``.
"""

from __future__ import annotations

import subprocess
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograd.see.dot_text import box_number, escape_record, escape_text
from autograd.see.legibility import smallest_text
from autograd.see.selection import NamedParameters, Selection, parent, select
from autograd.value import Value

if TYPE_CHECKING:
    import graphviz  # type: ignore[import-untyped]

INSTALL_HINT = (
    "install Graphviz: 'sudo apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' "
    "(macOS), or see https://graphviz.org/download/; the DOT text is still available as .source"
)
NO_PROCESS_HINT = (  # the way out where no program can run at all (Pyodide in a browser)
    "where no program can run (Python in a browser, Pyodide), take the DOT text, "
    "draw_dot(root).source, to Graphviz compiled for the browser (@viz-js/viz) to lay it out"
)

COLOURS = {
    "parameter": "#cfe2ff",  # blue: what training changes
    "input": "#d3f0d3",  # green: data fed in
    "constant": "#eeeeee",  # grey: numbers written in the expression
    "intermediate": "#ffffff",
    "output": "#ffe2b8",  # orange: the root
}
NEURON_COLOUR = "#e8dcf5"  # purple: a collapsed neuron
LEGEND = {  # the legend's entry for each colour, in the legend's order
    "parameter": "blue: parameter",
    "input": "green: input",
    "constant": "grey: constant",
    "output": "orange: output",
    "neuron": "purple: neuron",
}
NODE_FONT = "11"  # pt: 14.7 px at natural size
EDGE_FONT = "9.5"  # pt: 12.7 px at natural size
READABLE_PX = (14.0, 12.0)  # node text, edge labels, fitted to SCREEN
SCREEN = (1920, 1080)
AUTO_LAYOUTS = (  # (rankdir, compact, fields), tried in this order
    ("LR", False, "row"),
    ("TB", False, "row"),
    ("TB", True, "row"),
    ("TB", True, "grid"),
    ("LR", True, "column"),
)
NUMBER_ROOM = 10  # characters a live page's numbers may take on an edge: -1.234e-05, -9999.9999
MAX_NODES = 500  # the most boxes a picture (and the live page) draws unless told otherwise
AUTO_MAX_BOXES = 150  # larger graphs are not measured (no layout makes them readable): drawn left to right

Statement = tuple[str, dict[str, Any]]  # a node's name and attributes


class GraphvizMissing(RuntimeError):
    """The Graphviz ``dot`` program (or the ``graphviz`` Python package) is not installed, or
    ``dot`` cannot be run here: no processes (Pyodide), no permission, or it failed."""


def dot_failed(what: str) -> str:
    """``GraphvizMissing``'s message when running ``dot`` went wrong: ``what`` happened, and both
    ways out (install Graphviz's ``dot``; or lay the DOT text out in the browser)."""
    return f"the Graphviz 'dot' program {what}: {INSTALL_HINT}; or, {NO_PROCESS_HINT}"


class IllegibleGraphWarning(UserWarning):
    """``render`` wrote a picture whose smallest text, fitted to the screen, is below ``READABLE_PX``."""


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
    """A ``graphviz.Digraph`` whose pipe/render raise ``GraphvizMissing`` for every error of running
    ``dot``: not found, ``OSError`` (no processes under Pyodide, no permission), a failed run."""
    global _digraph_class
    gv = _graphviz()
    if _digraph_class is None:

        def running_dot(method: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except gv.ExecutableNotFound:
                raise GraphvizMissing(dot_failed("was not found")) from None
            except OSError as err:  # Pyodide: OSError(138, 'emscripten does not support processes.')
                raise GraphvizMissing(dot_failed(f"could not be run ({err})")) from None
            except UnicodeDecodeError:  # graphviz echoes a failing dot's stderr, decoding it strictly
                raise GraphvizMissing(dot_failed("failed, and its error message is not UTF-8 text")) from None
            except subprocess.CalledProcessError as err:
                said = err.stderr.decode("utf-8", "replace") if isinstance(err.stderr, bytes) else err.stderr
                said = " ".join(str(said or "").split())[:300]
                raise GraphvizMissing(
                    dot_failed(f"failed (exit status {err.returncode}{': ' + said if said else ''})")
                ) from None

        class ValueGraph(gv.Digraph):  # type: ignore[misc,name-defined]
            """A Digraph of Values; ``dot`` missing or failing raises ``GraphvizMissing``."""

            def pipe(self, *args: Any, **kwargs: Any) -> Any:
                return running_dot(super().pipe, *args, **kwargs)

            def render(self, *args: Any, **kwargs: Any) -> Any:
                return running_dot(super().render, *args, **kwargs)

        _digraph_class = ValueGraph
    graph: graphviz.Digraph = _digraph_class(**attrs)
    return graph


# --- the picture: a selection (selection.py) drawn as records, ovals and edges -----------------


def draw_dot(
    root: Value,
    *,
    rankdir: str = "LR",
    compact: bool = False,
    fields: str | None = None,
    show_grad: bool = True,
    edge_labels: bool = False,
    highlight: bool = True,
    params: Iterable[Value] | None = None,
    model: NamedParameters | None = None,
    collapse: bool = False,
    focus: Value | None = None,
    radius: int = 2,
    max_nodes: int = MAX_NODES,
    screen: tuple[int, int] = SCREEN,
    live: bool = False,
) -> graphviz.Digraph:
    """The graph under ``root`` as a ``graphviz.Digraph`` (shown inline by Jupyter).

    Nodes are named ``v<k>`` (k = position in ``topological_order(root)``, root ``v0``) with
    the op of ``v<k>`` drawn as ``v<k>_op``; collapsed neurons are ``neuron<j>``, in name order.

    What to draw: ``params`` (Values to colour as parameters), ``model`` (anything with
    ``named_parameters()``, such as an ``nn`` model: its parameters, and a cluster per layer
    and neuron), ``collapse=True`` (one box per neuron; needs ``model``), ``focus``/``radius``
    (only the nodes within ``radius`` edges of ``focus``), ``max_nodes`` (raise ``ValueError``
    rather than draw more boxes than this).

    How to draw it: ``rankdir`` 'LR' (default), 'RL', 'TB', 'BT' or 'auto' (the first of
    ``AUTO_LAYOUTS`` readable fitted to ``screen``, 1920 × 1080 by default, measured by running
    ``dot``; the live page asks for its graph panel's size); ``compact`` (each op
    written in its output's box instead of an oval of its own); ``fields`` (a box's fields in one
    'row', one 'column', or a 'grid' of names beside numbers; by default a row left to right
    and a column top to bottom); ``show_grad`` (the grad
    field); ``edge_labels`` (d(out)/d(in) on each edge, and after backward ``local × upstream
    = contribution``); ``highlight`` (colour parameters, inputs, constants and the output);
    ``live`` (drawn for the live page, whose numbers change with every edit: each edge label is
    laid out as wide as ``local × upstream = contribution`` with numbers of ``NUMBER_ROOM``
    characters, so that no edit makes two labels overlap; no legend under the picture: the page
    has its own).
    """
    _check_options(root, rankdir, max_nodes, radius, collapse, model)
    if not (isinstance(screen, tuple) and len(screen) == 2 and all(type(n) is int and n > 0 for n in screen)):
        raise ValueError(f"draw_dot: screen must be (width, height) in pixels, two ints > 0, got {screen!r}")
    if fields not in (None, "row", "column", "grid"):
        raise ValueError(f"draw_dot: fields must be 'row', 'column' or 'grid', got {fields!r}")
    params = _params_list(params)  # read once: auto measures the candidates with the same colours
    selection = select(root, params=params, model=model, collapse=collapse, focus=focus, radius=radius)
    if rankdir == "auto":
        options: dict[str, Any] = dict(show_grad=show_grad, edge_labels=edge_labels, highlight=highlight)
        options.update(params=params)
        options.update(model=model, collapse=collapse, focus=focus, radius=radius, max_nodes=max_nodes)
        options.update(live=live)
        rankdir, compact, fields = _readable_layout(root, selection.box_count(), options, screen)
    if fields is None:
        fields = "row" if rankdir in ("LR", "RL") else "column"
    count = selection.box_count()
    if count > max_nodes:
        raise ValueError(
            f"draw_dot: {count} values to draw, more than max_nodes={max_nodes}. Draw less: "
            "collapse=True with model= (one box per neuron), or focus=<a Value> with radius=1 or 2 "
            "(its neighbourhood), or raise max_nodes."
        )
    shape = _BoxShape(rankdir in ("LR", "RL"), compact, fields)
    loose, in_neuron, in_layer = _node_statements(selection, show_grad, highlight, focus, shape)
    graph_attr = {"rankdir": rankdir, "ranksep": "0.2", "nodesep": "0.2"}
    graph = _digraph(graph_attr=graph_attr, node_attr={"fontsize": NODE_FONT, "height": "0.3"})
    for name, attrs in loose:
        graph.node(name, **attrs)
    _add_clusters(graph, in_neuron, in_layer, highlight)
    for tail, head, attrs in _edge_statements(selection, show_grad, edge_labels, compact, live):
        graph.edge(tail, head, **attrs)
    if highlight and not live:  # the live page has its legend beside the graph
        graph.attr(label=legend(selection), labelloc="b", fontsize=NODE_FONT, fontcolor="#555555")
    return graph


def legend(selection: Selection) -> str:
    """The legend of the colours this picture uses, and of no other."""
    drawn = {selection.kind(n) for n in selection.shown if n not in selection.box_of}
    if selection.boxes:
        drawn.add("neuron")
    return "    ".join(text for kind, text in LEGEND.items() if kind in drawn)


def _params_list(params: object) -> list[Value] | None:
    """``params`` read once into a list (a generator is read by every picture drawn from it:
    each candidate ``auto`` measures, each of the page's layouts), or None."""
    if params is None:
        return None
    if not isinstance(params, Iterable):
        raise TypeError(
            f"draw_dot: params must be an iterable of Values (a list, a tuple, a generator), "
            f"got {type(params).__name__} {params!r}"
        )
    return list(params)


def _readability(sizes: Any) -> float:
    """How readable a picture's smallest texts are: min(node px / 14, edge px / 12) (``READABLE_PX``);
    1 or more is readable. ``auto`` and the live page choose layouts by it."""
    return float(min(sizes.node_px / READABLE_PX[0], sizes.edge_px / READABLE_PX[1]))


def _readable_layout(
    root: Value, boxes: int, options: dict[str, Any], screen: tuple[int, int]
) -> tuple[str, bool, str]:
    """The first of ``AUTO_LAYOUTS`` whose text is readable fitted to ``screen``, else the best one.

    Each candidate is laid out by ``dot`` and measured with ``legibility.smallest_text``; without
    ``dot``, or for more than ``AUTO_MAX_BOXES`` boxes, the answer is left to right with ovals.
    """
    if boxes > AUTO_MAX_BOXES:
        return AUTO_LAYOUTS[0]
    best, best_score = AUTO_LAYOUTS[0], -1.0
    for layout in AUTO_LAYOUTS:
        rankdir, compact, fields = layout
        graph = draw_dot(root, rankdir=rankdir, compact=compact, fields=fields, **options)
        try:
            sizes = smallest_text(graph.pipe(format="svg", encoding="utf-8"), screen)
        except GraphvizMissing:
            return AUTO_LAYOUTS[0]
        score = _readability(sizes)
        if score >= 1.0:
            return layout
        if score > best_score:
            best, best_score = layout, score
    return best


def _check_options(
    root: object, rankdir: str, max_nodes: object, radius: object, collapse: bool, model: object
) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"draw_dot: root must be a Value, got {type(root).__name__}")
    if rankdir not in ("LR", "RL", "TB", "BT", "auto"):
        raise ValueError(f"draw_dot: rankdir must be 'LR', 'RL', 'TB', 'BT' or 'auto', got {rankdir!r}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"draw_dot: max_nodes must be an int >= 1, got {max_nodes!r}")
    if isinstance(radius, bool) or not isinstance(radius, int) or radius < 0:
        raise ValueError(f"draw_dot: radius must be an int >= 0, got {radius!r}")
    if collapse and model is None:
        raise ValueError("draw_dot: collapse=True needs model= (neurons are found from its parameter names)")
    if model is not None and not callable(getattr(model, "named_parameters", None)):
        raise TypeError(f"draw_dot: model must have named_parameters(), got {type(model).__name__}")


@dataclass(frozen=True)
class _BoxShape:
    """How a value's box is laid out: ``fields`` 'row', 'column' or 'grid' (names | numbers);
    ``compact``: the op that made the value is written in its box instead of an oval."""

    sideways: bool  # the graph flows left to right (Graphviz turns records by 90 degrees)
    compact: bool
    fields: str

    def record(self, names: list[str], numbers: list[str]) -> Any:
        """A record label from already-escaped fields."""
        if self.fields == "grid":
            text = "{" + "|".join(names) + "}|{" + "|".join(numbers) + "}"
            return _graphviz().nohtml("{" + text + "}" if self.sideways else text)
        text = "|".join(names + numbers)
        flipped = (self.fields == "row") == self.sideways  # braces turn a record's fields
        return _graphviz().nohtml("{" + text + "}" if flipped else text)


def _node_statements(
    selection: Selection, show_grad: bool, highlight: bool, focus: Value | None, shape: _BoxShape
) -> tuple[list[Statement], dict[str, list[Statement]], dict[str, list[Statement]]]:
    """Every box and oval to draw, sorted by where it goes: loose, in a neuron's cluster, in a layer's.

    ``shape.compact``: no ovals; a computed value's box starts with the op that made it."""
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
        name = f"v{selection.index[node]}"  # also the name a printed trace and the page use
        names = [escape_record(node.label or name)]
        if shape.compact and node.inputs:
            names.insert(0, escape_record(node.op))
        numbers = [f"data {box_number(node.data)}"] + ([f"grad {box_number(node.grad)}"] if show_grad else [])
        attrs = {"label": shape.record(names, numbers), "shape": "record", "tooltip": kind}
        if highlight:
            attrs.update(style="filled", fillcolor=COLOURS[kind])
        if node is selection.root or node is focus:
            attrs["penwidth"] = "2.5"
        place(node, (name, attrs))
        if node.inputs and not shape.compact:
            op_attrs = {"label": escape_text(node.op), "shape": "ellipse", "margin": "0.02"}
            place(node, (f"{name}_op", op_attrs))

    for neuron, box in selection.boxes.items():  # one record per collapsed neuron
        members = [n for n in selection.order if selection.box_of.get(n) == box]
        out = next(
            n
            for n in members
            if not any(selection.box_of.get(c) == box for c in selection.consumers.get(n, []))
        )
        names = [escape_record(neuron or "neuron"), escape_record(out.op)]
        numbers = [f"data {box_number(out.data)}"] + ([f"grad {box_number(out.grad)}"] if show_grad else [])
        attrs = {"label": shape.record(names, numbers), "shape": "record", "tooltip": "neuron"}
        if highlight:
            attrs.update(style="filled,rounded", fillcolor=NEURON_COLOUR)
        in_layer.setdefault(parent(neuron), []).append((box, attrs))
    return loose, in_neuron, in_layer


def _edge_statements(
    selection: Selection, show_grad: bool, edge_labels: bool, compact: bool = False, live: bool = False
) -> list[tuple[str, str, dict[str, str]]]:
    """Input -> op -> output edges (input -> output when ``compact``); one edge between a
    collapsed box and anything else. ``live``: each label padded with room for edits."""
    backward_ran = selection.root.grad != 0.0
    edges: list[tuple[str, str, dict[str, str]]] = []
    box_edges: set[tuple[str, str]] = set()
    box_of, index = selection.box_of, selection.index
    for node in selection.order:
        if node not in selection.shown or not node.inputs:
            continue
        target = box_of.get(node, f"v{index[node]}" if compact else f"v{index[node]}_op")
        if node not in box_of and not compact:
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
                text = box_number(local)
                if backward_ran and show_grad:
                    text = f"{box_number(local)} × {box_number(node.grad)} = {box_number(local * node.grad)}"
                if live:
                    text = with_room(text)
                attrs = {"label": escape_text(text), "fontsize": EDGE_FONT, "fontcolor": "#444444"}
            edges.append((source, target, attrs))
    return edges


def with_room(text: str) -> str:
    """An edge label padded on both sides with figure spaces (U+2007, as wide as a digit) to the
    length of ``local × upstream = contribution`` written with numbers of ``NUMBER_ROOM``
    characters, so that Graphviz leaves room for whatever numbers the live page writes there
    later (the page replaces the whole text; the numbers stay centred where Graphviz put them).

    A figure space is at least as wide as any character of a number (digits, ``.``, ``-``,
    ``e``), so the room is never less than the widest label of that length."""
    missing = max(0, len(f"{'0' * NUMBER_ROOM} × {'0' * NUMBER_ROOM} = {'0' * NUMBER_ROOM}") - len(text))
    return "\u2007" * (missing // 2) + text + "\u2007" * (missing - missing // 2)


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
            outer.attr(label=escape_text(layer or "model"), style="dashed", color="#888888")
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

    ``options`` are ``draw_dot``'s, except that ``rankdir`` defaults to 'auto' (the layout
    readable on a 1920 × 1080 screen). Raises ``GraphvizMissing`` (saying how to install it, and
    how to lay the DOT text out in a browser) when the ``dot`` program is missing or cannot run.
    Warns (``IllegibleGraphWarning``) when even that layout's text, fitted to the screen, is
    smaller than 14 px in the boxes or 12 px on the edges, and says how to draw less
    (``collapse=True`` with ``model=``, or ``focus=``).
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("svg", "png", "pdf"):
        raise ValueError(f"render: the file name must end in .svg, .png or .pdf, got {str(path)!r}")
    options.setdefault("rankdir", "auto")
    graph = draw_dot(root, **options)
    data = graph.pipe(format=fmt)
    path.write_bytes(data)
    svg = data.decode("utf-8") if fmt == "svg" else graph.pipe(format="svg", encoding="utf-8")
    _warn_if_illegible(svg, options)
    return path


def _warn_if_illegible(svg: str, options: dict[str, Any]) -> None:
    """An ``IllegibleGraphWarning`` when the picture's text, fitted to the screen (``options``'
    ``screen``, 1920 × 1080 by default), is smaller than ``READABLE_PX`` (box text 14 px, edge
    labels 12 px), saying how to draw less."""
    screen = options.get("screen", SCREEN)
    sizes = smallest_text(svg, screen)
    small = [
        f"{what} {px:.1f} px (readable: >= {least:.0f} px)"
        for what, px, least in zip(("box text", "edge labels"), (sizes.node_px, sizes.edge_px), READABLE_PX)
        if px < least
    ]
    if not small:
        return
    ways = ["focus=<a Value>, radius=1 or 2 (only its neighbourhood)"]
    if not options.get("collapse"):
        model = "collapse=True" if options.get("model") is not None else "model=<the network>, collapse=True"
        ways.insert(0, f"{model} (one box per neuron)")
    warnings.warn(
        f"render: fitted to a {screen[0]} × {screen[1]} screen, this picture's text is too small to read: "
        f"{' and '.join(small)}. Draw less: {', or '.join(ways)}.",
        IllegibleGraphWarning,
        stacklevel=3,
    )


def page_layouts(root: Value, **options: Any) -> list[str]:
    """The pictures the live page chooses from when it opens, as SVG text, the first one shown.

    With ``rankdir='auto'`` (and no more than ``AUTO_MAX_BOXES`` boxes) every one of
    ``AUTO_LAYOUTS``: first the one ``auto`` picks for ``screen``, then the others in their
    order. Each ``<svg>`` carries ``data-layout``, its place in ``AUTO_LAYOUTS``, so that the page
    can take the first one whose whole graph is readable in the graph panel it really has (a
    1366 × 768 laptop, a phone). Otherwise the one picture asked for.
    """
    options["params"] = _params_list(options.get("params"))  # read once, then drawn five times
    if options.get("rankdir") != "auto":
        return [to_svg(root, **options)]
    keys = ("params", "model", "collapse", "focus", "radius")
    boxes = select(root, **{k: options[k] for k in keys if k in options}).box_count()
    if boxes > AUTO_MAX_BOXES:
        return [to_svg(root, **options)]
    screen = options.get("screen", SCREEN)
    scored = []
    for k, (rankdir, compact, fields) in enumerate(AUTO_LAYOUTS):
        svg = to_svg(root, **{**options, "rankdir": rankdir, "compact": compact, "fields": fields})
        sizes = smallest_text(svg, screen)
        score = _readability(sizes)
        scored.append((score, svg.replace("<svg ", f'<svg data-layout="{k}" ', 1)))
    first = next((pair for pair in scored if pair[0] >= 1.0), max(scored, key=lambda pair: pair[0]))
    return [first[1]] + [svg for _, svg in scored if svg is not first[1]]


def to_svg(root: Value, **options: Any) -> str:
    """The picture as SVG text, what ``render`` writes to a .svg file (``options`` as for draw_dot)."""
    text: str = draw_dot(root, **options).pipe(format="svg", encoding="utf-8")
    return text


def page_dots(root: Value, **options: Any) -> list[str]:
    """The DOT texts of the pictures ``page_layouts`` makes, for a page that lays them out itself
    (with viz-js, Graphviz compiled for the browser) where the ``dot`` program cannot run here.

    With ``rankdir='auto'`` (and no more than ``AUTO_MAX_BOXES`` boxes) one DOT text for each of
    ``AUTO_LAYOUTS``, in that order: the page lays them out in turn and keeps the first whose
    whole graph is readable in its graph panel, the rule ``page_layouts`` follows. Otherwise the
    one picture asked for (left to right with ovals for ``'auto'`` beyond ``AUTO_MAX_BOXES``, as
    ``draw_dot`` does). Runs no program: only the ``graphviz`` package's DOT writer.
    """
    options.pop("screen", None)  # the page measures the panel it really has
    options["params"] = _params_list(options.get("params"))  # read once, then drawn five times
    if options.get("rankdir") != "auto":
        return [draw_dot(root, **options).source]
    keys = ("params", "model", "collapse", "focus", "radius")
    boxes = select(root, **{k: options[k] for k in keys if k in options}).box_count()
    layouts = AUTO_LAYOUTS if boxes <= AUTO_MAX_BOXES else AUTO_LAYOUTS[:1]
    sources = []
    for rankdir, compact, fields in layouts:
        graph = draw_dot(root, **{**options, "rankdir": rankdir, "compact": compact, "fields": fields})
        sources.append(graph.source)
    return sources
