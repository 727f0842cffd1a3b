"""``render_flipbook(run, 'run.html')``: a recorded training run as one page with a scrubber.

``run`` is plain data, as ``nn.record.TrainingRecorder.as_dict()`` makes it (this module never
imports ``nn``): parameter ``names``, the network's ``layers`` (each neuron's weight and bias
parameter indices), ``frames`` (per step: ``step``, ``loss``, ``params``, ``grads``, with
mini-batches the ``epoch`` the step belongs to, optionally ``health`` per layer, and for 2-D
data ``scores`` on a grid), and
the ``data`` and ``grid``. The page
(``flipbook_template.html``) shows, all at the frame the scrubber is on:

- the network collapsed to one circle per neuron, each edge coloured by its weight's sign
  and as wide as ``EDGE px * |w| / W`` (``W`` the largest ``|w|`` of the whole run), each neuron
  ringed ``RING px * sqrt(g / G)`` wide, where ``g`` is the norm of its parameters' grads
  (written beside it) and ``G`` the largest of the run: one scale for every frame, so a
  shrinking gradient is seen to shrink, and a square root so that small ones still show. The
  legend states both scales in the pixels drawn (``EDGE`` and ``RING`` fit the panel);
- the loss curve with a marker at the current step;
- the decision boundary (the sign of the score on the grid) with the data points;
- one layer as a matrix ``W``: a row per neuron, a column per input and the bias last, each cell
  the weight and its grad at the frame, as recorded; pointing at a cell haloes its edge in the
  network (a bias: its neuron), pointing at an edge marks its cell.

Each colour means one thing: the classes have ``palette.CLASS_COLOURS`` (as in every plot) and
the weights' signs ``palette.WEIGHT_COLOURS``, which are kept apart in hue; marks that mean no
class or sign (rings, the loss curve and its marker) are grey or black. Both drawings are laid
out in screen pixels, again whenever the window or presentation mode changes: text is at least
14 px (12 px on a phone, where the page is one column with the drawing first), 20 px when
presenting, and a network too big for its panel scrolls rather than shrinking its text.

A play button, the arrow keys and ``window.chainrule`` (``frames() show(k) frame(k)``, and
``layer(l)`` for the matrix) move it. Like the live graph page it is self-contained, offline,
and forbids network access.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from autograd.see.page import fill_page, json_number, json_numbers, safe_json
from autograd.see.palette import CLASS_COLOURS, CLASS_NAMES, WEIGHT_COLOURS, WEIGHT_NAMES


def _check_run(run: object) -> Mapping[str, Any]:
    if not isinstance(run, Mapping):
        raise TypeError(
            f"render_flipbook: run must be a dict (TrainingRecorder.as_dict()), got {type(run).__name__}"
        )
    frames = run.get("frames")
    if not isinstance(frames, list) or not frames:
        raise ValueError("render_flipbook: the run has no frames: call recorder.record(loss) at each step")
    names = run.get("names")
    if not isinstance(names, list) or any(len(f.get("params", ())) != len(names) for f in frames):
        raise ValueError("render_flipbook: every frame needs one parameter value per name in run['names']")
    return run


def _frames(frames: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Frames with NaN and infinities written as strings JSON can carry."""
    out = []
    for f in frames:
        frame = {
            "step": f["step"],
            "loss": json_number(float(f["loss"])),
            "params": json_numbers(f["params"]),
            "grads": json_numbers(f["grads"]),
        }
        if f.get("epoch") is not None:  # mini-batches: several steps an epoch
            frame["epoch"] = int(f["epoch"])
        if f.get("health"):  # per layer: saturated share, dead units, grad norm and ratios
            frame["health"] = [_health_row(row) for row in f["health"]]
        if f.get("scores") is not None:
            frame["scores"] = json_numbers(f["scores"])
        out.append(frame)
    return out


def _health_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """One layer's health numbers, each a number, a string for NaN/inf, or None (not measured)."""
    out: dict[str, Any] = {"name": str(row.get("name", "")), "activation": str(row.get("activation", ""))}
    for key in ("saturated", "dead", "units", "grad_norm", "grad_data", "update_data"):
        value = row.get(key)
        out[key] = None if value is None else json_number(float(value))
    return out


def flipbook_page(run: Mapping[str, Any], title: str = "Training run") -> str:
    """The flipbook as HTML text (what ``render_flipbook`` writes and notebooks display)."""
    run = _check_run(run)
    data = {
        "names": [str(n) for n in run["names"]],
        "layers": run.get("layers") or [],
        "frames": _frames(run["frames"]),
        "data": run.get("data"),
        "grid": run.get("grid"),
        "palette": {
            "colours": list(CLASS_COLOURS),
            "names": list(CLASS_NAMES),
            "weights": list(WEIGHT_COLOURS),
            "weight_names": list(WEIGHT_NAMES),
        },
    }
    return fill_page("flipbook_template.html", {"TITLE": html.escape(str(title)), "DATA": safe_json(data)})


def render_flipbook(run: Mapping[str, Any], path: str | Path, title: str = "Training run") -> Path:
    """Write the flipbook page of a recorded run to ``path`` (.html). Returns the path."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"render_flipbook: the file name must end in .html, got {str(path)!r}")
    path.write_text(flipbook_page(run, title), encoding="utf-8")
    return path
