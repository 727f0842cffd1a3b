"""``health(model, X)``: why a network learns or stops learning, layer by layer, as numbers.

Call it after ``loss.backward()`` (the grads are read from ``p.grad``); it runs the forward
passes over the batch ``X`` itself, without recording a graph, to see every unit's activation on
every sample. For each layer of an ``MLP`` it gives:

- ``saturated``: for tanh and sigmoid layers, the share of activations (units x samples) in the
  flat tails: |a| > threshold for tanh (default 0.97: tanh' = 1 - a**2 < 0.06), and a > threshold
  or a < 1 - threshold for sigmoid (sigmoid' = a (1 - a) < 0.03). A saturated unit passes back
  almost none of the gradient it receives: backward multiplies by that small local derivative.
  ``None`` for other activations;
- ``dead``: for ReLU layers, the units whose activation is 0 for every sample of ``X``: their
  local derivative is 0 on the whole batch, so their incoming weights get no gradient and never
  change. ``None`` for other activations;
- ``grad_norm``: ||g||, the L2 norm of the grads of the layer's weights and biases;
- ``grad_data``: ||g|| / ||w||, grad norm over parameter norm (how big a step lr * g is against
  the weights, before the learning rate), w the parameters the grads were computed at: those in
  ``before`` when given, else the current ones;
- ``update_data``: ||w_after - w_before|| / ||w_before||, the relative size of the last step.
  It needs the parameters before the step: pass ``before=model.state_dict()`` taken just before
  ``optimizer.step()``, and call ``health`` after the step (the grads are still this step's:
  ``step()`` does not clear them). A healthy run has it around 1e-3 (Karpathy's rule of thumb);
  much smaller and the layer is not learning. ``None`` without ``before``.

    optimizer.zero_grad(); loss.backward()
    before = model.state_dict()
    optimizer.step()
    report = nn.health(model, X, before=before)
    print(report.table()); print("\\n".join(report.diagnosis()))

The activations are those of the parameters the model has when ``health`` is called (after the
step, in the recipe above). A norm ratio with a zero denominator is ``inf`` (or 0 when the
numerator is 0 too).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from autograd import no_grad
from nn.layers import MLP, Layer

SATURATING = ("tanh", "sigmoid")


@dataclass
class LayerHealth:
    """One layer's numbers (see the module docstring for each)."""

    name: str
    activation: str
    units: int
    saturated: float | None
    dead: int | None
    grad_norm: float
    grad_data: float
    update_data: float | None


@dataclass
class Health:
    """Every layer's ``LayerHealth``, first layer first, and the threshold used."""

    layers: list[LayerHealth]
    threshold: float
    samples: int

    def table(self) -> str:
        """The numbers as a text table, one row per layer."""
        rows = [f"{'layer':<10} {'act':<8} {'units':>5} {'saturated':>9} {'dead':>6} "
                f"{'|grad|':>10} {'grad:data':>10} {'update:data':>11}"]  # fmt: skip
        for h in self.layers:
            saturated = "-" if h.saturated is None else f"{h.saturated:.0%}"
            dead = "-" if h.dead is None else f"{h.dead}/{h.units}"
            update = "-" if h.update_data is None else f"{h.update_data:.2e}"
            rows.append(
                f"{h.name:<10} {h.activation:<8} {h.units:>5} {saturated:>9} {dead:>6} "
                f"{h.grad_norm:>10.2e} {h.grad_data:>10.2e} {update:>11}"
            )
        return "\n".join(rows)

    def diagnosis(self) -> list[str]:
        """Sentences naming what stops learning: saturated layers, dead units, vanishing grads."""
        said = []
        for h in self.layers:
            if h.saturated is not None and h.saturated > 0.5:
                slope = "1 - a**2 < 0.06" if h.activation == "tanh" else "a (1 - a) < 0.03"
                said.append(
                    f"{h.name} ({h.activation}): {h.saturated:.0%} of its activations are saturated "
                    f"(past {self.threshold:g}); there the local derivative {slope}, so backward passes "
                    "on almost nothing of the gradient"
                )
            if h.dead:
                said.append(
                    f"{h.name} (relu): {h.dead} of {h.units} units are dead "
                    f"(0 on all {self.samples} samples); their incoming weights and bias get no "
                    "gradient from this batch and will not change"
                )
        norms = [h.grad_norm for h in self.layers]
        if len(norms) > 1 and norms[-1] > 0 and norms[0] < 1e-3 * norms[-1]:
            said.append(
                f"the gradient vanishes on the way back: ||grad|| is {norms[-1]:.2e} at the last layer and "
                f"{norms[0]:.2e} at the first, each layer multiplying it by its small local derivatives"
            )
        for h in self.layers:
            if h.update_data is not None and 0 < h.update_data < 1e-4:
                said.append(
                    f"{h.name}: the last step changed its weights by {h.update_data:.1e} of their size, "
                    "far below the 1e-3 of a layer that learns: it has all but stopped"
                )
        return said


def health(
    model: MLP,
    X: Sequence[Sequence[float]],
    before: Mapping[str, float] | None = None,
    threshold: float = 0.97,
) -> Health:
    """Each layer's saturation, dead units, grad norm and ratios (see the module docstring)."""
    layers = getattr(model, "layers", None)
    if not isinstance(layers, list) or not layers or not all(isinstance(layer, Layer) for layer in layers):
        raise TypeError(
            f"health: model must be an MLP (a list of Layers in .layers), got {type(model).__name__}"
        )
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not 0 < threshold < 1:
        raise ValueError(f"health: threshold must be a number in (0, 1), got {threshold!r}")
    if len(X) == 0:
        raise ValueError("health: X is empty; it needs a batch of samples to see the activations")
    activations = _activations(layers, X)
    report = Health([], float(threshold), len(X))
    for i, layer in enumerate(layers):
        named = layer.named_parameters(f"layers.{i}")
        data = [p.data for _, p in named]
        grad_norm = _norm([p.grad for _, p in named])
        update, at = None, data  # ``at``: the parameters the grads were computed at
        if before is not None:
            missing = [name for name, _ in named if name not in before]
            if missing:
                raise ValueError(f"health: before has no parameter {missing[0]!r}; pass model.state_dict()")
            at = [float(before[name]) for name, _ in named]
            update = _ratio(_norm([new - old for new, old in zip(data, at)]), _norm(at))
        report.layers.append(
            LayerHealth(
                name=f"layers.{i}",
                activation=layer.activation,
                units=layer.nout,
                saturated=_saturated(activations[i], layer.activation, float(threshold)),
                dead=_dead(activations[i]) if layer.activation == "relu" else None,
                grad_norm=grad_norm,
                grad_data=_ratio(grad_norm, _norm(at)),
                update_data=update,
            )
        )
    return report


def _activations(layers: list[Layer], X: Sequence[Sequence[float]]) -> list[list[list[float]]]:
    """For each layer, for each sample, the layer's outputs (numbers), at the current parameters."""
    out: list[list[list[float]]] = [[] for _ in layers]
    with no_grad():
        for x in X:
            xs = layers[0].outputs(x)
            out[0].append([v.data for v in xs])
            for k, layer in enumerate(layers[1:], start=1):
                xs = layer.outputs(xs)
                out[k].append([v.data for v in xs])
    return out


def _saturated(rows: list[list[float]], activation: str, threshold: float) -> float | None:
    if activation == "tanh":
        flat = [abs(a) > threshold for row in rows for a in row]
    elif activation == "sigmoid":
        flat = [a > threshold or a < 1.0 - threshold for row in rows for a in row]
    else:
        return None
    return sum(flat) / len(flat)


def _dead(rows: list[list[float]]) -> int:
    """Units (columns) that are 0 on every sample (row)."""
    return sum(all(row[j] == 0.0 for row in rows) for j in range(len(rows[0])))


def _norm(xs: Sequence[float]) -> float:
    return math.sqrt(math.fsum(x * x for x in xs))


def _ratio(top: float, bottom: float) -> float:
    if bottom == 0.0:
        return 0.0 if top == 0.0 else math.inf
    return top / bottom
