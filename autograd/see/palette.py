"""The colours every picture of data uses: plots, the flipbook, the demos and the notebook.

Class colours: Okabe and Ito's palette, which stays distinguishable for the common kinds of
colour blindness; class k has colour k (blue, orange, bluish green, vermilion, sky blue, reddish
purple). Plots also give each class its own marker, so they read in greyscale too.

Weight colours (the flipbook's edges): the two ends of ColorBrewer's PiYG scheme, a pair marked
safe for colour-blind viewers, green for a positive weight and magenta for a negative one. They
are kept apart from the class colours so that on one page a colour has one meaning: a weight's
sign is never drawn in a class's colour (their hues are at least 50 degrees from those of the
first five classes, the most a data set of the project has is three).
"""

from __future__ import annotations

CLASS_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7")
CLASS_NAMES = ("blue", "orange", "bluish green", "vermilion", "sky blue", "purple")

WEIGHT_COLOURS = ("#4D9221", "#C51B7D")  # positive, negative
WEIGHT_NAMES = ("green", "magenta")


def class_colour(k: int) -> str:
    """The colour of class ``k`` (the palette repeats after six classes)."""
    return CLASS_COLOURS[k % len(CLASS_COLOURS)]
