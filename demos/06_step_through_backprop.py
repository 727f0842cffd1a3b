"""Backpropagation one step at a time: a printed chain-rule trace, paths, a page, and pdb.

    python demos/06_step_through_backprop.py [OUT_DIR]

A neuron with a squared-error loss, with numbers you can check in your head:
    x = 0.5, w = 2, b = -1:  z = w*x + b = 0,  a = tanh(z) = 0,  target y = 1,  L = (a - y)**2 = 1
    dL/da = 2(a - y) = -2,  da/dz = 1 - a**2 = 1,  dL/dw = -2 * 1 * x = -1,  dL/db = -2,  dL/dx = -2 * w = -4
What to notice:
- ``L.backward_steps()`` does what ``L.backward()`` does, but stops after each node and says
  which input received what: grad += local derivative × upstream gradient;
- ``explain(x, root)`` writes one derivative as a sum over paths; with fan-out (x used twice
  in f = x*y + x) there are two paths and their sum is x.grad;
- OUT_DIR/steps.html (needs Graphviz) lets you click through the same steps in a browser.
To stop *inside* the engine's loop with pdb, see demos/step_through.py and docs/debugging.md:
find the chain-rule line (grep prints FILE:NUMBER: and the line), start pdb from the repository
root (or on your own script from anywhere), then `b FILE:NUMBER`:
    grep -Hn "the chain rule; +=" "$(python -c 'import autograd.backward as m; print(m.__file__)')"
    python -m pdb -m demos.step_through
"""

from __future__ import annotations

from _common import output_dir

import autograd
from autograd import Value


def neuron_loss() -> tuple[Value, dict[str, Value]]:
    x, w, b = Value(0.5, label="x"), Value(2.0, label="w"), Value(-1.0, label="b")
    wx = w * x
    wx.label = "wx"
    z = wx + b
    z.label = "z"
    a = z.tanh()
    a.label = "a"
    err = a - 1.0
    err.label = "err"
    loss = err**2
    loss.label = "L"
    return loss, {"x": x, "w": w, "b": b}


def main() -> None:
    out = output_dir()
    loss, leaves = neuron_loss()
    print(f"L = (tanh(w*x + b) - 1)**2 = {loss.data}")
    print("the backward pass, step by step:")
    for step in loss.backward_steps():
        print(step)
    print("(v5 and v6 are the constants 2 and 1 of (a - 1)**2: numbers become leaf Values too)")
    print("gradients: " + ", ".join(f"dL/d{name} = {v.grad}" for name, v in leaves.items()))
    print()
    print(autograd.explain(leaves["w"], loss))
    print()

    x, y = Value(3.0, label="x"), Value(4.0, label="y")
    xy = x * y
    xy.label = "xy"
    f = xy + x
    f.label = "f"
    f.backward()
    print("fan-out: f = x*y + x with x = 3, y = 4; df/dx = y + 1 = 5")
    print(x.explain(f))
    print()

    loss, leaves = neuron_loss()  # render_steps runs its own backward pass, in the page
    try:
        page = autograd.render_steps(loss, out / "steps.html", params=[leaves["w"], leaves["b"]])
    except autograd.GraphvizMissing as err:
        print(f"no page: {err}")
    else:
        print(f"wrote {page} (open it in a browser: prev/next, slider, arrow keys)")
    print("in pdb: python -m pdb -m demos.step_through")
    print("        (demos/step_through.py; the walk-through is in docs/debugging.md)")


if __name__ == "__main__":
    main()
