"""exercises/: a blank, a wrong and a right answer get fail, fail with the right diagnosis, and pass.

The blank answers are the shipped exercises/derivatives.py as it is; the wrong ones are the
mistakes learners make, written here; the right ones are exercises/solutions.py. The grader
(exercises/check.py) holds only the forward rules, never an answer.
"""

import importlib.util
import math
import sys
from pathlib import Path

import pytest

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"


def load(name):
    spec = importlib.util.spec_from_file_location(f"exercises_{name}", EXERCISES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


grader = load("check")
blank = load("derivatives")
solutions = load("solutions")
NAMES = [
    "sigmoid_derivative",
    "tanh_derivative",
    "mse_derivative",
    "cross_entropy_derivative",
    "neuron_derivative",
    "tanh_backward",
]


# --- the mistakes, as a learner writes them -----------------------------------------------------


def sigmoid_derivative(x, out):  # fine on paper, overflows at x = -1000
    return math.exp(-x) / (1 + math.exp(-x)) ** 2


def tanh_derivative(x, out):
    return 1 - x**2


def mse_derivative(prediction, target, out):  # the 2 of the power rule forgotten
    return prediction - target, target - prediction


def cross_entropy_derivative(logit, target, out):
    p = 1 / (1 + math.exp(-logit))
    return target - p, -logit


def neuron_derivative(w1, w2, b, x1, x2, out):  # weights and inputs mixed up
    dn = 1 - out**2
    return dn * w1, dn * w2, dn, dn * x1, dn * x2


def tanh_backward(x, out):
    x.grad = (1 - out.data**2) * out.grad


WRONG = {
    "sigmoid_derivative": ["right on the domain but wrong at large |x|: at x=-1000.0: yours OverflowError"],
    "tanh_derivative": ["the input x is used where the output out is needed"],
    "mse_derivative": [
        "d/dprediction: off by a constant factor of 1/2",
        "d/dtarget: off by a constant factor of 1/2",
    ],
    "cross_entropy_derivative": [  # two mistakes: the sign, and a sigmoid that overflows
        "d/dlogit: the sign is flipped",
        "d/dtarget: right on the domain but wrong at large |logit|: at logit=-1000.0, target=0.5: yours OverflowError",
    ],
    "neuron_derivative": [
        "d/dw1: yours is the true d/dx1",
        "d/dw2: yours is the true d/dx2",
        "d/dx1: yours is the true d/dw1",
        "d/dx2: yours is the true d/dw2",
    ],
    "tanh_backward": ["`=` where `+=` is needed"],
}


@pytest.mark.parametrize("name", NAMES)
def test_a_blank_answer_fails_as_blank(name):
    report = grader.grade(getattr(blank, name))
    assert not report.ok
    assert len(report.mistakes) == 1
    assert "nothing to check" in report.mistakes[0] and "blank" in report.mistakes[0]


@pytest.mark.parametrize("name", NAMES)
def test_a_wrong_answer_fails_with_its_diagnosis(name):
    report = grader.grade(globals()[name])
    assert not report.ok
    assert len(report.mistakes) == len(WRONG[name]), str(report)
    for mistake, words in zip(report.mistakes, WRONG[name]):
        assert mistake.startswith(words), str(report)


@pytest.mark.parametrize("name", NAMES)
def test_the_solution_passes(name):
    report = grader.grade(getattr(solutions, name))
    assert report.ok, str(report)


def test_check_prints_the_report_and_returns_whether_it_passed(capsys):
    assert grader.check(solutions.tanh_derivative) is True
    assert grader.check(tanh_derivative) is False
    out = capsys.readouterr().out
    assert "check_op(tanh_derivative): all checks pass" in out
    assert "mistake: the input x is used where the output out is needed" in out


def test_an_unknown_exercise_name_is_refused():
    def softmax_derivative(x, out):
        return 0.0

    with pytest.raises(ValueError, match="check: no exercise is called 'softmax_derivative'"):
        grader.check(softmax_derivative)


def test_the_grader_ships_no_answer():
    text = (EXERCISES / "check.py").read_text()
    for formula in ("1 - out", "out * (1 - out)", "out.grad"):
        assert formula not in text.split('"""', 2)[2]  # past the docstring: only forward rules


@pytest.mark.slow
def test_the_script_grades_the_blank_file_and_the_solutions(tmp_path):
    import subprocess

    run = lambda *a: subprocess.run(
        [sys.executable, str(EXERCISES / "check.py"), *a], capture_output=True, text=True, timeout=300
    )
    assert run().stdout.rstrip().endswith("0 of 6 exercises pass")
    assert run("--solutions").stdout.rstrip().endswith("6 of 6 exercises pass")


@pytest.mark.slow
def test_the_notebook_runs_and_grades_its_blank_cells(tmp_path):
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
    graded = [text for text in outputs if "check_" in text]
    assert len(graded) == 6
    assert all("nothing to check" in text for text in graded)
