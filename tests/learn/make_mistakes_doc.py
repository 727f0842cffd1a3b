"""Write docs/mistakes.md: every kind of mistake the rule lab names, each with one learner's rule.

    python tests/learn/make_mistakes_doc.py          rewrite docs/mistakes.md

The kinds and their meanings come from ``autograd.learn.MISTAKE_KINDS``, the examples from the
corpus (``tests/learn/rule_corpus.py``), and each example's text is what ``check_op`` (or
``check_backward``) really says: ``tests/learn/test_rule_corpus.py`` checks that the file is what
this script writes.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))
DOC = ROOT / "docs" / "mistakes.md"

from autograd import check_backward, check_op  # noqa: E402
from autograd.learn import MISTAKE_KINDS  # noqa: E402
from tests.learn.rule_corpus import RIGHT, WRONG, Rule, naive_sigmoid, sigmoid  # noqa: E402

INTRO = """\
# Every mistake the rule lab names

`check_op(forward, derivative)` and `check_backward(forward, backward)` (see
[exercises.md](exercises.md#the-rule-lab-custom_op-check_op-check_backward)) return a report whose
`.mistakes` are values: each has a `kind`, one of the keys of `autograd.learn.MISTAKE_KINDS`
(stable: a grader or a class's statistics can count them), and a `message`, the sentence a learner
reads (`str()` of the mistake). A derivative that is right wherever it gives a finite number but
overflows at |x| = 100 or 1000 passes, with a note (`.notes`).

Below, for each kind, one rule from the corpus of learners' rules in
`tests/learn/rule_corpus.py` ({wrong} wrong rules, each with the kinds it must get, and {right}
right ones, each of which must pass), and what the report says about it. This file is generated
from that table (`python tests/learn/make_mistakes_doc.py`); a test checks it is up to date.
Each example needs `import math`, `import numpy` and `from autograd import check_op, check_backward`
above it;
under it is the kind and the message of each mistake in the report (`f"{{m.kind}}: {{m}}"`).

| kind | what it means | rules in the corpus |
|---|---|---|
{table}
"""


def _report(rule: Rule) -> object:
    check = check_backward if rule.backward else check_op
    return check(rule.forward, rule.function(), domain=rule.domain)


def _example(rule: Rule, title: str) -> str:
    report = _report(rule)
    lines = [f"note: {n}" for n in report.notes] + [  # type: ignore[attr-defined]
        f"{m.kind}: {m}"
        for m in report.mistakes  # type: ignore[attr-defined]
    ]
    call = "check_backward" if rule.backward else "check_op"
    domain = "" if rule.domain == (-3.0, 3.0) else f", domain={rule.domain!r}"
    helpers = [h for h in (naive_sigmoid, sigmoid) if f"{h.__name__}(" in rule.body and h is not rule.forward]
    code = (
        "".join(inspect.getsource(h) + "\n\n" for h in helpers)
        + inspect.getsource(rule.forward)
        + "\n\n"
        + rule.source
        + f"\n\nreport = {call}({rule.forward.__name__}, {rule.name}{domain})\n"
    )
    verdict = "passes" if report.ok else "wrong"  # type: ignore[attr-defined]
    return f"{title}\n\n```python\n{code}```\n\n{verdict}:\n\n```text\n" + "\n".join(lines) + "\n```\n"


def mistakes_doc() -> str:
    """The text of docs/mistakes.md."""
    table = "\n".join(
        f"| `{kind}` | {meaning} | {sum(kind in r.kinds for r in WRONG)} |"
        for kind, meaning in MISTAKE_KINDS.items()
    )
    parts = [INTRO.format(wrong=len(WRONG), right=len(RIGHT), table=table)]
    for kind, meaning in MISTAKE_KINDS.items():
        examples = [r for r in WRONG if r.kinds == (kind,)] or [r for r in WRONG if kind in r.kinds]
        parts.append(_example(examples[0], f"## `{kind}`\n\n{meaning[0].upper()}{meaning[1:]}."))
    (lesson,) = [r for r in RIGHT if "naive_sigmoid(x) * (1 - naive_sigmoid(x))" in r.body]
    parts.append(
        _example(
            lesson,
            "## Right, with a note\n\nThe seed lesson's own `sigmoid(x) * (1 - sigmoid(x))`, with a sigmoid "
            "written with `math.exp(-x)`, overflows at x = -1000; everywhere else it is right, so it passes.",
        )
    )
    return "\n".join(parts)


if __name__ == "__main__":
    DOC.write_text(mistakes_doc())
    print(f"wrote {DOC}")
