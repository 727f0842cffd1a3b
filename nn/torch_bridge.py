"""The bridge to PyTorch: an ``MLP`` as a ``torch.nn.Sequential`` and back, same weights.

Layer i of the MLP becomes ``torch.nn.Linear(nin, nout)`` in float64, whose weight matrix
row j holds neuron j's weights and whose bias entry j holds neuron j's bias, followed by
``ReLU()``, ``Tanh()`` or ``Sigmoid()`` (nothing for a linear layer). Both then compute
activation(W x + b) with the same numbers.

torch is imported only inside these functions, so chainrule does not depend on it.
"""

from __future__ import annotations

from typing import Any

from nn.layers import MLP

_TORCH_ACTIVATIONS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}


def import_torch(where: str) -> Any:
    """The torch module, or an ImportError saying how to install it."""
    try:
        import torch
    except ImportError:
        raise ImportError(
            f"{where} needs PyTorch, which is not installed: pip install torch "
            "(or pip install 'chainrule[torch]')"
        ) from None
    return torch


def mlp_to_torch(model: MLP) -> Any:
    """A float64 ``torch.nn.Sequential`` computing the same function as ``model``."""
    torch = import_torch("MLP.to_torch")
    modules: list[Any] = []
    for layer in model.layers:
        linear = torch.nn.Linear(layer.nin, layer.nout, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(
                torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64)
            )
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        modules.append(linear)
        if layer.activation != "linear":
            modules.append(getattr(torch.nn, _TORCH_ACTIVATIONS[layer.activation])())
    return torch.nn.Sequential(*modules)


def mlp_from_torch(seq: Any) -> MLP:
    """An MLP with the weights of ``seq``: Linear modules, each optionally followed by one of
    ReLU, Tanh, Sigmoid or Identity. Anything else raises ``ValueError`` naming the module (a
    Linear of complex numbers too: dropping their imaginary parts would change the function),
    and so does a NaN or infinite weight (naming the parameter, as ``nn.load`` does). Any real
    floating-point dtype is read exactly (float16 or float32 numbers are float64 numbers too)."""
    torch = import_torch("MLP.from_torch")
    if not isinstance(seq, torch.nn.Sequential):
        raise TypeError(f"MLP.from_torch: expected a torch.nn.Sequential, got {type(seq).__name__}")
    by_class = {getattr(torch.nn, cls): name for name, cls in _TORCH_ACTIVATIONS.items()}
    linears: list[Any] = []
    activations: list[str] = []
    for i, module in enumerate(seq):
        if isinstance(module, torch.nn.Linear):
            if module.bias is None:
                raise ValueError(
                    f"MLP.from_torch: module {i} is a Linear without bias; chainrule neurons have one"
                )
            complex_numbers = [p.dtype for p in (module.weight, module.bias) if p.is_complex()]
            if complex_numbers:
                raise ValueError(
                    f"MLP.from_torch: module {i} is a Linear of {complex_numbers[0]} numbers; "
                    "chainrule's weights are real"
                )
            if linears and module.in_features != linears[-1].out_features:
                raise ValueError(
                    f"MLP.from_torch: module {i} takes {module.in_features} inputs "
                    f"but the layer before gives {linears[-1].out_features}"
                )
            linears.append(module)
            activations.append("linear")
        elif type(module) in by_class or isinstance(module, torch.nn.Identity):
            if not linears or activations[-1] != "linear":
                raise ValueError(f"MLP.from_torch: module {i} ({type(module).__name__}) must follow a Linear")
            if not isinstance(module, torch.nn.Identity):
                activations[-1] = by_class[type(module)]
        else:
            raise ValueError(
                f"MLP.from_torch: module {i} is {type(module).__name__}; "
                "only Linear, ReLU, Tanh, Sigmoid and Identity can be converted"
            )
    if not linears:
        raise ValueError("MLP.from_torch: the Sequential has no Linear layer")
    model = MLP(linears[0].in_features, [m.out_features for m in linears], activation=activations, seed=0)
    state = {}
    for i, linear in enumerate(linears):
        weight = linear.weight.detach().to(torch.float64).tolist()
        bias = linear.bias.detach().to(torch.float64).tolist()
        for j, (row, b) in enumerate(zip(weight, bias)):
            state.update({f"layers.{i}.neurons.{j}.w.{k}": float(x) for k, x in enumerate(row)})
            state[f"layers.{i}.neurons.{j}.b"] = float(b)
    model.load_state_dict(state)  # refuses NaN and inf as nn.load does, naming the weight
    return model
