"""docs/ops.md lists exactly the ops that autograd/ops.py records."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_op_table_lists_every_recorded_op():
    source = (ROOT / "autograd" / "ops.py").read_text()
    recorded = set(re.findall(r'record\([^"]*"(\w+)"', source))
    table = (ROOT / "docs" / "ops.md").read_text()
    documented = set(re.findall(r"^\| `(\w+)`", table, flags=re.MULTILINE))
    assert recorded == documented
    assert len(recorded) == 20
