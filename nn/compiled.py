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

``ShapeCachedLoss`` is for a loss whose graph changes with its data's shape, such as a language
model's loss over a sequence: its graph has one block per position. It is called with the data,
``compiled(xs, ys)``; the numbers in the data become arguments of the trace beside the parameters
(not constants), so one trace serves every call whose data have the same shape. They are
``trace_values``'s ``data``: the code computes no adjoint for them (the gradient is only the
parameters'), and a long trace is written compact (``Trace.source``), which Python compiles
several times faster. It keeps one
compiled trace per shape key (``key(*data)``; by default the nested lengths of the data) in a
least-recently-used cache of at most ``max_shapes`` (32 by default): a new shape past that
evicts the shape used longest ago, which is traced again if it comes back. The loss must then
take its graph from the shapes alone: a number read out of a data Value (``.data``, ``float``,
an index) is refused while tracing (``NumberRead``), and a comparison of Values is guarded
(``PathChanged`` retraces that shape, as above). Token ids, for instance, go in one-hot:

    compiled = nn.ShapeCachedLoss(lambda xs, ys: lm_loss(params, xs, ys), parameters)
    loss = compiled(one_hot_inputs, one_hot_targets)   # a float; the grads are in p.grad
"""

from __future__ import annotations

import linecache
import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from numbers import Real
from typing import Any

from autograd import CompiledTrace, PathChanged, Trace, Value, trace_rules, trace_values


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


Data = Any  # a number, or a (nested) sequence of numbers


class ShapeCachedLoss:
    """``loss(*data)`` on Values, one compiled trace per shape of the data (see the module docstring).

    ``key(*data)`` names what decides the graph (default: the nested lengths of the data); at
    most ``max_shapes`` traces are kept, the least recently used evicted first. ``traces`` counts
    the traces made (first meetings, re-meetings after an eviction, and retraces);
    ``retraces`` those made because a guarded comparison flipped or the code overflowed.
    """

    def __init__(
        self,
        loss: Callable[..., Any],
        parameters: Sequence[Value],
        key: Callable[..., Hashable] | None = None,
        max_shapes: int = 32,
        names: Sequence[str] = (),
        has_aux: bool = False,
    ) -> None:
        if isinstance(max_shapes, bool) or not isinstance(max_shapes, int) or max_shapes < 1:
            raise ValueError(f"ShapeCachedLoss: max_shapes must be a positive int, got {max_shapes!r}")
        self.loss = loss
        self.parameters = list(parameters)
        if names and len(names) != len(self.parameters):
            raise ValueError(f"ShapeCachedLoss: {len(names)} names for {len(self.parameters)} parameters")
        self.names = [_identifier(n) for n in names] if names else None
        self.key = key
        self.max_shapes = max_shapes
        self.has_aux = has_aux
        self.traces = 0
        self.retraces = 0
        self.cache: OrderedDict[Hashable, CompiledTrace] = OrderedDict()

    def __call__(self, *data: Data) -> Any:
        """The loss on ``data`` at the parameters' current data (and the aux values, with
        ``has_aux``); the loss's gradient is added into each ``p.grad``."""
        key = (
            self.key(*data)
            if self.key is not None
            else tuple(_shape(d, f"data[{i}]") for i, d in enumerate(data))
        )
        numbers: list[float] = []
        for i, d in enumerate(data):
            _flatten(d, numbers, f"data[{i}]")
        params = self.parameters
        inputs = [p.data for p in params] + numbers
        compiled = self.cache.get(key)
        if compiled is None:
            compiled = self._trace(key, data)
        else:
            self.cache.move_to_end(key)
            if compiled.arity != len(inputs):
                raise ValueError(
                    f"ShapeCachedLoss: the key {key!r} was traced with {compiled.arity - len(params)} data "
                    f"numbers, this call has {len(numbers)}; the key must tell apart data of different shapes"
                )
        try:
            result = compiled.function(*inputs)
        except (PathChanged, ArithmeticError):  # a flipped comparison, or a number baked in too far off
            self.retraces += 1
            compiled = self._trace(key, data)
            result = compiled(*inputs)
        for p, g in zip(params, result[1]):
            p.grad += g
        return (result[0], result[2]) if self.has_aux else result[0]

    def _trace(self, key: Hashable, data: tuple[Data, ...]) -> CompiledTrace:
        """Trace the loss on ``data`` made Values, compile it, and cache it under ``key``."""
        leaves: list[Value] = []
        values = [_as_values(d, leaves) for d in data]
        names = None
        if self.names is not None:
            names = [*self.names, *(f"d{i}" for i in range(len(leaves)))]
        trace = trace_values(
            lambda: self.loss(*values), self.parameters, "loss", names, has_aux=self.has_aux, data=leaves
        )
        compiled = _compile(trace)
        self.traces += 1
        self.cache[key] = compiled
        self.cache.move_to_end(key)
        while len(self.cache) > self.max_shapes:
            self.cache.popitem(last=False)
        return compiled

    def source(self, key: Hashable) -> str:
        """The generated code for the shape ``key`` (``Trace.source()``)."""
        return self.cache[key].trace.source()


def _compile(trace: Trace) -> CompiledTrace:
    """``trace.compile()``, with every value keeping its own name (``source(reuse_names=False)``).

    A shape-keyed loss compiles often and runs each trace a few dozen times: reusing dead names
    would cost more to write (``trace_slots``) than it saves (the compact code of a long trace,
    the default, compiles as fast either way).
    """
    text = trace.source(reuse_names=False)
    filename = f"<trace of {trace.name} {id(trace):x}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace: dict[str, Any] = {"__builtins__": {}, "PathChanged": PathChanged, **trace_rules.HELPERS}
    exec(compile(text, filename, "exec"), namespace)  # text: templates, identifiers, float literals
    return CompiledTrace(namespace[f"{trace.name}_value_and_grad"], trace)


def _shape(d: Data, where: str) -> Hashable:
    """The nested lengths of ``d``: () for a number, (n,) for a list of n numbers, and so on."""
    if isinstance(d, (str, bytes, Value)):
        raise TypeError(
            f"ShapeCachedLoss: {where} must be numbers or sequences of numbers, got {type(d).__name__}"
        )
    if isinstance(d, Sequence):
        return (len(d), tuple(_shape(x, where) for x in d))
    return ()


def _flatten(d: Data, out: list[float], where: str) -> None:
    """The numbers of ``d`` in order, appended to ``out`` (no recursion: an explicit stack)."""
    stack = [d]
    while stack:
        x = stack.pop()
        if isinstance(x, (str, bytes, Value)):
            raise TypeError(f"ShapeCachedLoss: {where} must be numbers or sequences of numbers, got {x!r}")
        if isinstance(x, Sequence):
            stack.extend(reversed(x))
        elif isinstance(x, bool) or not isinstance(x, Real):
            raise TypeError(f"ShapeCachedLoss: {where} holds {x!r}, not a number")
        else:
            out.append(float(x))


def _as_values(d: Data, leaves: list[Value]) -> Any:
    """``d`` with each number a new leaf Value (appended to ``leaves`` in ``_flatten``'s order)."""
    if isinstance(d, Sequence):
        return [_as_values(x, leaves) for x in d]
    leaf = Value(float(d))
    leaves.append(leaf)
    return leaf


def _identifier(path: str) -> str:
    """A parameter's dotted path as a short name: 'layers.0.neurons.3.w.2' -> 'l0_n3_w2'."""
    short = path.replace("layers.", "l").replace("neurons.", "n")
    return re.sub(r"\.(\d)", r"\1", re.sub(r"[^0-9A-Za-z_.]", "_", short)).replace(".", "_")


def compile_loss(
    model_parameters: Sequence[tuple[str, Value]], loss: Callable[[], Any], has_aux: bool = False
) -> CompiledLoss:
    """``CompiledLoss`` from ``model.named_parameters()``, with the parameters' paths as names."""
    return CompiledLoss(loss, [p for _, p in model_parameters], [n for n, _ in model_parameters], has_aux)
