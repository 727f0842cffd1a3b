"""Is a picture readable on a projector? The smallest text an SVG shows when fitted to a screen.

An SVG written by Graphviz says its size in points (``width="310pt"``) and gives each text a
``font-size`` in the units of its ``viewBox``. A browser draws 1 pt as 4/3 px. Fitted to a
screen of W × H px, the picture is scaled by

    s = min(W / width_px, H / height_px)

(it grows when it is small, shrinks when it is large), and a text of font size f units is
drawn at f × (width_px / viewBox width) × s px. ``smallest_text(svg)`` returns the smallest
such size among the node texts (boxes, ovals, cluster titles, the legend) and among the edge
labels, so a test can hold every picture to "node text >= 14 px, edge labels >= 12 px at
1920 × 1080".
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"
PX_PER_UNIT = {"pt": 4 / 3, "px": 1.0, "in": 96.0, "": 1.0}


@dataclass(frozen=True)
class TextSizes:
    """Smallest rendered text sizes in px at the given screen (``inf`` when there is none)."""

    node_px: float
    edge_px: float
    scale: float  # how much the picture was scaled to fit the screen
    width_px: float  # the picture's own size
    height_px: float


def _length_px(text: str | None, what: str) -> float:
    match = re.fullmatch(r"\s*([0-9.]+)\s*(pt|px|in|)\s*", text or "")
    if not match:
        raise ValueError(f"smallest_text: the SVG's {what} must be a length such as '310pt', got {text!r}")
    return float(match.group(1)) * PX_PER_UNIT[match.group(2)]


def smallest_text(svg: str, screen: tuple[int, int] = (1920, 1080)) -> TextSizes:
    """The smallest node text and edge label of ``svg``, in px, when fitted to ``screen``."""
    root = ET.fromstring(svg.encode() if isinstance(svg, str) else svg)
    width, height = _length_px(root.get("width"), "width"), _length_px(root.get("height"), "height")
    view = (root.get("viewBox") or "").split()
    units_to_px = width / float(view[2]) if len(view) == 4 and float(view[2]) > 0 else 1.0
    scale = min(screen[0] / width, screen[1] / height)
    node, edge = float("inf"), float("inf")
    for group, text in _texts(root):
        size = float(text.get("font-size", "14")) * units_to_px * scale
        if group == "edge":
            edge = min(edge, size)
        else:
            node = min(node, size)
    return TextSizes(node, edge, scale, width, height)


def _texts(root: ET.Element) -> list[tuple[str, ET.Element]]:
    """Every non-empty <text> with the class of the Graphviz group it sits in (node, edge, ...)."""
    found: list[tuple[str, ET.Element]] = []
    stack: list[tuple[ET.Element, str]] = [(root, "graph")]
    while stack:
        element, group = stack.pop()
        if element.tag == f"{SVG}g" and element.get("class") in ("node", "edge", "cluster"):
            group = element.get("class", group)
        if element.tag == f"{SVG}text" and "".join(element.itertext()).strip():
            found.append((group, element))
        stack.extend((child, group) for child in element)
    return found
