"""``render_steps(root, 'steps.html')``: a page to click through the backward pass, step by step.

One self-contained HTML file: the graph as inline SVG (drawn by ``autograd/see/draw.py``), the
steps of ``backward_steps`` as JSON, and a little inline JavaScript (in
``page_template.html``) with prev/next buttons, a slider and the arrow keys. At each step the
node whose gradient is being passed on is highlighted, its inputs too, the grads in the
boxes show their values at that moment, and a panel writes out that step's chain rule:

    x.grad += (d n / d x) × n.grad       local × upstream = contribution, before -> after

Nothing is fetched from the network. User text reaches the page only through Graphviz's SVG
(which escapes it) and through JSON in which ``<``, ``>`` and ``&`` are written as ``\\u003c``
and so on, so a label such as ``</script><script>...`` stays text.
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
from autograd.see.draw import to_svg
from autograd.steps import backward_steps
from autograd.value import Value, to_float


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


def steps_data(root: Value, grad: float = 1.0) -> dict[str, Any]:
    """Run the backward pass on ``root`` and return the page's data: start grads and every step.

    Nodes are referred to by k, their position in ``topological_order(root)``, which is also
    the ``v<k>`` name ``draw_dot`` gives them.
    """
    order = topological_order(root)
    index = {node: k for k, node in enumerate(order)}
    start = [0.0 if node.inputs else node.grad for node in order]  # what backward() starts from
    start[0] += grad
    steps = []
    for step in backward_steps(root, grad):
        terms = [
            {
                "input": index[t.input],
                "name": t.name,
                "local": _number(t.local_grad),
                "contribution": _number(t.contribution),
                "before": _number(t.grad_before),
                "after": _number(t.grad_after),
            }
            for t in step.terms
        ]
        steps.append(
            {
                "node": index[step.node],
                "name": step.name,
                "op": step.node.op,
                "data": _number(step.node.data),
                "upstream": _number(step.upstream),
                "terms": terms,
            }
        )
    root_name = root.label or "v0"
    return {"root": root_name, "seed": _number(grad), "start": [_number(g) for g in start], "steps": steps}


def render_steps(root: Value, path: str | Path, grad: float = 1.0, **options: Any) -> Path:
    """Run ``root``'s backward pass and write the step-through page to ``path``. Returns the path.

    This *is* a backward pass (as ``root.backward(grad)``: leaves accumulate). ``options`` go
    to ``draw_dot`` (``model=``, ``edge_labels=``, ...; ``show_grad`` is always on, since the
    page fills the grads in step by step). Needs Graphviz, like ``render``.
    """
    if not isinstance(root, Value):
        raise TypeError(f"render_steps: root must be a Value, got {type(root).__name__}")
    grad = to_float(grad, "render_steps")
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"render_steps: the file name must end in .html, got {str(path)!r}")
    options["show_grad"] = True
    data = steps_data(root, grad)
    svg = to_svg(root, **options)
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and doctype: this is HTML
    title = f"Backward pass of {root.label or 'the graph'}: {len(data['steps'])} steps"
    slots = {"TITLE": html.escape(title), "SVG": svg, "DATA": safe_json(data)}
    template = resources.files("autograd.see").joinpath("page_template.html").read_text(encoding="utf-8")
    page = re.sub(r"\{\{(TITLE|SVG|DATA)\}\}", lambda m: slots[m.group(1)], template)  # one pass
    path.write_text(page, encoding="utf-8")
    return path
