"""docs/ops.md's table of ops is generated from the op registry (``autograd.ops.OPS``) and checked.

After adding or changing an op, rewrite the table with

    python -m tests.docs.test_docs_ops_table

which replaces the lines between the two markers in docs/ops.md and leaves the rest alone.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from autograd import ops

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "ops.md"
BEGIN = "<!-- the table below is generated from autograd/ops.py's OPS: python -m tests.docs.test_docs_ops_table -->"
END = "<!-- end of the generated table -->"
HEADER = ("op (`node.op`)", "written as", "forward", "local derivatives")


def table() -> str:
    """The table, one row per registered op, in the registry's order, columns aligned."""
    rows = [
        (f"`{o.name}`", f"`{o.written}`" if not o.written.startswith("(") else o.written,
         f"{o.formula} ({o.domain})" if o.domain else o.formula, o.derivatives)
        for o in ops.OPS.values()
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(4)]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in [HEADER, *rows]]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def rewritten(text: str) -> str:
    """``text`` (docs/ops.md) with the generated table in place of the one between the markers."""
    before, rest = text.split(BEGIN + "\n", 1)
    _, after = rest.split(END, 1)
    return f"{before}{BEGIN}\n{table()}\n{END}{after}"


def test_the_table_is_the_one_the_registry_gives():
    text = DOC.read_text()
    assert text == rewritten(text), "docs/ops.md is out of date: run python -m tests.docs.test_docs_ops_table"


def test_the_table_lists_every_op_that_ops_py_records():
    source = (ROOT / "autograd" / "ops.py").read_text()
    recorded = set(re.findall(r'record\([^"]*"(\w+)"', source))
    documented = set(re.findall(r"^\| `(\w+)`", DOC.read_text(), flags=re.MULTILINE))
    assert recorded == documented == set(ops.OPS)


if __name__ == "__main__":
    DOC.write_text(rewritten(DOC.read_text()))
    sys.stdout.write(f"wrote {DOC.relative_to(ROOT)}\n")
