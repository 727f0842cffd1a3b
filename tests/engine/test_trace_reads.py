"""A traced function that reads a number out of a Value is refused at trace time (issue 24).

The compiled code of a trace keeps every number of the traced run that is not an op's output:
a branch on ``x.data`` would be decided once, at the example input, and taken at every call
(traced at x = 1, ``x*2 if x.data > 0 else x*3`` gave (-2, 2) at x = -1). Comparisons of Values
are recorded as guards instead; reads are refused with the line that made them.
"""

import inspect
import math
import re
import threading

import pytest

import nn
from autograd import PathChanged, Value, trace, trace_values
from autograd.trace import NumberRead


def branch_on_data(x):
    return x * 2 if x.data > 0 else x * 3


def test_a_branch_on_data_is_refused_naming_the_line_and_the_comparison_to_use():
    line = inspect.getsourcelines(branch_on_data)[1] + 1
    with pytest.raises(NumberRead) as caught:
        trace(branch_on_data, 1.0)
    message = str(caught.value)
    assert f"{__file__}, line {line}" in message and "x.data > 0" in message
    assert "(.data)" in message and "if x > 0:" in message and "PathChanged" in message
    assert isinstance(caught.value, TypeError)  # a Value used where a number is taken


def test_the_same_branch_written_as_a_comparison_is_guarded():
    compiled = trace(lambda x: x * 2 if x > 0 else x * 3, 1.0).compile()
    assert compiled(2.0) == (4.0, (2.0,))
    with pytest.raises(PathChanged):
        compiled(-1.0)


@pytest.mark.parametrize(
    ("f", "how"),
    [(lambda x: x * float(x), "float()"), (lambda x: x * x.item(), ".item()"),
     (lambda x: x + math.exp(x), "float()"), (lambda x: (x * x).data + x, ".data")],
)  # fmt: skip
def test_every_way_of_reading_a_number_is_refused(f, how):
    with pytest.raises(NumberRead, match=rf"\({re.escape(how)}\)"):
        trace(f, 0.5)


def test_a_parameter_read_in_trace_values_is_refused():
    w = Value(0.5, "w")
    with pytest.raises(NumberRead, match="reads a number out of a Value"):
        trace_values(lambda: w * w if w.data > 0 else w, [w])


def test_constants_and_printing_are_allowed():
    shown = []

    def f(x):
        c = Value(2.0) * 3.0  # depends on no input: the same number at every call
        shown.append(f"{x}")  # the repr reads .data inside the engine
        return x * c.data + float(c)

    compiled = trace(f, 1.0).compile()
    assert compiled(2.0) == (2.0 * 6.0 + 6.0, (6.0,))
    assert shown == ["Value(data=1.0, grad=0.0, label='x')"]


def test_reads_outside_a_trace_and_in_other_threads_are_untouched():
    seen = []

    def f(x):
        reader = threading.Thread(target=lambda: seen.append(x.data))  # another context: no trace there
        reader.start()
        reader.join()
        return x * x

    assert trace(f, 3.0).compile()(2.0) == (4.0, (4.0,))
    assert seen == [3.0]
    with pytest.raises(NumberRead):
        trace(branch_on_data, 1.0)
    # after a trace, refused or not, the slot is Value's own again: nothing to pay outside traces
    assert type(Value.__dict__["data"]).__name__ == "member_descriptor"
    v = Value(1.0)
    v.data = -4.0
    assert v.data == float(v) == v.item() == -4.0


def test_chainrules_own_reads_stay_allowed():
    """cross_entropy reads the largest logit (.data) as its shift, which cancels: a constant by design."""
    w = [Value(0.3, "w0"), Value(-0.2, "w1")]
    out = nn.cross_entropy([w[0] * 2.0, w[1] * 1.0, w[0] + w[1]], 1)
    out.backward()
    value, grads = trace_values(
        lambda: nn.cross_entropy([w[0] * 2.0, w[1] * 1.0, w[0] + w[1]], 1), w
    ).compile()(0.3, -0.2)
    assert value == pytest.approx(out.data, rel=1e-12)
    assert list(grads) == pytest.approx([w[0].grad, w[1].grad], rel=1e-12)
