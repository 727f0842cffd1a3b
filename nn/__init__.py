"""chainrule's neural-network library, built only from ``autograd.Value``s.

    import nn
    model = nn.MLP(2, [4, 1], activation='tanh', seed=0)      # 2 inputs, 4 hidden, 1 output
    X, y = nn.data.xor()
    opt = nn.optim.SGD(model.parameters(), lr=0.5)
    for step in range(200):
        loss = nn.losses.binary_cross_entropy_with_logits([model(x) for x in X], y)
        opt.zero_grad(); loss.backward(); opt.step()

Where things are: ``module.py`` (Module: parameters, names, state_dict), ``layers.py``
(Neuron, Layer, MLP), ``init.py`` (initial weights), ``losses.py``, ``optim.py`` (SGD, Adam,
RMSprop, LambdaLR), ``serialize.py`` (save/load as JSON), ``data.py`` (toy data sets),
``data_loader.py`` (``DataLoader``: mini-batches, shuffled each epoch),
``perceptron.py`` (``Perceptron``: a step and the perceptron rule, no gradients),
``health.py`` (``health(model, X)``: saturated and dead units, grad and update ratios per layer),
``torch_bridge.py`` (to and from ``torch.nn.Sequential``), ``record.py`` (a training run kept
step by step as plain data, for the flipbook), ``compare.py`` (one model trained by several
optimizers from the same start, recorded: ``compare_optimizers``), ``compiled.py`` (a loss
traced once and replayed as generated float code: ``CompiledLoss``, and
``ShapeCachedLoss``, one trace per shape of the data), ``gpt.py`` (a tiny GPT on characters,
the names it learns from, its training loop and sampling: ``from nn import gpt``).
"""

from nn import data, losses, optim
from nn.compare import compare_optimizers
from nn.compiled import CompiledLoss, ShapeCachedLoss, compile_loss
from nn.data_loader import DataLoader
from nn.health import Health, health
from nn.layers import MLP, Layer, Neuron
from nn.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge,
    mse,
)
from nn.module import Module
from nn.optim import SGD, Adam, LambdaLR, RMSprop
from nn.perceptron import Perceptron
from nn.record import TrainingRecorder
from nn.serialize import load, save

__all__ = [
    "MLP",
    "SGD",
    "Adam",
    "CompiledLoss",
    "DataLoader",
    "Health",
    "LambdaLR",
    "Layer",
    "Module",
    "Neuron",
    "Perceptron",
    "RMSprop",
    "ShapeCachedLoss",
    "TrainingRecorder",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "compare_optimizers",
    "compile_loss",
    "cross_entropy",
    "data",
    "health",
    "hinge",
    "load",
    "losses",
    "mse",
    "optim",
    "save",
]
