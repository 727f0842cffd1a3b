"""``trace(f, *example_inputs)``: one run of ``f`` as a Wengert list, and code generated from it.

Reverse mode can be taught as a graph of nodes (``backward()``) or as a *tape*: the forward
trace, one line per operation, ``v3 = mul(v1, v2)``, then the adjoint trace read backwards,
one line per edge, ``v1_bar += v2 * v3_bar`` where ``v_bar`` = d(output)/d(v). A ``Trace``
shows both for the learner's own function:

    t = trace(f, 2.0, 3.0)
    print(t.table())     # the two traces with the numbers of the example run
    print(t.source())    # one Python function computing f and its gradient, on floats
    g = t.compile()      # that function: g(2.0, 3.0) == (f(2, 3), (df/dx, df/dy))

The code is written from the op templates (each op's ``trace`` entry in ``ops.OPS``, read by
``trace_rules.py``; the same formulas as the ``*_grads`` rules in ``ops.py``), from validated
identifiers and from float literals only: labels are used as names only when they are plain
ASCII identifiers, and no user text ever reaches the source otherwise. It runs with no builtins,
only the helpers it needs.

What is guaranteed: the compiled function performs exactly the traced operations. A kink
(relu, abs, leaky_relu) is not a change of path: each side's formula is in the code. A
comparison of a Value in ``f`` (``if x > 0:``, ``max(a, b)``) is recorded as a guard, and
a later call whose inputs flip one raises ``PathChanged``. A number read out of a Value that
depends on the inputs (``x.data``, ``float(x)``, ``x.item()``, ``math.exp(x)``) is refused while
tracing (``NumberRead``, naming the line): the code would keep that number from the traced run,
and any branch taken on it, at every input. Reads by chainrule's own code (``autograd``, ``nn``:
``cross_entropy``'s shift, which cancels) are allowed; so is printing a Value.

Errors: when the compiled function fails on some inputs (``log`` of a negative number, an
overflow), it calls the traced ``f`` once more on those inputs, as Values, to raise the engine's
own error, which names the op and the value; so ``f`` runs again, and anything it does besides
computing (printing, counting calls) happens again. A trace made by ``trace_values`` has no
``f`` to re-run: its error is the float code's, prefixed with the trace's name. A node whose
inputs and local derivatives differ in number, or whose op takes another number of inputs (a
``Value(...)`` made by hand), is refused with a ``ValueError`` when traced.

Second derivatives: the compiled function computes with floats, so it cannot be
differentiated again (calling it with Values raises ``TypeError``). Trace a function that
returns a gradient instead (``trace(autograd.grad(f), x)``): its compiled gradient is f''.
"""

from __future__ import annotations

import builtins
import functools
import inspect
import itertools
import keyword
import linecache
import math
import re
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from types import FrameType
from typing import Any, NamedTuple, Protocol, Union

from autograd import ops, trace_rules
from autograd.grad_mode import enable_grad, traced_comparisons
from autograd.trace_slots import NAME
from autograd.trace_slots import reuse_names as reuse_slots
from autograd.value import Value, clip, fmt, to_float

COMPARISONS = ("<", "<=", ">", ">=")
REUSE_NAMES_ABOVE = 1000  # lines of forward trace; longer traces get their dead names reused


class NamedParameters(Protocol):
    """A model, as ``trace_values`` sees it: ``named_parameters()`` gives ``(path, Value)`` pairs."""

    def named_parameters(self) -> Sequence[tuple[str, Value]]: ...


Inputs = Union[Sequence[Value], Sequence[tuple[str, Value]], NamedParameters]


class PathChanged(RuntimeError):
    """A compiled trace was called with inputs that flip a comparison made while tracing."""


class NumberRead(TypeError):
    """A traced function read a number out of a Value that depends on the inputs (``x.data``,
    ``float(x)``, ``x.item()``): the compiled code would keep it from the traced run."""


class Line(NamedTuple):
    """One line of the forward trace: ``name = forward`` (= ``value`` in the example run).

    (A named tuple, not a frozen dataclass: a long trace makes hundreds of thousands of them.)"""

    name: str
    op: str
    args: tuple[str, ...]  # the inputs: names of earlier lines, or float literals
    forward: str  # the Python expression
    grads: tuple[str, ...]  # each input's local derivative, as a Python expression
    value: float
    local_grads: tuple[float, ...]  # the same derivatives as numbers, from the example run


@dataclass(frozen=True)
class Guard:
    """A comparison ``left op right`` that came out ``result`` while tracing; after line ``after``."""

    left: str
    op: str
    right: str
    result: bool
    after: int


def trace(f: Callable[..., Any], *example_inputs: object) -> Trace:
    """Run ``f`` once on Values made from ``example_inputs`` and return its ``Trace``.

    Inputs are named after ``f``'s parameters (when they are plain identifiers), and their
    Values carry those names as labels; the gradient is taken with respect to every input.
    With no example inputs there is nothing to differentiate with respect to: a ``TypeError``
    points to ``trace_values``, which takes Values ``f`` closes over (a model's parameters).
    """
    if not example_inputs:
        name = _function_name(f)
        raise TypeError(
            f"trace: no example inputs, so nothing to differentiate with respect to; trace(f, 2.0, 3.0) "
            f"calls f on Values made from the inputs and differentiates with respect to them. For a "
            f"function of no arguments that uses Values it closes over (a model's parameters), name "
            f"those Values as the inputs: trace_values({name}, model) or trace_values({name}, [w, b])"
        )
    names = _parameter_names(f, len(example_inputs))
    leaves = []
    for i, x in enumerate(example_inputs):
        number = x.data if isinstance(x, Value) else to_float(x, f"trace: example input {i}")
        leaves.append(Value(number, names[i]))
    return trace_values(lambda: f(*leaves), leaves, _function_name(f), names, rerun=f)


def trace_values(
    build: Callable[[], Any],
    inputs: Inputs,
    name: str | None = None,
    names: Sequence[str] | None = None,
    rerun: Callable[..., Any] | None = None,
    has_aux: bool = False,
    data: Sequence[Value] = (),
) -> Trace:
    """Trace ``build()`` with the existing Values ``inputs`` (e.g. a model's parameters) as inputs.

    ``inputs`` is a sequence of Values, or a model: anything with a ``named_parameters()``
    method, or the ``(name, Value)`` pairs it returns. Every other leaf the result depends on
    is a constant, written into the code as a number. ``names`` name the inputs where they are
    plain identifiers; by default a model's parameter is named from its path
    (``layers.0.neurons.3.w.2`` -> ``l0_n3_w2``), any other input from its label.

    With ``has_aux=True`` (JAX's name for it), ``build()`` returns ``(output, aux)``: ``aux`` is
    a sequence of Values (or numbers) to compute alongside, such as a model's outputs for an
    accuracy. They are not differentiated; the compiled function then returns
    ``(value, gradient, aux_values)``.

    ``data`` are Values that, like the inputs, become arguments of the code (after the inputs),
    but are not differentiated: a sample's numbers, one-hot tokens. The gradient is with respect
    to ``inputs`` only, and the code computes no adjoint for the data, nor for any value that
    depends on no input (only values on a path from an input to the output get one). ``names``
    then names the inputs and, if it is that long, the data after them.

    ``name`` names the traced function in the table and the generated code; by default
    ``build``'s own name (``f`` for a lambda).
    """
    if name is None:
        name = _function_name(build)
    values, paths = _named_inputs(inputs)
    data_values = _data_values(data, values)
    if names is not None and len(names) not in (len(values), len(values) + len(data_values)):
        counted = f"{len(values)} inputs" + (f" (and {len(data_values)} data)" if data_values else "")
        raise ValueError(f"trace_values: {len(names)} names for {counted}")
    noted: list[tuple[Value, str, object, bool]] = []
    token = traced_comparisons.set(noted)
    watch = _watching.set(_ReadWatch(name, [*values, *data_values]))
    _watch_reads(True)
    try:
        with enable_grad():
            result = build()
    finally:
        _watch_reads(False)
        _watching.reset(watch)
        traced_comparisons.reset(token)
    aux: list[Value] | None = None
    if has_aux:
        if not (isinstance(result, tuple) and len(result) == 2):
            got = clip(repr(result))
            raise TypeError(f"trace: with has_aux=True, {name} must return (output, aux), got {got}")
        result, aux_items = result
        if isinstance(aux_items, (Value, str, bytes)) or not isinstance(aux_items, Sequence):
            got = type(aux_items).__name__
            raise TypeError(f"trace: {name}'s aux must be a sequence of Values, got {got}")
        aux = [_as_value(v, f"trace: {name}'s aux[{i}]") for i, v in enumerate(aux_items)]
    output = _as_value(result, f"trace: {name}'s result")
    wanted = list(names) if names is not None else paths or [v.label for v in values]
    wanted += [v.label for v in data_values[len(wanted) - len(values) :]]
    return Trace(output, [*values, *data_values], wanted, noted, name, rerun, aux, len(values))


class Trace:
    """The Wengert list of one run: ``table()``, ``source()`` and ``compile()`` (see the module doc)."""

    def __init__(
        self,
        output: Value,
        inputs: list[Value],
        wanted_names: list[str],
        comparisons: list[tuple[Value, str, object, bool]],
        name: str,
        rerun: Callable[..., Any] | None = None,
        aux: list[Value] | None = None,
        differentiated: int | None = None,
    ) -> None:
        """``inputs[:differentiated]`` (all by default) are differentiated; the rest are data."""
        self.name = name if _usable(name) else "f"
        self.rerun = rerun
        namer = _Namer()
        # a label taken twice (the w0 of each neuron) becomes w0, w0_1, ...: never x3, a data input's name
        fallbacks = [wanted if _usable(wanted) else f"x{i}" for i, wanted in enumerate(wanted_names)]
        self.input_names = [namer.name(wanted, f) for wanted, f in zip(wanted_names, fallbacks)]
        self.input_values = [v.data for v in inputs]
        aux_values = aux or []
        roots = [output, *aux_values, *(v for c in comparisons for v in (c[0], c[2]) if isinstance(v, Value))]
        order = _forward_order(roots, set(inputs))
        self._expr: dict[Value, str] = dict(zip(inputs, self.input_names))
        self.lines: list[Line] = []
        line_of: dict[Value, int] = {v: -1 for v in inputs}  # inputs come before line 0
        self._lines_of = line_of
        expr, lines, depends, fresh = self._expr, self.lines, line_of.__contains__, namer.name
        for node in order:  # (locals bound above: a long trace runs this loop a few hundred thousand times)
            if node in expr:
                continue
            if not any(map(depends, node.inputs)):
                expr[node] = _literal(node.data)  # depends on no input: a constant
                continue
            line = self._line(node, fresh(node.label, f"v{len(inputs) + len(lines) + 1}"))
            expr[node] = line.name
            line_of[node] = len(lines)
            lines.append(line)
        self.output = self._expr[output]
        self.aux = None if aux is None else [self._expr[v] for v in aux_values]  # not differentiated
        self.guards = [self._guard(c, line_of) for c in comparisons if _depends(c, line_of)]
        self.grad_names = self.input_names[:differentiated]  # the gradient is with respect to these
        # a value gets an adjoint only if it depends on a differentiated input
        self._differentiable = differentiable = set(self.grad_names)
        for line in self.lines:
            if any(map(differentiable.__contains__, line.args)):
                differentiable.add(line.name)
        # a usable name + "_bar" is usable (no keyword, builtin or helper ends so): given as the fallback
        self.bars = [namer.name("", f"{n}_bar") for n in self.grad_names]
        self._line_bars = {
            line.name: namer.name("", f"{line.name}_bar")
            for line in self.lines
            if line.name in self._differentiable
        }

    def _line(self, node: Value, name: str) -> Line:
        op, inputs = node.op, node.inputs
        if len(node.local_grads) != len(inputs) or _ARITY.get(op, 0) not in (0, len(inputs)):
            _check_arity(node)  # raises, naming what is wrong
        expr = self._expr
        args = [expr[child] for child in inputs]
        shown = [f"({a})" if a[0] == "-" else a for a in args]  # -0.5 ** 2 is not (-0.5) ** 2
        derivs: Sequence[str]
        if op in _PRODUCT_AND_SUM:  # most lines of a long trace: a * b or a + b, written directly
            a, b = shown
            forward, derivs = (f"{a} * {b}", (b, a)) if op == "mul" else (f"{a} + {b}", ("1.0", "1.0"))
            return Line(name, op, tuple(args), forward, tuple(derivs), node.data, tuple(node.local_grads))
        template = _FIXED_TEMPLATES.get(op)
        if template is not None:  # an op whose template does not depend on the node
            forward, grads = template
            derivs = tuple([g.format(*shown, out=name) for g in grads])
            return Line(
                name, op, tuple(args), forward.format(*shown), derivs, node.data, tuple(node.local_grads)
            )
        if node.op == "leaky_relu":
            forward, grads = trace_rules.leaky_relu_template(_literal(ops.leaky_relu_slope(node)))
            code, derivs = (
                trace_rules.forward_of("", shown, forward),
                trace_rules.grads_of("", name, shown, grads),
            )
        elif node.op == "pow" and node.inputs[1] not in self._lines_of and node.inputs[1].data >= 1.0:
            n = node.inputs[1].data  # x ** n for a constant n >= 1: d/dx = n * x ** (n - 1), as pow_grads
            code = trace_rules.forward_of("pow", shown)
            derivs = [f"{shown[1]} * power({shown[0]}, {_literal(n - 1.0)})", "0.0"]
        elif node.op in trace_rules.TEMPLATES or node.op in ("sum", "dot"):
            code, derivs = trace_rules.forward_of(node.op, shown), trace_rules.grads_of(node.op, name, shown)
        else:
            raise NotImplementedError(f"trace: op {node.op!r} has no trace template (@op entry in ops.py)")
        return Line(name, node.op, tuple(args), code, tuple(derivs), node.data, tuple(node.local_grads))

    def _guard(self, comparison: tuple[Value, str, object, bool], line_of: dict[Value, int]) -> Guard:
        left, op, right, result = comparison
        if op not in COMPARISONS:
            raise ValueError(f"trace: unknown comparison {op!r}")
        right_text = self._expr[right] if isinstance(right, Value) else _literal(to_float(right, op))
        after = max(line_of.get(left, -1), line_of.get(right, -1) if isinstance(right, Value) else -1)
        return Guard(self._expr[left], op, right_text, result, after)

    # -- what a learner reads ---------------------------------------------------------------

    def adjoints(self) -> dict[str, float]:
        """d(output)/d(v) for every input and line of the example run, by the engine's numbers."""
        bar: dict[str, float] = {n: 0.0 for n in [*self.grad_names, *self._line_bars]}
        if self.output in bar:
            bar[self.output] = 1.0
        for line in reversed(self.lines):
            for arg, local in zip(line.args, line.local_grads):
                if arg in bar:
                    bar[arg] += local * bar[line.name]
        return bar

    def gradient(self) -> tuple[float, ...]:
        """d(output)/d(input) for each (differentiated) input, at the example inputs."""
        bar = self.adjoints()
        return tuple(bar[n] for n in self.grad_names)

    def table(self) -> str:
        """The forward trace and the adjoint trace, with the numbers of the example run."""
        rows = [f"forward trace of {self.name} (one line per op)"]
        for name, value in zip(self.input_names, self.input_values):
            kind = "input" if name in self._differentiable else "data: no gradient"
            rows.append(f"  {name} = {fmt(value)}    ({kind})")
        for line in self.lines:
            call = f"{line.op}({', '.join(line.args)})"
            rows.append(f"  {line.name} = {call} = {fmt(line.value)}")
        for guard in self.guards:
            rows.append(f"  check {guard.left} {guard.op} {guard.right} is {guard.result}")
        bar = self.adjoints()
        if self.output in bar:
            rows.append(f"adjoint trace (in reverse; v\u0304 = d{self.output}/dv)")
            rows.append(f"  {_overline(self.output)} = 1.0")
        else:  # a number: the result depends on no input
            what = "input" if len(self.grad_names) == len(self.input_names) else "differentiated input"
            rows.append(f"adjoint trace: none; {self.name}'s result, {self.output}, depends on no {what}")
        for line in reversed(self.lines):
            if line.name not in bar or (bar[line.name] == 0.0 and not self._reaches_output(line.name)):
                continue
            for arg, derivative, local in zip(line.args, line.grads, line.local_grads):
                if arg in bar:
                    rows.append(
                        f"  {_overline(arg)} += {_times(derivative, _overline(line.name), chr(0xB7))}"
                        f"    = {fmt(local)} \u00b7 {fmt(bar[line.name])} = {fmt(local * bar[line.name])}"
                    )
        gradient = ", ".join(f"{_overline(n)} = {fmt(g)}" for n, g in zip(self.grad_names, self.gradient()))
        rows.append(f"gradient: {gradient}")
        return "\n".join(rows)

    def _reaches_output(self, name: str) -> bool:
        return name in self._reaching()

    def _reaching(self) -> set[str]:
        """Names whose value the output depends on (the lines that get an adjoint)."""
        reach = {self.output}
        for line in reversed(self.lines):
            if line.name in reach:
                reach.update(line.args)
        return reach

    def source(self, reuse_names: bool | None = None, compact: bool | None = None) -> str:
        """One Python function computing the output and its gradient with respect to every input.

        It returns ``(value, gradient)``, and the aux values third if the trace has them.

        Every value and adjoint has its own name, except in long traces (more than
        ``REUSE_NAMES_ABOVE`` lines, or ``reuse_names=True``), where a dead value's name is
        reused (``trace_slots.py``): the same code, much faster in CPython at that size.

        Long traces (the same threshold, or ``compact=True``) are also written compact, which
        Python compiles in far less time: a value used once, whose number nothing else needs,
        is written into the expression that uses it instead of getting a line (``s = 0.0 +
        w0 * x0 + w1 * x1`` for a sum of products: the same operations in the same order), and an
        adjoint that only passes another one on (an add's) is not copied into a name of its own.
        """
        params = ", ".join(self.input_names)
        head = f"def {self.name}_value_and_grad({params}):"
        wrt = ", ".join(self.grad_names)
        code = [
            f'    """{self.name} and d{self.name}/d({wrt}), written by autograd.trace from one run."""',
        ]
        guards_after: dict[int, list[Guard]] = {}
        for guard in self.guards:
            guards_after.setdefault(guard.after, []).append(guard)
        code += self._guard_lines(guards_after.get(-1, []))
        if compact is None:
            compact = len(self.lines) > REUSE_NAMES_ABOVE
        code.append(
            "    # forward, compact: a value used once is written where it is used"
            if compact
            else "    # forward: one line per op"
        )
        inlined = _Inliner(self) if compact else None
        for i, line in enumerate(self.lines):
            if inlined is None:
                code.append(f"    {line.name} = {line.forward}")
            else:
                code += inlined.line(line)
            code += self._guard_lines(guards_after.get(i, []))
        code += self._adjoint_lines(aliases=compact)
        if reuse_names or (reuse_names is None and len(self.lines) > REUSE_NAMES_ABOVE):
            code = reuse_slots(code, set(self.input_names))
        return "\n".join([head, *code]) + "\n"

    def _guard_lines(self, guards: list[Guard]) -> list[str]:
        lines = []
        for g in guards:
            condition = f"{g.left} {g.op} {g.right}"
            message = (
                f"{self.name}: the traced run had {condition} {g.result}; these inputs make it "
                f"{not g.result}, so {self.name} may take another path: trace it again at these inputs"
            )
            test = f"not ({condition})" if g.result else condition
            lines.append(f"    if {test}:  # the traced path needs {condition} to be {g.result}")
            lines.append(f"        raise PathChanged({message!r})")
        return lines

    def _adjoint_lines(self, aliases: bool = False) -> list[str]:
        """The backward pass: each value's adjoint in one line, the sum over its uses.

        Going through the lines in reverse, each edge gives its input one term, local
        derivative times the adjoint of the line it feeds (``_times``); a value's terms are
        summed in that order, in one assignment written just before the value's own line is
        reached (its adjoint is complete then: every use of it comes later in the forward trace).
        The sum is the same left-to-right sum as one ``+=`` per edge, so the numbers are the
        same to the last bit; it saves a store and a load per edge. Very long sums are written
        in pieces (``x_bar = x_bar + ...``), still left to right. With ``aliases``, a value whose
        adjoint is another's unchanged (``v_bar = u_bar``) gets no line: its uses read ``u_bar``.
        """
        bar_of = dict(zip(self.grad_names, self.bars))
        bar_of.update(self._line_bars)
        code = [
            f"    # backward, in reverse: each adjoint the sum over its value's uses "
            f"(x_bar = d{self.name}/dx)"
        ]
        terms: dict[str, list[str]] = {}
        if self.output in bar_of:
            code.append(f"    {bar_of[self.output]} = 1.0")
        for line in reversed(self.lines):
            if line.name in terms:
                summed = terms.pop(line.name)
                if aliases and len(summed) == 1 and summed[0].isidentifier():
                    bar_of[line.name] = summed[0]  # the same number under its own name: no line
                else:
                    code += _sum_lines(bar_of[line.name], summed)
            elif line.name != self.output:
                continue  # the output does not depend on this line (it only fed a check)
            upstream = bar_of[line.name]
            for arg, derivative in zip(line.args, line.grads):
                if arg in bar_of:  # else a constant (or data): no gradient wanted
                    if derivative == "1.0":  # the usual two, found fast: an add's edge, a product's
                        term = upstream
                    elif derivative.isidentifier():
                        term = f"{derivative} * {upstream}"
                    else:
                        term = _times(_folded(derivative), upstream)
                    terms.setdefault(arg, []).append(term)
        grads = []
        for name in self.grad_names:
            if name in terms:
                code += _sum_lines(bar_of[name], terms.pop(name))
                grads.append(bar_of[name])
            else:
                grads.append(bar_of[name] if name == self.output else "0.0")
        returned = f"{self.output}, {_tuple(grads)}"
        if self.aux is not None:
            returned += f", {_tuple(self.aux)}"
        code.append(f"    return {returned}")
        return code

    def compile(self) -> CompiledTrace:
        """The function of ``source()``, ready to call: ``g(*inputs) -> (value, gradient)``."""
        text = self.source()
        filename = f"<trace of {self.name} {id(self):x}>"
        linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
        namespace: dict[str, Any] = {"__builtins__": {}, "PathChanged": PathChanged, **trace_rules.HELPERS}
        exec(compile(text, filename, "exec"), namespace)  # text: templates, identifiers, float literals
        return CompiledTrace(namespace[f"{self.name}_value_and_grad"], self)


class CompiledTrace:
    """A trace's generated function, with its inputs checked: ``g(*inputs) -> (value, gradient)``
    (``(value, gradient, aux_values)`` for a trace made with ``has_aux=True``).

    ``function`` is the generated function itself (no checks), for hot loops.
    """

    def __init__(self, function: Callable[..., tuple[Any, ...]], source: Trace) -> None:
        self.function = function
        self.trace = source
        self.arity = len(source.input_names)

    def __call__(self, *inputs: object) -> tuple[Any, ...]:
        name = self.trace.name
        if len(inputs) != self.arity:
            raise TypeError(f"compiled {name}: expected {self.arity} inputs, got {len(inputs)}")
        numbers = []
        for i, x in enumerate(inputs):
            if isinstance(x, Value):
                raise TypeError(
                    f"compiled {name}: input {i} is a Value, but a compiled trace computes with floats and "
                    "cannot be differentiated again (no second derivatives through it); for those, trace "
                    "a function that returns a gradient, trace(autograd.grad(f), x), or use "
                    "backward(create_graph=True)"
                )
            numbers.append(x if type(x) is float else to_float(x, f"compiled {name}: input {i}"))
        try:
            return self.function(*numbers)
        except PathChanged:
            raise
        except (ArithmeticError, ValueError, TypeError) as error:
            raise self._engine_error(numbers, error) from None

    def _engine_error(self, numbers: list[float], error: Exception) -> Exception:
        """The engine's own error for these inputs (it names the op and the value), if it has one."""
        if self.trace.rerun is not None:
            try:
                self.trace.rerun(*[Value(x) for x in numbers])
            except (ArithmeticError, ValueError, TypeError) as engine_error:
                return engine_error
        return type(error)(f"compiled {self.trace.name}: {error}")


# -- refusing numbers read out of traced Values ----------------------------------------------------
#
# While a trace runs, Value's ``data`` slot is read through ``_WatchedData`` and ``float(x)`` and
# ``x.item()`` through ``_watched_float``: a read by code outside chainrule's own packages, of a
# Value that depends on the traced inputs, raises ``NumberRead`` naming the line. Outside a trace
# (and in other threads and contexts) the slot is read as it is; once no trace runs, the slot's
# own descriptor is put back, so the engine pays nothing.

TRUSTED_READERS = ("autograd", "nn")  # packages whose reads are constants of the trace by design
_SLOT = Value.__dict__["data"]  # the slot's own descriptor
_FLOAT, _ITEM = Value.__float__, Value.item
_watchers = 0  # traces running, in every thread
_watch_lock = threading.Lock()


class _ReadWatch:
    """The traced inputs of one trace, and which nodes are known not to depend on them."""

    def __init__(self, name: str, inputs: list[Value]) -> None:
        self.name = name
        self.inputs = set(inputs)
        self.constants: set[Value] = set()

    def depends(self, value: Value) -> bool:
        """Whether ``value`` is an input or computed from one (a walk without recursion)."""
        seen: set[Value] = set()
        stack = [value]
        while stack:
            node = stack.pop()
            if node in self.inputs:
                return True
            if node not in seen and node not in self.constants:
                seen.add(node)
                stack.extend(node.inputs)
        self.constants |= seen
        return False

    def refuse(self, value: Value, how: str, frame: FrameType) -> None:
        if not self.depends(value):
            return  # a constant: the same number at every call
        where = f"{frame.f_code.co_filename}, line {frame.f_lineno}"
        code = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
        shown = f" ({clip(code, 70)})" if code else ""
        raise NumberRead(
            f"trace of {self.name}: {where}{shown} reads a number out of a Value ({how}) that depends on "
            f"the inputs; the compiled code would keep the traced run's number, and take the branch it "
            f"decided, at every input. Compare the Value itself instead (if x > 0:, max(a, b)): the trace "
            f"records comparisons and raises PathChanged when an input flips one. To show a number, "
            f"print the Value (print(x)); outside trace(), x.data is fine"
        )


_watching: ContextVar[_ReadWatch | None] = ContextVar("chainrule_trace_reads", default=None)


_trusted_globals: set[int] = set()  # ids of the trusted modules' namespaces, found when a trace starts


def _caller_refused(frame: FrameType) -> bool:
    if id(frame.f_globals) in _trusted_globals:  # the engine's own modules: the usual reader, found fast
        return False
    return frame.f_globals.get("__name__", "").partition(".")[0] not in TRUSTED_READERS


class _WatchedData:
    """Value's ``data`` slot, read and written as it is, with reads checked while a trace runs."""

    def __get__(
        self,
        value: Value | None,
        owner: type | None = None,
        # bound once: the engine's own ops read data several times per node while a trace runs
        read: Any = _SLOT.__get__,
        watching: Any = _watching.get,
        caller: Any = sys._getframe,
        trusted: set[int] = _trusted_globals,
    ) -> Any:
        if value is None:
            return self
        watch = watching()
        if watch is not None:
            frame = caller(1)
            if id(frame.f_globals) not in trusted and _caller_refused(frame):
                watch.refuse(value, ".data", frame)
        return read(value, owner)

    # writes go straight to the slot, without a Python frame (Value.__init__ writes data for each node)
    __set__ = staticmethod(_SLOT.__set__)


def _watched_reader(read: Callable[[Value], float], how: str) -> Callable[[Value], float]:
    """``read`` (``Value.__float__`` or ``Value.item``), with the read checked while a trace runs."""

    def watched(value: Value) -> float:
        watch = _watching.get()
        if watch is not None:
            frame = sys._getframe(1)
            if _caller_refused(frame):
                watch.refuse(value, how, frame)
        return read(value)

    return watched


_watched_float = _watched_reader(_FLOAT, "float()")
_watched_item = _watched_reader(_ITEM, ".item()")


def _watch_reads(start: bool) -> None:
    """Count a trace starting or ending; the first puts the watched readers on Value, the last
    takes them off."""
    global _watchers
    with _watch_lock:
        _watchers += 1 if start else -1
        if _watchers == (1 if start else 0):
            _trusted_globals.clear()
            if start:  # modules live on in sys.modules, so their namespaces' ids stay theirs
                _trusted_globals.update(
                    id(vars(module))
                    for name, module in list(sys.modules.items())
                    if name.partition(".")[0] in TRUSTED_READERS and module is not None
                )
            watched = [_WatchedData(), _watched_float, _watched_item] if start else [_SLOT, _FLOAT, _ITEM]
            for attribute, reader in zip(("data", "__float__", "item"), watched):
                setattr(Value, attribute, reader)


# -- helpers -----------------------------------------------------------------------------------


INLINE_DEPTH = 200  # operators nested in one compact expression, at most: Python's compiler recurses
# how an expression binds: a sum (+, -), a product (*, /), a negation, or an atom (a name, a call,
# a parenthesised group); other ops' expressions go in parentheses wherever they are written in
BINDING = {"add": "sum", "sub": "sum", "mul": "product", "div": "product", "neg": "unary"}
# for each op whose template is written in operators, the bindings each input's slot takes bare
BARE = {
    "add": (("sum", "product", "unary"), ("product", "unary")),
    "sub": (("sum", "product", "unary"), ("product", "unary")),
    "mul": (("product", "unary"), ("unary",)),
    "div": (("product", "unary"), ("unary",)),
}


class _Inliner:
    """The forward lines of a compact ``source()``: a value used by one line only, once, and
    needed by nothing else (no adjoint formula, guard, aux or output reads it), is not given a
    line; its expression is written where it is used, bare if it binds tightly enough there
    (``a + b + c`` is ``(a + b) + c``), else in parentheses. The same operations on the same
    numbers in the same order, so the same results."""

    def __init__(self, trace: Trace) -> None:
        uses: dict[str, int] = {}
        for line in trace.lines:
            for arg in line.args:
                uses[arg] = uses.get(arg, 0) + 1
        needed = {trace.output, *(trace.aux or ())}
        for guard in trace.guards:
            needed.update((guard.left, guard.right))
        for line in trace.lines:
            for grad in line.grads:
                if grad.isidentifier():  # a product's derivative: the other factor
                    needed.add(grad)
                elif grad != "1.0":
                    needed.update(NAME.findall(grad))
        self.once = {name for name, count in uses.items() if count == 1} - needed
        self.pending: dict[str, tuple[str, str, int]] = {}  # name -> (expression, binding, depth)
        self.dot_binding = "sum" if trace_rules.SUM_ADDS_IN_ORDER else "atom"

    def line(self, line: Line) -> list[str]:
        """The code for ``line``: nothing if it is kept to be written where it is used."""
        code = []
        expression = line.forward
        depth = len(line.args) // 2 if line.op == "dot" and self.dot_binding == "sum" else 1
        written: dict[str, str] = {}
        for slot, arg in enumerate(line.args):
            if arg not in self.pending:
                continue
            inner, binding, inner_depth = self.pending.pop(arg)
            if slot in _repeated_slots(line.op):
                code.append(
                    f"    {arg} = {inner}"
                )  # read twice here (relu's a <= 0 else a): a line after all
                continue
            bare = binding == "atom" or binding in BARE.get(line.op, ((), ()))[min(slot, 1)]
            written[arg] = inner if bare else f"({inner})"
            depth = max(depth, inner_depth + 1)
        if written and line.op in _PRODUCT_AND_SUM:
            a, b = [written.get(arg) or (f"({arg})" if arg[0] == "-" else arg) for arg in line.args]
            expression = f"{a} * {b}" if line.op == "mul" else f"{a} + {b}"
        elif written:
            expression = NAME.sub(lambda m: written.get(m.group(0), m.group(0)), expression)
        if line.name in self.once and depth < INLINE_DEPTH:
            binding = self.dot_binding if line.op == "dot" else BINDING.get(line.op, "other")
            if binding == "other" and _is_atom(expression):
                binding = "atom"
            self.pending[line.name] = (expression, binding, depth)
        else:
            code.append(f"    {line.name} = {expression}")
        return code


@functools.cache
def _repeated_slots(op: str) -> tuple[int, ...]:
    """The inputs an op's expression reads more than once (relu's ``(0.0 if a <= 0.0 else a)``)."""
    if op in ("sum", "dot"):
        return ()
    if op not in trace_rules.TEMPLATES:  # leaky_relu, whose template is written per slope
        return (0,)
    template = trace_rules.TEMPLATES[op][0]
    return tuple(k for k in range(template.count("{")) if template.count(f"{{{k}}}") > 1)


_ARITY = {entry.name: entry.arity for entry in ops.OPS.values()}  # 0: any number (sum, dot)
# the templates that are the same for every node of their op (leaky_relu's has the slope, pow's
# derivative the exponent when it is a constant, sum and dot are written by trace_rules)
_FIXED_TEMPLATES = {op: t for op, t in trace_rules.TEMPLATES.items() if op not in ("leaky_relu", "pow")}
# mul and add written without str.format, as long as their templates are these (test_trace_rules)
_PRODUCT_AND_SUM = {
    op
    for op, template in (("mul", ("{0} * {1}", ("{1}", "{0}"))), ("add", ("{0} + {1}", ("1.0", "1.0"))))
    if trace_rules.TEMPLATES.get(op) == template
}


def _check_arity(node: Value) -> None:
    """Refuse a node (made by hand: ``Value(6.0, '', 'mul', (a,), (3.0,))``) whose inputs and local
    derivatives differ in number, or whose op takes another number of inputs: its code would
    drop an input or fail with a raw IndexError."""
    n_inputs, n_grads = len(node.inputs), len(node.local_grads)
    if n_grads != n_inputs:
        raise ValueError(
            f"trace: a {node.op!r} node has {n_inputs} input(s) but {n_grads} local derivative(s); "
            "each input needs one (a node made by hand?)"
        )
    entry = ops.OPS.get(node.op)
    arity = entry.arity if entry is not None else 0  # 0: any number (sum, dot)
    if arity and n_inputs != arity:
        raise ValueError(
            f"trace: op {node.op!r} takes {arity} input(s), but a node has {n_inputs} (a node made by hand?)"
        )


class _Namer:
    """Hands out unique names: a wanted name if it is a usable identifier and free, else a fallback."""

    def __init__(self) -> None:
        self.taken: set[str] = set(trace_rules.HELPERS) | {"PathChanged"}

    def name(self, wanted: str, fallback: str) -> str:
        if wanted and wanted not in self.taken and _usable(wanted):
            self.taken.add(wanted)
            return wanted
        if fallback not in self.taken:  # the usual case, without the loop below
            self.taken.add(fallback)
            return fallback
        for suffix in itertools.chain([""], (f"_{k}" for k in itertools.count(1))):
            candidate = fallback + suffix
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        raise AssertionError("unreachable")


def _usable(name: object) -> bool:
    """A plain ASCII identifier, not a keyword, not a builtin, not starting with '_'."""
    return (
        isinstance(name, str)
        and name.isascii()
        and name.isidentifier()
        and not keyword.iskeyword(name)
        and not keyword.issoftkeyword(name)
        and not name.startswith("_")
        and not hasattr(builtins, name)
    )


def _named_inputs(inputs: object) -> tuple[list[Value], list[str] | None]:
    """The inputs of ``trace_values`` as Values, with names from a model's parameter paths (or None).

    Duck typing keeps the engine free of ``nn``: a model is anything with ``named_parameters()``.
    """
    if callable(getattr(inputs, "named_parameters", None)):
        items: list[object] = list(inputs.named_parameters())  # type: ignore[attr-defined]
        where = f"trace_values: {type(inputs).__name__}.named_parameters()"
    elif isinstance(inputs, Value) or not isinstance(inputs, Iterable):
        got = clip(repr(inputs))
        raise TypeError(f"trace_values: inputs must be a sequence of Values or a model, got {got}")
    else:
        items, where = list(inputs), "trace_values: inputs"
    if not items:
        raise ValueError(
            "trace_values: no inputs, so nothing to differentiate with respect to; give the Values the "
            "result depends on (a model's parameters: trace_values(f, model))"
        )
    if all(isinstance(i, tuple) and len(i) == 2 and isinstance(i[1], Value) for i in items):
        pairs: list[tuple[Any, Value]] = items  # type: ignore[assignment]
        return [v for _, v in pairs], _path_names([str(n) for n, _ in pairs])
    for i, item in enumerate(items):
        if not isinstance(item, Value):
            raise TypeError(f"{where}[{i}] must be a Value, got {type(item).__name__} {clip(repr(item))}")
    return items, None  # type: ignore[return-value]


def _data_values(data: object, inputs: list[Value]) -> list[Value]:
    """``trace_values``'s ``data``: a sequence of Values, none of them also an input."""
    if isinstance(data, (Value, str, bytes)) or not isinstance(data, Iterable):
        raise TypeError(f"trace_values: data must be a sequence of Values, got {clip(repr(data))}")
    values = list(data)
    taken = set(inputs)
    for i, item in enumerate(values):
        if not isinstance(item, Value):
            raise TypeError(
                f"trace_values: data[{i}] must be a Value, got {type(item).__name__} {clip(repr(item))}"
            )
        if item in taken:
            raise ValueError(f"trace_values: data[{i}] ({item!r}) is also an input (or given twice in data)")
        taken.add(item)
    return values


def _path_names(paths: list[str]) -> list[str]:
    """Short names for dotted parameter paths: an attribute followed by an index becomes its
    initial and the index (``layers.0.neurons.3.w.2`` -> ``l0_n3_w2``, ``...neurons.3.b`` ->
    ``l0_n3_b``); where two short names would clash, the whole path (``layers_0_neurons_3_w_2``)."""
    shorts, longs = [], []
    for path in paths:
        parts = [re.sub(r"\W", "_", p) for p in path.split(".") if p]
        short: list[str] = []
        for k, part in enumerate(parts):
            if part.isdigit() and short and not short[-1].isdigit():
                short[-1] += part
            elif k + 1 < len(parts) and parts[k + 1].isdigit() and not part.isdigit():
                short.append(part[0])
            else:
                short.append(part)
        shorts.append("_".join(short))
        longs.append("_".join(parts))
    if len(set(shorts)) == len(shorts):
        return shorts
    return longs


def _as_value(x: object, where: str) -> Value:
    """A Value as it is; a number (a result that depends on no input) as a constant Value."""
    return x if isinstance(x, Value) else Value(to_float(x, where))


def _tuple(items: list[str]) -> str:
    """Python source of a tuple of the expressions ``items``."""
    return f"({', '.join(items)}{',' if len(items) == 1 else ''})"


def _literal(x: float) -> str:
    """A float as Python source: repr for finite numbers, the helper names inf and nan otherwise."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(float(x))


SUM_TERMS = 100  # terms of an adjoint's sum per line: Python's compiler recurses into a long sum


def _sum_lines(bar: str, terms: list[str]) -> list[str]:
    """``bar = t0 + t1 + ...``: the terms added left to right, as ``+=`` would add them one by one.

    Each term is a name, a negated name, a product or a parenthesised group (``_times``), so
    ``+`` splits the line exactly into the terms."""
    lines = [f"    {bar} = {' + '.join(terms[:SUM_TERMS])}"]
    for start in range(SUM_TERMS, len(terms), SUM_TERMS):
        lines.append(f"    {bar} = {bar} + {' + '.join(terms[start : start + SUM_TERMS])}")
    return lines


CONSTANT_NAMES = frozenset(trace_rules.HELPERS)
SELECT = re.compile(r"^\((-?\d[\d.e+-]*) if ([^()]*(?:\([^()]*\)[^()]*)*) else (-?\d[\d.e+-]*)\)$")


def _folded(derivative: str) -> str:
    """A local derivative that depends on no value of the trace (``1.0 / 2.0``, ``pow_grads(...)``
    of constants), computed now with the code's own helpers: the number the code would compute."""
    if derivative.isidentifier() or (derivative[:1] in "-0123456789" and _is_literal(derivative)):
        return derivative  # the usual cases, found fast: a value's name, a number
    if not set(NAME.findall(derivative)) <= CONSTANT_NAMES:
        return derivative
    try:
        number = eval(derivative, {"__builtins__": {}, **trace_rules.HELPERS})  # our template, no user text
    except (ArithmeticError, ValueError, TypeError):
        return derivative  # left to fail at run time, where the engine's error is raised
    return _literal(float(number)) if isinstance(number, (int, float)) else derivative


def _is_literal(expr: str) -> bool:
    try:
        float(expr)
    except ValueError:
        return expr in ("inf", "-inf", "nan")
    return True


def _times(derivative: str, upstream: str, times: str = "*") -> str:
    """``derivative * upstream``, the derivative in parentheses unless it is one term.

    Exact rewrites (the same number for every float, nan and infinities included): ``1.0 * u``
    is ``u``, ``-1.0 * u`` is ``-u``; a derivative that is one of two
    numbers by a condition (relu's ``(1.0 if a > 0.0 else 0.0)``) multiplies inside each branch,
    ``(u if a > 0.0 else 0.0 * u)``, which saves the multiplication by 1.0.
    """
    if times == "*" and derivative[:1] == "(":
        select = SELECT.match(derivative)
        if select is not None and " if " not in select.group(2):
            yes, condition, no = select.groups()
            return f"({_times(yes, upstream)} if {condition} else {_times(no, upstream)})"
    if derivative == "1.0":
        return upstream
    if derivative == "-1.0":
        return f"-{upstream}"
    return f"{derivative if _is_atom(derivative) else f'({derivative})'} {times} {upstream}"


def _is_atom(expr: str) -> bool:
    """A name, a non-negative literal, or one call or parenthesised group (``f(a, b)[0]``, ``(...)``)."""
    if expr.isidentifier() or (expr[:1].isdigit() and expr.replace(".", "").replace("e-", "").isalnum()):
        return True
    head = expr.find("(")
    if head < 0 or not (head == 0 or expr[:head].isidentifier()):
        return False
    depth = 0
    for i, c in enumerate(expr[head:], head):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth == 0:
            rest = expr[i + 1 :]
            return rest == "" or (rest.startswith("[") and rest.endswith("]") and rest[1:-1].isdigit())
    return False


def _overline(name: str) -> str:
    return name + "\u0304"


def _forward_order(roots: list[Value], stops: set[Value]) -> list[Value]:
    """Every node the roots depend on, each after all of its inputs; no recursion."""
    finished: list[Value] = []
    seen: set[Value] = set()
    stack: list[Any] = list(reversed(roots))
    while stack:
        node = stack.pop()
        if node is None:
            finished.append(stack.pop())
        elif node not in seen:
            seen.add(node)
            stack += (node, None)
            if node not in stops:
                stack.extend(child for child in reversed(node.inputs) if child not in seen)
    return finished


def _depends(comparison: tuple[Value, str, object, bool], line_of: dict[Value, int]) -> bool:
    left, _, right, _ = comparison
    return left in line_of or (isinstance(right, Value) and right in line_of)


def _parameter_names(f: Callable[..., Any], count: int) -> list[str]:
    try:
        params = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        params = []
    names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return [names[i] if i < len(names) else f"x{i}" for i in range(count)]


def _function_name(f: Callable[..., Any]) -> str:
    name = getattr(f, "__name__", "f")
    return name if _usable(name) else "f"
