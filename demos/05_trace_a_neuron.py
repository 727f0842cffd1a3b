"""One neuron's computation graph, drawn with the chain rule written on every edge.

    python demos/05_trace_a_neuron.py [OUT_DIR]

The neuron of micrograd's lecture: o = tanh(x1*w1 + x2*w2 + b) with x1 = 2, x2 = 0,
w1 = -3, w2 = 1, b = 6.8813735870195432 (chosen so that n = 0.8814 and o = tanh(n) = 1/sqrt(2)).
What to notice, in the printout and in OUT_DIR/neuron.svg:
- do/dn = 1 - o**2 = 0.5 exactly, and every other gradient is 0.5 times one local derivative:
  do/dw1 = x1 * 0.5 = 1.0, do/dx1 = w1 * 0.5 = -1.5, do/dw2 = x2 * 0.5 = 0.0, do/dx2 = w2 * 0.5 = 0.5;
- each edge of the picture reads "local × upstream = contribution": the number that edge
  adds to its input's grad.
Also writes OUT_DIR/neuron-nn.svg, the same kind of neuron built by nn.Neuron (one fused dot
node), grouped in a cluster. Needs Graphviz's dot program.
"""

from __future__ import annotations

import math

from _common import output_dir

import autograd
import nn
from autograd import Value


def main() -> None:
    out = output_dir()
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    s = x1w1 + x2w2
    s.label = "s"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    steps = list(o.backward_steps())  # backward(), one node at a time, every step recorded

    print(f"o = tanh(n) = {o.data:.6f}   (1/sqrt(2) = {1 / math.sqrt(2):.6f})")
    print(f"do/dn = 1 - o**2 = {n.grad:.6f}")
    for leaf in (x1, w1, x2, w2, b):
        print(f"do/d{leaf.label:<2} = {leaf.grad:+.4f}")
    print()
    print("the chain rule on each edge (what the picture writes on it):")
    for step in steps:
        for term in step.terms:
            print(
                f"  {term.name:>5} -> {step.name:<5} local {term.local_grad:+.4f} × upstream "
                f"{term.upstream:+.4f} = {term.contribution:+.4f}"
            )

    params = [w1, w2, b]
    try:
        path = autograd.render(o, out / "neuron.svg", edge_labels=True, params=params)
        neuron = nn.Neuron(2, activation="tanh", seed=0)
        out_nn = neuron([Value(2.0, label="x1"), Value(0.0, label="x2")])
        out_nn.backward()
        path_nn = autograd.render(out_nn, out / "neuron-nn.svg", edge_labels=True, model=neuron)
    except autograd.GraphvizMissing as err:
        print(f"no picture: {err}")
        return
    print()
    print(f"wrote {path}")
    print(f"wrote {path_nn}")


if __name__ == "__main__":
    main()
