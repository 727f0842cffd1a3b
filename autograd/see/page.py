"""``render_steps(root, 'steps.html')``: the live graph page, to edit inputs and step through backward.

One self-contained HTML file: the graph as inline SVG (laid out by ``autograd/see/draw.py``),
the graph as JSON (each node's op, inputs, data and local derivatives), a JavaScript twin of
the op table (``ops_twin.js``, row for row like ``autograd/ops.py``) and the page's code
(``page_template.html``). In the page:

- every leaf's value can be typed, slid, or dragged (its box, sideways); the page reruns the
  forward rule of every op and the backward pass at once, and every box shows its new data and
  grad. An input outside an op's domain gives Python's error, as a message at that node;
- the backward pass can be stepped through (buttons, slider, arrow keys); at each step the
  panel writes out that step's chain rule for every input x of the node n:

      x.grad += (d n / d x) × n.grad       local × upstream = contribution, before -> after

- the graph pans and zooms (wheel, drag, + - 0 keys); ``p`` toggles a presentation mode;
  ``predict`` (or ``g``) hides the grads until the learner types what each step gives;
- ``window.chainrule`` scripts it: ``names() set(name, x) value(name) grad(name) steps()
  step(k) error() predicting()``; the page shows exactly the state these read.

Nothing is fetched from the network and a Content-Security-Policy forbids it. User text
reaches the page through Graphviz's SVG (which escapes it), through ``html.escape`` (the
title) and through JSON in which ``<``, ``>`` and ``&`` are written as ``\\u003c`` and so on,
so a label such as ``</script><script>...`` stays text.
"""

from __future__ import annotations

import html
import json
import math
import re
from importlib import resources
from pathlib import Path
from typing import Any

from autograd.backward import topological_order
from autograd.ops import leaky_relu_slope
from autograd.see.draw import COLOURS, MAX_NODES, to_svg
from autograd.see.selection import node_kind
from autograd.value import Value, to_float

STEP_COLOURS = {"current": "#d62728", "input": "#8c564b"}  # red and brown: unused by the boxes


def _number(x: float) -> float | str:
    """JSON has no NaN or infinity: those go as the strings JavaScript's Number() reads back."""
    if math.isfinite(x):
        return x
    return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")


def safe_json(value: object) -> str:
    """JSON that can sit inside a <script> element: no ``<``, ``>``, ``&`` or line separators."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def node_names(order: list[Value], model_names: dict[Value, str]) -> list[str]:
    """Each node's name on the page: its parameter name in ``model=`` (unique, unlike a neuron's
    ``w0`` label), else its label, else ``v<k>``."""
    return [model_names.get(node) or node.label or f"v{k}" for k, node in enumerate(order)]


def graph_data(
    root: Value, grad: float = 1.0, params: set[Value] | None = None, names: list[str] | None = None
) -> dict[str, Any]:
    """The page's graph, BEFORE the backward pass: every node and the grads backward starts from.

    Nodes are listed in ``topological_order(root)``; node k is the ``v<k>`` that ``draw_dot``
    draws, and its name is its label or ``v<k>``. The first ``computed`` nodes are the ones
    backward visits, in that order. ``leaky_relu`` nodes carry their slope
    (``ops.leaky_relu_slope``), so the page can redo them at any input.
    """
    order = topological_order(root)
    index = {node: k for k, node in enumerate(order)}
    params = params or set()
    names = names or node_names(order, {})
    nodes = []
    for k, node in enumerate(order):
        entry: dict[str, Any] = {
            "name": names[k],
            "op": node.op,
            "inputs": [index[c] for c in node.inputs],
            "data": _number(node.data),
            "local": [_number(g) for g in node.local_grads],
            "kind": node_kind(node, root, params),
        }
        if node.op == "leaky_relu":
            entry["slope"] = leaky_relu_slope(node)
        nodes.append(entry)
    computed = sum(1 for node in order if node.inputs)  # the backward order, then the leaves
    start = [0.0 if k < computed else node.grad for k, node in enumerate(order)]
    return {
        "root": nodes[0]["name"],
        "seed": _number(grad),
        "computed": computed,
        "start": [_number(g) for g in start],
        "nodes": nodes,
        "colours": {**COLOURS, **{f"step-{k}": v for k, v in STEP_COLOURS.items()}},
    }


def _svg_with_names(root: Value, order: list[Value], names: list[str], options: dict[str, Any]) -> str:
    """The drawing, with every node's page name in its box (the labels are put back afterwards)."""
    renamed = [(k, node, node.label) for k, node in enumerate(order) if node.label != names[k]]
    try:
        for k, node, _ in renamed:
            node.label = names[k]
        svg = to_svg(root, **options)
    finally:
        for _, node, label in renamed:
            node.label = label
    return svg[svg.index("<svg") :]  # drop the XML declaration and doctype: this is HTML


# The graph panel of the page on a 1920 x 1080 screen: the side panel takes 625 px (at most 600 px
# wide, 12 px padding each side, a 1 px border: page_template.html's #side) and the header 48 px.
GRAPH_PANEL = (1920 - 625, 1080 - 48)


def _template(name: str) -> str:
    return resources.files("autograd.see").joinpath(name).read_text(encoding="utf-8")


def fill_page(template_name: str, slots: dict[str, str]) -> str:
    """One of the two page templates with the head they share (``page_head.html``) put in and
    its ``{{SLOT}}`` s filled from ``slots`` in one pass, so that no text put into one slot (a
    label, say) is ever read as another slot."""
    text = _template(template_name).replace("{{HEAD}}", _template("page_head.html"))
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: slots[m.group(1)], text)


def render_steps(
    root: Value, path: str | Path, grad: float = 1.0, max_nodes: int = MAX_NODES, **options: Any
) -> Path:
    """Run ``root``'s backward pass and write the live page to ``path``. Returns the path.

    This *is* a backward pass (as ``root.backward(grad)``: leaves accumulate). A graph of
    more than ``max_nodes`` nodes is refused with a ``ValueError`` before anything runs.
    ``options`` go to ``draw_dot`` (``model=``, ``params=``, ``edge_labels=``, ...;
    ``show_grad`` is always on). Needs Graphviz, like ``render``.
    """
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"render_steps: the file name must end in .html, got {str(path)!r}")
    text = live_page(root, grad, max_nodes, **options)
    path.write_text(text, encoding="utf-8")
    return path


def live_page(root: Value, grad: float = 1.0, max_nodes: int = MAX_NODES, **options: Any) -> str:
    """The live page as HTML text (what ``render_steps`` writes and ``show`` displays)."""
    if not isinstance(root, Value):
        raise TypeError(f"render_steps: root must be a Value, got {type(root).__name__}")
    grad = to_float(grad, "render_steps")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"render_steps: max_nodes must be an int >= 1, got {max_nodes!r}")
    order = topological_order(root)
    if len(order) > max_nodes:
        raise ValueError(
            f"render_steps: the graph has {len(order)} nodes, more than max_nodes={max_nodes}; "
            "a page that large cannot be read. Step through a smaller piece (one neuron), or raise max_nodes."
        )
    if options.get("params") is not None:
        options["params"] = list(options["params"])  # read twice: here and by draw_dot
    params = set(options.get("params") or [])
    named = getattr(options.get("model"), "named_parameters", None)
    model_names: dict[Value, str] = {}
    if callable(named):
        model_names = {p: name for name, p in named()}
        params |= set(model_names)
    names = node_names(order, model_names)
    data = graph_data(root, grad, params, names)
    root.backward(grad)
    options["show_grad"] = True
    options.setdefault("max_nodes", max_nodes)
    options.setdefault("rankdir", "auto")  # the layout that reads best on a projector, as render()
    options.setdefault("screen", GRAPH_PANEL)  # ... in the part of the page the graph gets
    options["live"] = True  # edge labels laid out with room for the numbers edits bring
    svg = _svg_with_names(root, order, names, options)
    title = f"Backward pass of {root.label or 'the graph'}: {data['computed']} steps"
    slots = {
        "TITLE": html.escape(title),
        "SVG": svg,
        "DATA": safe_json(data),
        "OPS": _template("ops_twin.js"),
    }
    return fill_page("page_template.html", slots)
