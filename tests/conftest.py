"""Test-suite rules that hold for every test file.

A skipped test is reported as a failure: every test here needs only what the README's test
command installs (Graphviz, Chromium, PyTorch, the dev and cli extras), so a skip means a
missing install step, and a skip must never pass for coverage.

PyTorch, the reference, is optional: a test that needs it carries ``@pytest.mark.torch`` and
gets the module from the ``torch`` fixture (or imports it inside the test), so that every test
module imports without torch and ``pytest -m "not torch"`` runs the rest where torch is absent.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, which counts as a failure in this suite: {reason}"


@pytest.fixture
def torch(request: pytest.FixtureRequest) -> Any:
    """The ``torch`` module, for a test marked ``torch`` (an unmarked test asking for it fails)."""
    if request.node.get_closest_marker("torch") is None:
        pytest.fail(f"{request.node.nodeid} uses PyTorch: mark it @pytest.mark.torch", pytrace=False)
    import torch

    return torch
