"""The lesson's parts as the classroom's pages open them: the code in each page's editor.

Each part's ``source`` runs the same in CPython and in Pyodide; ``numbers`` is an expression,
evaluated after ``source`` in the same namespace, whose floats the two runtimes must agree on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    """One page of the classroom.

    ``slug`` is the page's file name without ``.html`` (``[a-z0-9-]+``); ``intro`` is plain text,
    paragraphs separated by blank lines (the builder escapes it); ``source`` is the Python the
    editor opens with; ``numbers`` evaluates, after ``source``, to a list of floats.
    """

    slug: str
    title: str
    intro: str
    source: str
    numbers: str


PARTS: tuple[Part, ...] = (
    Part(
        slug="neuron",
        title="One neuron, backward",
        intro="A neuron's output, then backward(): each input's grad by the chain rule.",
        source=(
            "from autograd import Value\n"
            "x = Value(2.0, label='x')\n"
            "w = Value(-3.0, label='w')\n"
            "b = Value(1.0, label='b')\n"
            "out = (x * w + b).tanh()\n"
            "out.backward()\n"
            "print(out.data, x.grad, w.grad)\n"
        ),
        numbers="[out.data, x.grad, w.grad, b.grad]",
    ),
)
