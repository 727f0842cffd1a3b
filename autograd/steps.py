"""The backward pass one chain-rule step at a time, and dRoot/dx as a sum over paths.

``backward_steps(root)`` does what ``root.backward()`` does, in the same order (it shares
``backward_order`` with it), but pauses after each node and hands back a record of what
happened there. At a node n with upstream gradient n.grad = d(root)/d(n), each input x_i
receives

    x_i.grad += d(n)/d(x_i) * n.grad          local derivative × upstream = contribution

and the record keeps every number of that line, with x_i.grad before and after. Printing
the steps gives a trace of the whole pass.

``explain(x, root)`` writes d(root)/d(x) the other way round: by the multivariable chain
rule it is the sum, over every path root -> ... -> x in the graph, of the product of the
local derivatives along the path. That is exponential in general, so only the first
``max_paths`` paths are listed; the total is computed exactly for all of them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from autograd.backward import backward_order, topological_order
from autograd.value import Value, fmt, to_float


def node_names(
    root: Value, order: Sequence[Value] | None = None, given: Mapping[Value, str] | None = None
) -> dict[Value, str]:
    """A display name for every node under ``root``: its label, or ``v<k>`` when it has none.

    ``k`` is the node's position in ``topological_order(root)`` (the root is ``v0``), so the
    names are the same in a printed trace, in ``explain``, in the quiz and on the HTML page.
    The dict lists the nodes in that order. ``order``, if given, is that ``topological_order(root)``
    already computed (it is not walked again); ``given`` holds names that come before the label,
    e.g. a parameter's name in a model (``layers.0.neurons.1.w0``, unique where the label ``w0``
    is not).
    """
    given = given or {}
    nodes = topological_order(root) if order is None else order
    return {node: given.get(node) or node.label or f"v{k}" for k, node in enumerate(nodes)}


@dataclass(frozen=True)
class ChainRuleTerm:
    """What one input received at one step: ``grad_after = grad_before + local_grad * upstream``."""

    input: Value
    name: str
    local_grad: float  # d(node)/d(input)
    upstream: float  # node.grad = d(root)/d(node)
    contribution: float  # local_grad * upstream
    grad_before: float
    grad_after: float

    def __str__(self) -> str:
        return (
            f"{self.name}.grad += {fmt(self.local_grad)} × {fmt(self.upstream)} = {fmt(self.contribution)}"
            f"    ({fmt(self.grad_before)} -> {fmt(self.grad_after)})"
        )


@dataclass(frozen=True)
class BackwardStep:
    """One node's turn in the backward pass: its gradient passed on to each of its inputs.

    ``index`` counts from 0 in the order backward runs; ``upstream`` is ``node.grad``, complete
    by then because every consumer of ``node`` came earlier; ``terms`` has one entry per
    input, in the order of ``node.inputs`` (``a * a`` has two terms for ``a``).
    """

    index: int
    node: Value
    name: str
    upstream: float
    terms: tuple[ChainRuleTerm, ...]

    def __str__(self) -> str:
        args = [term.name for term in self.terms]
        args = args if len(args) <= 6 else args[:5] + [f"... {len(args) - 5} more"]
        head = f"step {self.index}: {self.name} = {self.node.op}({', '.join(args)}) = {fmt(self.node.data)}"
        head += f", upstream grad d(root)/d({self.name}) = {fmt(self.upstream)}"
        return "\n".join([head, *(f"    {term}" for term in self.terms)])


def backward_steps(root: Value, grad: float = 1.0) -> Iterator[BackwardStep]:
    """Run ``root.backward(grad)`` one node at a time, yielding a ``BackwardStep`` after each node.

    Same semantics as ``backward()``: computed nodes' grads are zeroed first, ``root.grad``
    gets ``+= grad``, leaves accumulate. When the generator is exhausted every grad equals
    what ``backward()`` would have left; stopping early leaves the pass half done, as a
    debugger would. Nothing happens until the first step is asked for.
    """
    if not isinstance(root, Value):
        raise TypeError(f"backward_steps: root must be a Value, got {type(root).__name__}")
    return _steps(root, to_float(grad, "backward_steps"))  # checked now, run when iterated


def _steps(root: Value, grad: float) -> Iterator[BackwardStep]:
    order = backward_order(root)
    names = node_names(root)
    for node in order:
        node.grad = 0.0
    root.grad += grad
    for index, node in enumerate(order):
        upstream = node.grad
        terms = []
        for child, local_grad in zip(node.inputs, node.local_grads):
            before = child.grad
            contribution = local_grad * upstream
            child.grad = before + contribution  # the chain rule, exactly as in backward()
            terms.append(
                ChainRuleTerm(child, names[child], local_grad, upstream, contribution, before, child.grad)
            )
        yield BackwardStep(index, node, names[node], upstream, tuple(terms))


# --- explain: the sum over paths ---------------------------------------------------------------


@dataclass(frozen=True)
class Path:
    """One path root -> ... -> x: the nodes along it and the local derivative of each edge."""

    nodes: tuple[Value, ...]
    local_grads: tuple[float, ...]
    product: float


@dataclass(frozen=True)
class Explanation:
    """d(root)/d(x) as a sum over paths (see ``explain``); ``str()`` writes it out with numbers."""

    x: Value
    root: Value
    names: dict[Value, str]
    paths: tuple[Path, ...]  # the listed ones, at most max_paths
    path_count: int  # all of them
    total: float  # the sum over all paths, computed without listing them
    x_grad: float

    @property
    def listed_sum(self) -> float:
        return sum(p.product for p in self.paths)

    @property
    def matches_grad(self) -> bool:
        """Whether the total agrees with ``x.grad`` to rounding (relative 1e-9).

        Equal infinities agree (sqrt at 0: both are +inf), and so do two NaNs: both ways of
        summing the paths met the same 0 × inf. An infinity agrees with nothing else (the
        relative bound alone would take inf as close to 0: 1e-9 × inf is inf).
        """
        total, grad = self.total, self.x_grad
        if total == grad or (math.isnan(total) and math.isnan(grad)):
            return True
        if math.isinf(total) or math.isinf(grad):
            return False
        return abs(total - grad) <= 1e-12 + 1e-9 * max(abs(total), abs(grad))

    def __str__(self) -> str:
        r, x = self.names[self.root], self.names[self.x]
        lines = [f"d{r}/d{x} = sum over {self.path_count} path(s) of the product of local derivatives"]
        for k, path in enumerate(self.paths, 1):
            lines.append(f"  path {k}: {self._path_text(path)}")
        left_out = self.path_count - len(self.paths)
        if left_out:
            rest = fmt(self.total - self.listed_sum)
            lines.append(f"  ... and {left_out} more path(s) not listed (they sum to {rest})")
        if self.path_count:
            terms = [fmt(p.product) for p in self.paths[:8]]
            more = self.path_count - len(terms)
            sum_text = " + ".join(terms + ([f"({more} more)"] if more else []))
            lines.append(f"  total = {sum_text} = {fmt(self.total)}")
        else:
            lines.append(f"  total = {fmt(self.total)}: no path leads from {r} down to {x}")
        verdict = (
            "matches"
            if self.matches_grad
            else f"does NOT match ({x}.grad holds d{r}/d{x} only after exactly one backward pass from {r}, "
            "on zeroed grads)"
        )
        lines.append(f"  {x}.grad = {fmt(self.x_grad)}: {verdict}")
        return "\n".join(lines)

    def _path_text(self, path: Path) -> str:
        if not path.local_grads:
            return f"{self.names[self.x]} is the root itself: 1.0"
        pairs = list(zip(path.nodes, path.nodes[1:], path.local_grads))
        shown = pairs if len(pairs) <= 10 else pairs[:5] + pairs[-5:]
        factors = [f"d{self.names[a]}/d{self.names[b]}" for a, b, _ in shown]
        numbers = [fmt(g) for _, _, g in shown]
        if len(shown) < len(pairs):
            gap = f"({len(pairs) - len(shown)} more factors)"
            factors.insert(5, gap)
            numbers.insert(5, gap)
        return f"{' · '.join(factors)} = {' × '.join(numbers)} = {fmt(path.product)}"


def explain(x: Value, root: Value, max_paths: int = 20) -> Explanation:
    """d(root)/d(x) as the sum over all paths root -> x of the product of local derivatives.

    Lists at most ``max_paths`` paths (depth first, in input order, with an explicit stack);
    ``path_count`` and ``total`` cover all of them, computed in one pass over the graph in
    topological order: for each node n, d(n)/d(x) = sum over inputs i of d(n)/d(i) · d(i)/d(x).
    The result compares the total with ``x.grad``, which holds the same number after one
    ``root.backward()`` (on fresh leaves). ``str(explain(x, root))`` shows it all.
    """
    if not isinstance(x, Value) or not isinstance(root, Value):
        raise TypeError(
            f"explain: x and root must be Values, got {type(x).__name__} and {type(root).__name__}"
        )
    if isinstance(max_paths, bool) or not isinstance(max_paths, int) or max_paths < 0:
        raise ValueError(f"explain: max_paths must be an int >= 0, got {max_paths!r}")
    order = topological_order(root)
    names = {node: node.label or f"v{k}" for k, node in enumerate(order)}

    # Inputs before consumers (so every input is counted when its consumer comes): how many
    # paths lead from each node down to x, and d(node)/d(x).
    count: dict[Value, int] = {}
    derivative: dict[Value, float] = {}
    for node in reversed(order):
        if node is x:
            count[node], derivative[node] = 1, 1.0
            continue
        n, d = 0, 0.0
        for child, local_grad in zip(node.inputs, node.local_grads):
            if count[child]:
                n += count[child]
                d += local_grad * derivative[child]
        count[node], derivative[node] = n, d

    # Depth first, with an explicit stack of path ends; each end links back to the one before,
    # so extending a path costs O(1) however long it is.
    paths: list[Path] = []
    stack = [_PathEnd(root, 1.0, 1.0, None)] if count[root] else []
    while stack and len(paths) < max_paths:
        end = stack.pop()
        if end.node is x:
            paths.append(end.unwind())
            continue
        steps = [(c, g) for c, g in zip(end.node.inputs, end.node.local_grads) if count[c]]
        for child, local_grad in reversed(steps):  # reversed: the first input is explored first
            stack.append(_PathEnd(child, local_grad, end.product * local_grad, end))
    names.setdefault(x, x.label or "x")
    return Explanation(x, root, names, tuple(paths), count[root], derivative[root], x.grad)


@dataclass(frozen=True)
class _PathEnd:
    """The last node of a partial path, the edge into it, the product so far, and the rest."""

    node: Value
    local_grad: float
    product: float
    previous: _PathEnd | None

    def unwind(self) -> Path:
        """The whole path ending here, root first."""
        nodes, local_grads = [], []
        end: _PathEnd | None = self
        while end is not None:
            nodes.append(end.node)
            local_grads.append(end.local_grad)
            end = end.previous
        nodes.reverse()
        local_grads.reverse()
        return Path(tuple(nodes), tuple(local_grads[1:]), self.product)
