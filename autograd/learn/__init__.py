"""Learning by doing: grade a learner's derivatives and name the mistake, and quiz the backward pass.

``check.py`` (``check_op``, ``check_backward``) and ``quiz.py`` (``quiz``) are the public entry
points; ``autograd`` exposes them lazily, so ``import autograd`` loads none of this. They import
the engine only (an import-linter contract says so).
"""
