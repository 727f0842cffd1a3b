"""Holes a mutation run left in nn/layers.py (issue 23): the exact error a learner sees, naming
the class and the argument; seeds that fix the weights; micrograd's ``nonlin=`` reaching every
neuron of a layer; the default xavier fan_out; the repr; the matrix view's keys and labels."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

import pytest

import nn
from autograd import Value

loose: Any = nn  # bad arguments on purpose, past the type checker
ACTS = "('relu', 'tanh', 'sigmoid', 'linear')"


def message(error: type[Exception], call: Callable[[], object]) -> str:
    """The text of the ``error`` that ``call`` raises (it must raise exactly that type)."""
    with pytest.raises(error) as info:
        call()
    assert type(info.value) is error
    return str(info.value)


@pytest.mark.parametrize(
    ("call", "error", "text"),
    [
        (lambda: loose.Neuron(0), ValueError, "Neuron: nin must be >= 1, got 0"),
        (
            lambda: loose.Neuron(2, init="normal"),
            ValueError,
            "Neuron: init must be one of ('uniform', 'xavier', 'he'), got 'normal'",
        ),
        (
            lambda: loose.Neuron(2, activation="swish"),
            ValueError,
            f"Neuron: activation must be one of {ACTS}, got 'swish'",
        ),
        (
            lambda: loose.Neuron(2, activation="relu", nonlin=True),
            ValueError,
            "Neuron: give activation= or micrograd's nonlin=, not both",
        ),
        (
            lambda: loose.Neuron(2)(5.0),
            TypeError,
            "Neuron: expected a list of 2 numbers or Values, got float",
        ),
        (lambda: loose.Layer(0, 2), ValueError, "Layer: nin must be >= 1, got 0"),
        (lambda: loose.Layer(2.0, 2), TypeError, "Layer: nin must be an int, got float 2.0"),
        (lambda: loose.Layer(2, 0), ValueError, "Layer: nout must be >= 1, got 0"),
        (lambda: loose.Layer(2, True), TypeError, "Layer: nout must be an int, got bool True"),
        (lambda: loose.MLP(0, [1]), ValueError, "MLP: nin must be >= 1, got 0"),
        (lambda: loose.MLP(2, 3), ValueError, "MLP: nouts must be a non-empty list of layer widths, got 3"),
        (
            lambda: loose.MLP(2, "ab"),
            ValueError,
            "MLP: nouts must be a non-empty list of layer widths, got 'ab'",
        ),
        (lambda: loose.MLP(2, [2, 0]), ValueError, "MLP: each layer width in nouts must be >= 1, got 0"),
        (
            lambda: loose.MLP(2, [2.5]),
            TypeError,
            "MLP: each layer width in nouts must be an int, got float 2.5",
        ),
        (
            lambda: loose.MLP(2, [1], activation=["relu"], final_activation="tanh"),
            ValueError,
            "MLP: give final_activation= only with a single activation name",
        ),
        (
            lambda: loose.MLP(2, [1], activation=3),
            ValueError,
            "MLP: activation must be a name or a list of names, got 3",
        ),
        (
            lambda: loose.MLP(2, [1], activation=["swish"]),
            ValueError,
            f"MLP: activation must be one of {ACTS}, got 'swish'",
        ),
    ],
)
def test_bad_arguments_name_the_class_the_argument_and_the_value(call: Any, error: type, text: str) -> None:
    assert message(error, call) == text


def test_a_seed_fixes_the_weights_as_random_random_draws_them() -> None:
    """U(-1, 1) from random.Random(seed), neuron after neuron, weight after weight."""
    rng = random.Random(7)
    assert [w.data for w in nn.Neuron(3, seed=7).w] == [rng.uniform(-1.0, 1.0) for _ in range(3)]
    rng = random.Random(7)
    expected = [[rng.uniform(-1.0, 1.0) for _ in range(2)] for _ in range(3)]
    assert [[w.data for w in n.w] for n in nn.Layer(2, 3, seed=7).neurons] == expected


def test_a_lone_xavier_neuron_has_fan_out_1() -> None:
    """a = sqrt(6 / (fan_in + fan_out)) with fan_in = 3 and, for a neuron alone, fan_out = 1."""
    a = math.sqrt(6.0 / (3 + 1))
    rng = random.Random(0)
    assert [w.data for w in nn.Neuron(3, init="xavier", seed=0).w] == [rng.uniform(-a, a) for _ in range(3)]


def test_nonlin_false_makes_every_neuron_of_a_layer_linear() -> None:
    layer = nn.Layer(2, 3, nonlin=False, seed=1)
    assert [n.activation for n in layer.neurons] == ["linear"] * 3 and layer.activation == "linear"
    x = [1.5, -2.0]
    out = layer([Value(v) for v in x])
    assert isinstance(out, list)
    for o, n in zip(out, layer.neurons):
        # linear: w . x + b by hand, negative values kept (relu would clip them to 0)
        assert o.data == pytest.approx(sum(w.data * xi for w, xi in zip(n.w, x)) + n.b.data, abs=1e-15)
    assert any(o.data < 0 for o in out)
    assert [n.activation for n in nn.Layer(2, 2, nonlin=True, seed=1).neurons] == ["relu", "relu"]


def test_mlp_repr_lists_its_layers_as_pytorch_sequential_does() -> None:
    assert repr(nn.MLP(2, [3, 1])) == (
        "MLP(\n"
        "  (0): Layer(nin=2, nout=3, activation='relu')\n"
        "  (1): Layer(nin=3, nout=1, activation='linear')\n"
        ")"
    )


def test_matrix_and_matrices_hold_the_layer_values_and_label_the_columns() -> None:
    mlp = nn.MLP(2, [3, 1], seed=0)
    first, second = mlp.layers
    m = first.matrix()
    assert set(m) == {"weight", "bias", "columns"} and m["columns"] == ["x1", "x2"]
    assert all(m["weight"][i][j] is first.neurons[i].w[j] for i in range(3) for j in range(2))
    assert all(m["bias"][i] is first.neurons[i].b for i in range(3))
    assert first.matrix(("p", "q"))["columns"] == ["p", "q"]
    ms = mlp.matrices()
    assert list(ms) == ["layer 1", "layer 2"]
    assert ms["layer 1"]["columns"] == ["x1", "x2"] and ms["layer 2"]["columns"] == ["a1", "a2", "a3"]
    assert ms["layer 2"]["weight"][0][2] is second.neurons[0].w[2]
