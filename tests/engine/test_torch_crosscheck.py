"""Random expression graphs with shared nodes, against PyTorch's autograd in float64.

PyTorch comes from the ``torch`` fixture (tests/conftest.py), so this module imports without it;
a torch function in the tables is named by its path in ``torch``, such as ``"nn.functional.softplus"``.
"""

import math
import random
from operator import attrgetter

import pytest

import autograd
from autograd import Value, grad
from tests.oracles import close

# Each entry: how to apply the op to a Value and to a 0-d tensor, and whether its input must be > 0.
UNARY = [
    ("tanh", lambda v: v.tanh(), "tanh", False),
    ("sigmoid", lambda v: v.sigmoid(), "sigmoid", False),
    ("exp", lambda v: (v * 0.3).exp(), lambda t: (t * 0.3).exp(), False),
    ("log", lambda v: v.log(), "log", True),
    ("sqrt", lambda v: v.sqrt(), "sqrt", True),
    ("relu", lambda v: v.relu(), "relu", False),
    ("leaky_relu", lambda v: v.leaky_relu(), "nn.functional.leaky_relu", False),
    ("softplus", lambda v: v.softplus(), "nn.functional.softplus", False),
    ("sin", lambda v: v.sin(), "sin", False),
    ("cos", lambda v: v.cos(), "cos", False),
    ("abs", lambda v: abs(v), "abs", False),
    ("neg", lambda v: -v, "neg", False),
    ("square", lambda v: v**2, lambda t: t**2, False),
]
BINARY = [
    ("add", lambda a, b: a + b),
    ("sub", lambda a, b: a - b),
    ("mul", lambda a, b: a * b),
    ("div", lambda a, b: a / (b * b + 0.5)),
    ("const", lambda a, b: 2.5 * a - b / 4 + 1),
]


def on_tensor(torch, f):
    """The tensor side of a table row: a function, or a name looked up in ``torch``."""
    return attrgetter(f)(torch) if isinstance(f, str) else f


def build(torch, rng: random.Random, n_leaves: int, n_ops: int):
    """The same random graph twice: as Values and as tensors. Nodes are reused (fan-out, diamonds)."""
    leaves = [rng.uniform(-2, 2) for _ in range(n_leaves)]
    ours = [Value(x) for x in leaves]
    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in leaves]
    nodes_v, nodes_t = list(ours), list(theirs)
    for _ in range(n_ops):
        if rng.random() < 0.5:
            _, fv, ft, positive = rng.choice(UNARY)
            i = rng.randrange(len(nodes_v))
            v, t = nodes_v[i], nodes_t[i]
            if positive:  # keep the argument in the domain: x**2 + 0.1 > 0
                v, t = v * v + 0.1, t * t + 0.1
            nodes_v.append(fv(v))
            nodes_t.append(on_tensor(torch, ft)(t))
        else:
            _, f = rng.choice(BINARY)
            i, j = rng.randrange(len(nodes_v)), rng.randrange(len(nodes_v))  # i == j allowed: a*a
            nodes_v.append(f(nodes_v[i], nodes_v[j]))
            nodes_t.append(f(nodes_t[i], nodes_t[j]))
    # the root sums a few nodes so that many paths lead to the leaves
    picks = [rng.randrange(len(nodes_v)) for _ in range(4)] + [len(nodes_v) - 1]
    root_v = autograd.sum([nodes_v[k] for k in picks])
    root_t = sum((nodes_t[k] for k in picks), torch.tensor(0.0, dtype=torch.float64))
    return ours, theirs, root_v, root_t


@pytest.mark.torch
@pytest.mark.parametrize("seed", range(40))
def test_random_graph_values_and_grads_match_torch(torch, seed):
    ours, theirs, root_v, root_t = build(torch, random.Random(seed), n_leaves=4, n_ops=25)
    root_v.backward()
    root_t.backward()
    assert close(root_v.data, root_t.item())
    for v, t in zip(ours, theirs):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert close(v.grad, expected), (v.grad, expected)


def torch_second_derivative(torch, f, x: float) -> float:
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(on_tensor(torch, f)(t), t, create_graph=True)
    (h,) = torch.autograd.grad(g, t)
    return h.item()


SECOND = [
    ("tanh", lambda v: v.tanh(), "tanh", 0.7),
    ("sigmoid", lambda v: v.sigmoid(), "sigmoid", -0.4),
    ("exp", lambda v: v.exp(), "exp", 0.3),
    ("log", lambda v: v.log(), "log", 1.7),
    ("sqrt", lambda v: v.sqrt(), "sqrt", 2.2),
    ("cube", lambda v: v**3, lambda t: t**3, -1.3),
    ("softplus", lambda v: v.softplus(), "nn.functional.softplus", 0.2),
    ("sin", lambda v: v.sin(), "sin", 0.5),
    ("cos", lambda v: v.cos(), "cos", 0.5),
    ("div", lambda v: 1 / (v * v + 1), lambda t: 1 / (t * t + 1), 0.8),
    ("pow_value", lambda v: v**v, lambda t: t**t, 1.3),
    (
        "composite",
        lambda v: (v * v.sin() + 2).log() * v.tanh(),
        lambda t: (t * t.sin() + 2).log() * t.tanh(),
        0.9,
    ),
]


@pytest.mark.torch
@pytest.mark.parametrize(("name", "fv", "ft", "x"), SECOND, ids=[s[0] for s in SECOND])
def test_grad_of_grad_matches_torch_create_graph(torch, name, fv, ft, x):
    assert close(grad(grad(fv))(x), torch_second_derivative(torch, ft, x), rel=1e-9)


def test_second_derivatives_against_hand_formulas():
    x = 0.6
    t, s = math.tanh(x), 1 / (1 + math.exp(-x))
    assert close(grad(grad(lambda v: v.tanh()))(x), -2 * t * (1 - t * t))
    assert close(grad(grad(lambda v: v.sigmoid()))(x), s * (1 - s) * (1 - 2 * s))
    assert close(grad(grad(lambda v: v.exp()))(x), math.exp(x))
    assert close(grad(grad(lambda v: v.log()))(x), -1 / x**2)
    assert close(grad(grad(lambda v: v**3))(x), 6 * x)
    assert close(grad(grad(grad(lambda v: v**3)))(x), 6.0)


def test_backward_create_graph_gives_value_grads():
    x = Value(0.5)
    y = x**3
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value) and close(x.grad.data, 3 * 0.25)
    g = x.grad
    x.grad = 0.0
    g.backward()
    assert close(x.grad, 6 * 0.5)


def test_mixed_partials_with_argnums():
    f = lambda a, b: a * a * b + b.exp()
    d_da = grad(f, argnums=0)
    assert close(grad(d_da, argnums=1)(1.5, 0.3), 2 * 1.5)  # d2f/dadb = 2a
    assert close(grad(f, argnums=(0, 1))(1.5, 0.3)[1], 1.5**2 + math.exp(0.3))
