"""Regenerate the pictures under docs/ (needs Graphviz):  python docs/make_pictures.py

docs/quickstart.svg is the graph of the README's quick start, drawn after backward() with the
chain rule on every edge. Keep the code here and the README's in step (a test compares
the pictures).
"""

from __future__ import annotations

from pathlib import Path

from autograd import Value, render

DOCS = Path(__file__).resolve().parent


def quickstart(out: Path = DOCS) -> Path:
    """The README's quick start neuron, after backward(), with edge labels; written to out/quickstart.svg."""
    x = Value(2.0, label="x")
    w = Value(-3.0, label="w")
    b = Value(6.8813735870195432, label="b")
    n = x * w + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return render(o, out / "quickstart.svg", edge_labels=True, params=[w, b])


if __name__ == "__main__":
    print(f"wrote {quickstart()}")
