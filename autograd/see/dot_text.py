"""Text that goes into a DOT picture: user text escaped for Graphviz, numbers in a fixed format.

User text (labels, op names, parameter names) is escaped everywhere it enters DOT, so
``x<b>"q"{d}|e`` or ``<script>`` is drawn verbatim and never read as markup.
"""

from __future__ import annotations

import math
import re

from autograd.value import Value

_RECORD_SPECIAL = frozenset('\\{}|<>" ')


def escape_record(text: str) -> str:
    """``text`` as literal characters inside one field of a DOT record label.

    Record syntax gives ``{ } | < >`` and spaces a meaning and DOT strings give ``"`` and
    backslash one; each gets a backslash. ``&`` becomes ``&amp;`` because Graphviz expands
    entities such as ``&lt;`` in every label. Newlines become line breaks, other control
    characters spaces.
    """
    _check_str(text)
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
    """``text`` for a plain label (op, edge, cluster title): backslash, ``"``, ``&`` and ``<`` made literal.

    ``<`` gets a backslash (Graphviz draws ``\\<`` as ``<``) so that text such as ``<b>op</b>``
    never reaches DOT as an HTML-like label, which the graphviz package would pass on unquoted.
    """
    _check_str(text)
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    return text.replace("<", "\\<")


def _check_str(text: object) -> None:
    """Labels, op names and parameter names must be str (``v.label = 123`` is caught here)."""
    if type(text) is not str:
        raise TypeError(f"draw: a label must be a str, got {type(text).__name__} {text!r:.40}")


def box_number(x: float) -> str:
    """A number in a box: four decimals as in micrograd (-0.5000), scientific when tiny or huge.

    At most 11 characters (-99999.9999, -1.234e-100): the live page leaves room for that many in
    its boxes and on its edges, so that no number it writes after an edit crowds another label.

    Zero is 0.0000 whatever its sign: 0.0 * -3.0 is IEEE's -0.0, which equals 0 and would only
    puzzle a class as -0.0000 (the live page prints it the same way).
    """
    if isinstance(x, Value):  # a grad after backward(create_graph=True)
        x = x.data
    if not isinstance(x, (int, float)):  # e.g. ``v.data = "abc"`` set after construction
        raise TypeError(f"draw: data and grad must be numbers, got {type(x).__name__} {x!r:.40}")
    if math.isnan(x) or math.isinf(x):
        return str(x)
    if x == 0.0:
        return "0.0000"
    if 1e-4 <= abs(x) < 1e5:
        return f"{x:.4f}"
    return f"{x:.3e}"
