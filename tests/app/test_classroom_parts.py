"""The classroom's lesson parts (chainrule/classroom/parts.py) run natively and give the right numbers.

Each part's ``source`` runs in a fresh namespace of this process (the parts touch no global
state) and its ``numbers`` evaluate to finite floats; where a part claims a number, it is checked
against an answer found another way: derived by hand, a plain-float loop written here, the
numbers ``chainrule lesson`` prints, or PyTorch in float64. The browser runs the same sources
(classroom27's Chromium test compares its numbers with these, to 1e-12).
"""

from __future__ import annotations

import contextlib
import io
import linecache
import math
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from chainrule.classroom.parts import PARTS, Part

BY_SLUG = {part.slug: part for part in PARTS}
LESSON_WEIGHTS = (1.6243453636632417, -0.6117564136500754)  # numpy: seed(1); randn(2, 1)
XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_Y = [0, 1, 1, 0]


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def run(source: str, **given: Any) -> tuple[dict[str, Any], str]:
    """Run ``source`` in a fresh namespace (with ``given`` names in it); the namespace and its prints."""
    namespace: dict[str, Any] = {"__name__": "__main__", **given}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
        exec(compile(source, "<part>", "exec"), namespace)
    return namespace, printed.getvalue()


_RUNS: dict[str, tuple[dict[str, Any], str, list[float]]] = {}


def part_run(slug: str) -> tuple[dict[str, Any], str, list[float]]:
    """The part's namespace, prints and numbers, from one run per test session, as in the page.

    The page gives the part ``show``; what the part showed is in the namespace, under
    ``"shown by the page"``.
    """
    if slug not in _RUNS:
        part = BY_SLUG[slug]
        shown: list[object] = []  # what the part shows, where the page gives it show()
        namespace, printed = run(part.source, show=shown.append)
        namespace["shown by the page"] = shown
        _RUNS[slug] = (namespace, printed, eval(part.numbers, namespace))
    return _RUNS[slug]


def edited(part: Part, old: str, new: str) -> str:
    """The part's source with one edit a learner would make (the text must be there once)."""
    assert part.source.count(old) == 1, old
    return part.source.replace(old, new)


# --- every part ----------------------------------------------------------------------------------


def test_the_slugs_are_unique_and_valid_and_the_texts_are_there():
    slugs = [part.slug for part in PARTS]
    assert len(set(slugs)) == len(slugs)
    for part in PARTS:
        assert re.fullmatch(r"[a-z0-9-]+", part.slug), part.slug
        assert part.title.strip() and part.intro.strip() and part.source.endswith("\n")
        assert "<" not in part.title  # plain text: the builder escapes it, nothing is markup


def test_the_lesson_comes_first_in_its_order_then_the_tools():
    assert [part.slug for part in PARTS] == [
        "perceptron", "activations", "forward", "backprop", "losses", "optimizers", "xor",
        "quiz", "rule-lab", "exercises", "tape", "flipbook", "train",
    ]  # fmt: skip


@pytest.mark.parametrize("slug", [part.slug for part in PARTS if part.slug != "exercises"])
def test_each_part_runs_natively_and_its_numbers_are_finite_floats(slug):
    _, printed, numbers = part_run(slug)
    assert isinstance(numbers, list) and numbers
    assert all(type(n) is float and math.isfinite(n) for n in numbers), numbers
    assert printed.strip()  # each part tells its story as text


def test_no_part_needs_what_a_browser_lacks():
    """No subprocess, no dot, no terminal: the sources use none of them, and show() only if given."""
    for part in PARTS:
        for word in ("subprocess", "input(", "render(", "render_steps(", "os.system", "open("):
            assert word not in part.source, (part.slug, word)
        if "show(" in part.source:
            assert 'if "show" in globals():' in part.source, part.slug


def test_no_part_shows_an_exercise_answer():
    """The rule lab and the tape use ops the exercises do not ask for (exercises/derivatives.py)."""
    for part in PARTS:
        for answer in ("1 - out", "out * (1 - out)", "(1.0 - a)", "out.data ** 2", "out.data**2"):
            assert answer not in part.source, (part.slug, answer)


@pytest.mark.slow  # about a second: a training run or the grader's timeout
def test_a_show_that_opens_values_only_is_told_so_for_the_flipbook():
    def values_only(what: object) -> None:  # as chainrule.classroom.runner's show
        raise TypeError(f"show: expected a Value, got {type(what).__name__}")

    namespace, printed = run(BY_SLUG["flipbook"].source, show=values_only)
    assert "(show: expected a Value, got TrainingRecorder; the flipbook's HTML is in page)" in printed
    assert namespace["page"].startswith("<!DOCTYPE html>")


def test_show_is_called_where_the_page_gives_it():
    from autograd import Value
    from nn import TrainingRecorder

    for slug, kind in (("backprop", Value), ("flipbook", TrainingRecorder)):
        shown = part_run(slug)[0]["shown by the page"]
        assert len(shown) == 1 and isinstance(shown[0], kind), slug
    namespace, _ = run(BY_SLUG["backprop"].source)  # plain Python: no show(), the same numbers
    assert eval(BY_SLUG["backprop"].numbers, namespace) == part_run("backprop")[2]


# --- the lesson ----------------------------------------------------------------------------------


def perceptron_by_hand(X, y, epochs=20):
    """The perceptron rule, plain floats: per sample w += (y - y_hat) x, b += (y - y_hat).

    Returns w, b, the number of states (the start and one per epoch), whether the last epoch made
    no mistake, and (j, k) when the state after epoch k is the one after epoch j.
    """
    w, b, states = [0.0, 0.0], 0.0, [([0.0, 0.0], 0.0)]
    for epoch in range(1, epochs + 1):
        mistakes = 0
        for x, target in zip(X, y):
            error = target - (1 if w[0] * x[0] + w[1] * x[1] + b > 0 else 0)
            mistakes += error != 0
            w, b = [w[0] + error * x[0], w[1] + error * x[1]], b + error
        states.append((w, b))
        if mistakes == 0:
            return w, b, len(states), True, None
        if (w, b) in states[:-1]:
            return w, b, len(states), False, (states.index((w, b)), epoch)
    raise AssertionError("no convergence and no cycle")


def test_the_perceptron_learns_and_and_cycles_on_xor():
    _, printed, numbers = part_run("perceptron")
    w, b, epochs, converged, _ = perceptron_by_hand(XOR_X, [0, 0, 0, 1])
    *_, xor_converged, cycle = perceptron_by_hand(XOR_X, XOR_Y)
    assert (w, b, converged, xor_converged) == ([2.0, 1.0], -2.0, True, False)  # docs/tutorial.md, §6
    assert numbers == [*w, b, float(epochs), 1.0, 0.0, *map(float, cycle)]
    assert "after epoch 3 the weights are those after epoch 2" in printed


def test_the_activations_and_their_slopes_are_the_textbook_ones():
    _, _, numbers = part_run("activations")
    rows = [numbers[k : k + 7] for k in range(0, len(numbers), 7)]
    assert [row[0] for row in rows] == [-2.0, -0.5, 0.0, 0.5, 2.0]
    for z, s, ds, r, dr, t, dt in rows:
        assert s == pytest.approx(sigmoid(z), rel=1e-15) and ds == pytest.approx(s * (1 - s), rel=1e-14)
        assert (r, dr) == (max(0.0, z), 1.0 if z > 0 else 0.0)  # relu'(0) = 0, as PyTorch
        assert t == pytest.approx(math.tanh(z), rel=1e-15)
        assert dt == pytest.approx(1 / math.cosh(z) ** 2, rel=1e-14)


def test_the_lesson_weights_are_numpys_seed_1():
    numpy = pytest.importorskip("numpy")
    numpy.random.seed(1)
    assert tuple(float(w) for w in numpy.random.randn(2, 1).ravel()) == LESSON_WEIGHTS
    for slug in ("forward", "losses"):
        assert f'Value({LESSON_WEIGHTS[0]!r}, label="w1")' in BY_SLUG[slug].source


def test_forward_propagation_is_the_weighted_sums_and_activations():
    namespace, _, numbers = part_run("forward")
    w1, w2 = LESSON_WEIGHTS
    assert numbers[:4] == pytest.approx([sigmoid(w1 * a + w2 * b) for a, b in XOR_X], rel=1e-15)
    assert [round(a - y, 4) for a, y in zip(numbers[:4], XOR_Y)] == [
        0.5,
        -0.6483,
        -0.1646,
        0.7335,
    ]  # chainrule lesson
    model, x = namespace["model"], [1.0, 0.0]
    hidden = [
        math.tanh(sum(w.data * xi for w, xi in zip(n.w, x)) + n.b.data) for n in model.layers[0].neurons
    ]
    (out,) = model.layers[1].neurons
    score = sum(w.data * h for w, h in zip(out.w, hidden)) + out.b.data  # a linear output: a logit
    assert numbers[4:] == pytest.approx([*hidden, score], rel=1e-13)


def test_backpropagation_gives_the_hand_derived_grads():
    _, printed, numbers = part_run("backprop")
    # z = w x + b = 0, a = 1/2, sigmoid' = a(1 - a) = 1/4: da/dx = w/4, da/dw = x/4, da/db = 1/4
    assert numbers == [0.5, 0.5, 0.125, 0.25]
    assert "w.grad = 0.125: matches" in printed


def test_the_losses_give_the_lessons_gradients():
    _, _, numbers = part_run("losses")
    w1, w2 = LESSON_WEIGHTS
    a = [sigmoid(w1 * x1 + w2 * x2) for x1, x2 in XOR_X]
    m = 4
    bce = -sum(y * math.log(p) + (1 - y) * math.log(1 - p) for p, y in zip(a, XOR_Y)) / m
    dz = [p - y for p, y in zip(a, XOR_Y)]  # the lesson's dz = a - y
    dw = [sum(x[k] * d for x, d in zip(XOR_X, dz)) / m for k in range(2)]
    mse = sum((p - y) ** 2 for p, y in zip(a, XOR_Y)) / m
    dz_mse = [2 * (p - y) * p * (1 - p) / m for p, y in zip(a, XOR_Y)]
    dw_mse = [sum(x[k] * d for x, d in zip(XOR_X, dz_mse)) for k in range(2)]
    expected = [bce, *dw, sum(dz) / m, mse, *dw_mse, sum(dz_mse)]
    assert numbers == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert [round(g, 4) for g in numbers[1:4]] == [0.1422, 0.0213, 0.1051]  # as chainrule lesson prints


def bce_with_logits_grad(w: float, b: float, xs: list[float], ys: list[int]) -> tuple[float, float, float]:
    """Mean BCE with logits of z = w x + b and its gradient: dL/dz = (sigmoid(z) - y) / n."""
    n = len(xs)
    zs = [w * x + b for x in xs]
    loss = sum(max(z, 0) - z * y + math.log1p(math.exp(-abs(z))) for z, y in zip(zs, ys)) / n
    dz = [(sigmoid(z) - y) / n for z, y in zip(zs, ys)]
    return loss, sum(d * x for d, x in zip(dz, xs)), sum(dz)


def optimizer_by_hand(kind: str, lr: float, steps: int = 100) -> list[float]:
    """SGD, Adam and RMSprop (torch.optim's defaults) in plain floats, on the part's neuron."""
    xs, ys = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0], [0, 0, 1, 0, 1, 1, 1]
    theta = [-1.5, 1.5]
    m, v = [0.0, 0.0], [0.0, 0.0]
    for t in range(1, steps + 1):
        _, *grads = bce_with_logits_grad(*theta, xs, ys)
        for i, g in enumerate(grads):
            if kind == "sgd":
                theta[i] -= lr * g
            elif kind == "adam":
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                m_hat, v_hat = m[i] / (1 - 0.9**t), v[i] / (1 - 0.999**t)
                theta[i] -= lr * m_hat / (math.sqrt(v_hat) + 1e-8)
            else:  # rmsprop, alpha 0.99
                v[i] = 0.99 * v[i] + 0.01 * g * g
                theta[i] -= lr * g / (math.sqrt(v[i]) + 1e-8)
    return [bce_with_logits_grad(*theta, xs, ys)[0], *theta]


def test_the_optimizers_take_the_textbook_steps():
    _, _, numbers = part_run("optimizers")
    expected = [
        *optimizer_by_hand("sgd", 0.5),
        *optimizer_by_hand("adam", 0.1),
        *optimizer_by_hand("rmsprop", 0.05),
    ]
    assert numbers == pytest.approx(expected, rel=1e-10)
    assert all(abs(loss - 0.3497) < 0.001 for loss in numbers[::3])  # the comment's "about 0.3497"


@pytest.mark.slow
@pytest.mark.torch
def test_the_optimizers_match_torch_optim_in_float64(torch):
    _, _, numbers = part_run("optimizers")
    x = torch.tensor([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0], dtype=torch.float64)
    y = torch.tensor([0, 0, 1, 0, 1, 1, 1], dtype=torch.float64)
    for k, (cls, lr) in enumerate(
        ((torch.optim.SGD, 0.5), (torch.optim.Adam, 0.1), (torch.optim.RMSprop, 0.05))
    ):
        w = torch.tensor(-1.5, dtype=torch.float64, requires_grad=True)
        b = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
        optimizer = cls([w, b], lr=lr)
        loss_of = lambda: torch.nn.functional.binary_cross_entropy_with_logits(w * x + b, y)
        for _ in range(100):
            optimizer.zero_grad()
            loss_of().backward()
            optimizer.step()
        with torch.no_grad():
            final = [loss_of().item(), w.item(), b.item()]
        assert numbers[3 * k : 3 * k + 3] == pytest.approx(final, rel=1e-10), cls.__name__


def test_xor_gives_the_numbers_chainrule_lesson_prints():
    from chainrule.lesson import train_mlp

    _, printed, numbers = part_run("xor")
    assert [round(n, 4) for n in numbers] == [0.0014, 0.9966, 0.9956, 0.0054, 0.0037]  # its printout
    _, training = train_mlp()  # the lesson's own loop (no free_graph): the same floats
    assert numbers == pytest.approx([*training.outputs, training.losses[-1]], rel=1e-12)
    assert "final loss 0.0037" in printed


# --- the tools -----------------------------------------------------------------------------------


def quiz_source(expression: str, variables: str, answers: list[str]) -> str:
    part = BY_SLUG["quiz"]
    source = edited(
        part,
        'build_expression("tanh(w*x + b)", {"x": 2.0, "w": -3.0, "b": 6.88})',
        f"build_expression({expression!r}, {variables})",
    )
    return source.replace('answers = """\n"""', 'answers = """\n' + "\n".join(answers) + '\n"""')


def test_the_quiz_starts_with_the_forward_pass_and_the_first_question_and_no_answer():
    _, printed, numbers = part_run("quiz")
    assert numbers == [0.0, 0.0, 0.0, 5.0]  # out's graph: v1, v2, b, w, x are asked
    assert "out = tanh(v1) = 0.7064" in printed and "d out/d v1 = ?" in printed
    slope = 1 - math.tanh(0.88) ** 2
    for number in (slope, 2 * slope, -3 * slope):  # no gradient is shown before it is asked
        assert f"{number:.4g}" not in printed and f"{number:.3f}" not in printed


def test_the_quiz_grades_right_answers_derived_by_hand():
    s = 1 - math.tanh(2.0 * -3.0 + 6.88) ** 2  # out = tanh(v1), v1 = v2 + b, v2 = w x
    answers = [repr(s), repr(s), repr(s), repr(2.0 * s), repr(-3.0 * s)]  # v1, v2, b, w, x
    namespace, printed = run(quiz_source("tanh(w*x + b)", '{"x": 2.0, "w": -3.0, "b": 6.88}', answers))
    result = namespace["result"]
    assert (result.right, result.asked, result.questions) == (5, 5, 5), printed


@pytest.mark.parametrize(
    ("expression", "variables", "answers", "right"),
    [
        ("x / y", '{"x": 1.0, "y": -3.0}', ["-1/3", "-1/9"], 2),  # d/dx = 1/y, d/dy = -x/y²
        ("sqrt(x)", '{"x": 0.0}', ["inf"], 1),  # 1/(2√0)
        ("sqrt(x) * y", '{"x": 0.0, "y": 0.0}', ["0", "0", "nan"], 3),  # v1: y, y: √x, x: inf × 0
        ("sqrt(x)", '{"x": 0.0}', ["1e308", "-inf"], 0),  # no finite number is near inf, nor -inf
        ("x / y", '{"x": 1.0, "y": -3.0}', ["nan", "1/3", "-1/9"], 1),
    ],
)
def test_the_quiz_reads_inf_nan_and_fractions_as_the_terminal_quiz_does(
    expression, variables, answers, right
):
    namespace, printed = run(quiz_source(expression, variables, answers))
    assert namespace["result"].right == right, printed


@pytest.mark.slow
def test_the_page_quiz_prints_what_the_terminal_quiz_prints():
    answers = ["nan", "1/3", "-1/9", "0.5", "inf", "-1/3"]
    terminal = subprocess.run(
        [sys.executable, "-m", "chainrule", "quiz", "x / y + sqrt(z)", "x=1", "y=-3", "z=0"],
        input="\n".join(answers) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    _, printed = run(quiz_source("x / y + sqrt(z)", '{"x": 1.0, "y": -3.0, "z": 0.0}', answers))
    assert printed == terminal.stdout


def test_the_rule_lab_names_both_deliberate_mistakes_and_passes_them_fixed():
    namespace, _, numbers = part_run("rule-lab")
    assert numbers == [0.0, 1.0, 0.0, 1.0]
    assert [m.kind for m in namespace["report"].mistakes] == ["part_of_domain"]
    assert [m.kind for m in namespace["report_backward"].mistakes] == ["assigned"]
    part = BY_SLUG["rule-lab"]
    fixed = edited(part, "return 1.0                   #", "return 1.0 if x > 0 else 0.0  #")
    fixed = fixed.replace("a.grad = b.data", "a.grad += b.data").replace(
        "b.grad = a.data", "b.grad += a.data"
    )
    namespace, printed = run(fixed)
    assert eval(part.numbers, namespace) == [1.0, 0.0, 1.0, 0.0], printed


def test_the_tape_gives_karpathys_hand_derived_gradients():
    _, printed, numbers = part_run("tape")
    a, b, c, f = 2.0, -3.0, 10.0, -2.0
    assert numbers == [(a * b + c) * f, b * f, a * f, f, a * b + c]  # L, dL/da, dL/db, dL/dc, dL/df
    assert "def expression_value_and_grad(a, b, c, f):" in printed and "b_bar = a * e_bar" in printed


def test_the_flipbook_records_the_run_it_does_not_change():
    import nn

    namespace, _, numbers = part_run("flipbook")
    X, y = nn.data.xor()
    model = nn.MLP(2, [4, 1], activation="tanh", seed=0)
    optimizer = nn.SGD(model.parameters(), lr=0.5)
    losses = []
    for _ in range(120):  # the same run without a recorder
        loss = nn.binary_cross_entropy_with_logits([model(x) for x in X], y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.data)
    assert numbers == pytest.approx([120.0, losses[0], losses[29], losses[-1]], rel=1e-12)
    page = namespace["page"]
    assert page.startswith("<!DOCTYPE html>") and "XOR, MLP(2, [4, 1]), 120 steps" in page


def test_the_training_run_is_the_node_engines_and_its_accuracy_is_counted():
    namespace, printed, numbers = part_run("train")
    slow, _ = run(edited(BY_SLUG["train"], "fast=True", "fast=False"))
    assert numbers == pytest.approx(eval(BY_SLUG["train"].numbers, slow), rel=1e-12)
    model, X, labels = namespace["model"], namespace["X"], namespace["labels"]
    right = sum((model(x).data > 0) == bool(label) for x, label in zip(X, labels))  # hinge: the sign
    assert numbers[3] == right / len(X)
    assert numbers[1] < numbers[0] and f"accuracy {right / len(X):.0%}" in printed


# --- the exercises: graded in the page, in this process where no process can be started -------------

EXERCISES_DIR = Path(__file__).resolve().parents[2] / "exercises"


def no_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """This Python as Pyodide is: sys.platform "emscripten", and starting a process raises OSError 138."""

    def refused(*args: object, **kwargs: object) -> None:
        raise OSError(138, "emscripten does not support processes.")

    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(subprocess, "Popen", refused)


def run_exercises_part(monkeypatch: pytest.MonkeyPatch, source: str) -> tuple[dict[str, Any], str]:
    """The part's source as an editor's code (its lines known to linecache, as a notebook's cell)."""
    monkeypatch.setattr(sys, "path", list(sys.path))  # the part puts exercises/ on it
    monkeypatch.delitem(sys.modules, "check", raising=False)
    name = "<classroom exercises>"
    monkeypatch.setitem(linecache.cache, name, (len(source), None, source.splitlines(True), name))
    namespace: dict[str, Any] = {"__name__": "__main__"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(source, name, "exec"), namespace)
    monkeypatch.delitem(sys.modules, "check", raising=False)
    return namespace, printed.getvalue()


def test_the_classrooms_python_holds_the_exercises_grader():
    from chainrule.classroom.build import python_zip

    archive = zipfile.ZipFile(io.BytesIO(python_zip()))
    for name in ("check.py", "run_learner.py"):
        assert archive.read(f"exercises/{name}") == (EXERCISES_DIR / name).read_bytes()
    assert not any(n.startswith("exercises/") and "solution" in n for n in archive.namelist())


def test_the_exercises_part_says_where_the_grader_is_missing(monkeypatch, tmp_path):
    """A classroom built from an installed wheel has no exercises/ folder beside chainrule."""
    import chainrule

    monkeypatch.setattr(chainrule, "__file__", str(tmp_path / "chainrule" / "__init__.py"))
    with pytest.raises(SystemExit, match=r"the grader is not here \(.*exercises/check\.py\): build"):
        run(BY_SLUG["exercises"].source)


def test_the_exercises_part_opens_the_exercise_file_blank():
    part = BY_SLUG["exercises"]
    blank = (EXERCISES_DIR / "derivatives.py").read_text()
    functions = blank[blank.index("def sigmoid_derivative") :]
    assert functions in part.source  # the same six functions, the same docstrings, still blank


def test_the_exercises_part_grades_in_this_process_where_none_can_be_started(monkeypatch):
    no_processes(monkeypatch)
    part = BY_SLUG["exercises"]
    namespace, printed = run_exercises_part(monkeypatch, part.source)
    assert eval(part.numbers, namespace) == [0.0, 6.0, 6.0]
    assert printed.count("wrong (blank)") == 6 and "0 of 6 exercises pass" in printed


@pytest.mark.slow
def test_the_exercises_part_passes_the_solutions_in_this_process(monkeypatch):
    no_processes(monkeypatch)
    part = BY_SLUG["exercises"]
    solutions = (EXERCISES_DIR / "solutions.py").read_text()
    answered = part.source.replace(part.source[: part.source.index("# --- the grader")], solutions + "\n\n")
    namespace, printed = run_exercises_part(monkeypatch, answered)
    assert eval(part.numbers, namespace) == [6.0, 6.0, 0.0], printed


def test_the_exercises_part_grades_in_this_process_code_whose_source_is_unknown(monkeypatch):
    """exec of a string linecache does not know: nothing to send to a process, so none is started."""

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process was started for functions whose source cannot be sent")

    monkeypatch.setattr(subprocess, "Popen", refused)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delitem(sys.modules, "check", raising=False)
    part = BY_SLUG["exercises"]
    namespace, printed = run(part.source)
    monkeypatch.delitem(sys.modules, "check", raising=False)
    assert eval(part.numbers, namespace) == [0.0, 6.0, 6.0]
    assert printed.count("wrong (blank)") == 6


@pytest.mark.slow
def test_the_exercises_part_grades_natively_in_processes_with_the_same_verdicts(monkeypatch):
    part = BY_SLUG["exercises"]
    namespace, printed = run_exercises_part(monkeypatch, part.source)
    assert eval(part.numbers, namespace) == [0.0, 6.0, 6.0]
    assert printed.count("wrong (blank)") == 6


def grader_module():
    from tests.learn.test_exercises import grader

    return grader


def in_process_verdict(monkeypatch, tmp_path, source: str, name: str, timeout: float = 10.0):
    no_processes(monkeypatch)
    path = tmp_path / "answers.py"
    path.write_text(source)
    grader = grader_module()
    verdicts, error = grader.grade_file(path, 11, timeout)
    assert error is None, error
    return {v.name: v for v in verdicts}[name]


TANH_RIGHT = (
    "\n\ndef tanh_derivative(x, out):\n    return 1 / math.cosh(x) ** 2\n"  # sech², not the solution's form
)


def test_in_process_a_right_answer_passes_and_a_blank_one_is_named(monkeypatch, tmp_path):
    verdict = in_process_verdict(monkeypatch, tmp_path, "import math" + TANH_RIGHT, "tanh_derivative")
    assert verdict.ok, str(verdict)
    blank = in_process_verdict(monkeypatch, tmp_path, "import math\n", "sigmoid_derivative")
    assert not blank.ok and blank.kinds == ("missing",)


@pytest.mark.parametrize(
    "hack",
    [
        "from autograd.learn.report import Report\nReport.ok = property(lambda self: True)\n",
        "math.tanh = lambda x: 0.0\n",  # the grader's forward rule, in a process it shares
        "import autograd\nautograd.learn.check.grade.__code__ = (lambda *a, **k: None).__code__\n",
        "import builtins\nbuiltins.all = lambda items: True\n",
    ],
    ids=["Report.ok", "math.tanh", "grade.__code__", "builtins.all"],
)
@pytest.mark.parametrize("when", ["loading", "calling"])
def test_in_process_what_the_learners_code_changes_in_the_grader_is_put_back(
    monkeypatch, tmp_path, hack, when
):
    """In a process of its own this code cannot reach the grader; in one process it is undone."""
    wrong = "def tanh_derivative(x, out):\n    return 0.0\n"
    if when == "loading":
        source = "import math\n" + hack + "\n" + wrong
    else:
        body = "".join(f"    {line}\n" for line in hack.splitlines())
        source = f"import math\n\n\ndef tanh_derivative(x, out):\n{body}    return 0.0\n"
    verdict = in_process_verdict(monkeypatch, tmp_path, source, "tanh_derivative")
    assert not verdict.ok and verdict.report is not None and not verdict.report.ok, str(verdict)
    import math as real_math

    assert real_math.tanh(1.0) == pytest.approx(0.7615941559557649)  # and it stays undone


def test_in_process_what_was_replaced_before_grading_began_fails_every_exercise(monkeypatch):
    """In a page the learner's code runs first: a Report.ok replaced then cannot pass a blank answer."""
    from autograd.learn.report import Report

    no_processes(monkeypatch)
    hack = eval(compile("lambda self: True", "<run 1>", "eval"))  # as the page's editor defines it
    monkeypatch.setattr(Report, "ok", property(hack))
    namespace: dict[str, Any] = {}
    exec(compile("def tanh_derivative(x, out):\n    return None\n", "<run 1>", "exec"), namespace)
    verdicts = grader_module().grade_functions(namespace, seed=11)
    assert [v.ok for v in verdicts] == [False] * 6
    tanh = {v.name: v for v in verdicts}["tanh_derivative"]
    assert tanh.kinds == ("blank", "tampered"), str(tanh)
    assert "replaced before grading began (Report.ok, by code outside chainrule" in str(tanh)
    monkeypatch.undo()
    no_processes(monkeypatch)
    clean = {v.name: v for v in grader_module().grade_functions(namespace, seed=11)}["tanh_derivative"]
    assert clean.kinds == ("blank",)  # nothing named where nothing was replaced


@pytest.mark.slow  # about a second: a training run or the grader's timeout
def test_in_process_an_endless_loop_is_stopped(monkeypatch, tmp_path):
    loop = "import math" + TANH_RIGHT + "\n\ndef sigmoid_derivative(x, out):\n    while True:\n        pass\n"
    verdict = in_process_verdict(monkeypatch, tmp_path, loop, "sigmoid_derivative", timeout=0.2)
    assert verdict.kinds == ("timeout",)
    assert verdict.mistakes[0].startswith("did not return within 0.2 s when sigmoid_derivative was called at")
    after = in_process_verdict(monkeypatch, tmp_path, loop, "tanh_derivative", timeout=0.2)
    assert after.ok  # graded after the loop was stopped
    no_processes(monkeypatch)
    path = tmp_path / "loops.py"
    path.write_text("while True:\n    pass\n")
    verdicts, error = grader_module().grade_file(path, 11, 0.2)
    assert verdicts == [] and error.kind == "timeout"
    assert error.message.startswith("did not return within 0.6 s when loading your code")


def test_in_process_prints_exit_input_and_the_recorder_turned_off(monkeypatch, tmp_path):
    loud = "def sigmoid_derivative(x, out):\n    print('x' * 100_000)\n    return 0.0\n"
    verdict = in_process_verdict(monkeypatch, tmp_path, loud, "sigmoid_derivative")
    assert (
        verdict.kinds == ("prints",)
        and "printed more than 1 MB when sigmoid_derivative" in verdict.mistakes[0]
    )
    ends = "import sys\n\ndef tanh_derivative(x, out):\n    sys.exit(3)\n"
    verdict = in_process_verdict(monkeypatch, tmp_path, ends, "tanh_derivative")
    assert verdict.kinds == ("ended",) and "ended the grading (3)" in verdict.mistakes[0]
    asks = "def tanh_derivative(x, out):\n    return float(input('d/dx? '))\n"
    verdict = in_process_verdict(monkeypatch, tmp_path, asks, "tanh_derivative")
    assert verdict.kinds == ("raised",) and "EOFError" in str(verdict)  # input() reads nothing
    unhooks = (
        "import sys, math\nfrom autograd import Value\n\ndef tanh_derivative(x, out):\n"
        "    sys.setprofile(None)\n    v = Value(x)\n    v.tanh().backward()\n    return v.grad\n"
    )
    verdict = in_process_verdict(monkeypatch, tmp_path, unhooks, "tanh_derivative")
    assert not verdict.ok and "recorder_off" in verdict.kinds
    assert sys.stdout is sys.__stdout__ or not isinstance(sys.stdout, type(grader_module()._Prints()))


@pytest.mark.slow
def test_in_process_a_file_that_checks_itself_is_graded_once(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(EXERCISES_DIR))
    own = (
        EXERCISES_DIR / "solutions.py"
    ).read_text() + "\n\nfrom check import check\n\nassert check(tanh_derivative)\n"
    verdict = in_process_verdict(monkeypatch, tmp_path, own, "tanh_derivative")
    assert verdict.ok, str(verdict)
    monkeypatch.delitem(sys.modules, "check", raising=False)


def cheat_sources() -> dict[str, str]:
    from tests.learn import test_exercises as t

    blank = (EXERCISES_DIR / "derivatives.py").read_text()
    return {
        "solutions": (EXERCISES_DIR / "solutions.py").read_text(),
        "blank": blank,
        "wrong": t.WRONG,
        "engine-backward": t.ENGINE_BACKWARD,
        "autograd-grad": t.ENGINE_GRAD,
        "finite-differences": t.FINITE_DIFFERENCES,
        "property-hack": t.PROPERTY_HACK + blank,
        "property-hack-wrong": t.PROPERTY_HACK + t.WRONG,
    }


@pytest.mark.slow
@pytest.mark.parametrize("case", list(cheat_sources()))
def test_in_process_grading_gives_the_subprocess_verdicts(monkeypatch, tmp_path, case):
    path = tmp_path / f"{case}.py"
    path.write_text(cheat_sources()[case])
    grader = grader_module()
    in_processes, error = grader.grade_file(path, 11, 10.0)
    assert error is None
    with monkeypatch.context() as m:
        no_processes(m)
        in_this_one, error = grader.grade_file(path, 11, 10.0)
    assert error is None
    assert [str(v) for v in in_this_one] == [str(v) for v in in_processes]
    assert [v.kinds for v in in_this_one] == [v.kinds for v in in_processes]
