"""Neuron, Layer and MLP: forward values by hand, structure, names, seeding and bad input."""

import array
import math
import random
from fractions import Fraction

import pytest

import autograd
import nn
from autograd import Value


def test_neuron_computes_activation_of_weighted_sum_by_hand():
    for activation, f in [
        ("linear", lambda z: z),
        ("relu", lambda z: max(0.0, z)),
        ("tanh", math.tanh),
        ("sigmoid", lambda z: 1 / (1 + math.exp(-z))),
    ]:
        n = nn.Neuron(3, activation=activation, seed=0)
        n.w[0].data, n.w[1].data, n.w[2].data, n.b.data = 0.5, -1.5, 2.0, 0.25
        z = 0.5 * 1.0 + -1.5 * 2.0 + 2.0 * -0.5 + 0.25  # = -3.25
        assert n([1.0, 2.0, -0.5]).data == pytest.approx(f(z), abs=1e-15)


def test_neuron_gradients_by_hand():
    n = nn.Neuron(2, activation="tanh", seed=0)
    n.w[0].data, n.w[1].data, n.b.data = 0.3, -0.7, 0.1
    x = [Value(1.5), Value(-2.0)]
    out = n(x)
    out.backward()
    z = 0.3 * 1.5 + -0.7 * -2.0 + 0.1
    dz = 1 - math.tanh(z) ** 2
    assert n.w[0].grad == pytest.approx(dz * 1.5)
    assert n.w[1].grad == pytest.approx(dz * -2.0)
    assert n.b.grad == pytest.approx(dz)
    assert x[0].grad == pytest.approx(dz * 0.3)
    assert x[1].grad == pytest.approx(dz * -0.7)


def test_pre_activation_is_one_dot_node_with_weights_inputs_and_bias():
    n = nn.Neuron(3, activation="relu", seed=1)
    xs = [Value(1.0), Value(2.0), Value(3.0)]
    out = n(xs)
    assert out.op == "relu"
    (z,) = out.inputs
    assert z.op == "dot"
    assert z.inputs == (*n.w, *xs, n.b)
    assert z.data == pytest.approx(sum(w.data * x.data for w, x in zip(n.w, xs)) + n.b.data)
    assert nn.Neuron(3, activation="linear", seed=1)(xs).op == "dot"


def test_parameter_labels_for_drawings():
    n = nn.Neuron(3, seed=0)
    assert [w.label for w in n.w] == ["w0", "w1", "w2"]
    assert n.b.label == "b" and n.b.data == 0.0


def test_micrograd_nonlin_flag():
    assert nn.Neuron(2, nonlin=True).activation == "relu"
    assert nn.Neuron(2, nonlin=False).activation == "linear"
    assert nn.Neuron(2).activation == "relu"
    assert nn.Neuron(2, nonlin=False).nonlin is False
    with pytest.raises(ValueError, match="not both"):
        nn.Neuron(2, activation="tanh", nonlin=True)


def test_layer_of_width_one_returns_a_value_and_wider_returns_a_list():
    x = [0.5, -0.5]
    one = nn.Layer(2, 1, seed=0)(x)
    assert isinstance(one, Value)
    many = nn.Layer(2, 3, seed=0)(x)
    assert isinstance(many, list) and len(many) == 3 and all(isinstance(v, Value) for v in many)
    assert isinstance(nn.Layer(2, 1, seed=0).outputs(x), list)
    assert isinstance(nn.MLP(2, [3, 1], seed=0)(x), Value)
    assert len(nn.MLP(2, [3, 2], seed=0)(x)) == 2


def test_mlp_forward_equals_layer_by_layer_by_hand():
    model = nn.MLP(2, [3, 2], activation="tanh", final_activation="sigmoid", seed=4)
    x = [0.3, -1.2]
    h = [math.tanh(sum(w.data * xi for w, xi in zip(n.w, x)) + n.b.data) for n in model.layers[0].neurons]
    expected = [
        1 / (1 + math.exp(-(sum(w.data * hi for w, hi in zip(n.w, h)) + n.b.data)))
        for n in model.layers[1].neurons
    ]
    got = [v.data for v in model(x)]
    assert got == pytest.approx(expected, abs=1e-15)


def test_mlp_activations_default_and_per_layer():
    assert nn.MLP(2, [4, 4, 1]).activations == ["relu", "relu", "linear"]
    assert nn.MLP(2, [4, 1], activation="sigmoid", final_activation="sigmoid").activations == [
        "sigmoid",
        "sigmoid",
    ]
    assert nn.MLP(2, [4, 1], activation=["tanh", "sigmoid"]).activations == ["tanh", "sigmoid"]
    with pytest.raises(ValueError, match="expected 2 activations"):
        nn.MLP(2, [4, 1], activation=["tanh"])
    with pytest.raises(ValueError, match="activation must be one of"):
        nn.MLP(2, [4, 1], activation="swish")


def test_mlp_wraps_float_inputs_once_at_the_entry():
    model = nn.MLP(2, [3, 1], seed=0)
    out = model([1.0, 2.0])
    first_layer_dots = [z for z in autograd.topological_order(out) if z.op == "dot" and len(z.inputs) == 5]
    assert len(first_layer_dots) == 3
    inputs_seen = {id(z.inputs[2]) for z in first_layer_dots} | {id(z.inputs[3]) for z in first_layer_dots}
    assert len(inputs_seen) == 2  # the same two input Values feed all three neurons


def test_named_parameters_are_stable_dotted_paths():
    model = nn.MLP(2, [3, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names[:4] == [
        "layers.0.neurons.0.w.0",
        "layers.0.neurons.0.w.1",
        "layers.0.neurons.0.b",
        "layers.0.neurons.1.w.0",
    ]
    assert names[-1] == "layers.1.neurons.0.b"
    assert len(names) == (2 + 1) * 3 + (3 + 1) * 1 == model.num_parameters()
    assert [p for _, p in model.named_parameters()] == model.parameters()
    assert model.layers[0].neurons[2].w[1] is dict(model.named_parameters())["layers.0.neurons.2.w.1"]
    assert [n for n, _ in nn.Neuron(2).named_parameters()] == ["w.0", "w.1", "b"]
    assert [n for n, _ in nn.Layer(2, 2).named_parameters()][-1] == "neurons.1.b"


def test_zero_grad_resets_every_parameter():
    model = nn.MLP(2, [3, 1], seed=0)
    model([1.0, 1.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_seeded_initialisation_is_reproducible_and_owned_by_the_model():
    a = [p.data for p in nn.MLP(2, [4, 1], seed=7).parameters()]
    random.seed(123)
    random.random()
    b = [p.data for p in nn.MLP(2, [4, 1], seed=7).parameters()]
    assert a == b
    c = [p.data for p in nn.MLP(2, [4, 1], seed=8).parameters()]
    assert a != c
    state = random.getstate()
    nn.MLP(2, [4, 1], seed=1)
    assert random.getstate() == state  # the global generator is never touched
    d = [p.data for p in nn.MLP(2, [4, 1], rng=random.Random(7)).parameters()]
    assert d == a


@pytest.mark.parametrize(
    ("init", "bound"),
    [("uniform", 1.0), ("xavier", math.sqrt(6 / (50 + 40))), ("he", math.sqrt(6 / 50))],
)
def test_init_schemes_draw_within_their_bounds(init, bound):
    layer = nn.Layer(50, 40, init=init, seed=3)
    ws = [w.data for n in layer.neurons for w in n.w]
    assert max(abs(w) for w in ws) <= bound
    # U(-a, a) has variance a**2/3; with 2000 draws the sample variance is within ~10%
    var = sum(w * w for w in ws) / len(ws)
    assert var == pytest.approx(bound**2 / 3, rel=0.1)
    assert all(n.b.data == 0.0 for n in layer.neurons)


def test_repr_shows_the_architecture():
    text = repr(nn.MLP(2, [16, 1]))
    assert "Layer(nin=2, nout=16, activation='relu')" in text
    assert "Layer(nin=16, nout=1, activation='linear')" in text
    assert repr(nn.Neuron(3, activation="tanh")) == "Neuron(nin=3, activation='tanh')"


def test_wrong_input_length_names_expected_and_given():
    with pytest.raises(ValueError, match="MLP: expected 2 inputs, got 3"):
        nn.MLP(2, [3, 1])([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Neuron: expected 3 inputs, got 1"):
        nn.Neuron(3)([1.0])
    with pytest.raises(ValueError, match="Layer: expected 2 inputs, got 0"):
        nn.Layer(2, 2)([])


def test_bad_inputs_and_sizes_raise_where_they_enter():
    with pytest.raises(TypeError, match="MLP: expected a list of 2"):
        nn.MLP(2, [1])("ab")
    with pytest.raises(TypeError, match="Neuron: expected a real number, got str"):
        nn.Neuron(2)([1.0, "x"])
    with pytest.raises(ValueError, match="nin must be >= 1, got 0"):
        nn.Neuron(0)
    with pytest.raises(TypeError, match="nout must be an int, got float"):
        nn.Layer(2, 2.5)
    with pytest.raises(ValueError, match="nouts must be a non-empty list"):
        nn.MLP(2, [])
    with pytest.raises(ValueError, match="init must be one of"):
        nn.MLP(2, [1], init="normal")


def test_inputs_may_be_tuples_arrays_generators_or_values():
    model = nn.MLP(2, [3, 1], seed=0)
    expected = model([0.5, -1.0]).data
    assert model((0.5, -1.0)).data == expected
    assert model(array.array("d", [0.5, -1.0])).data == expected
    assert model(v for v in [0.5, -1.0]).data == expected
    assert model([Fraction(1, 2), -1]).data == expected
    assert model([Value(0.5), -1.0]).data == expected
