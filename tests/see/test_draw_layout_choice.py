"""How ``draw_dot(rankdir="auto")`` picks its layout (``draw._readable_layout``): the first of
``AUTO_LAYOUTS`` whose smallest text, fitted to the screen, is readable (node text >= 14 px and
edge labels >= 12 px, ``READABLE_PX``), else the one that comes closest; nothing is measured
above ``AUTO_MAX_BOXES`` boxes. ``dot`` and the measuring are replaced by a table of sizes per
layout, so the rule itself is checked, in the fast loop, with sizes chosen by hand."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from autograd import Value
from autograd.see import draw

LAYOUTS = draw.AUTO_LAYOUTS
NODE, EDGE = draw.READABLE_PX


def choose(sizes: list[tuple[float, float]], monkeypatch: pytest.MonkeyPatch, boxes: int = 3) -> Any:
    """The layout chosen when layout k's smallest node text is sizes[k][0] px and its smallest
    edge label sizes[k][1] px; also the layouts that were measured, in order."""
    measured: list[int] = []

    class Laid:
        def __init__(self, k: int) -> None:
            self.k = k

        def pipe(self, **given: str) -> str:  # the text or the bytes: smallest_text reads both
            assert given["format"] == "svg"
            return str(self.k)

    def fake_draw_dot(root: Value, rankdir: str, compact: bool, fields: str, **options: Any) -> Laid:
        return Laid(LAYOUTS.index((rankdir, compact, fields)))

    def fake_smallest_text(svg: str, screen: tuple[int, int]) -> SimpleNamespace:
        k = int(svg)
        measured.append(k)
        return SimpleNamespace(node_px=sizes[k][0], edge_px=sizes[k][1])

    monkeypatch.setattr(draw, "draw_dot", fake_draw_dot)
    monkeypatch.setattr(draw, "smallest_text", fake_smallest_text)
    chosen = draw._readable_layout(Value(1.0), boxes, {}, (1920, 1080))
    return chosen, measured


def test_five_layouts_two_thresholds() -> None:
    assert len(LAYOUTS) == 5 and (NODE, EDGE) == (14.0, 12.0)


def test_the_first_readable_layout_is_taken_and_no_more_are_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = [(10.0, 20.0), (20.0, 11.0), (14.0, 12.0), (30.0, 30.0), (30.0, 30.0)]
    # layout 0: node text too small; 1: edge labels too small; 2: both exactly at the threshold
    assert choose(sizes, monkeypatch) == (LAYOUTS[2], [0, 1, 2])


def test_edge_labels_are_measured_against_their_own_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    # 100 px node text and 6 px edge labels: the score is min(100/14, 6/12) = 0.5, not readable
    sizes = [(100.0, 6.0), (14.0, 12.0), (1.0, 1.0), (1.0, 1.0), (1.0, 1.0)]
    assert choose(sizes, monkeypatch) == (LAYOUTS[1], [0, 1])


def test_none_readable_gives_the_closest_and_the_first_of_a_tie(monkeypatch: pytest.MonkeyPatch) -> None:
    # scores 0.5, 0.75, 0.5, 0.75, 0.25: the best is 0.75, first reached at layout 1
    sizes = [(7.0, 12.0), (14.0, 9.0), (7.0, 12.0), (10.5, 20.0), (3.5, 3.0)]
    assert choose(sizes, monkeypatch) == (LAYOUTS[1], [0, 1, 2, 3, 4])


def test_exactly_the_box_limit_is_still_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = [(1.0, 1.0), (20.0, 20.0), (1.0, 1.0), (1.0, 1.0), (1.0, 1.0)]
    assert choose(sizes, monkeypatch, boxes=draw.AUTO_MAX_BOXES) == (LAYOUTS[1], [0, 1])
    assert choose(sizes, monkeypatch, boxes=draw.AUTO_MAX_BOXES + 1) == (LAYOUTS[0], [])  # none measured


def page_first(sizes: list[tuple[float, float]], monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """``page_layouts``' order (as data-layout numbers) when layout k measures sizes[k]."""

    def fake_to_svg(root: Value, rankdir: str, compact: bool, fields: str, **options: Any) -> str:
        return f'<svg k="{LAYOUTS.index((rankdir, compact, fields))}"></svg>'

    def fake_smallest_text(svg: str, screen: tuple[int, int]) -> SimpleNamespace:
        k = int(svg.split('k="')[1].split('"')[0])
        return SimpleNamespace(node_px=sizes[k][0], edge_px=sizes[k][1])

    monkeypatch.setattr(draw, "to_svg", fake_to_svg)
    monkeypatch.setattr(draw, "smallest_text", fake_smallest_text)
    pictures = draw.page_layouts(Value(1.0), rankdir="auto")
    return [int(svg.split('data-layout="')[1].split('"')[0]) for svg in pictures]


def test_the_page_opens_on_the_layout_auto_picks_by_the_same_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    # layout 0 exactly at both thresholds, 3 far above them: 0 is the first readable one
    sizes = [(14.0, 12.0), (1.0, 1.0), (1.0, 1.0), (30.0, 30.0), (1.0, 1.0)]
    assert page_first(sizes, monkeypatch) == [0, 1, 2, 3, 4]
    # node text scaled by its own threshold (14 px), edge labels by theirs (12 px)
    sizes = [(100.0, 6.0), (13.0, 100.0), (1.0, 1.0), (14.0, 12.0), (1.0, 1.0)]
    assert page_first(sizes, monkeypatch) == [3, 0, 1, 2, 4]
    sizes = [(12.5, 100.0), (1.0, 1.0), (13.0, 12.0), (1.0, 1.0), (1.0, 1.0)]  # none readable: the closest, 2
    assert page_first(sizes, monkeypatch) == [2, 0, 1, 3, 4]
