"""``render_optimizers(comparison, 'opt.html')``: several optimizers' runs side by side, on one page.

``comparison`` is plain data, as ``nn.compare_optimizers(...)`` makes it (this module never imports
``nn``): parameter ``names``, the ``start``, one entry per optimizer in ``runs`` (``name``,
``optimizer``, ``hyper``, and per step ``loss``, ``params``, ``grads``, ``state``) and the
``surface`` (a grid of loss values on a plane, and each run's ``paths`` in that plane's coordinates).
The page (``optimizers_template.html``) shows, all at the step the scrubber is on:

- the loss curves of every run on one axis (logarithmic when every loss is positive);
- the paths on the loss surface, each run's point at that step marked. The surface is shaded by
  the loss in bands (darker = higher), so the bands read as contour lines;
- for the parameter chosen in the list, each optimizer's numbers at that step: the gradient g,
  the state after the step (momentum buffer b, RMSprop's s, Adam's m and v), Adam's bias-corrected
  m̂ = m / (1 - β₁ᵗ) and v̂ = v / (1 - β₂ᵗ), and the step it took, written out as the update rule
  with these numbers (lr·m̂/(√v̂ + ε) for Adam). The page computes m̂, v̂ and the step from the state
  and the hyperparameters; the recorded change of the parameter is shown beside it;
- ``predict``: each row shows g and the state *before* the step and asks for the step Δp; the
  rule with its numbers (and whether the answer was within 1%) appears once one is typed.

Each optimizer has one colour (Okabe and Ito's palette) and one dash pattern everywhere on the page
and on every page (``OPTIMIZER_STYLES``, by name). A play button, the arrow keys and
``window.chainrule`` (``frames() show(k) current() select(name) selected() row(optimizer)
predict(on) predicting() answer(optimizer, text)``) move it. Self-contained, offline, network
access forbidden, like the other pages; user text goes in as escaped JSON.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from autograd.see.page import fill_page, json_number, json_numbers, safe_json
from autograd.see.palette import CLASS_COLOURS

# One colour and one dash pattern per optimizer name, the same on every page whichever runs it has
# (Okabe and Ito's colours; sky blue, too near blue, only for a run of another name).
OPTIMIZER_STYLES = {
    "sgd": (CLASS_COLOURS[0], ""),
    "momentum": (CLASS_COLOURS[1], "8 4"),
    "nesterov": (CLASS_COLOURS[2], "2 3"),
    "rmsprop": (CLASS_COLOURS[3], "10 3 2 3"),
    "adam": (CLASS_COLOURS[5], "4 2"),
}
OTHER_STYLE = (CLASS_COLOURS[4], "1 2")


def _check(comparison: object) -> Mapping[str, Any]:
    if not isinstance(comparison, Mapping):
        raise TypeError(
            "render_optimizers: comparison must be a dict (nn.compare_optimizers(...)), "
            f"got {type(comparison).__name__}"
        )
    runs = comparison.get("runs")
    if not isinstance(runs, list) or not runs:
        raise ValueError("render_optimizers: the comparison has no runs")
    names = comparison.get("names")
    if not isinstance(names, list) or any(len(t) != len(names) for r in runs for t in r["params"]):
        raise ValueError("render_optimizers: every recorded point needs one number per name in 'names'")
    return comparison


def _run(run: Mapping[str, Any]) -> dict[str, Any]:
    hyper = {k: (list(v) if isinstance(v, tuple) else v) for k, v in run.get("hyper", {}).items()}
    return {
        "name": str(run["name"]),
        "optimizer": str(run["optimizer"]),
        "hyper": hyper,
        "loss": json_numbers(run["loss"]),
        "params": [json_numbers(t) for t in run["params"]],
        "grads": [json_numbers(g) for g in run["grads"]],
        "state": [{str(k): json_numbers(v) for k, v in s.items()} for s in run["state"]],
    }


def _surface(surface: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if surface is None:
        return None
    return {
        "kind": surface["kind"],
        "axes": [json_numbers(a) for a in surface["axes"]],
        "values": [json_numbers(r) for r in surface["values"]],
        "paths": [[json_numbers(xy) for xy in path] for path in surface["paths"]],
        "explained": json_number(float(surface["explained"])),
        "seconds": float(surface["seconds"]),
    }


def optimizers_page(comparison: Mapping[str, Any], title: str = "Optimizers side by side") -> str:
    """The page as HTML text (what ``render_optimizers`` writes)."""
    comparison = _check(comparison)
    runs = [_run(r) for r in comparison["runs"]]
    data = {
        "names": [str(n) for n in comparison["names"]],
        "runs": runs,
        "surface": _surface(comparison.get("surface")),
        "colours": [OPTIMIZER_STYLES.get(r["name"], OTHER_STYLE)[0] for r in runs],
        "dashes": [OPTIMIZER_STYLES.get(r["name"], OTHER_STYLE)[1] for r in runs],
        "selected": default_parameter(comparison),
    }
    return fill_page("optimizers_template.html", {"TITLE": html.escape(str(title)), "DATA": safe_json(data)})


def render_optimizers(
    comparison: Mapping[str, Any], path: str | Path, title: str = "Optimizers side by side"
) -> Path:
    """Write the page of ``nn.compare_optimizers(...)``'s result to ``path`` (.html). Returns the path."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"render_optimizers: the file name must end in .html, got {str(path)!r}")
    path.write_text(optimizers_page(comparison, title), encoding="utf-8")
    return path


def default_parameter(comparison: Mapping[str, Any]) -> int:
    """The parameter the page selects first: the one the runs moved most (summed over runs)."""
    runs = comparison["runs"]
    moved = [0.0] * len(comparison["names"])
    for run in runs:
        first, last = run["params"][0], run["params"][-1]
        for i, (a, b) in enumerate(zip(first, last)):
            if math.isfinite(a) and math.isfinite(b):
                moved[i] += abs(b - a)
    return max(range(len(moved)), key=moved.__getitem__) if moved else 0
