"""``TrainingRecorder``: a training run kept as plain data, step by step, for a flipbook to show.

At each step the recorder keeps the loss, every parameter's value and grad (in the order and
under the names of ``model.named_parameters()``) and, for 2-D data, the model's score on a
grid over the data: the decision boundary is where the score changes sign (or class). The
result, ``recorder.as_dict()``, holds only lists, numbers and strings, so the seeing tools
(``autograd.see.flipbook``) can draw it without knowing ``nn``:

    recorder = TrainingRecorder(model, X, y)
    for step in range(100):
        loss = ...; optimizer.zero_grad(); loss.backward()
        recorder.record(loss)          # after backward: the grads are this step's
        optimizer.step()

With ``health=True`` (an MLP and its data) each frame also keeps ``nn.health`` of that step,
per layer: the share of saturated tanh/sigmoid activations, dead ReLUs, ||grad||, grad:data, and
update:data, the relative size of the step taken from that frame (known once the next frame is
recorded, so the last frame has none). It costs one more forward pass over ``X`` a step.

The model's layout (``layers``: for each layer, each neuron's weight and bias parameter
indices) comes from the parameter names ``layers.<i>.neurons.<j>.w.<k>`` / ``.b``.

The grid has hundreds of points and every step scores all of them, so the model's forward pass
on one point is traced once (``autograd.trace_values``, the point and the parameters as its
inputs) and run as float code: the node engine's numbers, several times faster. A point where
the model takes another path than the traced one (an ``if`` on a Value) is scored by the model
itself, and so is every point of a model whose trace does not give its own outputs at three
probe points, checked at every frame.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from autograd import PathChanged, Value, no_grad, trace_values
from nn.health import health
from nn.layers import MLP
from nn.module import Module

_NEURON_PARAM = re.compile(r"^(?:(.*)\.)?neurons\.(\d+)\.(w\.(\d+)|b)$")


class TrainingRecorder:
    """Keeps every step of a run: loss, parameters, grads, and the score on a grid for 2-D data.

    ``X`` and ``y`` (optional) are the data and labels; with 2-D ``X`` the model's score is
    evaluated on a ``grid`` x ``grid`` lattice spanning the data plus ``pad`` on each side. The
    score is the model's output (for several outputs, the index of the class it picks, and the
    grid's ``classes`` says how many), rounded to ``digits`` decimals to keep the page small.
    """

    def __init__(
        self,
        model: Module,
        X: Sequence[Sequence[float]] | None = None,
        y: Sequence[int] | None = None,
        grid: int = 30,
        pad: float = 0.5,
        digits: int = 3,
        health: bool = False,
    ) -> None:
        if not callable(getattr(model, "named_parameters", None)):
            raise TypeError(
                f"TrainingRecorder: model must have named_parameters(), got {type(model).__name__}"
            )
        if isinstance(grid, bool) or not isinstance(grid, int) or not 2 <= grid <= 200:
            raise ValueError(f"TrainingRecorder: grid must be an int from 2 to 200, got {grid!r}")
        if health and (X is None or not isinstance(model, MLP)):
            raise ValueError(
                f"TrainingRecorder: health=True needs an MLP and its data X, got {type(model).__name__}"
                + (" without X" if X is None else "")
            )
        self.health = health
        self.model = model
        self.named = model.named_parameters()
        self.X = [[float(v) for v in x] for x in X] if X is not None else None
        self.y = [int(v) for v in y] if y is not None else None
        self.digits = digits
        self.frames: list[dict[str, Any]] = []
        self.lattice = self._lattice(grid, pad) if self.X and len(self.X[0]) == 2 else None
        self._forward: Callable[..., tuple[Any, ...]] | None = None  # traced at the first score
        self._untraceable = False  # set when the trace fails or disagrees with the model

    def _lattice(self, n: int, pad: float) -> dict[str, Any]:
        xs, ys = [p[0] for p in self.X or []], [p[1] for p in self.X or []]
        return {"x0": min(xs) - pad, "x1": max(xs) + pad, "y0": min(ys) - pad, "y1": max(ys) + pad, "n": n}

    def record(self, loss: Value | float, epoch: int | None = None) -> None:
        """Keep this step: call it after ``loss.backward()`` and before the optimizer's step.

        With mini-batches (several steps an epoch) give the ``epoch`` the step belongs to: the
        frame keeps it (``frame["epoch"]``), so the flipbook can say "epoch 3, step 17"; the
        loss is then the batch's loss. Full-batch runs leave it out (each step is an epoch).
        """
        loss_value = loss.data if isinstance(loss, Value) else float(loss)
        frame: dict[str, Any] = {
            "step": len(self.frames),
            "loss": loss_value,
            "params": [p.data for _, p in self.named],
            "grads": [p.grad for _, p in self.named],
        }
        if epoch is not None:
            frame["epoch"] = epoch
        if self.health:
            frame["health"] = self._health()
        if self.lattice is not None:
            frame["scores"] = self.scores()
        self.frames.append(frame)

    def _health(self) -> list[dict[str, Any]]:
        """``nn.health`` of this step, per layer; the previous frame gets its update:data now that
        the step it took is known (the last frame has none)."""
        if not isinstance(self.model, MLP) or self.X is None:
            return []
        report = health(self.model, self.X)
        if self.frames:
            previous = self.frames[-1]
            before = dict(zip([name for name, _ in self.named], previous["params"]))
            moved = health(self.model, self.X[:1], before=before)  # one sample: only the ratios are read
            for row, layer in zip(previous["health"], moved.layers):
                row["update_data"] = layer.update_data
        return [
            {
                "name": h.name,
                "activation": h.activation,
                "saturated": h.saturated,
                "dead": h.dead,
                "units": h.units,
                "grad_norm": h.grad_norm,
                "grad_data": h.grad_data,
                "update_data": None,
            }
            for h in report.layers
        ]

    def grid_points(self) -> list[tuple[float, float]]:
        """The grid's points ``(u, v)``, row by row from y0 (bottom) to y1, as ``scores`` scores them."""
        g = self.lattice or {}
        n = g["n"]
        return [
            (g["x0"] + (g["x1"] - g["x0"]) * i / (n - 1), g["y0"] + (g["y1"] - g["y0"]) * j / (n - 1))
            for j in range(n)
            for i in range(n)
        ]

    def scores(self) -> list[float]:
        """The model's score at every grid point, row by row from y0 (bottom) to y1."""
        g = self.lattice or {}
        points = self.grid_points()
        params = [p.data for _, p in self.named]
        forward = self._checked_forward(params, [points[0], points[len(points) // 2], points[-1]])
        scores = []
        for u, v in points:
            outputs = self._by_model(u, v) if forward is None else self._by_trace(forward, params, u, v)
            g["classes"] = len(outputs) if len(outputs) > 1 else 2
            scores.append(round(_score(outputs), self.digits))
        return scores

    def _checked_forward(
        self, params: list[float], probes: list[tuple[float, float]]
    ) -> Callable[..., tuple[Any, ...]] | None:
        """The traced forward pass if it gives the model's own outputs at the probe points, else None.

        Checked at every frame: a model that reads a number out of a Value (``float(x)``, ``.data``)
        bakes it into the trace as a constant, and the trace would then be silently wrong; such a
        model is scored point by point from then on.
        """
        if self._forward is None and not self._untraceable:
            try:
                self._forward = self._trace_forward()
            except Exception:  # a model that cannot take Values as its input
                self._untraceable = True
        if self._forward is not None:
            for u, v in probes:
                traced, own = self._by_trace(self._forward, params, u, v), self._by_model(u, v)
                if len(traced) != len(own) or any(abs(a - b) > 1e-12 * abs(b) for a, b in zip(traced, own)):
                    self._forward, self._untraceable = None, True
                    break
        return self._forward

    def _by_trace(
        self, forward: Callable[..., tuple[Any, ...]], params: list[float], u: float, v: float
    ) -> list[float]:
        """The outputs at (u, v) by the traced forward pass; by the model where it takes another path."""
        try:
            return list(forward(*params, u, v)[2])
        except (PathChanged, ArithmeticError, ValueError):  # another path here, or a domain error
            return self._by_model(u, v)

    def _by_model(self, u: float, v: float) -> list[float]:
        """The outputs at (u, v) by calling the model."""
        with no_grad():
            out = self.model([u, v])
        return [o.data for o in out] if isinstance(out, list) else [out.data]

    def _trace_forward(self) -> Callable[..., tuple[Any, ...]]:
        """The model's forward pass on one point as float code: f(*params, u, v) -> (_, _, outputs)."""
        point = [Value(0.0), Value(0.0)]

        def outputs() -> tuple[float, list[Value]]:
            out = self.model(point)
            return 0.0, out if isinstance(out, list) else [out]  # nothing to differentiate: aux only

        names = [f"p{k}" for k in range(len(self.named))] + ["u", "v"]
        inputs = [p for _, p in self.named] + point
        return trace_values(outputs, inputs, "score", names, has_aux=True).compile().function

    def layers(self) -> list[list[dict[str, Any]]]:
        """For each layer, each neuron's ``{"w": [param indices], "b": index}``, from the names."""
        neurons: dict[tuple[str, int], dict[str, Any]] = {}
        for index, (name, _) in enumerate(self.named):
            match = _NEURON_PARAM.match(name)
            if match is None:
                continue
            neuron = neurons.setdefault((match.group(1) or "", int(match.group(2))), {"w": [], "b": None})
            if match.group(4) is not None:
                neuron["w"].append(index)
            else:
                neuron["b"] = index
        layer_names = sorted({layer for layer, _ in neurons}, key=_natural)
        return [
            [neurons[key] for key in sorted((k for k in neurons if k[0] == layer), key=lambda k: k[1])]
            for layer in layer_names
        ]

    def as_dict(self) -> dict[str, Any]:
        """The run as plain data: names, layers, frames, and the data set and grid when 2-D."""
        return {
            "names": [name for name, _ in self.named],
            "layers": self.layers(),
            "frames": self.frames,
            "data": {"X": self.X, "y": self.y} if self.X is not None else None,
            "grid": self.lattice,
        }


def _score(outputs: list[float]) -> float:
    """One number per point: the output, or for several outputs the class picked."""
    if len(outputs) > 1:
        return float(max(range(len(outputs)), key=lambda k: outputs[k]))
    return float(outputs[0])


def _natural(text: str) -> list[Any]:
    """Sort key that puts layers.2 before layers.10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]
