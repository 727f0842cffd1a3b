"""exercises/: the grader passes the solutions, fails blanks, names mistakes, and cannot be fooled.

The fast tests run the grader's pieces in this process: the 50-digit derivative it compares with
(against hand-derived derivatives), the approximation check (finite differences named, formulas
passed), how results and errors cross the process boundary, the points drawn per run, the source
sent from a notebook. The slow ones run ``exercises/check.py`` and the learner's process for real:
the solutions pass (exit 0), a blank file fails (exit 1), wrong answers get their diagnosis, and
each way of fooling the old grader (the engine's backward() or grad(), finite differences, a
lookup table of the points asked, ``Report.ok = property(lambda self: True)``) fails with its own
message; a syntax error, an endless loop and megabytes of prints get a clear one.
"""

import importlib.util
import json
import math
import os
import random
import re
import subprocess
import sys
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"


def load(name):
    spec = importlib.util.spec_from_file_location(f"exercises_{name}", EXERCISES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


grader = load("check")
runner = load("run_learner")
solutions = load("solutions")
NAMES = grader.NAMES


def sig(x):
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


# Hand-derived derivatives, one per exercise: (d/d input 1, d/d input 2, ...).
HAND = {
    "sigmoid": lambda x: (sig(x) * (1 - sig(x)),),
    "tanh": lambda x: (1 / math.cosh(x) ** 2,),
    "mse": lambda p, t: (2 * (p - t), -2 * (p - t)),
    "cross_entropy": lambda z, t: (sig(z) - t, -z),
    "neuron": lambda w1, w2, b, x1, x2: tuple(
        v / math.cosh(w1 * x1 + w2 * x2 + b) ** 2 for v in (x1, x2, 1.0, w1, w2)
    ),
}


def points(exercise, count, seed):
    rng = random.Random(seed)
    return [tuple(rng.uniform(lo, hi) for lo, hi in exercise.domain) for _ in range(count)]


# --- fast: the grader's pieces, in this process ---------------------------------------------------


@pytest.mark.parametrize("name", list(grader.EXERCISES))
def test_the_precise_derivative_is_the_hand_derived_one(name):
    exercise = grader.EXERCISES[name]
    for point in points(exercise, 6, seed=1):
        for i, hand in enumerate(HAND[name](*point)):
            precise = grader.precise_derivative(exercise.precise, point, i)
            assert precise == pytest.approx(hand, rel=1e-13, abs=1e-15), (name, point, i)


@pytest.mark.parametrize("name", list(grader.EXERCISES))
def test_the_precise_forward_rule_is_the_float_one(name):
    exercise = grader.EXERCISES[name]
    for point in points(exercise, 6, seed=2):
        precise = float(exercise.precise(*(Decimal(v) for v in point)))
        assert precise == pytest.approx(exercise.forward(*point), rel=1e-14, abs=1e-15)


def finite_difference(forward, h, central=True):
    def local(point, out):
        grads = []
        for i in range(len(point)):
            up = [v + (h if k == i else 0.0) for k, v in enumerate(point)]
            down = [v - (h if k == i and central else 0.0) for k, v in enumerate(point)]
            grads.append((forward(*up) - forward(*down)) / ((2 if central else 1) * h))
        return tuple(grads)

    return local


@pytest.mark.parametrize("name", list(grader.EXERCISES))
@pytest.mark.parametrize("h", [1e-2, 1e-4, 6e-6, 1e-6, 1e-8])
def test_a_finite_difference_is_named_an_approximation(name, h):
    exercise = grader.EXERCISES[name]
    for central in (True, False):
        local = finite_difference(exercise.forward, h, central)
        if name == "mse" and central and h == 1e-2:  # exact for a quadratic, up to rounding
            continue
        if not central and h > 1e-4:  # off by h f''/2: more than check_op's 1e-4, which calls it wrong
            continue
        text = grader.approximation(exercise, local, random.Random(3))
        assert "approximates the derivative" in text and "finite difference" in text, (h, central)


@pytest.mark.parametrize("name", list(grader.EXERCISES))
def test_a_derivative_written_out_is_not_an_approximation(name):
    exercise = grader.EXERCISES[name]
    written = [lambda point, out: HAND[name](*point)]
    if name in ("sigmoid", "tanh"):  # the solutions' forms, with out and its rounding
        written.append(lambda point, out: (getattr(solutions, f"{name}_derivative")(*point, out),))
    for local in written:
        for seed in range(8):
            assert grader.approximation(exercise, local, random.Random(seed)) == ""


def test_a_wrong_derivative_is_left_to_check_op_not_called_an_approximation():
    exercise = grader.EXERCISES["tanh"]
    assert grader.approximation(exercise, lambda p, out: (1 - p[0] ** 2,), random.Random(0)) == ""
    coarse = finite_difference(math.tanh, 1e-2, central=False)  # off by h f''/2, about 1e-2 of it
    assert grader.approximation(exercise, coarse, random.Random(0)) == ""
    halved = lambda p, out: (0.5 / math.cosh(p[0]) ** 2,)
    assert grader.approximation(exercise, halved, random.Random(0)) == ""


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        3,
        2**70,
        0.25,
        math.inf,
        -math.inf,
        Fraction(1, 3),
        Decimal("0.1"),
        1 + 2j,
        "abc",
        (1.0, 2.0),
        [1.0, True],
        (),
    ],
)
def test_a_result_crosses_the_process_boundary_as_the_same_value(value):
    back = grader.decode(json.loads(json.dumps(runner.encode(value))))
    assert type(back) is type(value) and back == value


def test_nan_a_long_tuple_and_an_object_keep_what_the_grade_needs():
    assert math.isnan(grader.decode(json.loads(json.dumps(runner.encode(math.nan)))))
    long = grader.decode(runner.encode(tuple(range(100))))
    assert len(long) == 100 and long[:3] == (0, 1, 2)  # the count stays true, for "wrong number of values"

    class Dual:
        def __repr__(self):
            return "Dual(1, 2)"

    other = grader.decode(runner.encode(Dual()))
    assert type(other).__name__ == "Dual" and repr(other) == "Dual(1, 2)"
    nested = grader.decode(runner.encode(((1.0, 2.0), 3.0)))
    assert type(nested[0]).__name__ == "tuple" and not isinstance(nested[0], tuple) and nested[1] == 3.0


def test_numpy_numbers_cross_as_numpy_numbers():
    numpy = pytest.importorskip("numpy")
    scalar = grader.decode(runner.encode(numpy.float64(0.5)))
    assert type(scalar) is numpy.float64 and scalar == 0.5
    array = grader.decode(runner.encode(numpy.array(0.5)))
    assert isinstance(array, numpy.ndarray) and array.ndim == 0 and float(array) == 0.5


def test_a_learner_error_is_rebuilt_with_its_type_and_message():
    error = grader.rebuilt_error("OverflowError", "math range error")
    assert type(error) is OverflowError and str(error) == "math range error"
    own = grader.rebuilt_error("NotDoneYet", "later")
    assert type(own).__name__ == "NotDoneYet" and isinstance(own, Exception) and str(own) == "later"
    assert type(grader.rebuilt_error("UnicodeDecodeError", "x")).__name__ == "UnicodeDecodeError"


def test_each_seed_draws_its_own_points_inside_the_domain():
    domain = ((-6.0, 6.0), (0.0, 1.0))
    first = grader.draw_domain(domain, random.Random("1:x"))
    assert first == grader.draw_domain(domain, random.Random("1:x"))
    assert first != grader.draw_domain(domain, random.Random("2:x"))
    for (lo, hi), (a, b) in zip(domain, first):
        assert lo < a < b < hi and (b - a) >= 0.9 * (hi - lo)


HELPER_SCALE = 2.0


def helper_sigmoid(x):
    return sig(x)


def uses_helpers(x, out):
    return HELPER_SCALE * helper_sigmoid(x) * math.exp(0.0)


def test_a_notebook_function_is_sent_with_its_helpers_imports_and_constants():
    source = grader.source_of(uses_helpers)
    namespace = {}
    exec(compile(source, "<sent>", "exec"), namespace)
    assert namespace["uses_helpers"](0.3, 0.0) == uses_helpers(0.3, 0.0)
    assert "HELPER_SCALE = 2.0" in source and "import math as math" in source


def test_a_notebook_function_using_something_unsendable_is_refused():
    unsendable = object()

    def inner(x, out):
        return unsendable

    with pytest.raises(ValueError, match="check: inner uses variables of the function around it"):
        grader.source_of(inner)


UNSENDABLE = object()


def uses_unsendable(x, out):
    return UNSENDABLE


def test_a_notebook_function_using_an_object_is_refused_naming_it():
    with pytest.raises(
        ValueError, match=r"check: uses_unsendable uses UNSENDABLE \(a object\), which cannot be sent"
    ):
        grader.source_of(uses_unsendable)


def test_an_unknown_exercise_name_is_refused():
    def softmax_derivative(x, out):
        return 0.0

    with pytest.raises(ValueError, match="check: no exercise is called 'softmax_derivative'"):
        grader.check(softmax_derivative)


def test_every_kind_the_grader_uses_is_listed_and_a_verdict_gives_the_kinds():
    source = (EXERCISES / "check.py").read_text()
    used = set(re.findall(r'(?:Problem|Stopped)\(\s*"([a-z_]+)"', source))
    used |= set(re.findall(r'Problem\("engine" if ours else "([a-z_]+)"', source))
    assert used == set(grader.PROBLEM_KINDS)  # each one used, none unlisted
    stopped = grader.Verdict("tanh_derivative", None, (grader.Problem("timeout", "did not return"),))
    assert stopped.kinds == ("timeout",) and stopped.mistakes == ("did not return",) and not stopped.ok
    lines = grader.summary([stopped]).splitlines()
    assert lines[0] == "summary:" and "tanh_derivative" in lines[2] and lines[2].endswith("wrong (timeout)")
    assert lines[1].endswith("not graded")


def test_engine_calls_are_named_as_a_learner_writes_them():
    assert grader._readable("autograd.value:Value.backward") == "Value.backward()"
    assert grader._readable("autograd.value:Value.__init__") == "Value(...)"
    assert grader._readable("autograd.functional:grad") == "autograd.grad()"
    assert grader._readable("torch.autograd:grad") == "torch.autograd.grad()"
    assert grader._readable("autograd.functional:grad.<locals>.grad_f") == "autograd.grad()"
    assert grader._readable("autograd.op_registry:guard.<locals>.guarded") == "ops on Values"
    assert grader._readable("autograd.ops:mul") == "ops on Values"
    assert grader._readable("nn.mlp:MLP.__init__") == "MLP(...)"
    assert grader._readable("autograd.value:Value.__mul__") == "ops on Values"


def test_the_grader_ships_no_answer():
    for name in ("check", "run_learner"):
        text = (EXERCISES / f"{name}.py").read_text()
        for formula in ("1 - out", "out * (1 - out)", "* out.grad", "sigmoid(logit) - target"):
            assert formula not in text, (name, formula)


# --- slow: the learner's process, for real --------------------------------------------------------

WRONG = """
import math


def sigmoid_derivative(x, out):
    return out * (out - 1)


def tanh_derivative(x, out):
    return 1 - x**2


def mse_derivative(prediction, target, out):  # the 2 of the power rule forgotten
    return prediction - target, target - prediction


def cross_entropy_derivative(logit, target, out):
    p = 1 / (1 + math.exp(-logit)) if logit >= 0 else math.exp(logit) / (1 + math.exp(logit))
    return target - p, -logit


def neuron_derivative(w1, w2, b, x1, x2, out):  # weights and inputs mixed up
    dn = 1 - out**2
    return dn * w1, dn * w2, dn, dn * x1, dn * x2


def tanh_backward(x, out):
    x.grad = (1 - out.data**2) * out.grad
"""

WRONG_DIAGNOSES = {
    "sigmoid_derivative": ["the sign is flipped"],
    "tanh_derivative": ["the input x is used where the output out is needed"],
    "mse_derivative": [
        "d/dprediction: off by a constant factor of 1/2",
        "d/dtarget: off by a constant factor of 1/2",
    ],
    "cross_entropy_derivative": ["d/dlogit: the sign is flipped"],
    "neuron_derivative": [
        "d/dw1: yours is the true d/dx1",
        "d/dw2: yours is the true d/dx2",
        "d/dx1: yours is the true d/dw1",
        "d/dx2: yours is the true d/dw2",
    ],
    "tanh_backward": ["`=` where `+=` is needed"],
}

ENGINE_BACKWARD = """
from autograd import Value


def _grads(f, *xs):
    vs = [Value(x) for x in xs]
    f(*vs).backward()
    return tuple(v.grad for v in vs)


def sigmoid_derivative(x, out):
    return _grads(lambda v: v.sigmoid(), x)[0]


def tanh_derivative(x, out):
    return _grads(lambda v: v.tanh(), x)[0]


def mse_derivative(prediction, target, out):
    return _grads(lambda p, t: (p - t) ** 2, prediction, target)


def cross_entropy_derivative(logit, target, out):
    return _grads(lambda z, t: z.softplus() - t * z, logit, target)


def neuron_derivative(w1, w2, b, x1, x2, out):
    return _grads(lambda w1, w2, b, x1, x2: (w1 * x1 + w2 * x2 + b).tanh(), w1, w2, b, x1, x2)


def tanh_backward(x, out):
    x.tanh().backward(out.grad)
"""

ENGINE_GRAD = """
import autograd


def sigmoid_derivative(x, out):
    return autograd.grad(lambda v: v.sigmoid())(x)


def tanh_derivative(x, out):
    return autograd.grad(lambda v: v.tanh())(x)


def mse_derivative(prediction, target, out):
    return autograd.grad(lambda p, t: (p - t) ** 2, argnums=(0, 1))(prediction, target)


def cross_entropy_derivative(logit, target, out):
    return autograd.grad(lambda z, t: z.softplus() - t * z, argnums=(0, 1))(logit, target)


def neuron_derivative(w1, w2, b, x1, x2, out):
    f = lambda w1, w2, b, x1, x2: (w1 * x1 + w2 * x2 + b).tanh()
    return autograd.grad(f, argnums=(0, 1, 2, 3, 4))(w1, w2, b, x1, x2)


def tanh_backward(x, out):
    x.grad += autograd.grad(lambda v: v.tanh())(x.data) * out.grad
"""

FINITE_DIFFERENCES = """
import math

H = 1e-6


def _fd(f, xs):
    grads = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += H
        down[i] -= H
        grads.append((f(*up) - f(*down)) / (2 * H))
    return tuple(grads)


def _sigmoid(x):
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def sigmoid_derivative(x, out):
    return _fd(_sigmoid, [x])[0]


def tanh_derivative(x, out):
    return _fd(math.tanh, [x])[0]


def mse_derivative(prediction, target, out):
    return _fd(lambda p, t: (p - t) ** 2, [prediction, target])


def cross_entropy_derivative(logit, target, out):
    return _fd(lambda z, t: max(z, 0) + math.log1p(math.exp(-abs(z))) - t * z, [logit, target])


def neuron_derivative(w1, w2, b, x1, x2, out):
    return _fd(lambda w1, w2, b, x1, x2: math.tanh(w1 * x1 + w2 * x2 + b), [w1, w2, b, x1, x2])


def tanh_backward(x, out):
    x.grad += _fd(math.tanh, [x.data])[0] * out.grad
"""

PROPERTY_HACK = "from autograd.learn.report import Report\nReport.ok = property(lambda self: True)\n\n"

# Answers correctly and writes down every question and answer: the table a cheat is made from.
TABLE_MAKER = """
import atexit, json, os
import solutions

TABLE = {}


def _record(key, value):
    TABLE[key] = value


@atexit.register
def _save():
    with open(os.environ["TABLE_FILE"], "w") as f:
        json.dump(TABLE, f)


def _answering(name):
    def answer(*args):
        value = getattr(solutions, name)(*args)
        _record(repr((name, args)), value)
        return value
    return answer


for _name in ("sigmoid_derivative", "tanh_derivative", "mse_derivative", "cross_entropy_derivative",
              "neuron_derivative"):
    globals()[_name] = _answering(_name)


def tanh_backward(x, out):
    key = repr(("tanh_backward", x.data, x.grad, out.data, out.grad))
    solutions.tanh_backward(x, out)
    _record(key, x.grad)
"""

# Answers only from the table, 0 anywhere else: what the old fixed points let through.
LOOKUP_TABLE = """
import json, os

with open(os.environ["TABLE_FILE"]) as f:
    TABLE = json.load(f)


def _looking_up(name, count):
    def answer(*args):
        value = TABLE.get(repr((name, args)))
        return (0.0,) * count if value is None and count > 1 else value if value is not None else 0.0
    return answer


sigmoid_derivative = _looking_up("sigmoid_derivative", 1)
tanh_derivative = _looking_up("tanh_derivative", 1)
mse_derivative = _looking_up("mse_derivative", 2)
cross_entropy_derivative = _looking_up("cross_entropy_derivative", 2)
neuron_derivative = _looking_up("neuron_derivative", 5)


def tanh_backward(x, out):
    x.grad = TABLE.get(repr(("tanh_backward", x.data, x.grad, out.data, out.grad)), 0.0)
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def run_script(*args, env=None):
    return subprocess.run(
        [sys.executable, str(EXERCISES / "check.py"), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def graded(path, seed=11, timeout=10.0):
    verdicts, error = grader.grade_file(path, seed, timeout)
    assert error is None
    assert [v.name for v in verdicts] == NAMES
    return {v.name: v for v in verdicts}


@pytest.mark.slow
def test_the_solutions_pass_and_the_script_exits_0():
    run = run_script("--solutions", "--seed", 11)
    assert run.returncode == 0, run.stdout
    assert run.stdout.rstrip().endswith("6 of 6 exercises pass")
    assert "seed 11" in run.stdout.splitlines()[0]


@pytest.mark.slow
def test_the_blank_file_fails_with_exit_1():
    run = run_script()
    assert run.returncode == 1
    assert run.stdout.rstrip().endswith("0 of 6 exercises pass")
    assert run.stdout.count("blank") >= 6, run.stdout
    assert run.stdout.count("wrong (blank)\n") == 6, run.stdout


@pytest.mark.slow
def test_wrong_answers_fail_with_their_diagnosis(tmp_path):
    verdicts = graded(write(tmp_path, "wrong.py", WRONG))
    for name, words in WRONG_DIAGNOSES.items():
        verdict = verdicts[name]
        assert not verdict.ok
        assert len(verdict.mistakes) == len(words), str(verdict)
        for mistake, start in zip(verdict.mistakes, words):
            assert mistake.startswith(start), str(verdict)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("source", "words"),
    [
        (ENGINE_BACKWARD, "calls the engine (Value.backward()"),
        (ENGINE_GRAD, "calls the engine (autograd.grad()"),
        (FINITE_DIFFERENCES, "approximates the derivative: yours is off by about"),
    ],
    ids=["engine-backward", "autograd-grad", "finite-differences"],
)
def test_a_borrowed_answer_fails_and_is_named(tmp_path, source, words):
    run = run_script(write(tmp_path, "borrowed.py", source), "--seed", 11)
    assert run.returncode == 1
    assert run.stdout.rstrip().endswith("0 of 6 exercises pass")
    kind = "approximation" if source is FINITE_DIFFERENCES else "engine"
    assert run.stdout.count(f"wrong ({kind})\n") == 6, run.stdout
    verdicts = graded(tmp_path / "borrowed.py")
    for verdict in verdicts.values():
        assert not verdict.ok and verdict.report is not None and verdict.report.ok  # right numbers
        assert any(m.startswith(words) for m in verdict.mistakes), str(verdict)
        assert str(verdict).splitlines()[0].endswith(": wrong")


@pytest.mark.slow
def test_a_gradient_function_made_before_the_call_is_named_too(tmp_path):
    source = "import autograd\n\ndtanh = autograd.grad(lambda v: v.tanh())\n\n\ndef tanh_derivative(x, out):\n    return dtanh(x)\n"
    verdict = grader.grade(load_file(write(tmp_path, "made_before.py", source)).tanh_derivative, seed=11)
    assert not verdict.ok and verdict.report.ok
    assert verdict.problems[0].message.startswith("calls the engine (autograd.grad(), ops on Values)"), str(
        verdict
    )


TORCH = """
import torch


def tanh_derivative(x, out):  # arithmetic in torch: a formula written out
    return float(1 - torch.tanh(torch.tensor(x, dtype=torch.float64)) ** 2)


def sigmoid_derivative(x, out):  # torch differentiates
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(torch.sigmoid(t), t)
    return float(g)
"""


@pytest.mark.slow
@pytest.mark.torch
def test_torch_differentiating_is_named_and_torch_arithmetic_is_not(tmp_path):
    pytest.importorskip("torch")
    module = load_file(write(tmp_path, "with_torch.py", TORCH))
    assert grader.grade(module.tanh_derivative, seed=11, timeout=60).ok
    verdict = grader.grade(module.sigmoid_derivative, seed=11, timeout=60)
    assert not verdict.ok
    assert verdict.problems[0].message.startswith(
        "calls a library that differentiates (torch.autograd.grad()"
    ), str(verdict)


@pytest.mark.slow
def test_reading_a_value_is_not_using_the_engine(tmp_path):
    source = """
import math


def tanh_backward(x, out):
    print(x, repr(out), f"{float(out):.3f}")
    x.grad += (1 - float(out) ** 2) * out.grad
"""
    path = write(tmp_path, "reads.py", source)
    verdict = grader.grade(load_file(path).tanh_backward, seed=11)
    assert verdict.ok, str(verdict)
    assert "Value(data=" in verdict.printed  # its prints are shown under the verdict


def load_file(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_a_lookup_table_of_one_runs_points_fails_the_next_run(tmp_path):
    table = tmp_path / "table.json"
    env = {
        "TABLE_FILE": str(table),
        "PYTHONPATH": os.pathsep.join([str(EXERCISES), os.environ.get("PYTHONPATH", "")]),
    }
    made = run_script(write(tmp_path, "maker.py", TABLE_MAKER), "--seed", 1, env=env)
    assert made.returncode == 0, made.stdout
    cheat = write(tmp_path, "lookup.py", LOOKUP_TABLE)
    same = run_script(cheat, "--seed", 1, env=env)  # the run it was made from: every point known
    assert same.returncode == 0, same.stdout
    other = run_script(cheat, "--seed", 2, env=env)
    assert other.returncode == 1
    assert other.stdout.rstrip().endswith("0 of 6 exercises pass"), other.stdout


@pytest.mark.slow
def test_report_ok_made_a_property_does_not_pass_anything(tmp_path):
    blank = (EXERCISES / "derivatives.py").read_text()
    run = run_script(write(tmp_path, "hack.py", PROPERTY_HACK + blank), "--seed", 11)
    assert run.returncode == 1
    assert run.stdout.rstrip().endswith("0 of 6 exercises pass")
    wrong = run_script(write(tmp_path, "hack_wrong.py", PROPERTY_HACK + WRONG), "--seed", 11)
    assert wrong.returncode == 1 and wrong.stdout.rstrip().endswith("0 of 6 exercises pass")


@pytest.mark.slow
def test_a_file_that_does_not_run_gets_a_clear_error(tmp_path):
    path = write(tmp_path, "typo.py", "def sigmoid_derivative(x, out)\n    return out * (1 - out)\n")
    run = run_script(path, "--seed", 11)
    assert run.returncode == 1
    assert "SyntaxError: your code does not run" in run.stdout
    assert f'File "{path}", line 1' in run.stdout
    assert run.stdout.rstrip().endswith("0 of 6 exercises pass")


@pytest.mark.slow
def test_an_endless_loop_is_stopped_with_a_clear_error(tmp_path):
    at_import = run_script(write(tmp_path, "loop.py", "while True:\n    pass\n"), "--timeout", 1)
    assert at_import.returncode == 1
    assert "did not return within 3 s when loading your code (an endless loop?" in at_import.stdout
    in_one = (
        EXERCISES / "solutions.py"
    ).read_text() + "\n\ndef tanh_derivative(x, out):\n    while True:\n        pass\n"
    run = run_script(write(tmp_path, "loop_tanh.py", in_one), "--timeout", 1, "--seed", 11)
    assert run.returncode == 1
    assert (
        "tanh_derivative: not graded\n  mistake: did not return within 1 s when tanh_derivative was called at"
        in run.stdout
    )
    assert run.stdout.rstrip().endswith("5 of 6 exercises pass")  # the others graded in a fresh process


@pytest.mark.slow
def test_megabytes_of_prints_are_stopped(tmp_path):
    loud = (
        (EXERCISES / "solutions.py").read_text()
        + '\n\ndef sigmoid_derivative(x, out):\n    print("x" * 100_000)\n    return out * (1 - out)\n'
    )
    run = run_script(write(tmp_path, "loud.py", loud), "--seed", 11)
    assert run.returncode == 1
    assert "mistake: printed more than 1 MB when sigmoid_derivative was called at" in run.stdout
    assert len(run.stdout) < 20_000
    assert run.stdout.rstrip().endswith("5 of 6 exercises pass")


@pytest.mark.slow
def test_a_seed_repeats_a_run_and_another_seed_draws_other_points(tmp_path):
    path = write(tmp_path, "wrong.py", WRONG)
    first, again, other = (run_script(path, "--seed", s) for s in (7, 7, 8))
    assert first.stdout == again.stdout
    assert first.stdout != other.stdout
    unseeded = run_script(path)
    seed = unseeded.stdout.split("seed ", 1)[1].split()[0]
    assert run_script(path, "--seed", seed).stdout == unseeded.stdout


@pytest.mark.slow
def test_a_file_that_checks_itself_is_graded_once(tmp_path):
    """check(...) lines at the end of the file: run in the grading process, they start nothing."""
    own = (
        EXERCISES / "solutions.py"
    ).read_text() + "\n\nfrom check import check\n\nassert check(tanh_derivative)\n"
    env = {"PYTHONPATH": os.pathsep.join([str(EXERCISES), os.environ.get("PYTHONPATH", "")])}
    run = run_script(write(tmp_path, "checks_itself.py", own), "--seed", 11, env=env)
    assert run.returncode == 0, run.stdout
    assert run.stdout.rstrip().endswith("6 of 6 exercises pass")


@pytest.mark.slow
def test_processes_the_learners_code_starts_end_with_the_grading(tmp_path):
    pid_file = tmp_path / "pid"
    spawner = (
        f"import subprocess, sys\n"
        f"_p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(_p.pid))\n\n" + (EXERCISES / "solutions.py").read_text()
    )
    run = run_script(write(tmp_path, "spawner.py", spawner), "--seed", 11)
    assert run.returncode == 0, run.stdout
    pid = int(pid_file.read_text())
    for _ in range(50):  # killed with the learner's process group (a zombie for a moment at most)
        stat = Path(f"/proc/{pid}/stat")
        if not stat.exists() or stat.read_text().split()[2] == "Z":
            break
        time.sleep(0.1)
    else:
        os.kill(pid, 9)
        pytest.fail("the learner's code left a process running")


@pytest.mark.slow
def test_a_missing_function_is_named(tmp_path):
    verdicts = graded(write(tmp_path, "partial.py", "def tanh_derivative(x, out):\n    return 1 - out**2\n"))
    assert verdicts["tanh_derivative"].ok
    assert verdicts["sigmoid_derivative"].mistakes == (
        "there is no function sigmoid_derivative in your code (was it renamed?)",
    )


@pytest.mark.slow
def test_the_notebook_runs_and_grades_its_blank_cells():
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(EXERCISES / "exercises.ipynb", as_version=4)
    NotebookClient(
        notebook, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(EXERCISES)}}
    ).execute()
    outputs = [
        "".join(o.get("text", "") for o in cell.outputs)
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]
    graded_cells = [text for text in outputs if "check_" in text]
    assert len(graded_cells) == 6
    assert all(
        "wrong" in text and "blank" in text and "points drawn with seed" in text for text in graded_cells
    )
