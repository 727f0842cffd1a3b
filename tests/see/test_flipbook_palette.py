"""The palettes of autograd/see/palette.py keep one meaning per colour on a page.

The flipbook draws weight signs in ``WEIGHT_COLOURS`` beside data in ``CLASS_COLOURS``: each
weight colour's hue must be far (>= 50 degrees) from every class colour the project's data sets
use (up to five classes), and the two weight colours far from each other.
"""

from __future__ import annotations

import colorsys

from autograd.see.palette import CLASS_COLOURS, CLASS_NAMES, WEIGHT_COLOURS, WEIGHT_NAMES


def hue(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 360.0 * colorsys.rgb_to_hsv(r, g, b)[0]


def apart(a: float, b: float) -> float:
    return min(abs(a - b), 360.0 - abs(a - b))


def test_weight_colours_are_apart_from_the_class_colours() -> None:
    assert len(WEIGHT_COLOURS) == len(WEIGHT_NAMES) == 2
    for weight in WEIGHT_COLOURS:
        for k, colour in enumerate(CLASS_COLOURS[:5]):
            assert apart(hue(weight), hue(colour)) >= 50, (weight, k, colour)
    assert apart(hue(WEIGHT_COLOURS[0]), hue(WEIGHT_COLOURS[1])) >= 120


def test_no_colour_name_is_used_twice() -> None:
    assert len(set(CLASS_NAMES) | set(WEIGHT_NAMES)) == len(CLASS_NAMES) + len(WEIGHT_NAMES)
