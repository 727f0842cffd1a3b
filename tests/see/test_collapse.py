"""Collapsing a model into one box per neuron folds in what belongs to the neuron and nothing else.

A neuron is its parameters, its weighted sum (one ``dot`` node), the constant 1.0 its bias
rides on, and its activation if it has one. Whatever the loss does after the network (a
softplus, a log, a square, a relu, a sigmoid the user applies) stays outside, for every loss.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import autograd
import nn
from autograd import Value
from autograd.see.draw import draw_dot, to_svg
from autograd.see.selection import select

pytestmark = pytest.mark.skipif(
    not any(Path(d, "dot").exists() for d in os.environ.get("PATH", "").split(os.pathsep)),
    reason="needs Graphviz's dot program",
)

X = [[0.5, -1.0], [1.5, 0.25]]


def loss_of(name: str) -> tuple[Value, nn.MLP]:
    """A small MLP (tanh hidden layer, linear output) under each of nn's losses."""
    nout = 3 if name == "cross_entropy" else 1
    model = nn.MLP(2, [3, nout], activation="tanh", seed=4)
    outputs = [model([Value(v, f"x{i + 1}") for i, v in enumerate(x)]) for x in X]
    if name == "mse":
        loss = nn.mse(outputs, [0.0, 1.0])
    elif name == "binary_cross_entropy":  # the user squashes the linear output themselves
        loss = nn.binary_cross_entropy([autograd.sigmoid(o) for o in outputs], [0, 1])
    elif name == "binary_cross_entropy_with_logits":
        loss = nn.binary_cross_entropy_with_logits(outputs, [0, 1])
    elif name == "hinge":
        loss = nn.hinge(outputs, [-1.0, 1.0])
    else:
        loss = nn.cross_entropy(outputs, [0, 2])
    loss.backward()
    return loss, model


LOSSES = ["mse", "binary_cross_entropy", "binary_cross_entropy_with_logits", "hinge", "cross_entropy"]


@pytest.mark.parametrize("name", LOSSES)
def test_collapse_folds_only_the_neurons_own_nodes(name):
    loss, model = loss_of(name)
    selection = select(loss, model=model, collapse=True)
    params = {p: n.rsplit(".", 1 if n.endswith(".b") else 2)[0] for n, p in model.named_parameters()}
    for node, neuron in selection.neuron_of.items():
        if node in params:
            assert params[node] == neuron
        elif not node.inputs:  # the constant 1.0 the bias multiplies
            assert node.data == 1.0 and not node.label
        elif node.op == "dot":
            assert {params.get(i) for i in node.inputs if i in params} == {neuron}
        else:  # an activation: only the hidden layer has one, and it is tanh
            assert node.op == "tanh" and neuron.startswith("layers.0."), (node, neuron)
            assert node.inputs[0].op == "dot"
    # each sample's output layer is a bare dot: nothing after it (softplus, log, pow, relu) folded in
    outside = [n for n in selection.order if n.inputs and n not in selection.neuron_of]
    assert outside and all(n.op != "dot" for n in outside)


@pytest.mark.parametrize("name", LOSSES)
def test_collapsed_boxes_name_the_neurons_own_op(name):
    loss, model = loss_of(name)
    source = draw_dot(loss, model=model, collapse=True).source
    for layer, op in ((0, "tanh"), (1, "dot")):
        for neuron in range(len(model.layers[layer].neurons)):
            line = next(s for s in source.splitlines() if f"layers.{layer}.neurons.{neuron}|" in s)
            assert f"|{op}|" in line, line
    assert "softplus|" not in source and "log|" not in source


def test_collapsed_tour_picture_is_readable():
    from autograd.see.legibility import smallest_text

    loss, model = loss_of("binary_cross_entropy_with_logits")
    sizes = smallest_text(to_svg(loss, model=model, collapse=True, rankdir="auto"))
    assert sizes.node_px >= 14
