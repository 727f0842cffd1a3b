"""The op table: each operation's forward rule and its local derivatives, side by side.

Every op below reads its inputs' numbers, computes the output ``out``, and records a node
with, for each input, the local derivative d(out)/d(input). That is all the backward pass
needs: the chain rule at one node is

    input.grad += local_grad * out.grad

Numbers given as operands (``x * 2``) become constant leaf Values, as in micrograd, so they
appear in pictures and in ``inputs``.

Each derivative is written once, as a rule ``<op>_grads(out, inputs)`` right below its op.
The forward calls it with numbers and stores the numbers it returns on the node. For
``backward(create_graph=True)`` the same rule is called with the node and its input Values,
and then returns Values with a graph of their own, ready to be differentiated again. The
rules use only arithmetic and the ``*_of`` helpers (``cos_of``, ``log_of``, ...), which take
a number or a Value, so one formula serves both passes and the two cannot drift apart.

Each op is registered by the ``@op(...)`` line above it (``autograd/op_registry.py``): its
entry in ``OPS`` holds every other form of the op, and ``ops.<name>`` is the op with the guard
all ops share. Errors name the op and the offending number; NaN inputs pass through without
raising. A ``.data`` set by hand to something that is not a number is named when the op fails
on it.
"""

from __future__ import annotations

import builtins
import math
import operator
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Union

from autograd.grad_mode import recording
from autograd.op_registry import OPS as OPS  # every op by name: ops.OPS
from autograd.op_registry import op
from autograd.value import Operand, Value, to_float

Number = Union[float, Value]  # a derivative rule works on floats and on Values alike
Inputs = Any  # a rule's inputs: numbers (the forward pass) or Values (create_graph=True)
Grads = tuple[Any, ...]  # a rule's result: one local derivative per input, numbers or Values
new_node = object.__new__  # an empty Value, its slots unset: record() fills them


def record(data: float, op: str, inputs: tuple[Value, ...], local_grads: tuple[float, ...]) -> Value:
    """Make the output node of ``op``; under ``no_grad()`` a bare leaf instead.

    Under ``detect_anomaly()`` the new node is also handed to the anomaly checks. The node is
    made without ``Value.__init__`` (whose checks are for what users pass) and its six slots set
    here: a class call with a Python ``__init__`` is CPython's slowest call (docs/performance.md).
    """
    mode = recording.get()  # False under no_grad(), True, or the anomaly checks (grad_mode.py)
    if mode:
        out = new_node(Value)
        out.data = data if type(data) is float else to_float(data, op)  # an int .data set by hand
        out.grad = 0.0
        out.label = ""
        out.op = op
        out.inputs = inputs
        out.local_grads = local_grads
        if mode is not True:
            mode.check_node(out)
        return out
    return Value(data)


def as_value(x: Operand, op: str) -> Value:
    """A Value operand as it is; a number as a new constant leaf; anything else: TypeError."""
    if isinstance(x, Value):
        return x
    return Value(to_float(x, op))


def as_values(xs: Iterable[Operand], op: str) -> tuple[Value, ...]:
    """``as_value`` of each element, as a tuple."""
    values: tuple[Any, ...] = tuple(xs)
    for x in values:
        if not isinstance(x, Value):  # some numbers (or bad input): convert them all
            return tuple([as_value(v, op) for v in values])
    return values  # all Values already: the common case, checked without a function call each


# --- helpers for the derivative rules: each takes a number or a Value ----------------------------


def data_of(x: Number) -> float:
    """The number in ``x``: its ``.data`` for a Value, ``x`` itself for a float."""
    return x.data if isinstance(x, Value) else x


def log_of(x: Number) -> Number:
    return log(x) if isinstance(x, Value) else math.log(x)


def cos_of(x: Number) -> Number:
    return cos(x) if isinstance(x, Value) else float_cos(x)


def sin_of(x: Number) -> Number:
    return sin(x) if isinstance(x, Value) else float_sin(x)


def tanh_of(x: Number) -> Number:
    return tanh(x) if isinstance(x, Value) else math.tanh(x)


def sigmoid_of(x: Number) -> Number:
    return sigmoid(x) if isinstance(x, Value) else float_sigmoid(x)


def power_of(x: Number, n: Number) -> Number:
    """x**n inside a derivative: where it overflows, +-inf (a constant), for floats and Values alike."""
    if isinstance(x, Value):
        try:
            return pow(x, n)
        except OverflowError:
            return _pow_or_inf(x.data, data_of(n))
    return _pow_or_inf(x, data_of(n))


# --- the float forms some ops compute with (also the functions autograd.trace's code calls) ------


def float_sigmoid(x: float) -> float:
    """sigmoid of a float: 1/(1 + e**-x) for x >= 0, e**x/(1 + e**x) below, so e** never overflows."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def float_softplus(x: float) -> float:
    """softplus of a float: max(x, 0) + log1p(e**-|x|), no overflow at 1000, no loss near 0."""
    return (x if x > 0.0 else 0.0) + math.log1p(math.exp(-math.fabs(x)))


def float_sin(x: float) -> float:
    """sin of a float; NaN at +-inf, as in PyTorch (math.sin raises there)."""
    return math.nan if math.isinf(x) else math.sin(x)


def float_cos(x: float) -> float:
    """cos of a float; NaN at +-inf, as in PyTorch."""
    return math.nan if math.isinf(x) else math.cos(x)


def float_tan(x: float) -> float:
    """tan of a float; NaN at +-inf, as in PyTorch (math.tan raises there)."""
    return math.nan if math.isinf(x) else math.tan(x)


GELU_C = math.sqrt(2.0 / math.pi)  # gelu's tanh form: tanh(GELU_C * (a + GELU_K * a**3))
GELU_K = 0.044715


def float_gelu(x: float) -> float:
    """gelu of a float, the tanh form: x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x**3)))."""
    return 0.5 * x * (1.0 + math.tanh(GELU_C * (x + GELU_K * x * x * x)))


def float_silu(x: float) -> float:
    """silu of a float: x sigmoid(x)."""
    return x * float_sigmoid(x)


# --- arithmetic -------------------------------------------------------------------------------


@op("a + b", "a + b", "d/da = 1, d/db = 1", trace=("{0} + {1}", ("1.0", "1.0")),
    methods=("__add__",), reflected="__radd__", arity=2)  # fmt: skip
def add(a: Operand, b: Operand) -> Value:
    """a + b."""
    if type(a) is not Value or type(b) is not Value:  # a number operand: a constant leaf
        a, b = as_value(a, "add"), as_value(b, "add")
    return record(a.data + b.data, "add", (a, b), (1.0, 1.0))  # d/da = 1, d/db = 1


@op("a - b", "a − b", "d/da = 1, d/db = −1", trace=("{0} - {1}", ("1.0", "-1.0")),
    methods=("__sub__",), reflected="__rsub__", arity=2)  # fmt: skip
def sub(a: Operand, b: Operand) -> Value:
    """a - b."""
    if type(a) is not Value or type(b) is not Value:  # a number operand: a constant leaf
        a, b = as_value(a, "sub"), as_value(b, "sub")
    return record(a.data - b.data, "sub", (a, b), (1.0, -1.0))  # d/da = 1, d/db = -1


@op("-a", "−a", "d/da = −1", trace=("-{0}", ("-1.0",)), methods=("__neg__",))
def neg(a: Value) -> Value:
    """-a."""
    return record(-a.data, "neg", (a,), (-1.0,))  # d/da = -1


@op("a * b", "a·b", "d/da = b, d/db = a", trace=("{0} * {1}", ("{1}", "{0}")),
    methods=("__mul__",), reflected="__rmul__", arity=2)  # fmt: skip
def mul(a: Operand, b: Operand) -> Value:
    """a * b."""
    if type(a) is not Value or type(b) is not Value:  # a number operand: a constant leaf
        a, b = as_value(a, "mul"), as_value(b, "mul")
    return record(a.data * b.data, "mul", (a, b), mul_grads(None, (a.data, b.data)))


def mul_grads(out: Any, inputs: Inputs) -> Grads:
    """d/da = b,  d/db = a"""
    a, b = inputs
    return (b, a)


@op("a / b", "a / b", "d/da = 1/b, d/db = −a/b² = −out/b", domain="b ≠ 0",
    trace=("{0} / {1}", ("1.0 / {1}", "-{out} / {1}")),
    methods=("__truediv__",), reflected="__rtruediv__", arity=2)  # fmt: skip
def div(a: Operand, b: Operand) -> Value:
    """a / b, b != 0."""
    if type(a) is not Value or type(b) is not Value:  # a number operand: a constant leaf
        a, b = as_value(a, "div"), as_value(b, "div")
    if b.data == 0.0:
        raise ZeroDivisionError(f"div: division by zero ({a.data!r} / {b.data!r})")
    out = a.data / b.data
    return record(out, "div", (a, b), div_grads(out, (a.data, b.data)))


def div_grads(out: Number, inputs: Inputs) -> Grads:
    """d/da = 1/b,  d/db = -a/b**2 = -out/b"""
    _, b = inputs
    return (1.0 / b, -out / b)


@op("a ** b", "aᵇ", "d/da = b·aᵇ⁻¹, d/db = aᵇ·ln a (0 where a ≤ 0)",
    trace=("power({0}, {1})", ("pow_grads({out}, ({0}, {1}))[0]", "pow_grads({out}, ({0}, {1}))[1]")),
    methods=("__pow__",), reflected="__rpow__", arity=2)  # fmt: skip
def pow(a: Operand, b: Operand) -> Value:
    """a ** b."""
    if type(a) is not Value or type(b) is not Value:  # a number operand: a constant leaf
        a, b = as_value(a, "pow"), as_value(b, "pow")
    x, n = a.data, b.data
    out = float_power(x, n)
    return record(out, "pow", (a, b), pow_grads(out, (x, n)))


def pow_grads(out: Number, inputs: Inputs) -> Grads:
    """d/da = b * a**(b-1),  d/db = a**b * log(a) = out * log(a)

    d/da is 0 for b = 0 (a**0 = 1 everywhere) and +inf at a = 0 for 0 < b < 1 (as in
    PyTorch). d/db is taken as 0 where a <= 0: there a**b is real only for whole-number b,
    and has no derivative in b.
    """
    a, b = inputs
    x, n = data_of(a), data_of(b)
    d_base: Number
    if n == 0.0:
        d_base = 0.0
    elif x == 0.0 and n < 1.0:
        d_base = math.inf
    else:
        d_base = b * power_of(a, b - 1.0)
    d_exponent: Number = out * log_of(a) if x > 0.0 else 0.0
    return (d_base, d_exponent)


def float_power(x: float, n: float) -> float:
    """x ** n as a float, or an error naming pow: a complex result, 0 to a negative power, overflow."""
    if x < 0.0 and math.isfinite(n) and not n.is_integer():
        raise ValueError(f"pow: negative base {x!r} to the non-integer power {n!r} is not a real number")
    if x == 0.0 and n < 0.0:
        raise ZeroDivisionError(f"pow: 0.0 to the negative power {n!r}")
    try:
        return float(x**n)
    except OverflowError:
        raise OverflowError(f"pow: {x!r} ** {n!r} is too large for a float") from None


def _pow_or_inf(x: float, n: float) -> float:
    """x**n for a derivative: +-inf where it overflows, as 1/x's derivative -1/x**2 does."""
    try:
        return float(x**n)
    except OverflowError:
        odd = n.is_integer() and n % 2.0 == 1.0
        return -math.inf if x < 0.0 and odd else math.inf


# --- functions of one input --------------------------------------------------------------------


@op("a.exp()", "eᵃ", "d/da = eᵃ = out", trace=("exp({0})", ("{out}",)), floats=math.exp,
    methods=("exp",), expression=True)  # fmt: skip
def exp(a: Value) -> Value:
    """e**a."""
    try:
        out = math.exp(a.data)
    except OverflowError:
        raise OverflowError(f"exp: e ** {a.data!r} is too large for a float") from None
    return record(out, "exp", (a,), exp_grads(out, (a.data,)))


def exp_grads(out: Number, inputs: Inputs) -> Grads:
    """d/da = e**a = out"""
    return (out,)


@op("a.log()", "ln a", "d/da = 1/a", domain="a > 0", trace=("log({0})", ("1.0 / {0}",)),
    floats=math.log, methods=("log",), expression=True)  # fmt: skip
def log(a: Value) -> Value:
    """Natural log, a > 0."""
    x = a.data
    if x <= 0.0:
        raise ValueError(f"log: input must be > 0, got {x!r}")
    out = math.log(x)
    return record(out, "log", (a,), log_grads(out, (x,)))


def log_grads(out: Number, inputs: Inputs) -> Grads:
    """d/da = 1/a"""
    (a,) = inputs
    return (1.0 / a,)


@op("a.sqrt()", "√a", "d/da = 1/(2√a) = 0.5/out (+∞ at 0)", domain="a ≥ 0",
    trace=("sqrt({0})", ("(0.5 / {out} if {out} != 0.0 else inf)",)), floats=math.sqrt,
    methods=("sqrt",), expression=True)  # fmt: skip
def sqrt(a: Value) -> Value:
    """Square root, a >= 0."""
    x = a.data
    if x < 0.0:
        raise ValueError(f"sqrt: input must be >= 0, got {x!r}")
    out = math.sqrt(x)
    return record(out, "sqrt", (a,), sqrt_grads(out, (x,)))


def sqrt_grads(out: Number, inputs: Inputs) -> Grads:
    """d/da = 1 / (2 sqrt(a)) = 0.5/out, and +inf at a = 0 (as in PyTorch)"""
    return (0.5 / out if data_of(out) != 0.0 else math.inf,)


@op("a.tanh()", "tanh a", "d/da = 1 − out²", trace=("tanh({0})", ("1.0 - {out} * {out}",)),
    floats=math.tanh, methods=("tanh",), expression=True)  # fmt: skip
def tanh(a: Value) -> Value:
    """tanh(a) = (e**a - e**-a) / (e**a + e**-a)."""
    out = math.tanh(a.data)
    return record(out, "tanh", (a,), tanh_grads(out, (a.data,)))


def tanh_grads(out: Number, inputs: Inputs) -> Grads:
    """d/da = 1 - tanh(a)**2 = 1 - out**2"""
    return (1.0 - out * out,)


@op("a.sigmoid()", "1/(1 + e⁻ᵃ)", "d/da = out·(1 − out)", trace=("sigmoid({0})", ("{out} * (1.0 - {out})",)),
    floats=float_sigmoid, methods=("sigmoid",), expression=True)  # fmt: skip
def sigmoid(a: Value) -> Value:
    """sigmoid(a) = 1 / (1 + e**-a).

    Computed as 1/(1 + e**-a) for a >= 0 and e**a / (1 + e**a) for a < 0, so e** never
    sees a large positive argument: exact and finite at a = +-1000.
    """
    out = float_sigmoid(a.data)
    return record(out, "sigmoid", (a,), sigmoid_grads(out, (a.data,)))


def sigmoid_grads(out: Number, inputs: Inputs) -> Grads:
    """d/da = sigmoid(a) (1 - sigmoid(a)) = out (1 - out)"""
    return (out * (1.0 - out),)


@op("a.softplus()", "ln(1 + eᵃ)", "d/da = sigmoid(a)", trace=("softplus({0})", ("sigmoid({0})",)),
    floats=float_softplus, methods=("softplus",), expression=True)  # fmt: skip
def softplus(a: Value) -> Value:
    """softplus(a) = log(1 + e**a).

    Computed as max(a, 0) + log1p(e**-|a|): no overflow at a = 1000, no loss near 0.
    """
    x = a.data
    out = float_softplus(x)
    return record(out, "softplus", (a,), softplus_grads(out, (x,)))


def softplus_grads(out: Number, inputs: Inputs) -> Grads:
    """d/da = sigmoid(a)"""
    (a,) = inputs
    return (sigmoid_of(a),)


@op("a.gelu()", "a/2·(1 + tanh t), t = √(2/π)(a + 0.044715a³)",
    "d/da = (1 + tanh t)/2 + a/2·(1 − tanh² t)·√(2/π)(1 + 3·0.044715a²)",
    trace=("gelu({0})", ("gelu_grads({out}, ({0},))[0]",)), floats=float_gelu, methods=("gelu",),
    expression=True)  # fmt: skip
def gelu(a: Value) -> Value:
    """gelu(a) = a/2 (1 + tanh(sqrt(2/pi) (a + 0.044715 a**3))): GELU's tanh form, as
    PyTorch's ``gelu(approximate='tanh')``."""
    x = a.data
    out = float_gelu(x)
    return record(out, "gelu", (a,), gelu_grads(out, (x,)))


def gelu_grads(out: Number, inputs: Inputs) -> Grads:
    """d/da = (1 + tanh t)/2 + a/2 (1 - tanh(t)**2) sqrt(2/pi) (1 + 3 * 0.044715 a**2),
    t = sqrt(2/pi) (a + 0.044715 a**3)"""
    (a,) = inputs
    tanh_t = tanh_of(GELU_C * (a + GELU_K * a * a * a))
    return (0.5 * (1.0 + tanh_t) + 0.5 * a * (1.0 - tanh_t * tanh_t) * GELU_C * (1.0 + 3.0 * GELU_K * a * a),)


@op("a.silu()", "a·sigmoid(a)", "d/da = s + out·(1 − s), s = sigmoid(a)",
    trace=("silu({0})", ("silu_grads({out}, ({0},))[0]",)), floats=float_silu, methods=("silu",),
    expression=True)  # fmt: skip
def silu(a: Value) -> Value:
    """silu(a) = a sigmoid(a) (also called swish)."""
    x = a.data
    out = float_silu(x)
    return record(out, "silu", (a,), silu_grads(out, (x,)))


def silu_grads(out: Number, inputs: Inputs) -> Grads:
    """d/da = sigmoid(a) + a sigmoid(a) (1 - sigmoid(a)) = s + out (1 - s),  s = sigmoid(a)"""
    (a,) = inputs
    s = sigmoid_of(a)
    return (s + out * (1.0 - s),)


@op("a.relu()", "max(0, a)", "d/da = 1 if a > 0 else 0",
    trace=("(0.0 if {0} <= 0.0 else {0})", ("(1.0 if {0} > 0.0 else 0.0)",)), methods=("relu",),
    expression=True)  # fmt: skip
def relu(a: Value) -> Value:
    """max(0, a).    d/da = 1 if a > 0 else 0   (0 at a = 0, as in PyTorch)"""
    x = a.data
    if x > 0.0:
        return record(x, "relu", (a,), (1.0,))
    return record(0.0 if x <= 0.0 else x, "relu", (a,), (0.0,))  # NaN stays NaN


DEFAULT_SLOPE = 0.01  # leaky_relu's negative_slope when none is given, as in PyTorch


# its trace template has the slope written in: trace_rules.leaky_relu_template
@op("a.leaky_relu(s=0.01)", "a if a > 0 else s·a", "d/da = 1 if a > 0 else s", methods=("leaky_relu",),
    expression=True)  # fmt: skip
def leaky_relu(a: Value, negative_slope: float = DEFAULT_SLOPE) -> Value:
    """a if a > 0 else negative_slope * a.    d/da = 1 if a > 0 else negative_slope"""
    slope = to_float(negative_slope, "leaky_relu")
    x = a.data
    if x > 0.0:
        out = record(x, "leaky_relu", (a,), (1.0,))
        if slope != DEFAULT_SLOPE and out.inputs:  # the local derivative 1.0 does not show it
            LEAKY_SLOPES[out] = slope
        return out
    return record(slope * x, "leaky_relu", (a,), (slope,))


# The slope of each live leaky_relu node whose input was > 0 and whose slope is not the default:
# its local derivative (1.0) does not show the slope, and the live page and autograd.trace need it
# to redo the op at other inputs. Weak keys: an entry goes away with its node.
LEAKY_SLOPES: weakref.WeakKeyDictionary[Value, float] = weakref.WeakKeyDictionary()


def leaky_relu_slope(node: Value) -> float:
    """The negative_slope a leaky_relu node was made with."""
    if not node.inputs[0].data > 0.0:
        return node.local_grads[0]
    return LEAKY_SLOPES.get(node, DEFAULT_SLOPE)


@op("abs(a)", "\\|a\\|", "d/da = sign(a) (0 at 0)",
    trace=("fabs({0})", ("(1.0 if {0} > 0.0 else -1.0 if {0} < 0.0 else 0.0)",)), floats=math.fabs,
    methods=("__abs__", "abs"), expression=True)  # fmt: skip
def abs(a: Value) -> Value:
    """|a|.    d/da = sign(a)   (0 at a = 0, as in PyTorch)"""
    x = a.data
    sign = 1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0
    return record(math.fabs(x), "abs", (a,), (sign,))


@op("a.sin()", "sin a", "d/da = cos a", trace=("sin({0})", ("cos({0})",)), floats=float_sin,
    methods=("sin",), expression=True)  # fmt: skip
def sin(a: Value) -> Value:
    """sin(a); NaN at a = +-inf, as in PyTorch."""
    return record(float_sin(a.data), "sin", (a,), sin_grads(None, (a.data,)))


def sin_grads(out: Any, inputs: Inputs) -> Grads:
    """d/da = cos(a)"""
    (a,) = inputs
    return (cos_of(a),)


@op("a.cos()", "cos a", "d/da = −sin a", trace=("cos({0})", ("-sin({0})",)), floats=float_cos,
    methods=("cos",), expression=True)  # fmt: skip
def cos(a: Value) -> Value:
    """cos(a); NaN at a = +-inf, as in PyTorch."""
    return record(float_cos(a.data), "cos", (a,), cos_grads(None, (a.data,)))


def cos_grads(out: Any, inputs: Inputs) -> Grads:
    """d/da = -sin(a)"""
    (a,) = inputs
    return (-sin_of(a),)


@op("a.tan()", "tan a", "d/da = 1 + tan² a = 1 + out²", domain="cos a ≠ 0",
    trace=("tan({0})", ("1.0 + {out} * {out}",)), floats=float_tan, methods=("tan",),
    expression=True)  # fmt: skip
def tan(a: Value) -> Value:
    """tan(a); NaN at a = +-inf, as in PyTorch."""
    out = float_tan(a.data)
    return record(out, "tan", (a,), tan_grads(out, (a.data,)))


def tan_grads(out: Number, inputs: Inputs) -> Grads:
    """d/da = 1 / cos(a)**2 = 1 + tan(a)**2 = 1 + out**2"""
    return (1.0 + out * out,)


@op("a.atan()", "arctan a", "d/da = 1/(1 + a²)", trace=("atan({0})", ("1.0 / (1.0 + {0} * {0})",)),
    floats=math.atan, methods=("atan",), expression=True)  # fmt: skip
def atan(a: Value) -> Value:
    """arctan(a), in (-pi/2, pi/2)."""
    x = a.data
    out = math.atan(x)
    return record(out, "atan", (a,), atan_grads(out, (x,)))


def atan_grads(out: Number, inputs: Inputs) -> Grads:
    """d/da = 1 / (1 + a**2)"""
    (a,) = inputs
    return (1.0 / (1.0 + a * a),)


@op("(used by `grad(f)`)", "a", "d/da = 1", trace=("{0}", ("1.0",)))
def identity(a: Value) -> Value:
    """a, as a new node.    d/da = 1"""
    return record(a.data, "identity", (a,), (1.0,))


# --- fused n-ary ops: one node for many inputs --------------------------------------------------


# their trace lines are built by trace_rules.forward_of and grads_of
@op("autograd.sum(vs)", "v₀ + v₁ + …", "d/dvᵢ = 1", arity=0)
def sum(values: Iterable[Operand], start: Operand = 0.0) -> Value:
    """start + v[0] + v[1] + ... as one node.    d/dv[i] = 1

    A ``start`` other than the number 0 becomes the node's first input, as in Python's sum.
    """
    inputs = as_values(values, "sum")
    if isinstance(start, Value) or to_float(start, "sum") != 0.0:
        inputs = (as_value(start, "sum"),) + inputs
    return record(math.fsum([v.data for v in inputs]), "sum", inputs, (1.0,) * len(inputs))


@op("autograd.dot(ws, xs, bias=None)", "w₀x₀ + w₁x₁ + … (+ bias)", "d/dwᵢ = xᵢ, d/dxᵢ = wᵢ, d/dbias = 1",
    arity=0)  # fmt: skip
def dot(ws: Sequence[Operand], xs: Sequence[Operand], bias: Operand | None = None) -> Value:
    """w[0]*x[0] + ... + w[n-1]*x[n-1] (+ bias) as one node: a neuron's pre-activation.

    The node's inputs are ws, then xs, then the bias if one is given.
    """
    n = len(ws)
    if n != len(xs):
        raise ValueError(f"dot: ws and xs must have the same length, got {n} and {len(xs)}")
    if bias is None:
        inputs = as_values([*ws, *xs], "dot")
    else:
        inputs = as_values([*ws, *xs, bias], "dot")
    data = tuple([v.data for v in inputs])
    local_grads = dot_grads(None, data)  # xs, then ws, then 1 for the bias
    # Python's sum, in C, of w[i] * x[i] (map stops after the n ws); from Python 3.12 on sum
    # compensates rounding, and autograd.trace's code calls the same sum, so a compiled dot
    # gives the very same number on every version
    out = builtins.sum(map(operator.mul, data[:n], local_grads), data[2 * n] if bias is not None else 0.0)
    return record(out, "dot", inputs, local_grads)


def dot_grads(out: Any, inputs: Any) -> Any:
    """d/dw[i] = x[i],  d/dx[i] = w[i],  d/dbias = 1

    ``inputs`` is ws, xs and maybe a bias: a tuple of numbers, or of Values. Joined slices are
    the fastest way to build the result.
    """
    n = len(inputs) // 2  # 2n inputs, or 2n + 1 with a bias
    if len(inputs) > 2 * n:
        return inputs[n : 2 * n] + inputs[:n] + (1.0,)
    return inputs[n : 2 * n] + inputs[:n]


# --- the rules, for backward(create_graph=True) ---------------------------------------------------

# Each op's rule is the function named <op>_grads right below it. Ops without one (add, sub, neg,
# relu, leaky_relu, abs, identity, sum) have local derivatives that are constants where they are
# defined: the numbers stored on the node are already exact, and a constant's derivative is 0.
for _entry in OPS.values():
    _entry.rule = globals().get(f"{_entry.name}_grads")
LOCAL_GRAD_RULES: dict[str, Callable[..., Grads]] = {
    o.name: o.rule for o in OPS.values() if o.rule is not None
}


# Value's arithmetic and functions are the ops themselves, as their entries list them: a * b calls
# mul(a, b), and 2 * a calls mul(2, a) (the reflected method), each with the guard all ops share.
for _entry in OPS.values():
    for _method in _entry.methods:
        setattr(Value, _method, _entry.guarded)
    if _entry.swapped is not None:
        setattr(Value, _entry.reflected, _entry.swapped)


# The rule of each live node made by a custom op (autograd/custom_op.py), kept per node, not per
# name: an entry goes away with its node, and two custom ops may share a name.
CUSTOM_RULES: weakref.WeakKeyDictionary[Value, Callable[..., Grads]] = weakref.WeakKeyDictionary()


def local_grads_as_values(node: Value) -> Grads:
    """``node``'s local derivatives as Values with graphs of their own (for create_graph=True)."""
    rule = LOCAL_GRAD_RULES.get(node.op) or CUSTOM_RULES.get(node)
    return rule(node, node.inputs) if rule is not None else node.local_grads
