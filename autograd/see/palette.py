"""The class colours every picture of data uses: plots, the flipbook, the demos and the notebook.

Okabe and Ito's palette, which stays distinguishable for the common kinds of colour blindness;
class k has colour k (blue, orange, green, vermilion, sky blue, reddish purple). Plots also give
each class its own marker, so they read in greyscale too.
"""

from __future__ import annotations

CLASS_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7")
CLASS_NAMES = ("blue", "orange", "green", "vermilion", "sky blue", "purple")


def class_colour(k: int) -> str:
    """The colour of class ``k`` (the palette repeats after six classes)."""
    return CLASS_COLOURS[k % len(CLASS_COLOURS)]
