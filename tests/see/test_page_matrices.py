"""The live page's matrix view, as data: what ``render_steps(..., matrices=...)`` hands the page.

Each cell names a node of the graph and the step after which its grad is final; the page's
own backward pass (``page_backward``) gives that node's grad. Checked against grads derived by
hand (a linear layer) and PyTorch in float64 (a tanh MLP), and the final steps against the
nodes that consume each weight, found from the forward pass (not from the graph walk). Bad
grids are refused where they enter, naming the matrix and the cell.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

import autograd
import nn
from autograd import Value, topological_order
from autograd.see.page import live_page, page_backward


def page_json(root: Value, **options: Any) -> dict[str, Any]:
    text = live_page(root, **options)
    return json.loads(text.split('<script id="steps-data" type="application/json">')[1].split("</script>")[0])


def mlp_case() -> tuple[nn.MLP, list[Value], list[list[Value]], Value]:
    """MLP(2, [3, 1]) with tanh, loss = (out - 0.25)²; also each layer's outputs, from the forward pass."""
    mlp = nn.MLP(2, [3, 1], activation="tanh", seed=3)
    x = [Value(0.7, "x1"), Value(-1.2, "x2")]
    hidden = mlp.layers[0].outputs(x)
    out = mlp.layers[1].outputs(hidden)
    loss = (out[0] - 0.25) ** 2
    loss.label = "loss"
    return mlp, x, [hidden, out], loss


def test_a_linear_layer_grid_holds_hand_derived_grads() -> None:
    """loss = 2·out1 - 3·out2 of a linear layer: dloss/dW[i][j] = c[i]·x[j], dloss/db[i] = c[i]."""
    layer = nn.Layer(3, 2, activation="linear", seed=0)
    x = [0.5, -2.0, 4.0]
    out = layer.outputs(x)
    loss = 2.0 * out[0] - 3.0 * out[1]
    data = page_json(loss, matrices={"L": layer.matrix()})
    order = topological_order(loss)
    grads = page_backward(order, 1.0)
    (entry,) = data["matrices"]
    assert entry["name"] == "L" and entry["layer"] is True and entry["columns"] == ["x1", "x2", "x3"]
    c = [2.0, -3.0]
    for i, row in enumerate(entry["rows"]):
        assert len(row) == 3
        for j, cell in enumerate(row):
            assert order[cell["node"]] is layer.neurons[i].w[j]
            assert grads[cell["node"]] == pytest.approx(c[i] * x[j], abs=1e-15)
        assert order[entry["bias"][i]["node"]] is layer.neurons[i].b
        assert grads[entry["bias"][i]["node"]] == pytest.approx(c[i], abs=1e-15)


@pytest.mark.torch
def test_mlp_grids_match_pytorch_and_say_when_each_grad_is_final(torch: Any) -> None:
    mlp, _, outputs, loss = mlp_case()
    data = page_json(loss, model=mlp, matrices=mlp.matrices())
    order = topological_order(loss)
    grads = page_backward(order, 1.0)
    # PyTorch, float64: the same weights (nn.Linear's weight is (out, in), as the grid)
    seq = mlp.to_torch()
    t_out = seq(torch.tensor([[0.7, -1.2]], dtype=torch.float64))
    ((t_out[0, 0] - 0.25) ** 2).backward()
    linears = [m for m in seq if isinstance(m, torch.nn.Linear)]
    assert [m["name"] for m in data["matrices"]] == ["layer 1", "layer 2"]
    assert [m["columns"] for m in data["matrices"]] == [["x1", "x2"], ["a1", "a2", "a3"]]
    for entry, linear, layer, outs in zip(data["matrices"], linears, mlp.layers, outputs):
        assert len(entry["rows"]) == layer.nout and len(entry["rows"][0]) == layer.nin
        for i, row in enumerate(entry["rows"]):
            # dot(w, x, b): the one node that reads neuron i's weights (under a tanh in layer 1)
            dot = outs[i] if outs[i].op == "dot" else outs[i].inputs[0]
            assert dot.op == "dot"
            last = order.index(dot) + 1  # its step is the only one that adds to those grads
            for j, cell in enumerate(row):
                assert order[cell["node"]] is layer.neurons[i].w[j]
                assert grads[cell["node"]] == pytest.approx(
                    float(linear.weight.grad[i, j]), rel=1e-12, abs=1e-15
                )
                assert cell["final"] == last
            bias = entry["bias"][i]
            assert grads[bias["node"]] == pytest.approx(float(linear.bias.grad[i]), rel=1e-12, abs=1e-15)
            assert bias["final"] == last
    # a later layer's grads are final before an earlier one's: backward runs from the loss
    assert max(c["final"] for c in data["matrices"][1]["rows"][0]) < min(
        c["final"] for row in data["matrices"][0]["rows"] for c in row
    )


def test_a_plain_grid_of_any_nodes_and_the_graph_is_left_as_it_was() -> None:
    """A grid need not be a layer: X of a matmul, with computed nodes beside leaves."""
    X = autograd.as_matrix([[1.0, 2.0], [3.0, -1.0]], "X")
    W = autograd.as_matrix([[0.5], [-0.25]], "W")
    Z = autograd.matmul(X, W)
    loss = Z[0][0] * Z[1][0]
    loss.backward()  # grads a learner left: the page must neither read nor change them
    before = [(v.grad, v.label) for row in X + W + Z for v in row]
    data = page_json(loss, matrices={"X": X, "Z": Z})
    assert [(v.grad, v.label) for row in X + W + Z for v in row] == before
    order = topological_order(loss)
    grads = page_backward(order, 1.0)
    x_entry, z_entry = data["matrices"]
    assert x_entry["layer"] is False and "bias" not in x_entry
    # d(z0·z1)/dX[i][t] = (the other z)·W[t]: z0 = 0, z1 = 1.75
    z0, z1 = 1.0 * 0.5 + 2.0 * -0.25, 3.0 * 0.5 - 1.0 * -0.25
    expected = [[z1 * 0.5, z1 * -0.25], [z0 * 0.5, z0 * -0.25]]
    for i in range(2):
        for t in range(2):
            assert grads[x_entry["rows"][i][t]["node"]] == pytest.approx(expected[i][t], abs=1e-15)
    assert [grads[row[0]["node"]] for row in z_entry["rows"]] == pytest.approx([z1, z0], abs=1e-15)
    # Z's grads are final after step 1 (the mul), X's after the dot nodes that read them
    assert [row[0]["final"] for row in z_entry["rows"]] == [1, 1]
    assert all(c["final"] > 1 for row in x_entry["rows"] for c in row)


def test_layer_grid_is_pytorch_weight_orientation() -> None:
    layer = nn.Layer(3, 2, seed=1)
    W, b = layer.weight_grid(), layer.bias_list()
    assert len(W) == 2 and all(len(row) == 3 for row in W)  # (out, in)
    assert all(W[i][j] is layer.neurons[i].w[j] for i in range(2) for j in range(3))
    assert b == [n.b for n in layer.neurons]
    W[0][0] = Value(9.0)  # a new list: the layer is not changed through it
    assert layer.neurons[0].w[0].data != 9.0


@pytest.mark.parametrize(
    ("matrices", "error", "words"),
    [
        (lambda g: [[g["w"]]], TypeError, "matrices must be a dict"),
        (lambda g: {"": [[g["w"]]]}, TypeError, "non-empty str name"),
        (lambda g: {"W": []}, ValueError, "matrices['W'] is empty"),
        (lambda g: {"W": [[]]}, ValueError, "matrices['W'] is empty (shape (1, 0))"),
        (
            lambda g: {"W": [[g["w"], g["x"]], [g["w"]]]},
            ValueError,
            "matrices['W'] is ragged: its rows have lengths [2, 1]",
        ),
        (lambda g: {"W": [g["w"], g["x"]]}, ValueError, "matrices['W'] is a flat list"),
        (
            lambda g: {"W": [[g["w"], 0.5]]},
            TypeError,
            "matrices['W'][0][1] must be a Value of the graph, got float 0.5",
        ),
        (
            lambda g: {"W": [[True]]},
            TypeError,
            "matrices['W'][0][0] must be a Value of the graph, got bool True",
        ),
        (
            lambda g: {"W": [[g["w"]], [g["stranger"]]]},
            ValueError,
            "matrices['W'][1][0] (stranger, data 7) is not a node of the graph of out",
        ),
        (
            lambda g: {"L": {"weight": [[g["w"]]], "bias": [g["x"], g["x"]]}},
            ValueError,
            "matrices['L']['bias'] has 2 entries, but 'weight' has 1 rows (one each)",
        ),
        (
            lambda g: {"L": {"weight": [[g["w"]]], "bias": [1.0]}},
            TypeError,
            "matrices['L']['bias'][0] must be a Value",
        ),
        (
            lambda g: {"L": {"weight": [[g["w"]]], "columns": ["a", "b"]}},
            ValueError,
            "matrices['L']['columns'] has 2 labels for 1 columns",
        ),
        (
            lambda g: {"L": {"weights": [[g["w"]]]}},
            ValueError,
            "with 'weight' (and optional 'bias', 'columns'), got the keys ['weights']",
        ),
        (
            lambda g: {"L": {"weight": [[g["stranger"]]]}},
            ValueError,
            "matrices['L']['weight'][0][0] (stranger",
        ),
    ],
)
def test_bad_grids_are_refused_naming_the_matrix_and_the_cell(matrices: Any, error: type, words: str) -> None:
    w, x = Value(0.5, "w"), Value(2.0, "x")
    out = w * x
    out.label = "out"
    given = {"w": w, "x": x, "stranger": Value(7.0, "stranger")}
    with pytest.raises(error) as caught:
        live_page(out, matrices=matrices(given))
    assert words in str(caught.value)
    assert str(caught.value).startswith("render_steps: ")


def test_numpy_numbers_in_a_grid_are_not_values() -> None:
    np = pytest.importorskip("numpy")
    w = Value(0.5, "w")
    out = w * 3.0
    with pytest.raises(
        TypeError, match=r"matrices\['W'\]\[0\]\[0\] must be a Value of the graph, got float64"
    ):
        live_page(out, matrices={"W": [[np.float64(0.5)]]})
    grid = np.empty((1, 1), dtype=object)
    grid[0, 0] = w
    data = page_json(out, matrices={"W": grid})  # a numpy object array of Values is a grid
    assert topological_order(out)[data["matrices"][0]["rows"][0][0]["node"]] is w


def test_mlp_matrices_and_a_random_layer_keep_every_cell() -> None:
    rng = random.Random(5)
    mlp = nn.MLP(3, [4, 2], activation="relu", rng=rng)
    out = mlp([0.1, -0.4, 0.9])
    loss = out[0] * out[1]
    data = page_json(loss, matrices=mlp.matrices())
    order = topological_order(loss)
    shown = {order[c["node"]] for m in data["matrices"] for row in m["rows"] for c in row}
    shown |= {order[c["node"]] for m in data["matrices"] for c in m["bias"]}
    assert shown == set(mlp.parameters())


def test_show_in_a_notebook_takes_matrices_too() -> None:
    layer = nn.Layer(2, 2, activation="tanh", seed=2)
    out = layer.outputs([1.0, -1.0])
    loss = out[0] + out[1]
    page = autograd.show(loss, matrices={"layer": layer.matrix()}).html
    data = json.loads(page.split('<script id="steps-data" type="application/json">')[1].split("</script>")[0])
    assert [m["name"] for m in data["matrices"]] == ["layer"]
    with pytest.raises(TypeError, match=r"matrices\['layer'\]\['weight'\]\[0\]\[1\] must be a Value"):
        autograd.show(loss, matrices={"layer": {"weight": [[layer.neurons[0].w[0], 2.0]]}})


def test_names_and_column_labels_stay_text() -> None:
    w = Value(0.5, "w")
    out = w * 2.0
    evil = "</script><img src=x onerror=alert(1)>"
    page = live_page(out, matrices={evil: {"weight": [[w]], "columns": [evil]}})
    assert evil not in page and "\\u003c/script\\u003e\\u003cimg" in page
