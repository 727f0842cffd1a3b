"""The rule lab on its corpus: each wrong rule gets exactly its kinds, each right one passes.

The corpus (``rule_corpus.py``) holds the learners' rules and the kinds of mistake each makes,
derived by hand; the checker knows no derivative and finds the true ones by central differences.
docs/mistakes.md is generated from the corpus, and must be what the generator writes now.
"""

import re

import pytest

from autograd import check_backward, check_op
from autograd.learn import MISTAKE_KINDS, Mistake
from tests.learn.make_mistakes_doc import DOC, mistakes_doc
from tests.learn.rule_corpus import RIGHT, WRONG


def report_of(rule):
    check = check_backward if rule.backward else check_op
    return check(rule.forward, rule.function(), domain=rule.domain)


def test_the_corpus_is_large_enough_and_names_every_kind():
    assert len(WRONG) >= 60 and len(RIGHT) >= 25
    named = {kind for rule in WRONG for kind in rule.kinds}
    assert named == set(MISTAKE_KINDS), set(MISTAKE_KINDS) ^ named
    assert all(rule.kinds for rule in WRONG) and not any(rule.kinds for rule in RIGHT)


@pytest.mark.parametrize("rule", WRONG, ids=[r.id for r in WRONG])
def test_a_wrong_rule_gets_exactly_its_kinds(rule):
    report = report_of(rule)
    assert not report.ok
    assert set(report.kinds) == set(rule.kinds), str(report)
    for mistake in report.mistakes:
        assert isinstance(mistake, Mistake) and mistake.kind in MISTAKE_KINDS
        assert f"mistake: {mistake.message}" in str(report)  # str() of a mistake is its message
        assert str(mistake) == mistake.message
    if rule.note:
        assert report.notes, str(report)
    for yours, right in re.findall(r"yours (-?[\d.e+-]+), (?:right|true) (-?[\d.e+-]+)", str(report)):
        assert yours.rstrip(".") != right.rstrip("."), str(
            report
        )  # a wrong number never prints as the right one


@pytest.mark.parametrize("rule", RIGHT, ids=[r.id for r in RIGHT])
def test_a_right_rule_passes(rule):
    report = report_of(rule)
    assert report.ok, str(report)
    assert report.mistakes == ()
    assert bool(report.notes) == rule.note, str(report)
    assert str(report).startswith(f"{report.name}: all checks pass")


def test_docs_mistakes_md_is_up_to_date():
    assert DOC.read_text() == mistakes_doc(), "run: python tests/learn/make_mistakes_doc.py"
