"""More holes the mutation session found in autograd/trace.py (docs/testing.md, issue 23).

Each case is derived by hand (or is the engine's own node computation) and fails on the
surviving mutants named in its docstring.
"""

from __future__ import annotations

import functools
import math
import sys
import traceback

import numpy as np
import pytest

from autograd import PathChanged, Value, trace, trace_values
from autograd.trace import REUSE_NAMES_ABOVE, _is_atom, _literal, _path_names, _times, _tuple


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (math.nan, "nan"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
        (0.1, "0.1"),
        (-2.5, "-2.5"),
        (np.float64(0.5), "0.5"),  # numpy 2's repr would be np.float64(0.5): not Python source
        (3, "3.0"),
    ],
)
def test_a_literal_is_python_source_for_the_same_float(x, text):
    """_literal writes the number back as source that evaluates to the same float (mutants of
    _literal: the helper names, the sign test of an infinity, float() dropped)."""
    assert _literal(x) == text


@pytest.mark.parametrize(
    ("items", "text"), [([], "()"), (["a"], "(a,)"), (["a", "b"], "(a, b)"), (["a", "b", "c"], "(a, b, c)")]
)
def test_a_tuple_of_one_has_its_comma(items, text):
    """(a) is not a tuple in Python, (a,) is (mutants of _tuple's one-item comma)."""
    assert _tuple(items) == text


def test_one_input_compiles_to_a_gradient_tuple_of_one():
    """f(x) = x**2 at 3: value 9, gradient (6,) by hand; a one-element tuple, not a float."""
    value, gradient = trace(lambda x: x * x, 3.0).compile()(3.0)
    assert value == 9.0 and gradient == (6.0,)


@pytest.mark.parametrize(
    ("path", "short"),
    [
        (["layers.0.neurons.3.w.2", "layers.0.neurons.3.b"], ["l0_n3_w2", "l0_n3_b"]),
        (["w", "b"], ["w", "b"]),
        (["a.b", "c"], ["a_b", "c"]),
        (["w.0", "w.1"], ["w0", "w1"]),
        (["w-x.0", "w.1"], ["w0", "w1"]),
        (["a..b"], ["a_b"]),
    ],
)
def test_parameter_paths_get_short_names(path, short):
    """By the rule of _path_names' docstring: an attribute followed by an index is its initial
    and the index; an index after an index stays; other parts stay whole (mutants of the
    index tests)."""
    assert _path_names(path) == short


def test_clashing_short_names_fall_back_to_whole_paths():
    """w.0 and wx.0 both shorten to w0: the whole paths are used for all (mutant: the clash
    test)."""
    assert _path_names(["w.0", "wx.0"]) == ["w_0", "wx_0"]


@pytest.mark.parametrize(
    ("derivative", "text"),
    [
        ("1.0", "u"),
        ("-1.0", "-u"),
        ("x", "x * u"),
        ("a + b", "(a + b) * u"),
        ("(1.0 if x > 0.0 else 0.0)", "(u if x > 0.0 else 0.0 * u)"),
        ("(1.0 if (x if y else z) > 0.0 else 0.0)", "(1.0 if (x if y else z) > 0.0 else 0.0) * u"),
    ],
)
def test_times_writes_the_product_exactly(derivative, text):
    """derivative * u, with the exact rewrites of _times' docstring (mutants of _times)."""
    assert _times(derivative, "u") == text


def test_the_table_writes_a_selected_derivative_unrewritten():
    """The table multiplies with a dot and keeps relu's derivative whole: d(relu(x) * x)/dx at 2
    = 2 + 2 by hand (mutant: the select rewrite applied for any times sign)."""
    table = trace(lambda x: x.relu() * x, 2.0).table()
    assert "x\u0304 += (1.0 if x > 0.0 else 0.0) \u00b7 v2\u0304    = 1.0 \u00b7 2.0 = 2.0" in table
    assert table.endswith("gradient: x\u0304 = 4.0")


@pytest.mark.parametrize(
    ("expr", "atom"),
    [
        ("f(g(a))", True),
        ("exp(log(x))", True),
        ("2.5", True),
        ("1e-05", True),
        ("1.5e-07", True),
        ("2.", True),
    ],
)
def test_nested_calls_and_literals_are_atoms(expr, atom):
    """One call with a call inside, and non-negative literals with a point or an exponent, need
    no brackets (mutants: find as rfind, the replace calls)."""
    assert _is_atom(expr) is atom


def square(x: Value) -> Value:
    return x * x


class Callable_:
    def __call__(self, x: Value) -> Value:
        return x * x


@pytest.mark.parametrize(
    ("f", "name"),
    [(square, "square"), (lambda x: x * x, "f"), (Callable_(), "f"), (functools.partial(square), "f")],
)
def test_the_generated_function_is_named_after_f_or_f(f, name):
    """A function's own name; a lambda's <lambda>, or no __name__ at all, gives f (mutants of
    _function_name)."""
    t = trace(f, 3.0)
    assert t.source().startswith(f"def {name}_value_and_grad(x):\n")
    assert t.compile()(3.0) == (9.0, (6.0,))


def test_inputs_past_the_named_parameters_are_x_and_their_index():
    """def f(a, *rest) traced at three inputs: a, x1, x2 (mutants of _parameter_names)."""

    def f(a, *rest):
        return a * rest[0] + rest[1]

    t = trace(f, 2.0, 3.0, 4.0)
    assert t.input_names == ["a", "x1", "x2"] or tuple(t.input_names) == ("a", "x1", "x2")
    # by hand: value 2*3+4 = 10, gradient (3, 2, 1)
    assert t.compile()(2.0, 3.0, 4.0) == (10.0, (3.0, 2.0, 1.0))


def test_trace_with_no_inputs_names_trace_values_and_the_function():
    """The refusal of trace(f) says what to call instead, with f's name (mutants of trace's
    message)."""
    with pytest.raises(TypeError) as caught:
        trace(square)
    message = str(caught.value)
    assert message.startswith("trace: no example inputs, so nothing to differentiate with respect to")
    assert "trace_values(square, model) or trace_values(square, [w, b])" in message


def test_trace_names_a_bad_example_input_by_its_place():
    """The second input is not a number: the error names input 1 (mutant: the index)."""
    with pytest.raises(TypeError, match="trace: example input 1"):
        trace(lambda a, b: a * b, 1.0, "two")


def test_a_value_example_input_is_traced_at_its_number():
    """trace(f, Value(3)) is trace(f, 3.0): f = x**2, value 9, slope 6 (mutant of the Value
    branch)."""
    t = trace(square, Value(3.0))
    assert t.compile()(3.0) == (9.0, (6.0,)) and t.gradient() == (6.0,)


def test_a_compiled_trace_raises_the_engines_own_error_for_a_domain_error():
    """log at -1: the compiled code's error is the engine's (the same text a node raises), since
    trace() reruns f on Values (mutants: rerun not passed, the error not returned)."""
    with pytest.raises(ValueError) as engine:
        Value(-1.0).log()
    with pytest.raises(ValueError) as compiled:
        trace(lambda x: x.log(), 1.0).compile()(-1.0)
    assert str(compiled.value) == str(engine.value)


def test_without_a_rerun_the_compiled_error_names_the_trace():
    """trace_values has no function of the inputs to rerun: the error is the generated code's,
    of the same type, prefixed with the compiled trace's name (mutants of _engine_error)."""
    w = Value(1.0, "w")
    t = trace_values(lambda: w.log(), [w], "model")
    with pytest.raises(ValueError) as caught:
        t.compile()(-1.0)
    assert str(caught.value).startswith("compiled model: ")


def test_a_compiled_trace_counts_its_inputs():
    """Two inputs expected, one given (mutant of the arity message)."""
    with pytest.raises(TypeError, match=r"^compiled f: expected 2 inputs, got 1$"):
        trace(lambda a, b: a * b, 1.0, 2.0).compile()(1.0)


def test_a_compiled_trace_takes_ints_bools_and_numpy_numbers():
    """Inputs are converted to float: f(a, b) = a * b at (2, True) is 2, gradient (1, 2)."""
    g = trace(lambda a, b: a * b, 1.0, 2.0).compile()
    assert g(2, True) == (2.0, (1.0, 2.0))
    value, gradient = g(np.float64(2.0), np.int64(3))
    assert type(value) is float and value == 6.0 and gradient == (3.0, 2.0)


def test_a_path_change_points_at_the_generated_line():
    """The generated code is in linecache, so a traceback shows its raising line (mutants of
    compile's filename and cache entry)."""
    t = trace(lambda x: x * 2.0 if x > 0 else x * 3.0, 1.0)
    with pytest.raises(PathChanged) as caught:
        t.compile()(-1.0)
    frame = traceback.extract_tb(caught.value.__traceback__)[-1]
    assert frame.filename.startswith("<trace of f ") and frame.filename.endswith(">")
    assert frame.line is not None and frame.line.startswith("raise PathChanged(")


def chain(n: int):
    def f(x):
        for _ in range(n):
            x = x * 1.0
        return x

    return f


def test_a_trace_at_the_threshold_is_written_one_line_per_op():
    """REUSE_NAMES_ABOVE lines exactly: not compact, no names reused; one more: compact
    (mutants of the threshold tests in source())."""
    at = trace(chain(REUSE_NAMES_ABOVE), 2.0)
    assert len(at.lines) == REUSE_NAMES_ABOVE
    text = at.source()
    assert "    # forward: one line per op" in text
    assert f"    v{REUSE_NAMES_ABOVE + 1} = v{REUSE_NAMES_ABOVE} * 1.0" in text
    above = trace(chain(REUSE_NAMES_ABOVE + 1), 2.0)
    assert "    # forward, compact: a value used once is written where it is used" in above.source()
    # by hand: x * 1.0 ... is x, slope 1
    assert at.compile()(5.0) == (5.0, (1.0,)) and above.compile()(5.0) == (5.0, (1.0,))


def test_reuse_names_and_compact_can_be_asked_for_and_refused():
    """A short trace with reuse_names=True and compact=True is written compact; a long one with
    both False one line per op, each name its own (mutants of the or/and in source())."""
    short = trace(lambda x: (x * x).exp() * x, 0.5)
    asked = short.source(reuse_names=True, compact=True)
    assert "compact" in asked and "one line per op" not in asked
    refused = trace(chain(REUSE_NAMES_ABOVE + 1), 2.0).source(reuse_names=False, compact=False)
    assert "    # forward: one line per op" in refused
    assert f"    v{REUSE_NAMES_ABOVE + 2} = v{REUSE_NAMES_ABOVE + 1} * 1.0" in refused


def test_the_docstring_of_the_generated_function_names_what_it_returns():
    """f(a, b): the docstring reads "f and df/d(a, b)" (mutant of the docstring line)."""
    text = trace(lambda a, b: a * b, 1.0, 2.0).source()
    assert text.splitlines()[1] == '    """f and df/d(a, b), written by autograd.trace from one run."""'


def test_the_table_has_every_line_of_a_chain_in_reverse():
    """g = sin(exp(log(x))) at 2: each line's adjoint is reached through the later ones (mutant:
    _reaching walked forward). By hand: d/dx = cos(x) * x * (1/x) = cos(2)."""
    table = trace(lambda x: x.log().exp().sin(), 2.0).table()
    for row in (
        "v3\u0304 += cos(v3)",
        "v2\u0304 += v3 \u00b7 v3\u0304",
        "x\u0304 += (1.0 / x) \u00b7 v2\u0304",
    ):
        assert row in table
    assert table.endswith(f"gradient: x\u0304 = {math.cos(2.0):.4g}")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda x: Value(6.0, "", "mul", (x, Value(3.0)), (3.0,)),
            "trace: a 'mul' node has 2 input(s) but 1 local derivative(s); each input needs one "
            "(a node made by hand?)",
        ),
        (
            lambda x: Value(6.0, "", "mul", (x,), (3.0,)),
            "trace: op 'mul' takes 2 input(s), but a node has 1 (a node made by hand?)",
        ),
    ],
)
def test_a_node_made_by_hand_with_the_wrong_inputs_is_refused_in_full(make, message):
    """The whole message, each part of it (mutants of _check_arity's text)."""
    with pytest.raises(ValueError) as caught:
        trace(make, 2.0)
    assert str(caught.value) == message


def test_a_function_with_no_signature_gets_x_names():
    """max has no signature inspect can read: its inputs are x0, x1; by hand max(1, 2) = 2 with
    gradient (0, 1), guarded by the comparison it made (mutant: no parameters made None)."""
    t = trace(max, 1.0, 2.0)
    assert list(t.input_names) == ["x0", "x1"]
    assert t.compile()(1.0, 2.0) == (2.0, (0.0, 1.0))


def test_a_zero_adjoint_of_an_operand_of_the_output_is_shown():
    """f(x) = (x - 1) e^x at 1: v3 = e^x multiplies v2 = 0, so its adjoint is 0, but it reaches
    the output and the table shows its step (mutant: _reaching adding the arguments of the lines
    it has not reached). By hand df/dx = x e^x = e."""
    table = trace(lambda x: (x - 1.0) * x.exp(), 1.0).table()
    assert "  x\u0304 += v3 \u00b7 v3\u0304    = 2.718 \u00b7 0.0 = 0.0" in table
    assert table.endswith(f"gradient: x\u0304 = {math.e:.4g}")


def test_reading_a_constant_built_from_many_diamonds_walks_each_node_once():
    """c = c * 0.5 + c * 0.5, 200 times, is 1.0 by hand; reading c.data inside a trace asks
    whether c depends on the input, a walk that must visit each node once: walking every path
    instead (2**200 of them) never ends (mutants of _ReadWatch.depends' seen set)."""
    c = Value(1.0)
    for _ in range(200):
        c = c * 0.5 + c * 0.5
    t = trace(lambda x: x * c.data, 3.0)
    assert t.compile()(3.0) == (3.0, (1.0,))


def test_a_module_of_a_trusted_package_may_read_a_traced_number():
    """Code whose module is in the autograd package (here one the watch has not met, so it is
    judged by its name) reads x.data as a constant of the trace by design: f(x) = x * 2 with the
    2 read at the traced x, value 4, slope 2 (mutants of _caller_refused's name test)."""
    namespace = {"__name__": "autograd.plugins.user"}
    exec(compile("def read(v):\n    return v.data\n", "<plugin>", "exec"), namespace)
    t = trace(lambda x: x * namespace["read"](x), 2.0)
    assert t.compile()(2.0) == (4.0, (2.0,))


def test_every_loaded_module_of_a_trusted_package_is_found_by_id_when_a_trace_starts():
    """While a trace runs, each module already loaded from autograd or nn, however deep
    (autograd.see.draw, nn.layers, the package autograd itself), is in the set read first, so
    the engine's reads skip the name test (mutant: rpartition, which keeps only 'autograd' and
    'nn.x' modules' parents)."""
    import autograd.learn.quiz
    import autograd.see.draw  # noqa: F401
    import nn.layers  # noqa: F401

    trusted = sys.modules["autograd.trace"]._trusted_globals  # the package's `trace` is the function
    seen: set[int] = set()
    trace(lambda x: seen.update(trusted) or x * 2.0, 1.0)
    for name in ("autograd.learn.quiz", "autograd.see.draw", "nn.layers", "autograd", "nn"):
        assert id(vars(sys.modules[name])) in seen, name
    assert id(vars(math)) not in seen
