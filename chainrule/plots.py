"""One look for every plot the project draws: class colours, decision regions, loss curves.

The class colours are Okabe and Ito's palette for colour-blind viewers (blue, orange, bluish
green, then vermillion, sky blue, reddish purple), each class also with a marker of its own
(circle, square, triangle, ...), so two classes stay apart in grey print too. ``chainrule
train``, ``chainrule lesson`` and the demos all plot through these helpers, so class 0 is the
same blue circle everywhere.

A loss curve goes on a log scale when the losses span more than two orders of magnitude
(``LOG_SPAN``), since a linear axis then shows a drop to zero and hides everything after it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

from autograd.see.palette import class_colour

CLASS_MARKERS = ("o", "s", "^", "D", "v", "P")
LOG_SPAN = 100.0  # max / min of the positive losses above which the loss axis is logarithmic


def pyplot() -> Any:
    """matplotlib.pyplot, with the backend someone already chose left as it is.

    A notebook's kernel chooses the inline backend (Jupyter sets ``MPLBACKEND``), and so do
    ``%matplotlib``, ``matplotlib.use``, ``MPLBACKEND`` and a matplotlibrc: each is kept, so
    a plot shows where it is drawn, in the cell that draws it and in every later one. Only
    when no backend was chosen and no IPython shell is running (a script, the ``chainrule``
    command) is the file-only Agg backend picked, so a script never opens a window.
    """
    import matplotlib

    if not _backend_chosen(matplotlib) and not _in_ipython():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _backend_chosen(matplotlib: Any) -> bool:
    """True once a backend is chosen: pyplot imported, or rcParams naming one (not "pick one")."""
    if "matplotlib.pyplot" in sys.modules:
        return True
    params = matplotlib.rcParams
    if hasattr(params, "_get_backend_or_none"):  # matplotlib >= 3.8
        return params._get_backend_or_none() is not None
    from matplotlib import rcsetup

    return dict.__getitem__(params, "backend") is not rcsetup._auto_backend_sentinel


def _in_ipython() -> bool:
    """True inside an IPython shell or Jupyter kernel (``%matplotlib`` decides there, not us)."""
    ipython = sys.modules.get("IPython")
    return ipython is not None and getattr(ipython, "get_ipython", lambda: None)() is not None


def scatter_classes(ax: Any, X: Sequence[Sequence[float]], labels: Sequence[int]) -> None:
    """The points of each class in its colour and marker, labelled 'class k' for the legend."""
    for k in sorted(set(labels)):
        points = [x for x, y in zip(X, labels) if y == k]
        ax.scatter(
            [p[0] for p in points],
            [p[1] for p in points],
            c=class_colour(k),
            marker=CLASS_MARKERS[k % len(CLASS_MARKERS)],
            edgecolors="black",
            linewidths=0.6,
            s=36,
            label=f"class {k}",
            zorder=3,
        )
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")


def decision_regions(
    ax: Any,
    classify: Callable[[float, float], int],
    bounds: tuple[float, float, float, float],
    classes: int,
    steps: int = 80,
) -> None:
    """Shade the plane ``(x0, x1, y0, y1)`` by the class ``classify(u, v)`` picks, in light tints
    of the class colours."""
    from matplotlib.colors import ListedColormap

    x0, x1, y0, y1 = bounds
    gx = [x0 + (x1 - x0) * i / (steps - 1) for i in range(steps)]
    gy = [y0 + (y1 - y0) * j / (steps - 1) for j in range(steps)]
    regions = [[classify(u, v) for u in gx] for v in gy]
    cmap = ListedColormap([class_colour(k) for k in range(classes)])
    levels = [k - 0.5 for k in range(classes + 1)]
    ax.contourf(gx, gy, regions, levels=levels, cmap=cmap, alpha=0.25)


def bounds_of(X: Sequence[Sequence[float]], pad: float = 0.5) -> tuple[float, float, float, float]:
    """The data's extent plus ``pad`` on every side: ``(x0, x1, y0, y1)``."""
    xs, ys = [p[0] for p in X], [p[1] for p in X]
    return min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad


def loss_axis(ax: Any, losses: Sequence[float], label: str = "loss") -> None:
    """Label the loss axis and make it logarithmic when the losses span orders of magnitude."""
    positive = [v for v in losses if v > 0 and v == v and v != float("inf")]
    if positive and max(positive) / min(positive) > LOG_SPAN:
        ax.set_yscale("log")
        label += " (log scale)"
    ax.set_ylabel(label)


def decision_line(
    ax: Any, w: Sequence[float], b: float, bounds: tuple[float, float, float, float], **style: Any
) -> bool:
    """Draw the line w[0]*x + w[1]*y + b = 0 inside ``bounds`` ``(x0, x1, y0, y1)``.

    Returns False (and draws nothing) when w = (0, 0): then there is no line, every point is on
    the same side. A vertical line (w[1] = 0) is drawn as x = -b / w[0].
    """
    x0, x1, y0, y1 = bounds
    if w[0] == 0 and w[1] == 0:
        return False
    if abs(w[1]) >= abs(w[0]):  # solve for y: y = -(w0 x + b) / w1
        xs = [x0, x1]
        ys = [-(w[0] * x + b) / w[1] for x in xs]
    else:  # steep: solve for x
        ys = [y0, y1]
        xs = [-(w[1] * y + b) / w[0] for y in ys]
    ax.plot(xs, ys, **style)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return True
