"""End to end: the lesson's claims about XOR, and micrograd's moons demo, trained with nn.

All seeded, so every run is the same.
"""

import math

import pytest

import autograd
import nn

pytestmark = pytest.mark.slow  # subprocesses and trainings


@pytest.mark.parametrize("form", ["sigmoid neuron + BCE", "linear neuron + BCE with logits"])
def test_lesson_single_sigmoid_neuron_cannot_learn_xor(form):
    # The lesson: a = sigmoid(w . x + b), dz = a - y (the gradient of BCE through a sigmoid),
    # averaged over the 4 samples, lr 0.1, 10000 full-batch steps. Both forms below have that
    # gradient: d BCE(sigmoid(z), y)/dz = a - y.
    X, y = nn.data.xor()
    if form == "sigmoid neuron + BCE":
        neuron = nn.Neuron(2, activation="sigmoid", seed=1)
        predict, loss_fn = neuron, nn.binary_cross_entropy
    else:
        neuron = nn.Neuron(2, activation="linear", seed=1)
        predict = lambda x: neuron(x).sigmoid()
        loss_fn = nn.binary_cross_entropy_with_logits
    opt = nn.SGD(neuron.parameters(), lr=0.1)
    for _ in range(10000):
        loss = loss_fn([neuron(x) for x in X], y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    outputs = [predict(x).data for x in X]
    # By symmetry the best a linear separator can do on XOR is w = 0, b = 0: output 0.5 everywhere,
    # loss log 2.
    assert all(abs(a - 0.5) < 0.01 for a in outputs), outputs
    assert abs(loss.data - math.log(2)) < 1e-4


def train_xor(model, loss_fn, lr, steps):
    X, y = nn.data.xor()
    opt = nn.SGD(model.parameters(), lr=lr)
    for _ in range(steps):
        loss = loss_fn([model(x) for x in X], y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.data, [model(x).data for x in X], y


def test_sigmoid_mlp_learns_xor():
    # the lesson's network, sigmoid throughout, trained on BCE of its output probabilities
    model = nn.MLP(2, [4, 1], activation="sigmoid", final_activation="sigmoid", seed=3)
    loss, outputs, y = train_xor(model, nn.binary_cross_entropy, lr=2.0, steps=2000)
    assert loss < 0.05
    assert [int(a > 0.5) for a in outputs] == y


def test_tanh_mlp_learns_xor():
    model = nn.MLP(2, [4, 1], activation="tanh", seed=0)  # linear output = logit
    loss, outputs, y = train_xor(model, nn.binary_cross_entropy_with_logits, lr=0.5, steps=1000)
    assert loss < 0.05
    assert [int(z > 0) for z in outputs] == y


def test_micrograd_moons_demo_reaches_full_training_accuracy():
    X, labels = nn.data.make_moons(100, noise=0.1, seed=1)
    y = [2 * label - 1 for label in labels]
    model = nn.MLP(2, [16, 16, 1], seed=1)
    opt = nn.SGD(model.parameters(), lr=1.0)
    schedule = nn.LambdaLR(opt, lambda k: 1.0 - 0.9 * k / 100)
    for _ in range(100):
        data_loss = nn.hinge([model(x) for x in X], y)
        reg_loss = 1e-4 * autograd.sum([p * p for p in model.parameters()])
        loss = data_loss + reg_loss
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
    with autograd.no_grad():
        correct = sum((model(x).data > 0) == (label > 0) for x, label in zip(X, y))
    assert correct == 100
    assert loss.data < 0.05
