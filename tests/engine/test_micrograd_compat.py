"""micrograd's teaching material on chainrule: the lecture's usage patterns, micrograd's engine tests, its demo.

Everything below is written the way the "Neural Networks: Zero to Hero" micrograd lecture and
micrograd's repository use their own ``Value`` (labels set afterwards, ``_prev``/``_op`` read
by a drawing helper, ``_backward()`` called node by node, hand-written Neuron/Layer/MLP
classes, ``p.data += -0.1 * p.grad``), with ``from autograd import Value`` instead. The
numbers are checked against hand calculations, and against PyTorch in float64.
"""

from __future__ import annotations

import importlib.util
import math
import random
from pathlib import Path

import graphviz
import pytest

from autograd import Value
from tests.oracles import close

# The lecture's neuron: bias chosen so that n = 0.8814 and o = tanh(n) = 1/sqrt(2), do/dn = 0.5.
LECTURE_BIAS = 6.8813735870195432


# --- the lecture's Value, cell by cell ------------------------------------------------------------


def test_values_with_labels_set_at_creation_and_afterwards():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    assert (a.label, e.label, d.label) == ("a", "e", "d")
    assert (e.data, d.data, d.grad) == (-6.0, 4.0, 0.0)
    # _prev and _op: what the lecture prints; ours is an ordered tuple and an op name
    assert d._prev == (e, c)
    assert d._op == "add" and e._op == "mul" and a._op == ""
    assert a._prev == ()


def test_prev_and_op_are_read_only_views_of_inputs_and_op():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    assert c._prev is c.inputs and c._op is c.op
    with pytest.raises(AttributeError):
        c._prev = (a,)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        c._op = "+"  # type: ignore[misc]


def test_numbers_on_either_side_and_the_ops_the_lecture_adds():
    a, b = Value(2.0), Value(4.0)
    assert (a + 1).data == 3.0 and (1 + a).data == 3.0
    assert (a * 2).data == 4.0 and (2 * a).data == 4.0
    assert (a - 1).data == 1.0 and (1 - a).data == -1.0
    assert (a / b).data == 0.5 and (1 / b).data == 0.25 and (b / 2).data == 2.0
    assert (a**2).data == 4.0 and (a**-1).data == 0.5
    assert (-a).data == -2.0
    assert close(a.exp().data, math.exp(2.0), 1e-12, 1e-12)
    assert close(a.tanh().data, math.tanh(2.0), 1e-12, 1e-12)


def test_number_operands_become_constant_leaves_in_prev():
    a = Value(3.0)
    doubled = 2 * a
    (const, same) = doubled._prev
    assert same is a and const.data == 2.0 and const._prev == () and const._op == ""
    squared = a**2  # the exponent is an input too (micrograd keeps it in the op name '**2')
    assert squared._op == "pow" and squared._prev[0] is a and squared._prev[1].data == 2.0


def test_builtin_sum_with_a_start_value():
    w = [Value(1.0), Value(2.0), Value(3.0)]
    x = [4.0, 5.0, 6.0]
    b = Value(0.5)
    act = sum((wi * xi for wi, xi in zip(w, x)), b)  # the lecture's neuron: start at the bias
    assert act.data == 0.5 + 4.0 + 10.0 + 18.0
    act.backward()
    assert [wi.grad for wi in w] == x and b.grad == 1.0
    total = sum([Value(1.0), Value(2.0)])  # start 0: an int on the left, handled by __radd__
    assert total.data == 3.0


def lecture_expression() -> dict[str, Value]:
    """The lecture's first graph: L = (a*b + c) * f with a=2, b=-3, c=10, f=-2."""
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    f = Value(-2.0, label="f")
    L = d * f
    L.label = "L"
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "L": L}


def test_lecture_expression_grads_by_hand_and_by_backward():
    v = lecture_expression()
    assert v["L"].data == -8.0
    v["L"].backward()
    # by hand: dL/dd = f = -2, dL/df = d = 4, dL/dc = dL/de = dL/dd = -2, dL/da = -2*b, dL/db = -2*a
    expected = {"L": 1.0, "f": 4.0, "d": -2.0, "c": -2.0, "e": -2.0, "a": 6.0, "b": -4.0}
    assert {k: v[k].grad for k in expected} == expected


def test_lecture_setting_grads_by_hand_then_nudging_the_leaves():
    v = lecture_expression()
    # the lecture fills grads in by hand before it has backward()
    v["L"].grad = 1.0
    v["f"].grad, v["d"].grad = 4.0, -2.0
    v["c"].grad = v["e"].grad = -2.0
    v["a"].grad, v["b"].grad = 6.0, -4.0
    for k in "abcf":
        v[k].data += 0.01 * v[k].grad
    # forward again with the nudged data: (2.06 * -3.04 + 9.98) * -1.96
    e = v["a"] * v["b"]
    d = e + v["c"]
    L = d * v["f"]
    assert close(L.data, -7.286496, 1e-12, 1e-12)
    assert L.data > -8.0  # one step along the gradient raised L


def test_lecture_numerical_derivative_agrees_with_backward():
    h = 0.0001
    base = lecture_expression()
    base["L"].backward()
    for name in "abcf":
        nudged = {k: Value(base[k].data) for k in "abcf"}
        nudged[name].data += h
        L2 = (nudged["a"] * nudged["b"] + nudged["c"]) * nudged["f"]
        assert abs((L2.data - base["L"].data) / h - base[name].grad) < 1e-6


# --- the lecture's neuron, its picture, and backprop by hand -------------------------------------------


def lecture_neuron(decompose_tanh: bool = False) -> dict[str, Value]:
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    b = Value(LECTURE_BIAS, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    if decompose_tanh:
        e = (2 * n).exp()
        o = (e - 1) / (e + 1)
    else:
        o = n.tanh()
    o.label = "o"
    return {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "x1w1": x1w1, "x2w2": x2w2,
            "x1w1x2w2": x1w1x2w2, "n": n, "o": o}  # fmt: skip


def neuron_grads_by_hand() -> dict[str, float]:
    """do/d(each leaf) from the chain rule: do/dn = 1 - tanh(n)**2, and n = x1*w1 + x2*w2 + b."""
    do_dn = 1.0 - math.tanh(2.0 * -3.0 + 0.0 * 1.0 + LECTURE_BIAS) ** 2
    return {"x1": -3.0 * do_dn, "w1": 2.0 * do_dn, "x2": 1.0 * do_dn, "w2": 0.0 * do_dn, "b": do_dn}


LEAVES = ("x1", "w1", "x2", "w2", "b")


def test_lecture_neuron_numbers():
    v = lecture_neuron()
    v["o"].backward()
    assert close(v["n"].data, 0.8813735870195432, 1e-12, 1e-12)
    assert abs(v["o"].data - 1 / math.sqrt(2)) < 1e-6
    hand = neuron_grads_by_hand()
    for name in LEAVES:
        assert close(v[name].grad, hand[name], 1e-12, 1e-12), name
    # the lecture's rounded numbers
    rounded = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}
    for name in LEAVES:
        assert abs(v[name].grad - rounded[name]) < 1e-6, name
    assert abs(v["n"].grad - 0.5) < 1e-6 and abs(v["x1w1"].grad - 0.5) < 1e-6


def test_manual_backward_cells_one_node_at_a_time():
    v = lecture_neuron()
    v["o"].grad = 1.0
    v["o"]._backward()
    assert abs(v["n"].grad - 0.5) < 1e-6 and v["x1"].grad == 0.0  # one step only: nothing further yet
    v["n"]._backward()
    assert v["b"].grad == v["x1w1x2w2"].grad == v["n"].grad
    v["b"]._backward()  # a leaf: does nothing
    v["x1w1x2w2"]._backward()
    v["x2w2"]._backward()
    v["x1w1"]._backward()
    for name in LEAVES:
        v[name]._backward()  # leaves: still nothing
    hand = neuron_grads_by_hand()
    for name in LEAVES:
        assert close(v[name].grad, hand[name], 1e-12, 1e-12), name


def test_a_backward_step_adds_into_the_inputs_grads():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    c.grad = 1.0
    c._backward()
    c._backward()  # called twice: adds twice, as micrograd's closure does
    assert (a.grad, b.grad) == (-6.0, 4.0)


def topo_order(root: Value) -> list[Value]:
    """The lecture's build_topo (children before parents), walking _prev with a stack instead of recursion."""
    topo: list[Value] = []
    visited: set[Value] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            topo.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node._prev))
    return topo


def test_lecture_topological_order_then_backward_per_node():
    v = lecture_neuron()
    topo = topo_order(v["o"])
    assert len(topo) == 10 and topo[-1] is v["o"]
    position = {id(node): i for i, node in enumerate(topo)}
    assert all(position[id(child)] < position[id(node)] for node in topo for child in node._prev)
    v["o"].grad = 1.0
    for node in reversed(topo):
        node._backward()
    reference = lecture_neuron()
    reference["o"].backward()
    for name in LEAVES:
        assert v[name].grad == reference[name].grad, name


def trace(root: Value) -> tuple[set[Value], set[tuple[Value, Value]]]:
    """The lecture's trace(): every node and every (child, parent) edge, read from _prev (iteratively)."""
    nodes: set[Value] = set()
    edges: set[tuple[Value, Value]] = set()
    stack = [root]
    while stack:
        v = stack.pop()
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                stack.append(child)
    return nodes, edges


def draw_dot(root: Value) -> graphviz.Digraph:
    """The lecture's draw_dot: a record per Value (label | data | grad), an oval per op."""
    dot = graphviz.Digraph(format="svg", graph_attr={"rankdir": "LR"})
    nodes, edges = trace(root)
    for n in nodes:
        uid = str(id(n))
        dot.node(name=uid, label=f"{{ {n.label} | data {n.data:.4f} | grad {n.grad:.4f} }}", shape="record")
        if n._op:
            dot.node(name=uid + n._op, label=n._op)
            dot.edge(uid + n._op, uid)
    for n1, n2 in edges:
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)
    return dot


def test_lecture_trace_and_draw_dot_read_our_nodes():
    v = lecture_neuron()
    v["o"].backward()
    nodes, edges = trace(v["o"])
    assert nodes == {v[k] for k in v}
    assert len(edges) == 9
    assert (v["n"], v["o"]) in edges and (v["b"], v["n"]) in edges
    source = draw_dot(v["o"]).source
    assert "{ x1 | data 2.0000 | grad -1.5000 }" in source
    assert "{ w2 | data 1.0000 | grad 0.0000 }" in source
    assert "{ o | data 0.7071 | grad 1.0000 }" in source
    assert f'"{id(v["o"])}tanh" [label=tanh]' in source  # the op's oval, named id + op
    assert f'{id(v["n"])} -> "{id(v["o"])}tanh"' in source
    assert source.count("[label=mul]") == 2 and source.count("[label=add]") == 2


def test_tanh_written_with_exp_gives_the_same_grads():
    v = lecture_neuron(decompose_tanh=True)
    v["o"].backward()
    assert abs(v["o"].data - 1 / math.sqrt(2)) < 1e-6
    hand = neuron_grads_by_hand()
    for name in LEAVES:
        assert close(v[name].grad, hand[name], 1e-9, 1e-9), name
    # the constants 2 and 1 are leaves of the picture, as in the lecture
    nodes, _ = trace(v["o"])
    assert sorted(n.data for n in nodes if n._op == "" and n.label == "") == [1.0, 1.0, 2.0]


@pytest.mark.torch
def test_lecture_neuron_against_pytorch(torch):
    v = lecture_neuron()
    v["o"].backward()
    t = {k: torch.tensor(v[k].data, dtype=torch.float64, requires_grad=True) for k in LEAVES}
    o = torch.tanh(t["x1"] * t["w1"] + t["x2"] * t["w2"] + t["b"])
    o.backward()
    assert close(v["o"].data, o.item(), 1e-12, 1e-12)
    for name in LEAVES:
        assert close(v[name].grad, t[name].grad.item(), 1e-12, 1e-12), name


def test_a_value_used_twice_gets_both_contributions():
    # the lecture's bug: b = a + a gave a.grad == 1 until grads were accumulated with +=
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    b.backward()
    assert b._prev == (a, a)  # ordered tuple: a appears twice (micrograd's set holds it once)
    assert a.grad == 2.0
    # and the lecture's second example: f = (a*b) * (a+b), df/da = b(a+b) + ab, df/db = a(a+b) + ab
    a, b = Value(-2.0, label="a"), Value(3.0, label="b")
    d = a * b
    e = a + b
    f = d * e
    f.backward()
    assert (a.grad, b.grad) == (-3.0, -8.0)


def test_backward_twice_accumulates_in_leaves_only():
    # micrograd (and the lecture) would add into every node; chainrule follows PyTorch
    v = lecture_neuron()
    v["o"].backward()
    v["o"].backward()
    hand = neuron_grads_by_hand()
    for name in LEAVES:
        assert close(v[name].grad, 2 * hand[name], 1e-12, 1e-12), name
    assert abs(v["n"].grad - 0.5) < 1e-6 and v["o"].grad == 1.0


# --- the lecture's hand-written MLP, trained the lecture's way, against PyTorch --------------------------


class Neuron:
    def __init__(self, nin: int, rng: random.Random) -> None:
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(rng.uniform(-1, 1))

    def __call__(self, x: list) -> Value:
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.tanh()

    def parameters(self) -> list[Value]:
        return self.w + [self.b]


class Layer:
    def __init__(self, nin: int, nout: int, rng: random.Random) -> None:
        self.neurons = [Neuron(nin, rng) for _ in range(nout)]

    def __call__(self, x: list) -> Value | list[Value]:
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self) -> list[Value]:
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    def __init__(self, nin: int, nouts: list[int], rng: random.Random) -> None:
        sz = [nin] + nouts
        self.layers = [Layer(sz[i], sz[i + 1], rng) for i in range(len(nouts))]

    def __call__(self, x: list) -> Value | list[Value]:
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]


XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


def train_lecture_mlp(steps: int, seed: int) -> tuple[list[float], list[float], list[float]]:
    """The lecture's loop on our Value: losses per step, last predictions, last parameters."""
    n = MLP(3, [4, 4, 1], random.Random(seed))
    losses = []
    for _ in range(steps):
        ypred = [n(x) for x in XS]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(YS, ypred))
        for p in n.parameters():
            p.grad = 0.0
        loss.backward()
        for p in n.parameters():
            p.data += -0.1 * p.grad
        losses.append(loss.data)
    return losses, [y.data for y in ypred], [p.data for p in n.parameters()]


def train_reference_mlp(steps: int, seed: int) -> tuple[list[float], list[float], list[float]]:
    """The same network and loop in PyTorch float64, weights drawn in the same order."""
    import torch

    rng = random.Random(seed)
    layers = []
    for nin, nout in [(3, 4), (4, 4), (4, 1)]:
        w, b = [], []
        for _ in range(nout):
            w.append([rng.uniform(-1, 1) for _ in range(nin)])
            b.append(rng.uniform(-1, 1))
        layers.append((torch.tensor(w, dtype=torch.float64, requires_grad=True),
                       torch.tensor(b, dtype=torch.float64, requires_grad=True)))  # fmt: skip
    params = [t for layer in layers for t in layer]
    x = torch.tensor(XS, dtype=torch.float64)
    y = torch.tensor(YS, dtype=torch.float64)
    losses = []
    for _ in range(steps):
        h = x
        for w, b in layers:
            h = torch.tanh(h @ w.T + b)
        ypred = h[:, 0]
        loss = ((ypred - y) ** 2).sum()
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p += -0.1 * p.grad
        losses.append(loss.item())
    flat = [v for w, b in layers for i in range(w.shape[0]) for v in [*w[i].tolist(), b[i].item()]]
    return losses, ypred.tolist(), flat


@pytest.mark.torch
@pytest.mark.parametrize("seed", [0, 1])
def test_lecture_mlp_training_matches_pytorch(seed):
    losses, ypred, params = train_lecture_mlp(20, seed)
    ref_losses, ref_ypred, ref_params = train_reference_mlp(20, seed)
    assert len(params) == 41  # 4*(3+1) + 4*(4+1) + 1*(4+1), as in the lecture
    for k, (ours, ref) in enumerate(zip(losses, ref_losses)):
        assert close(ours, ref, 1e-9, 1e-9), (k, ours, ref)
    assert all(close(a, b, 1e-9, 1e-9) for a, b in zip(ypred, ref_ypred))
    assert all(close(a, b, 1e-9, 1e-9) for a, b in zip(params, ref_params))
    assert losses[-1] < losses[0]


def test_lecture_mlp_output_shapes():
    n = MLP(3, [4, 4, 1], random.Random(0))
    out = n([2.0, 3.0, -1.0])
    assert isinstance(out, Value) and -1.0 < out.data < 1.0  # width 1: a bare Value
    hidden = Layer(3, 4, random.Random(0))([2.0, 3.0, -1.0])
    assert isinstance(hidden, list) and len(hidden) == 4


# --- micrograd's test/test_engine.py expressions, against PyTorch ------------------------------------


@pytest.mark.torch
def test_micrograd_sanity_check_expression(torch):
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()

    xt = torch.tensor(-4.0, dtype=torch.float64, requires_grad=True)
    zt = 2 * xt + 2 + xt
    qt = zt.relu() + zt * xt
    ht = (zt * zt).relu()
    yt = ht + qt + qt * xt
    yt.backward()

    # micrograd asserts exact equality here; by hand: z = -10, q = 40, h = 100, y = -20, dy/dx = 46
    assert y.data == yt.item() == -20.0
    assert x.grad == xt.grad.item() == 46.0


@pytest.mark.torch
def test_micrograd_more_ops_expression(torch):
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()

    at = torch.tensor(-4.0, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    ct = at + bt
    dt = at * bt + bt**3
    ct = ct + ct + 1
    ct = ct + 1 + ct + (-at)
    dt = dt + dt * 2 + (bt + at).relu()
    dt = dt + 3 * dt + (bt - at).relu()
    et = ct - dt
    ft = et**2
    gt = ft / 2.0
    gt = gt + 10.0 / ft
    gt.backward()

    tol = 1e-6  # micrograd's tolerance
    assert abs(g.data - gt.item()) < tol
    assert abs(a.grad - at.grad.item()) < tol
    assert abs(b.grad - bt.grad.item()) < tol
    assert close(g.data, 24.70408163265306, 1e-12, 1e-12) and close(a.grad, 138.83381924198252, 1e-12, 1e-12)
    assert close(b.grad, 645.5772594752186, 1e-12, 1e-12)


# --- micrograd's demo.ipynb flow, as demos/micrograd_demo.py ------------------------------------------


def load_demo():
    path = Path(__file__).resolve().parents[2] / "demos" / "micrograd_demo.py"
    spec = importlib.util.spec_from_file_location("micrograd_demo", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_micrograd_demo_reaches_full_accuracy():
    demo = load_demo()
    lines: list[str] = []
    model, X, y, history = demo.train(log=lines.append)
    assert lines[0] == "337 parameters" and model.num_parameters() == 337
    assert len(history) == 100
    first_loss, first_accuracy = history[0]
    last_loss, last_accuracy = history[-1]
    assert first_accuracy < 0.9 and last_accuracy == 1.0
    assert last_loss < 0.02 < first_loss
    picture = demo.decision_map(model, X, y, step=0.25).splitlines()
    assert len({len(row) for row in picture}) == 1 and set("".join(picture)) == set("+-ox")
    x_min, y_max = min(p[0] for p in X) - 1, max(p[1] for p in X) + 1
    marks = {(round((y_max - py) / 0.25), round((px - x_min) / 0.25)): "o" if label > 0 else "x"
             for (px, py), label in zip(X, y)}  # fmt: skip
    assert all(picture[r][c] == mark for (r, c), mark in marks.items())


@pytest.mark.torch
def test_micrograd_demo_loss_matches_pytorch(torch):
    # the demo's first loss and its gradient, recomputed in PyTorch from the same weights
    demo = load_demo()
    X, y = demo.make_data(1337)
    model = demo.nn.MLP(2, [16, 16, 1], seed=1337)
    loss, _ = demo.loss_and_accuracy(model, X, y)
    loss.backward()
    layers = [
        (torch.tensor([[w.data for w in neuron.w] for neuron in layer.neurons], dtype=torch.float64,
                      requires_grad=True),
         torch.tensor([neuron.b.data for neuron in layer.neurons], dtype=torch.float64, requires_grad=True))
        for layer in model.layers
    ]  # fmt: skip
    h = torch.tensor(X, dtype=torch.float64)
    for i, (w, b) in enumerate(layers):
        h = h @ w.T + b
        if i < len(layers) - 1:
            h = h.relu()
    scores = h[:, 0]
    yt = torch.tensor(y, dtype=torch.float64)
    params = [t for layer in layers for t in layer]
    ref = (1 - yt * scores).relu().mean() + 1e-4 * sum((p * p).sum() for p in params)
    ref.backward()
    assert close(loss.data, ref.item(), 1e-9, 1e-9)
    first = model.layers[0].neurons[0]
    assert close(first.w[0].grad, layers[0][0].grad[0, 0].item(), 1e-9, 1e-9)
    assert close(model.layers[2].neurons[0].b.grad, layers[2][1].grad[0].item(), 1e-9, 1e-9)


# --- docs/coming-from-micrograd.md: every example runs and gives what the page says ----------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "coming-from-micrograd.md"


def doc_examples() -> list[str]:
    blocks = DOC.read_text().split("```python\n")[1:]
    return [block.split("```")[0] for block in blocks]


def test_doc_has_the_examples():
    examples = doc_examples()
    assert len(examples) >= 20
    assert sum("# -> " in example for example in examples) == len(examples) - 1  # all but the import


@pytest.mark.parametrize("example", doc_examples(), ids=lambda text: text.splitlines()[0][:40])
def test_doc_example(example):
    import autograd
    import nn

    namespace = {"Value": Value, "autograd": autograd, "nn": nn}
    for line in example.splitlines():
        code, arrow, expected = line.partition("  # -> ")
        if not arrow:
            exec(code, namespace)
            continue
        *statements, last = code.split("; ")
        for statement in statements:
            exec(statement, namespace)
        assert repr(eval(last, namespace)) == expected, line
