"""The pages are UTF-8 files whatever the machine's locale.

Each template holds characters outside ASCII (Δ, —, ×), and each page says ``<meta
charset=utf-8>``. Where the locale's encoding is not UTF-8 (Windows' cp1252, a C locale), a
template read or a page written in the locale's encoding would fail or write other bytes; these
tests switch the locale to ASCII ("C") and check the file is the page, byte for byte, in UTF-8.
"""

from __future__ import annotations

import locale
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograd import Value
from autograd.see.flipbook import flipbook_page, render_flipbook
from autograd.see.optimizers import optimizers_page, render_optimizers
from autograd.see.page import live_page, render_steps
from tests.see.test_see_tools_mutants import comparison, flip_run


@pytest.fixture
def ascii_locale() -> Iterator[None]:
    saved = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, "C")
    except locale.Error:  # pragma: no cover - every POSIX system has the C locale
        pytest.skip("no C locale here")
    try:
        if locale.getpreferredencoding(False).lower().replace("-", "") in ("utf8", "utf_8"):
            pytest.skip("Python's UTF-8 mode is on: the locale does not change the default encoding")
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, saved)


def test_the_templates_are_not_ascii() -> None:
    """What makes the encoding matter: every template has characters outside ASCII."""
    page = flipbook_page(flip_run(), "run")
    assert any(ord(c) > 127 for c in page)
    assert any(ord(c) > 127 for c in optimizers_page(comparison(), "opt"))


def test_flipbook_is_utf8_in_an_ascii_locale(ascii_locale: None, tmp_path: Path) -> None:
    path = render_flipbook(flip_run(), tmp_path / "run.html", "Δ run")
    assert path.read_bytes().decode("utf-8") == flipbook_page(flip_run(), "Δ run")


def test_optimizers_page_is_utf8_in_an_ascii_locale(ascii_locale: None, tmp_path: Path) -> None:
    path = render_optimizers(comparison(), tmp_path / "opt.html", "SGD — Adam")
    assert path.read_bytes().decode("utf-8") == optimizers_page(comparison(), "SGD — Adam")


def test_live_page_is_utf8_in_an_ascii_locale(ascii_locale: None, tmp_path: Path) -> None:
    x = Value(2.0, label="x")
    y = (x * x).tanh()
    y.label = "ŷ"
    path = render_steps(y, tmp_path / "steps.html", layout="browser")
    text = path.read_bytes().decode("utf-8")
    assert text == live_page(y, layout="browser")
    assert "ŷ" in text


def test_a_notebook_page_saves_as_utf8_in_an_ascii_locale(ascii_locale: None, tmp_path: Path) -> None:
    from autograd.see.notebook import show

    page = show(flip_run())
    saved = page.save(str(tmp_path / "run.html"))
    assert saved == str(tmp_path / "run.html")
    assert Path(saved).read_bytes().decode("utf-8") == page.html
