"""Random expression graphs with shared nodes, against PyTorch's autograd in float64.

PyTorch comes from the ``torch`` fixture (tests/conftest.py) or is imported inside the helpers,
so this module imports without it; a torch function in SECOND is named by its path in
``torch``, such as ``"nn.functional.softplus"``.
"""

import math
import random
from operator import attrgetter

import pytest

import autograd
from autograd import Value, grad
from tests.engine.op_cases import CASES, sample_points
from tests.oracles import close

RANDOM_GRAPH_CASES = [case for case in CASES if case.arity <= 2]


def into_domain(x, lo: float, hi: float, tanh):
    """Map any number smoothly into (lo, hi), so every op of a random graph gets a valid input."""
    return lo + (hi - lo) * (tanh(x) + 1) / 2


def build(rng: random.Random, n_leaves: int, n_ops: int):
    """The same random graph twice: as Values and as tensors. Ops come from the shared table;
    nodes are reused (fan-out, diamonds, a * a)."""
    import torch

    leaves = [rng.uniform(-2, 2) for _ in range(n_leaves)]
    ours = [Value(x) for x in leaves]
    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in leaves]
    nodes_v, nodes_t = list(ours), list(theirs)
    for _ in range(n_ops):
        case = rng.choice(RANDOM_GRAPH_CASES)
        picks = [rng.randrange(len(nodes_v)) for _ in case.domains]  # repeats allowed: a * a
        args_v = [into_domain(nodes_v[k], lo, hi, Value.tanh) for k, (lo, hi) in zip(picks, case.domains)]
        args_t = [into_domain(nodes_t[k], lo, hi, torch.tanh) for k, (lo, hi) in zip(picks, case.domains)]
        nodes_v.append(case.apply(*args_v))
        nodes_t.append(case.torch(torch, *args_t))
    # the root sums a few nodes so that many paths lead to the leaves
    picks = [rng.randrange(len(nodes_v)) for _ in range(4)] + [len(nodes_v) - 1]
    root_v = autograd.sum([nodes_v[k] for k in picks])
    root_t = sum((nodes_t[k] for k in picks), torch.tensor(0.0, dtype=torch.float64))
    return ours, theirs, root_v, root_t


@pytest.mark.torch
@pytest.mark.parametrize("seed", range(40))
def test_random_graph_values_and_grads_match_torch(seed):
    ours, theirs, root_v, root_t = build(random.Random(seed), n_leaves=4, n_ops=25)
    root_v.backward()
    root_t.backward()
    assert close(root_v.data, root_t.item())
    for v, t in zip(ours, theirs):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert close(v.grad, expected), (v.grad, expected)


def torch_value_and_grads(case, point):
    import torch

    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
    out = case.torch(torch, *ts)
    grads = torch.autograd.grad(out, ts, allow_unused=True)
    return out.item(), [0.0 if g is None else g.item() for g in grads]


def finite_forward(case, point) -> bool:
    """True where the forward value is a finite float (exp(1000) overflows: no backward to compare)."""
    try:
        return math.isfinite(case.value(*point))
    except (OverflowError, ValueError, ZeroDivisionError):
        return False


@pytest.mark.torch
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_op_matches_torch_at_random_and_edge_points(case):
    for point in sample_points(case, 8, seed=2) + [p for p in case.edges if finite_forward(case, p)]:
        vs = [Value(x) for x in point]
        out = case.apply(*vs)
        out.backward()
        value, grads = torch_value_and_grads(case, point)
        assert close(out.data, value), (point, out.data, value)
        for v, g in zip(vs, grads):
            assert v.grad == g or close(v.grad, g), (point, v.grad, g)


def our_hessian(case, point) -> list[list[float]]:
    """Row i: the gradient of df/dx_i, from backward(create_graph=True) and a second backward."""
    vs = [Value(x) for x in point]
    case.apply(*vs).backward(create_graph=True)
    first = [v.grad for v in vs]
    rows = []
    for g in first:
        for v in vs:
            v.grad = 0.0
        if isinstance(g, Value):
            g.backward()
            rows.append([v.grad for v in vs])
        else:  # a constant first derivative: its derivative is 0
            rows.append([0.0] * len(vs))
    return rows


@pytest.mark.torch
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_second_derivatives_of_each_op_match_torch(torch, case):
    """The full Hessian of every op, dot and sum included (their create_graph rules are checked here)."""
    for point in sample_points(case, 3, seed=3):
        ts = tuple(torch.tensor(x, dtype=torch.float64) for x in point)
        expected = torch.autograd.functional.hessian(lambda *xs: case.torch(torch, *xs), ts)
        ours = our_hessian(case, point)
        for i, row in enumerate(ours):
            for j, h in enumerate(row):
                want = expected[i][j].item()
                assert close(h, want, rel=1e-9, abs_=1e-10), (case.name, point, i, j, h, want)


def on_tensor(torch, f):
    """The tensor side of a SECOND row: a function, or a name looked up in ``torch``."""
    return attrgetter(f)(torch) if isinstance(f, str) else f


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
