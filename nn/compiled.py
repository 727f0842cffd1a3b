"""``CompiledLoss``: a model's loss traced once and replayed as generated float code at every step.

Full-batch training computes the same graph at every step, only with new parameter values.
``autograd.trace_values`` records that graph once, as the Wengert list of the loss with the
model's parameters as its inputs (the data are constants in it), and writes one Python
function computing the loss and its gradient on plain floats. Calling a ``CompiledLoss``
runs that function at the parameters' current ``.data`` and adds the gradient into each
``.grad``, exactly where ``loss.backward()`` would put it, so any optimizer works unchanged:

    compiled = nn.CompiledLoss(lambda: nn.hinge([model(x) for x in X], y), model.parameters())
    for step in range(100):
        optimizer.zero_grad()
        loss = compiled()          # a float; the grads are in p.grad
        optimizer.step()

With ``has_aux=True`` the loss function returns ``(loss, aux)``, ``aux`` a sequence of Values
to compute with it, such as the model's outputs for an accuracy (JAX's ``has_aux``); a call
then returns ``(loss, aux_values)``, both at the parameters the step started from:

    compiled = nn.CompiledLoss(lambda: (nn.hinge(outs := [model(x) for x in X], y), outs),
                               model.parameters(), has_aux=True)
    loss, scores = compiled()

If the loss compares Values (``max``, an ``if`` on a Value) and new parameters flip such a
comparison, the trace no longer describes the computation: the call then traces the loss
again at the current parameters (``retraces`` counts how often) and carries on. The same
happens when the code overflows: a number that the loss read out of a Value while tracing
(``cross_entropy``'s shift, the largest logit, read with ``.data``) is a constant of the
trace, right in the math at any value but only safe from overflow near the traced one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from autograd import CompiledTrace, PathChanged, Trace, Value, trace_values


class CompiledLoss:
    """``loss()`` on Values, traced once and called as float code (see the module docstring)."""

    def __init__(
        self,
        loss: Callable[[], Any],
        parameters: Sequence[Value],
        names: Sequence[str] = (),
        has_aux: bool = False,
    ) -> None:
        self.loss = loss
        self.has_aux = has_aux
        self.parameters = list(parameters)
        if names and len(names) != len(self.parameters):
            raise ValueError(f"CompiledLoss: {len(names)} names for {len(self.parameters)} parameters")
        self.names = [_identifier(n) for n in names] if names else None
        self.retraces = 0
        self.trace: Trace
        self.compiled: CompiledTrace
        self._trace()

    def _trace(self) -> None:
        self.trace = trace_values(self.loss, self.parameters, "loss", self.names, has_aux=self.has_aux)
        self.compiled = self.trace.compile()

    def __call__(self) -> Any:
        """The loss at the parameters' current data (and the aux values, with ``has_aux``); the
        loss's gradient is added into each ``p.grad``."""
        params = self.parameters
        data = [p.data for p in params]
        try:
            result = self.compiled.function(*data)
        except (PathChanged, ArithmeticError):  # a flipped comparison, or a number baked in too far off
            self.retraces += 1
            self._trace()
            result = self.compiled(*data)
        for p, g in zip(params, result[1]):
            p.grad += g
        return (result[0], result[2]) if self.has_aux else result[0]

    def source(self) -> str:
        """The generated code (``Trace.source()``)."""
        return self.trace.source()


def _identifier(path: str) -> str:
    """A parameter's dotted path as a short name: 'layers.0.neurons.3.w.2' -> 'l0_n3_w2'."""
    short = path.replace("layers.", "l").replace("neurons.", "n")
    return re.sub(r"\.(\d)", r"\1", re.sub(r"[^0-9A-Za-z_.]", "_", short)).replace(".", "_")


def compile_loss(
    model_parameters: Sequence[tuple[str, Value]], loss: Callable[[], Any], has_aux: bool = False
) -> CompiledLoss:
    """``CompiledLoss`` from ``model.named_parameters()``, with the parameters' paths as names."""
    return CompiledLoss(loss, [p for _, p in model_parameters], [n for n, _ in model_parameters], has_aux)
