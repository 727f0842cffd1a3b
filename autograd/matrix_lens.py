"""The matrix lens: a named matrix's grads, each entry's chain-rule sum, and the same numbers as a product.

    view = matrix_view(loss, named={"X": X, "W": W, "b": b})   # after loss.backward()
    print(view)

For each named matrix (a list of rows of Values, as ``autograd.matmul`` makes them), after
``backward()``:

- its grads, as a matrix;
- each entry's grad written out from the graph's edges: one term per edge out of the entry,
  the edge's local derivative times the grad of the node it leads to
  (``dW[1][0] = X[0][1]·dZ[0][0] + X[1][1]·dZ[1][0] + …``), and the sum checked against the grad;
- where the matrix is a factor of a product with another named matrix (``Z = X·W``, one ``dot``
  node per entry), the same numbers regrouped as a matrix product, ``dW = Xᵀ·dZ`` or
  ``dX = dZ·Wᵀ`` (dZ: the grads of the product's nodes), with the shapes of the factors,
  checked entry by entry against the grads; where its entries are added to many nodes with
  local derivative 1 (a broadcast bias), the sum ``db = Σᵢ dZ[i]`` over those nodes.

Text only; it reads the graph and changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from autograd.backward import topological_order
from autograd.value import Value, fmt

__all__ = ["MatrixView", "NamedMatrix", "matrix_view"]

TOL = 1e-12  # relative to Σ|term|: a sum added in another order differs by rounding only


def _fsum(xs: Iterable[float]) -> float:
    """Σ xs correctly rounded (``math.fsum``); where finite terms add up past the largest float,
    ±inf, as ``backward()``'s own ``+=`` gives (``fsum`` raises OverflowError there)."""
    terms = list(xs)
    try:
        return math.fsum(terms)
    except OverflowError:
        return sum(terms, 0.0)


def _agrees(total: float, grad: float, scale: float) -> bool:
    """Whether ``total`` and ``grad`` are the same sum added in two orders: they may differ by
    rounding, at most about n·2⁻⁵³·Σ|term| for n terms (not relative to the sum, which terms of
    1e4 that cancel to 0.5 make small), so within ``TOL·(1 + Σ|term|)``, ``scale`` = Σ|term|.
    The same infinity, or NaN on both sides, agrees too (``inf - inf`` is NaN)."""
    if total == grad or (math.isnan(total) and math.isnan(grad)):
        return True
    return abs(total - grad) <= TOL * (1.0 + scale)


@dataclass(frozen=True)
class Term:
    """One edge out of an entry: d(consumer)/d(entry) × consumer.grad."""

    factor: str  # how the local derivative is named (X[0][1], 1, or its number)
    local: float
    upstream_name: str  # dZ[0][0]
    upstream: float


@dataclass
class NamedMatrix:
    """One named matrix in the lens: its grads, each entry's terms, and the regrouped product."""

    name: str
    shape: tuple[int, int]
    grads: list[list[float]]
    terms: list[list[list[Term]]]
    product: str = ""  # "dW = Xᵀ · dZ", or "" when none was recognised
    product_shapes: str = ""
    product_values: list[list[float]] = field(default_factory=list)
    product_matches: bool = False
    # the regrouped product's factors as shown: (name, numbers); entry (r, c) of the grads is row r
    # of the first times column c of the second, or (a bias) the sum of column c of the only one
    factors: list[tuple[str, list[list[float]]]] = field(default_factory=list)
    # the entry that is the result itself, if one is: its grad is backward()'s seed, not a sum
    result_at: tuple[int, int] | None = None
    mismatch: str = ""  # why the regrouped product is not the grads, when a reason is known

    @property
    def verdict(self) -> str:
        """What the regrouped product is, said of the grads: "equal to the grads, entry by entry",
        or "NOT equal to the grads" and why."""
        if self.product_matches:
            return "equal to the grads, entry by entry"
        return "NOT equal to the grads" + (f": {self.mismatch}" if self.mismatch else "")

    def entry_text(self, i: int, j: int) -> str:
        ts = self.terms[i][j]
        d = f"d{self.name}[{i}][{j}]"
        grad = self.grads[i][j]
        if (i, j) == self.result_at:
            said = "is the result: backward() starts here with this grad"
            return f"{d} = {fmt(grad)} ({self.name}[{i}][{j}] {said})"
        if not ts:
            text = f"{d} = 0 (no edge out of {self.name}[{i}][{j}] reaches the result)"
        else:
            names = " + ".join(f"{t.factor}·{t.upstream_name}" for t in ts)
            total = self.edges_total(i, j)
            text = f"{d} = {names}\n{' ' * len(d)} = {_shown_terms(ts, total)} = {fmt(total)}"
        if not self.sums_its_edges(i, j):
            text += (
                f"\n{' ' * len(d)}   but {self.name}[{i}][{j}].grad holds {fmt(grad)}: "
                "backward() ran more than once, or the grads were not reset"
            )
        return text

    def edges_total(self, i: int, j: int) -> float:
        """Σ local·upstream over entry (i, j)'s terms (0 with none): what its grad should hold."""
        return _fsum(t.local * t.upstream for t in self.terms[i][j])

    def sums_its_edges(self, i: int, j: int) -> bool:
        """Whether entry (i, j)'s grad is the sum of its edges' terms, up to rounding."""
        return _agrees(self.edges_total(i, j), self.grads[i][j], self.scale(i, j))

    def scale(self, i: int, j: int) -> float:
        """Σ|local·upstream| over entry (i, j)'s terms: what its rounding is measured against."""
        return _fsum(abs(t.local * t.upstream) for t in self.terms[i][j])


def _paren(x: float, digits: int) -> str:
    return f"({fmt(x, digits)})" if x < 0 else fmt(x, digits)


def _shown_terms(ts: list[Term], total: float) -> str:
    """"local·upstream + ..." in as few significant digits (4 at least, 17 at most) as make the
    numbers shown add up, on paper, to ``total`` within 0.1%: terms of 1e4 that cancel to 0.5
    need 6, and "-8603.0·1.0 + -8186.0·1.0 + 1.679e+04·1.0 = 0.5" would not add up."""
    digits = 4
    if math.isfinite(total):
        for digits in range(4, 18):
            shown = _fsum(float(fmt(t.local, digits)) * float(fmt(t.upstream, digits)) for t in ts)
            if math.isclose(shown, total, rel_tol=1e-3):
                break
    return " + ".join(f"{fmt(t.local, digits)}·{_paren(t.upstream, digits)}" for t in ts)


@dataclass
class MatrixView:
    """What ``matrix_view`` found; ``str()`` is the text."""

    matrices: list[NamedMatrix]
    # the graph it was read from, for pictures of its edges (autograd.see.matrix_page)
    result: Value | None = field(default=None, repr=False, compare=False)
    values: dict[str, list[list[Value]]] = field(default_factory=dict, repr=False, compare=False)

    def __str__(self) -> str:
        out: list[str] = []
        for nm in self.matrices:
            r, c = nm.shape
            out.append(f"{nm.name} ({r}×{c}): d{nm.name} =")
            out += ["  [ " + "  ".join(f"{g:+.6f}" for g in row) + " ]" for row in nm.grads]
            out.append(
                "each entry, from the graph's edges (local derivative · the grad of the node it leads to):"
            )
            for i in range(r):
                for j in range(c):
                    out += ["  " + line for line in nm.entry_text(i, j).splitlines()]
            if nm.product:
                out.append(f"regrouped: {nm.product}   shapes {nm.product_shapes}: {nm.verdict}")
            out.append("")
        return "\n".join(out).rstrip() + "\n"


def _rows(m: Any, name: str) -> list[list[Value]]:
    if hasattr(m, "tolist") and not isinstance(m, Value):
        m = m.tolist()
    if isinstance(m, Value):
        m = [[m]]
    if not isinstance(m, (list, tuple)) or not m:
        raise TypeError(
            f"matrix_view: {name} must be a matrix of Values (a list of rows), got {type(m).__name__}"
        )
    rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in m]
    if all(not isinstance(r, (list, tuple)) for r in m):
        rows = [list(m)]  # a flat list: one row (a bias)
    if len({len(r) for r in rows}) != 1 or not rows[0]:
        raise ValueError(f"matrix_view: {name} is ragged or empty: row lengths {[len(r) for r in rows]}")
    for row in rows:
        for v in row:
            if not isinstance(v, Value):
                raise TypeError(f"matrix_view: {name} holds {type(v).__name__}, not Values")
    return rows


def matrix_view(result: Value, named: dict[str, Any]) -> MatrixView:
    """The lens on ``named`` matrices of Values in the graph of ``result``, after ``backward()``."""
    if not isinstance(result, Value):
        raise TypeError(
            f"matrix_view: result must be a Value (the root backward() ran from), got {type(result).__name__}"
        )
    if not named:
        raise ValueError("matrix_view: name at least one matrix: named={'W': W}")
    mats = {name: _rows(m, name) for name, m in named.items()}
    where: dict[int, str] = {}  # id of an entry -> "X[0][1]"
    for name, rows in mats.items():
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                where.setdefault(id(v), f"{name}[{i}][{j}]")
    consumers: dict[int, list[tuple[Value, int]]] = {}
    order = topological_order(result)
    for node in order:
        for k, child in enumerate(node.inputs):
            if id(child) in where:
                consumers.setdefault(id(child), []).append((node, k))
    products = _products(order, mats)
    out = []
    for name, rows in mats.items():
        terms: list[list[list[Term]]] = []
        for row in rows:
            trow = []
            for v in row:
                ts = []
                for node, k in consumers.get(id(v), []):
                    local = float(node.local_grads[k])
                    factor = _factor_name(node, k, where)
                    ts.append(Term(factor, local, "d" + _node_name(node, products, where), _grad(node)))
                trow.append(ts)
            terms.append(trow)
        grads = [[_grad(v) for v in row] for row in rows]
        nm = NamedMatrix(name, (len(rows), len(rows[0])), grads, terms)
        nm.result_at = next(
            ((i, j) for i, row in enumerate(rows) for j, v in enumerate(row) if v is result), None
        )
        _regroup(nm, rows, mats, products, consumers)
        out.append(nm)
    return MatrixView(out, result, mats)


def _node_name(
    node: Value, products: dict[int, tuple[str, str, str, int, int]], where: dict[int, str]
) -> str:
    """A consumer's name: an entry of a named product ``(X·W)[i][j]``, that plus a named entry
    ``(X·W + b)[i][j]``, its label, or its op."""
    if id(node) in products:
        a, _, b, i, j = products[id(node)]
        return f"({a}·{b})[{i}][{j}]"
    if node.op == "add" and len(node.inputs) == 2 and id(node.inputs[0]) in products:
        a, _, b, i, j = products[id(node.inputs[0])]
        other = where.get(id(node.inputs[1]), "")
        if other:
            return f"({a}·{b} + {other.split('[')[0]})[{i}][{j}]"
    return f"({node.label})" if node.label else f"[{node.op} node]"


def _grad(v: Value) -> float:
    g = v.grad
    return float(g.data if isinstance(g, Value) else g)


def _factor_name(node: Value, k: int, where: dict[int, str]) -> str:
    """The local derivative of edge k of ``node``, named: a dot node's other factor by its name."""
    if node.op == "dot":
        n = len(node.inputs) // 2
        if k < n:
            other = node.inputs[n + k]
        elif k < 2 * n:
            other = node.inputs[k - n]
        else:
            return "1"
        return where.get(id(other), fmt(other.data))
    local = float(node.local_grads[k])
    return fmt(local) if local != 1.0 else "1"


def _products(
    order: list[Value], mats: dict[str, list[list[Value]]]
) -> dict[int, tuple[str, str, str, int, int]]:
    """Dot nodes whose ws are a row of one named matrix and xs a column of another: the entries of
    their product. id(node) -> (left name, "dZ[i][j]" name, right name, i, j)."""
    rows_of: dict[tuple[int, ...], tuple[str, int]] = {}
    cols_of: dict[tuple[int, ...], tuple[str, int]] = {}
    for name, rows in mats.items():
        for i, row in enumerate(rows):
            rows_of.setdefault(tuple(id(v) for v in row), (name, i))
        for j, col in enumerate(zip(*rows)):
            cols_of.setdefault(tuple(id(v) for v in col), (name, j))
    found: dict[int, tuple[str, str, str, int, int]] = {}
    for node in order:
        if node.op != "dot":
            continue
        n = len(node.inputs) // 2
        ws, xs = tuple(id(v) for v in node.inputs[:n]), tuple(id(v) for v in node.inputs[n : 2 * n])
        if ws in rows_of and xs in cols_of:
            (a, i), (b, j) = rows_of[ws], cols_of[xs]
            found[id(node)] = (a, f"({a}·{b})[{i}][{j}]", b, i, j)
    return found


def _regroup(
    nm: NamedMatrix, rows: list[list[Value]], mats: dict[str, list[list[Value]]],
    products: dict[int, tuple[str, str, str, int, int]], consumers: dict[int, list[tuple[Value, int]]],
) -> None:  # fmt: skip
    """Recognise nm as a factor of a named product (or a broadcast bias) and check the regrouping."""
    r, c = nm.shape
    for left, _, right, _, _ in products.values():
        if nm.name not in (left, right):
            continue
        grid: dict[tuple[int, int], float] = {}
        for node_id, (a, _, b, i, j) in products.items():
            if (a, b) == (left, right):
                node = next(n for lst in consumers.values() for n, _ in lst if id(n) == node_id)
                grid[(i, j)] = _grad(node)
        A, B = mats[left], mats[right]
        m, k = len(A), len(B[0])
        if len(grid) != m * k:
            continue
        dz = [[grid[(i, j)] for j in range(k)] for i in range(m)]
        prod = f"d({left}·{right})"
        if nm.name == right:  # dB = Aᵀ · dZ
            vals = [[_fsum(A[i][t].data * dz[i][j] for i in range(m)) for j in range(k)] for t in range(r)]
            nm.product = f"d{right} = {left}ᵀ · {prod}"
            nm.factors = [
                (f"{left}ᵀ", [[A[i][t].data for i in range(m)] for t in range(len(A[0]))]),
                (prod, dz),
            ]
            nm.product_shapes = f"({len(A[0])}×{m})·({m}×{k}) = ({r}×{c})"
        else:  # dA = dZ · Bᵀ
            vals = [[_fsum(dz[i][j] * B[t][j].data for j in range(k)) for t in range(c)] for i in range(r)]
            nm.product = f"d{left} = {prod} · {right}ᵀ"
            nm.factors = [
                (prod, dz),
                (f"{right}ᵀ", [[B[t][j].data for t in range(len(B))] for j in range(k)]),
            ]
            nm.product_shapes = f"({m}×{k})·({k}×{len(B)}) = ({r}×{c})"
        nm.product_values = vals
        nm.product_matches = _same(vals, nm) and left != right
        if left == right:
            nm.product += " (and the other factor's term: the matrix is used on both sides)"
        elif not nm.product_matches:
            nm.mismatch = _why_not(nm, f"{left}·{right}")
        return
    # a broadcast bias: every edge out of its entries has local derivative 1, into several nodes
    ts = [t for row in nm.terms for e in row for t in e]
    if ts and all(t.local == 1.0 for t in ts) and all(len(e) > 1 for row in nm.terms for e in row):
        sums = [[_fsum(t.upstream for t in e) for e in row] for row in nm.terms]
        n = len(nm.terms[0][0])
        nm.product = f"d{nm.name} = Σ over the {n} rows it is added to of their grads"
        nm.product_shapes = f"{n} rows of ({r}×{c}) summed"
        nm.product_values = sums
        # drawn as the rows of one matrix when a one-row bias is added into the rows of one sum only
        sums_into = {t.upstream_name.split("[")[0] for e in nm.terms[0] for t in e}
        if r == 1 and len(sums_into) == 1:
            column = [[t.upstream for t in e] for e in nm.terms[0]]  # column c: the grads added into entry c
            nm.factors = [(sums_into.pop(), [list(x) for x in zip(*column)])]
        nm.product_matches = _same(sums, nm)
        if not nm.product_matches:
            nm.mismatch = _why_not(nm)


def _why_not(nm: NamedMatrix, product: str | None = None) -> str:
    """Why a regrouped product ("X·W"; None for a bias's sum) is not ``nm``'s grads: an entry also
    feeds nodes outside the product (its grad adds their terms), or the grads are not the sums of
    their own edges. (One of the two always holds: "" is never returned in practice.)"""
    if product is not None:
        inside = f"d({product})["  # the upstream name of an entry of the product: d(X·W)[i][j]
        names = {t.upstream_name for row in nm.terms for e in row for t in e}
        outside = sorted(name[1:] for name in names if not name.startswith(inside))
        if outside:
            named = ", ".join(outside[:3]) + (f" and {len(outside) - 3} more" if len(outside) > 3 else "")
            return f"{nm.name} is also used outside {product} (by {named}), and its grads add those terms"
    r, c = nm.shape
    stale = [
        f"{nm.name}[{i}][{j}]"
        for i in range(r)
        for j in range(c)
        if (i, j) != nm.result_at and not nm.sums_its_edges(i, j)
    ]
    if stale:
        return (
            f"{stale[0]}.grad is not the sum of its own edges: backward() ran more than once, "
            "or the grads were not reset"
        )
    return ""


def _same(values: list[list[float]], nm: NamedMatrix) -> bool:
    """Whether the regrouped ``values`` equal ``nm``'s grads entry by entry, up to the rounding of
    adding each entry's terms in another order (``_agrees``)."""
    r, c = nm.shape
    if len(values) != r or any(len(row) != c for row in values):
        return False
    return all(_agrees(values[i][j], nm.grads[i][j], nm.scale(i, j)) for i in range(r) for j in range(c))
