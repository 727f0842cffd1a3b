"""``Neuron``, ``Layer`` and ``MLP``: a weighted sum plus an activation, stacked.

A neuron with weights w and bias b computes

    z = w[0]*x[0] + ... + w[n-1]*x[n-1] + b      one fused ``dot`` node (``autograd.dot``)
    out = activation(z)                          relu, tanh, sigmoid, or linear (out = z)

The ``dot`` node's inputs are ``w0 ... w(n-1)``, then ``x0 ... x(n-1)``, then ``b``, and its
local derivatives are d z/d w[i] = x[i], d z/d x[i] = w[i], d z/d b = 1:

>>> n = Neuron(2, activation='tanh', seed=0)
>>> z = n([1.0, 2.0]).inputs[0]
>>> z.op, [v.label or v.data for v in z.inputs]
('dot', ['w0', 'w1', 1.0, 2.0, 'b'])
>>> z.local_grads == (1.0, 2.0, n.w[0].data, n.w[1].data, 1.0)    # x, then w, then 1
True

A layer is ``nout`` neurons reading the same inputs; an MLP is layers in a row, each reading
the previous layer's outputs. Weights start as ``init`` says ('uniform' U(-1, 1) as in
micrograd, 'xavier' or 'he': ``nn/init.py``), drawn from ``rng`` or ``random.Random(seed)``;
biases start at 0.

micrograd compatibility: ``Neuron(nin, nonlin=True)`` is a ReLU neuron and ``nonlin=False``
a linear one; ``MLP(nin, nouts)`` has ReLU hidden layers and a linear last layer; and a
layer (or MLP) whose width is 1 returns a single ``Value`` instead of a list of one.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Union

import autograd
from autograd import Value
from autograd.value import to_float
from nn.init import check_scheme, initial_weights
from nn.module import Module

Input = Iterable[Union[Value, float]]
Output = Union[Value, list[Value]]

ACTIVATIONS: dict[str, Callable[[Value], Value]] = {
    "relu": autograd.relu,
    "tanh": autograd.tanh,
    "sigmoid": autograd.sigmoid,
}
ACTIVATION_NAMES = ("relu", "tanh", "sigmoid", "linear")


def check_activation(activation: object, where: str) -> str:
    """``activation`` if it is one of ACTIVATION_NAMES, else ``ValueError`` listing them."""
    if not isinstance(activation, str) or activation not in ACTIVATION_NAMES:
        raise ValueError(f"{where}: activation must be one of {ACTIVATION_NAMES}, got {activation!r}")
    return activation


def check_size(n: object, what: str, where: str) -> int:
    """``n`` if it is a positive int (not bool), else ``TypeError``/``ValueError`` naming it."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{where}: {what} must be an int, got {type(n).__name__} {n!r}")
    if n < 1:
        raise ValueError(f"{where}: {what} must be >= 1, got {n}")
    return n


def as_inputs(x: object, nin: int, where: str) -> list[Value]:
    """``x`` as a list of ``nin`` Values: Values kept as they are, numbers wrapped as leaves."""
    if isinstance(x, (str, bytes, Mapping)) or not isinstance(x, Iterable):
        raise TypeError(f"{where}: expected a list of {nin} numbers or Values, got {type(x).__name__}")
    items = list(x)  # a list, tuple, numpy row, generator...
    if len(items) != nin:
        raise ValueError(f"{where}: expected {nin} inputs, got {len(items)}")
    return [xi if isinstance(xi, Value) else Value(to_float(xi, where)) for xi in items]


def _resolve_activation(activation: object, nonlin: object, where: str) -> str:
    if nonlin is not None and activation is not None:
        raise ValueError(f"{where}: give activation= or micrograd's nonlin=, not both")
    if nonlin is not None:
        return "relu" if nonlin else "linear"
    return check_activation("relu" if activation is None else activation, where)


class Neuron(Module):
    """One neuron: ``activation(w · x + b)``.

    ``Neuron(nin, activation='relu'|'tanh'|'sigmoid'|'linear', init='uniform'|'xavier'|'he',
    seed=None, rng=None)``; ``nonlin=True/False`` is micrograd's spelling of relu/linear.
    Weights are labelled ``w0, w1, ...`` and the bias ``b``; weights are drawn from ``rng``,
    or from ``random.Random(seed)`` when no rng is given, and the bias starts at 0.
    ``fan_out`` is only used by ``init='xavier'`` (a layer passes its width).
    """

    def __init__(
        self,
        nin: int,
        activation: str | None = None,
        nonlin: bool | None = None,
        init: str = "uniform",
        seed: int | None = None,
        rng: random.Random | None = None,
        fan_out: int = 1,
    ) -> None:
        nin = check_size(nin, "nin", "Neuron")
        init = check_scheme(init, "Neuron")
        rng = rng if rng is not None else random.Random(seed)
        self.w = [Value(wi, f"w{i}") for i, wi in enumerate(initial_weights(init, nin, fan_out, rng))]
        self.b = Value(0.0, "b")
        self.nin = nin
        self.activation = _resolve_activation(activation, nonlin, "Neuron")

    @property
    def nonlin(self) -> bool:
        """micrograd's flag: True unless the neuron is linear."""
        return self.activation != "linear"

    def __call__(self, x: Input) -> Value:
        """activation(w[0]*x[0] + ... + b); ``x`` is a list of ``nin`` numbers or Values."""
        return self.forward(as_inputs(x, self.nin, "Neuron"))

    def forward(self, xs: list[Value]) -> Value:
        """``__call__`` without the input checks, for a layer that has already checked ``xs``."""
        z = autograd.dot(self.w, xs, self.b)
        if self.activation == "linear":
            return z
        return ACTIVATIONS[self.activation](z)

    def __repr__(self) -> str:
        return f"Neuron(nin={self.nin}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons that all read the same ``nin`` inputs.

    Calling a layer returns a list of ``nout`` Values, except that a layer with ``nout == 1``
    returns that one Value by itself (micrograd's convention; ``outputs(x)`` always gives a
    list). ``activation``, ``nonlin`` and ``init`` are as for ``Neuron``; all neurons draw
    their weights from one ``rng`` (or ``random.Random(seed)``), one after the other.
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str | None = None,
        nonlin: bool | None = None,
        init: str = "uniform",
        seed: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        nin = check_size(nin, "nin", "Layer")
        nout = check_size(nout, "nout", "Layer")
        rng = rng if rng is not None else random.Random(seed)
        self.neurons = [
            Neuron(nin, activation=activation, nonlin=nonlin, init=init, rng=rng, fan_out=nout)
            for _ in range(nout)
        ]
        self.nin = nin
        self.nout = nout
        self.activation = self.neurons[0].activation

    def outputs(self, x: Input) -> list[Value]:
        """Every neuron's output, as a list (whatever the width)."""
        xs = as_inputs(x, self.nin, "Layer")  # numbers become Values once, not once per neuron
        return [n.forward(xs) for n in self.neurons]

    def __call__(self, x: Input) -> Output:
        """A list of ``nout`` Values, or a single Value when ``nout == 1``."""
        out = self.outputs(x)
        return out[0] if len(out) == 1 else out

    def weight_grid(self) -> list[list[Value]]:
        """The weights as a matrix W of shape (nout, nin), oriented as PyTorch's ``nn.Linear.weight``:
        row i is neuron i's weights, so ``W[i][j]`` multiplies input j and output i is
        activation(Σⱼ W[i][j]·x[j] + b[i]). The Values themselves (new lists, the same nodes)."""
        return [list(n.w) for n in self.neurons]

    def bias_list(self) -> list[Value]:
        """The biases, one per neuron (PyTorch's ``nn.Linear.bias``, shape (nout,))."""
        return [n.b for n in self.neurons]

    def matrix(self, columns: Sequence[str] | None = None) -> dict[str, Any]:
        """``{"weight": weight_grid(), "bias": bias_list(), "columns": labels}``: the layer as the
        live page's matrix view draws it (``render_steps(..., matrices={"layer 1": layer.matrix()})``),
        rows = neurons, columns = inputs (labelled ``columns``, default ``x1, x2, ...``), bias last."""
        labels = [f"x{j + 1}" for j in range(self.nin)] if columns is None else list(columns)
        return {"weight": self.weight_grid(), "bias": self.bias_list(), "columns": labels}

    def __repr__(self) -> str:
        return f"Layer(nin={self.nin}, nout={self.nout}, activation={self.activation!r})"


class MLP(Module):
    """A multilayer perceptron: ``MLP(nin, nouts)`` has layers of widths ``nouts``.

    Activations, as in micrograd, default to ReLU for hidden layers and linear for the last.
    Choose them with ``activation=`` (one name for all hidden layers, with
    ``final_activation=`` for the last, default 'linear'), or with a list of one name per
    layer, e.g. ``MLP(2, [4, 1], activation=['sigmoid', 'sigmoid'])``.

    Calling the MLP on ``nin`` numbers or Values returns the last layer's outputs: a list,
    or a single Value when the last layer has width 1. Numbers are wrapped into Values once,
    at the entry. ``init``, ``seed`` and ``rng`` are as for ``Neuron``; one generator serves
    every layer, so a seed fixes the whole network.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str | Sequence[str] = "relu",
        final_activation: str | None = None,
        init: str = "uniform",
        seed: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        nin = check_size(nin, "nin", "MLP")
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence) or not nouts:
            raise ValueError(f"MLP: nouts must be a non-empty list of layer widths, got {nouts!r}")
        sizes = [nin] + [check_size(n, "each layer width in nouts", "MLP") for n in nouts]
        activations = _layer_activations(activation, final_activation, len(nouts))
        rng = rng if rng is not None else random.Random(seed)
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation=activations[i], init=init, rng=rng)
            for i in range(len(nouts))
        ]
        self.nin = nin
        self.nouts = list(sizes[1:])

    @property
    def activations(self) -> list[str]:
        """Each layer's activation name, first layer first."""
        return [layer.activation for layer in self.layers]

    def __call__(self, x: Input) -> Output:
        """The last layer's outputs: a list, or one Value when its width is 1."""
        xs: list[Value] = as_inputs(x, self.nin, "MLP")
        for layer in self.layers:
            xs = layer.outputs(xs)
        return xs[0] if len(xs) == 1 else xs

    def matrices(self) -> dict[str, dict[str, Any]]:
        """Every layer as a matrix, ``{"layer 1": layers[0].matrix(), ...}``, for the live page
        (``render_steps(loss, path, model=mlp, matrices=mlp.matrices())``). Columns are labelled as
        the flipbook labels them: ``x1, x2, ...`` (the data) for layer 1, ``a1, a2, ...`` (the
        previous layer's outputs) after it."""
        return {
            f"layer {i + 1}": layer.matrix(None if i == 0 else [f"a{j + 1}" for j in range(layer.nin)])
            for i, layer in enumerate(self.layers)
        }

    def config(self) -> dict[str, Any]:
        """What it takes to rebuild this architecture: ``MLP(**config)``."""
        return {"nin": self.nin, "nouts": list(self.nouts), "activation": self.activations}

    def to_torch(self) -> Any:
        """An equivalent ``torch.nn.Sequential`` in float64 with these weights (needs torch)."""
        from nn.torch_bridge import mlp_to_torch

        return mlp_to_torch(self)

    @classmethod
    def from_torch(cls, seq: Any) -> MLP:
        """An MLP with the weights of a ``torch.nn.Sequential`` of Linear and activation modules."""
        from nn.torch_bridge import mlp_from_torch

        return mlp_from_torch(seq)

    def __repr__(self) -> str:
        lines = [f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers)]
        return "MLP(\n" + "\n".join(lines) + "\n)"


def _layer_activations(activation: object, final: object, n_layers: int) -> list[str]:
    if isinstance(activation, str):
        last = "linear" if final is None else final
        names: list[object] = [activation] * (n_layers - 1) + [last]
    elif isinstance(activation, Sequence):
        if final is not None:
            raise ValueError("MLP: give final_activation= only with a single activation name")
        names = list(activation)
        if len(names) != n_layers:
            raise ValueError(f"MLP: expected {n_layers} activations (one per layer), got {len(names)}")
    else:
        raise ValueError(f"MLP: activation must be a name or a list of names, got {activation!r}")
    return [check_activation(name, "MLP") for name in names]
