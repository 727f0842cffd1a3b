"""What to draw: which nodes of a graph a picture shows, what kind each is, and how they group.

``select(root, ...)`` answers, before anything is drawn:

- which nodes are shown (all of them, or those within ``radius`` edges of ``focus``);
- the kind of each node (output, parameter, input, constant, intermediate), for its colour;
- with a model, which neuron each node belongs to (from ``named_parameters()`` names such as
  ``layers.0.neurons.3.w.1``), and, collapsed, which nodes are drawn as one neuron box;
- whether the picture stays under ``max_nodes`` boxes.

How the selection is drawn (records, ovals, edges, labels) is ``draw.py``'s job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from autograd.backward import topological_order
from autograd.value import Value


class NamedParameters(Protocol):
    """What a picture needs from a model: ``nn.Module.named_parameters()``."""

    def named_parameters(self) -> list[tuple[str, Value]]: ...


@dataclass
class Selection:
    """The nodes of one picture and how they are grouped.

    ``order`` is ``topological_order(root)``; node k is drawn as ``v<k>``. ``neuron_of`` maps
    a node to its neuron's name (with a model); ``box_of`` maps each node folded into a
    collapsed neuron box to that box's name (``neuron<j>``), and ``boxes`` maps each neuron
    name to its box.
    """

    root: Value
    order: list[Value]
    index: dict[Value, int]
    consumers: dict[Value, list[Value]]
    shown: set[Value]
    parameters: set[Value]
    neuron_of: dict[Value, str] = field(default_factory=dict)
    boxes: dict[str, str] = field(default_factory=dict)
    box_of: dict[Value, str] = field(default_factory=dict)

    def kind(self, node: Value) -> str:
        """'output', 'parameter', 'intermediate', 'input' (a labelled leaf) or 'constant'."""
        return node_kind(node, self.root, self.parameters)

    def box_count(self) -> int:
        """How many boxes the picture has: shown values not folded into a neuron, plus neurons."""
        return len([n for n in self.shown if n not in self.box_of]) + len(self.boxes)


def node_kind(node: Value, root: Value, parameters: set[Value]) -> str:
    """What a node's box colour means: 'output', 'parameter', 'intermediate', 'input' (a
    labelled leaf) or 'constant'. The pictures and the live page both colour by it."""
    if node is root:
        return "output"
    if node in parameters:
        return "parameter"
    if node.inputs:
        return "intermediate"
    return "input" if node.label else "constant"


def select(
    root: Value,
    *,
    params: Iterable[Value] | None = None,
    model: NamedParameters | None = None,
    collapse: bool = False,
    focus: Value | None = None,
    radius: int = 2,
) -> Selection:
    """Decide what a picture of the graph under ``root`` shows (see the module docstring)."""
    order = topological_order(root)
    index = {node: k for k, node in enumerate(order)}
    consumers: dict[Value, list[Value]] = {}
    for node in order:
        for child in node.inputs:
            consumers.setdefault(child, []).append(node)

    named = list(model.named_parameters()) if model is not None else []
    parameters = {p for _, p in named}
    for p in params if params is not None else ():
        if not isinstance(p, Value):
            raise TypeError(f"draw_dot: params must hold Values, got {type(p).__name__}")
        parameters.add(p)

    shown = set(order)
    if focus is not None:
        if focus not in index:
            raise ValueError(f"draw_dot: focus {focus!r} is not in the graph under root")
        shown = neighbourhood(focus, radius, consumers)

    selection = Selection(root, order, index, consumers, shown, parameters)
    if model is not None:
        selection.neuron_of = neurons(order, consumers, named, _activations(model, named))
    if collapse:
        names = sorted({selection.neuron_of[n] for n in shown if n in selection.neuron_of})
        selection.boxes = {neuron: f"neuron{j}" for j, neuron in enumerate(names)}
        selection.box_of = {
            n: selection.boxes[selection.neuron_of[n]] for n in shown if n in selection.neuron_of
        }
    return selection


def parent(name: str) -> str:
    """Drop trailing indices and then one name: ``layers.0.neurons.3.w.1`` -> ``layers.0.neurons.3``,
    and ``layers.0.neurons.3`` -> ``layers.0`` (a parameter's neuron, a neuron's layer)."""
    parts = name.split(".")
    while parts and parts[-1].isdigit():
        parts.pop()
    return ".".join(parts[:-1])


def _activations(model: NamedParameters, named: list[tuple[str, Value]]) -> dict[str, str]:
    """Each neuron's activation op, read from the model: the neuron named ``layers.0.neurons.3``
    is ``model.layers[0].neurons[3]``, and its ``activation`` attribute ('tanh', 'linear', ...).
    Neurons the model does not describe this way are left out."""
    found: dict[str, str] = {}
    for neuron in {parent(name) for name, _ in named}:
        obj: object = model
        for part in neuron.split(".") if neuron else []:
            try:
                obj = obj[int(part)] if part.isdigit() else getattr(obj, part)  # type: ignore[index]
            except (AttributeError, IndexError, KeyError, TypeError):
                obj = None
                break
        activation = getattr(obj, "activation", None)
        if isinstance(activation, str):
            found[neuron] = activation
    return found


def neurons(
    order: list[Value],
    consumers: dict[Value, list[Value]],
    named: list[tuple[str, Value]],
    activations: dict[str, str] | None = None,
) -> dict[Value, str]:
    """Which neuron each node belongs to, for the nodes that belong to one.

    A parameter belongs to the neuron its name says. A computed node whose parameter inputs all
    belong to neuron N belongs to N (the weighted sum); so does the activation applied to that
    sum, a one-input op whose name is N's activation in ``activations`` (so a linear neuron
    keeps none, and a loss's softplus or log is never folded in; for a model that does not
    say, a relu, tanh or sigmoid that is the sum's only consumer); so does an unlabelled
    constant used only inside N.
    """
    activations = activations or {}
    member = {p: parent(name) for name, p in named}
    parameters = set(member)
    weighted_sum: dict[Value, str] = {}
    for node in reversed(order):  # inputs before consumers
        if not node.inputs:
            continue
        owners = {member[c] for c in node.inputs if c in parameters}
        if len(owners) == 1:
            member[node] = weighted_sum[node] = owners.pop()
        elif len(node.inputs) == 1 and node.inputs[0] in weighted_sum:
            neuron = weighted_sum[node.inputs[0]]
            if activations.get(neuron, _guess(node, consumers)) == node.op:
                member[node] = neuron
    for node in order:
        if not node.inputs and not node.label and node not in member:
            users = {member.get(c, "") for c in consumers.get(node, [])}
            if len(users) == 1 and "" not in users:
                member[node] = users.pop()
    return member


def _guess(node: Value, consumers: dict[Value, list[Value]]) -> str:
    """The activation a neuron whose model does not name it is taken to have, seen from ``node``
    (a one-input op on the neuron's weighted sum): ``node.op`` when it is a usual activation
    and the sum's only use, else 'linear'."""
    only_use = len(consumers.get(node.inputs[0], [])) == 1
    return node.op if only_use and node.op in ("relu", "tanh", "sigmoid") else "linear"


def neighbourhood(focus: Value, radius: int, consumers: dict[Value, list[Value]]) -> set[Value]:
    """Every node within ``radius`` edges of ``focus``, edges taken in either direction."""
    seen = {focus}
    frontier = [focus]
    for _ in range(radius):
        reached = []
        for node in frontier:
            for other in (*node.inputs, *consumers.get(node, [])):
                if other not in seen:
                    seen.add(other)
                    reached.append(other)
        frontier = reached
    return seen
