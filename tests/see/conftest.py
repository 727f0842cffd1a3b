"""Fixtures for the seeing tools' tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.see.browser import Browser, start_browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium at 1920x1080 for a test module (tests/see/browser.py)."""
    yield from start_browser()
