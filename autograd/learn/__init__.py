"""Learning by doing: grade a learner's derivatives and name the mistake, and quiz the backward pass.

``check.py`` (``check_op``, ``check_backward``) and ``quiz.py`` (``quiz``) are the public entry
points; ``autograd`` exposes them lazily, so ``import autograd`` loads none of this. They import
the engine only (an import-linter contract says so).

``MISTAKE_KINDS`` lists every kind of mistake the rule lab names (``Report.mistakes`` holds
``Mistake`` values, each with a ``kind`` from it and a ``message``); docs/mistakes.md shows one
example of each.
"""

from autograd.learn.report import MISTAKE_KINDS, Check, Mistake, Report

__all__ = ["MISTAKE_KINDS", "Check", "Mistake", "Report"]
