"""Text that goes into a DOT picture: user text escaped for Graphviz, numbers in a fixed format.

User text (labels, op names, parameter names) is escaped everywhere it enters DOT, so
``x<b>"q"{d}|e`` or ``<script>`` is drawn verbatim and never read as markup.
"""

from __future__ import annotations

import math
import re

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
