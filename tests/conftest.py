"""Test-suite rules that hold for every test file.

A skipped test is reported as a failure: every test here needs only what the README's test
command installs (Graphviz, Chromium, PyTorch, the dev and cli extras), so a skip means a
missing install step, and a skip must never pass for coverage.

PyTorch, the reference, is optional: a test that needs it carries ``@pytest.mark.torch`` and
gets the module from the ``torch`` fixture (or imports it inside the test), so that every test
module imports without torch. Where torch is not installed, the tests marked ``torch`` are
deselected (not skipped, not failed), and the report's header says how many: the rest of the
suite, the fast loop included, runs and passes.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Generator
from typing import Any

import pytest

TORCH_INSTALLED = importlib.util.find_spec("torch") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without PyTorch, deselect the tests marked ``torch``; with it, change nothing."""
    if TORCH_INSTALLED:
        return
    needs_torch = [item for item in items if item.get_closest_marker("torch") is not None]
    if needs_torch:
        config.hook.pytest_deselected(items=needs_torch)
        items[:] = [item for item in items if item.get_closest_marker("torch") is None]
        config.stash[_DESELECTED] = len(needs_torch)


_DESELECTED = pytest.StashKey[int]()


def pytest_report_header(config: pytest.Config) -> str | None:
    if TORCH_INSTALLED:
        return None
    return "PyTorch is not installed: the tests marked 'torch' are deselected"


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    count = config.stash.get(_DESELECTED, 0)
    if count:
        terminalreporter.write_line(f"PyTorch is not installed: {count} tests marked 'torch' were deselected")


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
