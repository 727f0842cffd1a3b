"""Every demo in demos/ runs and prints the right numbers; the tour notebook executes; the
README's Python examples run.

Each demo runs in a subprocess, in a temporary directory, as a teacher would run it in class.
The numbers it prints are checked against answers computed here independently: hand formulas
(math.tanh, the sigmoid formula), central finite differences, and PyTorch where the demo is
about PyTorch.
"""

from __future__ import annotations

import math
import os
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.demos import DEMOS, REPO, run_demo, run_in
from tests.notebooks import execute_notebook

pytestmark = pytest.mark.slow  # runs every demo and the notebook in subprocesses

NUMBERED = sorted(DEMOS.glob("[0-9][0-9]_*.py"))


def number_after(text: str, prefix: str) -> float:
    """The first number printed right after ``prefix``."""
    match = re.search(re.escape(prefix) + r"\s*([-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)", text)
    assert match, f"{prefix!r} not in output:\n{text}"
    return float(match.group(1))


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_the_demos_are_numbered_in_the_lessons_order():
    names = [p.name for p in NUMBERED]
    assert names == [
        "01_perceptron_and_activations.py",
        "02_forward_by_hand_vs_value.py",
        "03_xor_neuron_vs_mlp.py",
        "04_moons_classifier.py",
        "05_trace_a_neuron.py",
        "06_step_through_backprop.py",
        "07_second_derivatives.py",
        "08_adam_sgd_rmsprop.py",
        "09_to_pytorch.py",
        "10_activation_curves.py",
        "11_mse_vs_cross_entropy.py",
        "12_learning_rates.py",
        "13_xor_boundaries.py",
        "14_layer_diagram.py",
        "15_perceptron_rule.py",
        "16_deep_tanh_health.py",
        "17_matrix_backward.py",
        "18_tiny_gpt.py",
    ]


def test_01_perceptron_derivatives_match_formulas(tmp_path):
    out = run_demo("01_perceptron_and_activations.py", tmp_path)
    # Every row of the table: value and derivative of the named activation at z.
    rows = re.findall(r"^\s*(-?\d\.\d\d) \|\s+(\w+) \|\s+(-?\d\.\d+) \|\s+(-?\d\.\d+) \|", out, re.M)
    assert len(rows) == 15
    for z_text, name, value, derivative in rows:
        z = float(z_text)
        expected = {
            "sigmoid": (sigmoid(z), sigmoid(z) * (1 - sigmoid(z))),
            "relu": (max(0.0, z), 1.0 if z > 0 else 0.0),
            "tanh": (math.tanh(z), 1 - math.tanh(z) ** 2),
        }[name]
        assert float(value) == pytest.approx(expected[0], abs=6e-5)
        assert float(derivative) == pytest.approx(expected[1], abs=6e-5)
    # The perceptron: z = 0.8*1 - 0.4*0.5 + 0.1 = 0.7.
    s = sigmoid(0.7)
    assert number_after(out, "a = sigmoid(z) =") == pytest.approx(s, abs=6e-5)
    assert number_after(out, "da/dw2 = da/dz * x2 =") == pytest.approx(s * (1 - s) * 0.5, abs=6e-5)
    assert number_after(out, "da/dx1 = da/dz * w1 =") == pytest.approx(s * (1 - s) * 0.8, abs=6e-5)


def test_02_hand_and_value_passes_agree(tmp_path):
    out = run_demo("02_forward_by_hand_vs_value.py", tmp_path)
    rng = random.Random(1)
    w1, w2 = rng.gauss(0.0, 1.0), rng.gauss(0.0, 1.0)
    a = [sigmoid(w1 * x1 + w2 * x2) for x1, x2 in [(0, 0), (0, 1), (1, 0), (1, 1)]]
    for (x1, x2), ai in zip([(0, 0), (0, 1), (1, 0), (1, 1)], a):
        printed = re.search(rf"\({x1}, {x2}\)\s+(\S+)\s+(\S+)", out)
        assert printed and float(printed.group(1)) == pytest.approx(ai, abs=1e-6)
        assert float(printed.group(2)) == pytest.approx(ai, abs=1e-6)
    # Mean BCE: dL/dw2 = mean((a - y) * x2), by the sigmoid + BCE identity.
    dw2 = ((a[1] - 1) + (a[3] - 0)) / 4
    assert number_after(out, "dL/dw2") == pytest.approx(dw2, abs=1e-6)
    assert number_after(out, "largest difference:") < 1e-12


def test_03_single_neuron_fails_and_mlp_solves_xor(tmp_path):
    out = run_demo("03_xor_neuron_vs_mlp.py", tmp_path)
    single, mlp = out.split("MLP(2, [4, 1])", 1)
    assert single.count("output 0.5000") == 4
    assert number_after(single, "final loss") == pytest.approx(math.log(2), abs=1e-4)
    assert "accuracy 50%" in single
    assert "accuracy 100%" in mlp
    assert (tmp_path / "out" / "xor-losses.png").stat().st_size > 0


def test_04_moons_classifier_learns_and_draws(tmp_path):
    out = run_demo("04_moons_classifier.py", tmp_path)
    # MLP(2, [16, 16, 1]): 16*(2+1) + 16*(16+1) + (16+1) parameters.
    folder, rest = out.split("\n", 1)
    assert folder == f"output folder: {tmp_path / 'out'}"
    assert rest.startswith(f"{16 * 3 + 16 * 17 + 17} parameters")
    first = number_after(out, "step   0 loss")
    final = re.search(r"after 100 steps: loss (\S+), accuracy (\d+)%", out)
    assert final, out
    assert float(final.group(1)) < first / 10
    assert int(final.group(2)) == 100
    # lr decays linearly: 1 - 0.9 * k / 100 is 0.55 at step 50.
    assert number_after(out, "step  50 loss") > 0 and re.search(r"step  50 .* lr 0\.550", out)
    assert (tmp_path / "out" / "moons-boundary.png").stat().st_size > 0


def test_05_neuron_gradients_and_svg(tmp_path):
    out = run_demo("05_trace_a_neuron.py", tmp_path)
    b = 6.8813735870195432
    o = math.tanh(2.0 * -3.0 + 0.0 * 1.0 + b)
    assert number_after(out, "o = tanh(n) =") == pytest.approx(o, abs=1e-6)
    local = 1 - o * o  # do/dn
    expected = {"x1": -3.0 * local, "w1": 2.0 * local, "x2": 1.0 * local, "w2": 0.0, "b": local}
    for name, grad in expected.items():
        assert number_after(out, f"do/d{name:<2} =") == pytest.approx(grad, abs=1e-4)
    svg = tmp_path / "out" / "neuron.svg"
    root = ET.parse(svg).getroot()
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "-3.0000 × 0.5000 = -1.5000" in texts  # the edge x1 -> mul, written by the chain rule
    ET.parse(tmp_path / "out" / "neuron-nn.svg")
    from autograd.see.legibility import smallest_text

    for name in ("neuron.svg", "neuron-nn.svg"):  # readable on a 1920 x 1080 projector
        sizes = smallest_text((tmp_path / "out" / name).read_text())
        assert sizes.node_px >= 14 and sizes.edge_px >= 12, (name, sizes)


def test_06_trace_explain_and_page(tmp_path):
    out = run_demo("06_step_through_backprop.py", tmp_path)
    # L = (tanh(w x + b) - 1)**2 at x = 0.5, w = 2, b = -1: z = 0, a = 0, dL/da = -2, da/dz = 1.
    assert "gradients: dL/dx = -4.0, dL/dw = -1.0, dL/db = -2.0" in out
    assert "w.grad += 0.5 × -2.0 = -1.0" in out
    assert out.count(": matches") == 2
    assert "total = 4.0 + 1.0 = 5.0" in out  # df/dx = y + 1 with y = 4
    page = (tmp_path / "out" / "steps.html").read_text(encoding="utf-8")
    assert "<svg" in page
    assert "demos/step_through.py" in out and "docs/debugging.md" in out


def test_07_second_derivatives_match_finite_differences(tmp_path):
    out = run_demo("07_second_derivatives.py", tmp_path)
    functions = {
        "x**3": lambda x: x**3,
        "tanh(x)": math.tanh,
        "sigmoid(x)": sigmoid,
        "sin(x)": math.sin,
        "log(x)": math.log,
    }
    checked = 0
    for block in out.split("f = ")[1:]:
        name = block.split(":")[0]
        if name not in functions:
            continue
        f, h = functions[name], 1e-4
        for x_text, got in re.findall(r"x = (\d\.\d): grad\(grad\(f\)\) = ([-+]\d+\.\d+)", block):
            x = float(x_text)
            central = (f(x + h) - 2 * f(x) + f(x - h)) / h**2
            assert float(got) == pytest.approx(central, abs=1e-5), (name, x)
            checked += 1
    assert checked == 15
    assert "d/dx (df/dx) = 2y = 10.0,  d/dy (df/dx) = 2x = 6.0" in out


def test_08_optimizers_same_start_and_first_step_sizes(tmp_path):
    out = run_demo("08_adam_sgd_rmsprop.py", tmp_path)
    # Adam's first step is lr * g / (|g| + eps) ~ lr; RMSprop's is lr * g / sqrt(0.01 g**2) = 10 lr.
    assert number_after(out, "Adam lr 0.05") == pytest.approx(0.05, abs=1e-4)
    assert number_after(out, "RMSprop lr 0.01") == pytest.approx(0.1, abs=1e-4)
    rows = {
        int(m.group(1)): [float(v) for v in m.group(2).split()]
        for m in re.finditer(r"^\s*(\d+)((?:\s+\d+\.\d+){3})$", out, re.M)
    }
    assert len(set(rows[0])) == 1  # same start, same first loss
    assert all(last < first / 10 for first, last in zip(rows[0], rows[299]))
    assert (tmp_path / "out" / "optimizers.png").stat().st_size > 0


@pytest.mark.torch
def test_09_torch_model_computes_the_same(tmp_path):
    out = run_demo("09_to_pytorch.py", tmp_path)
    assert "accuracy 100%" in out
    assert number_after(out, "output difference") < 1e-12
    assert number_after(out, "largest gradient difference") < 1e-12
    assert "gives back the same weights: True" in out
    import nn

    model = nn.load(tmp_path / "out" / "circles-model.json")
    assert model.num_parameters() == 8 * 3 + 9


def test_09_without_torch_says_how_to_install(tmp_path):
    # A sitecustomize-free way to hide torch: a module named torch that fails to import.
    fake = tmp_path / "hide"
    fake.mkdir()
    (fake / "torch.py").write_text("raise ImportError('hidden for the test')\n")
    stdout = run_demo("09_to_pytorch.py", tmp_path, path_first=fake)
    assert "PyTorch is not installed" in stdout and "pip install torch" in stdout


def test_the_demos_write_into_one_printed_folder(tmp_path):
    """Without an argument, every demo writes into ./chainrule-demos and prints where that is."""
    for demo in ["01_perceptron_and_activations.py", "05_trace_a_neuron.py", "06_step_through_backprop.py"]:
        out = run_in(tmp_path, demo)
        if demo.startswith("05") or demo.startswith("06"):
            assert f"output folder: {tmp_path / 'chainrule-demos'}" in out.splitlines()
    assert [p.name for p in tmp_path.iterdir()] == ["chainrule-demos"]
    written = sorted(p.name for p in (tmp_path / "chainrule-demos").iterdir())
    assert written == ["neuron-nn.svg", "neuron.svg", "steps.html"]


def test_the_demos_folder_is_overridable_by_variable_and_argument(tmp_path):
    """$CHAINRULE_DEMOS_OUT sets the folder for every demo; a first argument wins over it."""
    out = run_in(tmp_path, "05_trace_a_neuron.py", variable=str(tmp_path / "by-variable"))
    assert f"output folder: {tmp_path / 'by-variable'}" in out.splitlines()
    out = run_in(tmp_path, "06_step_through_backprop.py", "by-argument", variable="by-variable")
    assert f"output folder: {tmp_path / 'by-argument'}" in out.splitlines()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["by-argument", "by-variable"]
    assert sorted(p.name for p in (tmp_path / "by-variable").iterdir()) == ["neuron-nn.svg", "neuron.svg"]
    assert [p.name for p in (tmp_path / "by-argument").iterdir()] == ["steps.html"]


def test_tour_notebook_executes(tmp_path):
    """Run demos/tour.ipynb with nbclient on the python3 kernel, in a subprocess.

    In a subprocess because the Jupyter machinery raises the interpreter's recursion limit in
    the process that drives it, which would leak into the other tests.
    """
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    source = DEMOS / "tour.ipynb"
    notebook = nbformat.read(source, as_version=4)
    assert all(
        not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"
    )  # committed clean
    notebook = execute_notebook(source, tmp_path / "tour-executed.ipynb", tmp_path)
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    plot_cells = [cell for cell in notebook.cells if cell.cell_type == "code" and "plt." in cell.source]
    assert plot_cells  # the loss curve
    for cell in plot_cells:  # each matplotlib plot is shown inline, as a picture
        assert any("image/png" in out.get("data", {}) for out in cell.outputs), cell.source
    svgs = [out for out in outputs if "image/svg+xml" in out.get("data", {})]
    assert len(svgs) >= 4  # the graphs are rendered inline
    text = "".join(out.get("text", "") for out in outputs)
    assert "o = 0.7071, do/dw1 = 1.0000, do/dx1 = -1.5000" in text  # 1 - tanh**2 = 0.5; x1 * 0.5, w1 * 0.5
    assert "x.grad = 5.0: matches" in text  # d(x*w + x)/dx = w + 1 with w = 4
    from autograd.see.legibility import smallest_text

    for out in svgs:  # every inline picture is readable on a 1920 x 1080 projector
        sizes = smallest_text(out["data"]["image/svg+xml"])
        assert sizes.node_px >= 14 and sizes.edge_px >= 12, sizes
    collapsed = svgs[-1]["data"]["image/svg+xml"]  # the MLP, one box per neuron
    assert collapsed.count(">tanh<") == 4 and ">softplus<" in collapsed  # the loss's softplus: an oval
    assert collapsed.count(">dot<") == 1  # the linear output neuron's box
    assert ">x1<" in collapsed and ">x2<" in collapsed  # the inputs are named, drawn as inputs


def readme_python_blocks() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, re.M | re.S)


def test_readme_has_python_examples():
    assert len(readme_python_blocks()) >= 1


@pytest.mark.parametrize("index", range(len(readme_python_blocks())))
def test_readme_python_block_runs(index, tmp_path):
    code = readme_python_blocks()[index]
    env = {**os.environ, "PYTHONPATH": str(REPO), "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300
    )
    assert result.returncode == 0, f"README block {index} failed:\n{code}\n{result.stderr}"
    # Where a line says what it prints ("print(x)  # 1.0"), the output must say it too.
    for comment in re.findall(r"^print\(.*\)\s+#\s+(.*)$", code, re.M):
        assert comment.split(" = ")[-1] in result.stdout, comment


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_readme_quick_start_draws_the_committed_picture(tmp_path):
    """docs/quickstart.svg is what the README's first example renders (same boxes, same numbers)."""
    code = readme_python_blocks()[0]
    assert 'render(o, "quickstart.svg"' in code
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, cwd=tmp_path, env=env, timeout=300
    )
    committed = svg_texts(REPO / "docs" / "quickstart.svg")
    assert "0.5000 × 1.0000 = 0.5000" in committed  # do/dn = 1 - tanh(n)**2 = 0.5 at the root edge
    assert sorted(svg_texts(tmp_path / "quickstart.svg")) == sorted(committed)


def cli_examples() -> list[tuple[str, list[str]]]:
    """Each ``$ chainrule ...`` line of docs/cli.md's console blocks, with the output shown under it."""
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    examples: list[tuple[str, list[str]]] = []
    for block in re.findall(r"^```console\n(.*?)^```", text, re.M | re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            elif examples and line.strip() not in ("", "..."):
                examples[-1][1].append(line.strip())
    return examples


def test_cli_doc_examples_run_and_print_what_the_doc_shows(tmp_path):
    """The examples run in order in one empty directory (so --load finds the model saved before)."""
    import shlex

    examples = cli_examples()
    assert len(examples) >= 8
    env = {**os.environ, "PYTHONPATH": str(REPO), "MPLBACKEND": "Agg"}
    for command, shown in examples:
        args = shlex.split(command)
        assert args[0] == "chainrule"
        result = subprocess.run(
            [sys.executable, "-m", "chainrule", *args[1:]],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=600,
        )
        is_error = any("error:" in line for line in shown)
        assert (result.returncode == 2) if is_error else (result.returncode == 0), (command, result.stderr)
        assert "Traceback" not in result.stderr
        printed = [line.strip() for line in (result.stdout + result.stderr).splitlines()]
        for line in shown:
            assert line in printed, (command, line)
    assert (tmp_path / "neuron.svg").exists() and (tmp_path / "fanout.png").exists()
    assert (tmp_path / "chainrule-out" / "xor-model.json").exists()


def test_tutorial_blocks_print_what_the_tutorial_shows():
    """docs/tutorial.md: each ```python block, run in order in one namespace, prints the ```text block under it."""
    import contextlib
    import io

    text = (REPO / "docs" / "tutorial.md").read_text(encoding="utf-8")
    pairs = re.findall(r"^```python\n(.*?)^```\n```text\n(.*?)^```", text, re.M | re.S)
    assert len(pairs) >= 6
    namespace: dict[str, object] = {}
    for code, shown in pairs:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "docs/tutorial.md", "exec"), namespace)
        assert printed.getvalue() == shown, code
    # The numbers the prose derives by hand: product rule, fan-out, sigmoid chain.
    assert "a.grad = -1.0: matches" in text  # d(ab + a)/da = b + 1 with b = -2
    assert "w.grad = 0.125: matches" in text  # sigmoid'(0) * x = 0.25 * 0.5


@pytest.mark.slow
def test_lesson_numpy_program_and_chainrule_agree(tmp_path):
    import numpy as np

    out = run_demo("lesson_numpy.py", tmp_path)
    # The lesson's loop, run here as the oracle: after 100 iterations the weights are far from 0.
    np.random.seed(1)
    w, b = np.random.randn(2, 1), 0.0
    X, y = np.array([[0, 0], [0, 1], [1, 0], [1, 1]]), np.array([[0], [1], [1], [0]])
    for _ in range(10000):
        a = 1 / (1 + np.exp(-(X @ w + b)))
        w -= 0.1 * X.T @ (a - y) / 4
        b -= 0.1 * float(np.sum(a - y)) / 4
    numpy_part, chainrule_part = out.split("the same neuron in chainrule")
    for part in (numpy_part, chainrule_part):
        outputs = re.search(r"final output:\s+(.*)", part).group(1).split()
        assert [float(v) for v in outputs] == pytest.approx(a.ravel().tolist(), abs=1e-6)
    assert number_after(out, "after 100 iterations (weights still far from 0), largest difference:") < 1e-12
    assert number_after(out, "largest difference:") < 1e-12
    pyproject = (REPO / "pyproject.toml").read_text()
    runtime = re.search(r"^dependencies = \[(.*)\]$", pyproject, re.M)
    assert runtime and runtime.group(1) == '"graphviz>=0.20"'  # numpy stays out of the runtime


@pytest.mark.slow
def test_10_activation_slopes_match_the_formulas(tmp_path):
    out = run_demo("10_activation_curves.py", tmp_path)
    for z in (-4.0, -1.0, 0.0, 1.0, 4.0):
        row = re.search(rf"^\s*{z:.1f}\s+(.*)$", out, re.M).group(1).split()
        s, t = sigmoid(z), math.tanh(z)
        expected = [s, s * (1 - s), t, 1 - t * t, max(z, 0.0), 1.0 if z > 0 else 0.0]
        assert [float(v) for v in row] == pytest.approx(expected, abs=1e-4)
    assert "sigmoid 0.2500, tanh 1.0000, relu 1.0000" in out
    assert (tmp_path / "out" / "activations.png").stat().st_size > 0


@pytest.mark.slow
def test_11_cross_entropy_pushes_harder_when_confidently_wrong(tmp_path):
    out = run_demo("11_mse_vs_cross_entropy.py", tmp_path)
    a = sigmoid(-4.0)
    assert number_after(out, "dL/dz  mse") == pytest.approx(2 * (a - 1) * a * (1 - a), abs=1e-4)
    assert number_after(out, "cross-entropy") == pytest.approx(a - 1, abs=1e-4)
    assert number_after(out, "ratio") == pytest.approx(1 / (2 * a * (1 - a)), abs=0.05)
    mse_step = number_after(out, "mse: a after 60 steps 0.8758; first step with a > 0.5:")
    ce_step = number_after(out, "cross_entropy: a after 60 steps 0.9815; first step with a > 0.5:")
    assert ce_step < mse_step / 4


@pytest.mark.slow
def test_12_learning_rates_follow_the_error_factors(tmp_path):
    out = run_demo("12_learning_rates.py", tmp_path)
    # from w = b = 0 on y = 2x + 1: w's error shrinks by (1 - lr), b's by (1 - 2 lr) each step,
    # and the loss is 0.5 * e_w**2 + e_b**2 (mean x**2 = 0.5, mean x = 0)
    for lr in (0.05, 0.5, 1.2):
        e_w, e_b = 2 * (1 - lr) ** 30, (1 - 2 * lr) ** 30
        printed = re.search(rf"lr {lr}\s+loss 3.0000 -> (\S+) after 30 steps \((\w+)\)", out)
        assert printed, out
        assert float(printed.group(1)) == pytest.approx(0.5 * e_w**2 + e_b**2, rel=1e-3, abs=1e-17)
        assert printed.group(2) == ("diverges" if lr > 1 else "converges")


@pytest.mark.slow
def test_13_neuron_line_is_straight_and_the_mlp_solves_xor(tmp_path):
    out = run_demo("13_xor_boundaries.py", tmp_path)
    line = re.search(r"class 1 where (\S+)\*x1 \+ (\S+)\*x2 \+ (\S+) > 0", out)
    w1, w2, b = (float(v) for v in line.groups())
    corners, labels = [(0, 0), (0, 1), (1, 0), (1, 1)], [0, 1, 1, 0]
    right = sum((w1 * u + w2 * v + b > 0) == bool(y) for (u, v), y in zip(corners, labels))
    assert number_after(out, "accuracy") == pytest.approx(100 * right / 4) and right <= 3
    assert "MLP(2, [4, 1]): accuracy 100%" in out


@pytest.mark.slow
def test_14_layer_diagram_counts_and_largest_weights(tmp_path):
    from chainrule.lesson import train_mlp

    out = run_demo("14_layer_diagram.py", tmp_path)
    assert "layers [2, 4, 1]: 12 weights, 5 biases" in out
    model, _ = train_mlp()  # the same seeded run, here in the test's process
    for k, layer in enumerate(model.layers):
        largest = max(abs(w.data) for neuron in layer.neurons for w in neuron.w)
        assert number_after(out, f"layer {k}: largest |w|") == pytest.approx(largest, abs=1e-4)
    assert (tmp_path / "out" / "layer-diagram.png").stat().st_size > 0


def test_15_perceptron_learns_and_by_hand_and_cycles_on_xor(tmp_path):
    out = run_demo("15_perceptron_rule.py", tmp_path)
    # AND from zeros, lr 1 (worked out sample by sample in tests/nn/test_perceptron.py)
    assert "epoch 6: w = (2, 1), b = -2, mistakes 0" in out
    assert "converged after 6 epochs: 2*x1 + 1*x2 - 2 = 0" in out
    assert "OR: labels [0, 1, 1, 1]" in out and "converged after 4 epochs" in out
    xor = out.split("XOR:")[1]
    assert "converged" not in xor and "it never converges" in xor
    for gate in ("and", "or", "xor"):
        assert (tmp_path / "out" / f"perceptron-{gate}.png").stat().st_size > 10_000


def test_16_health_names_the_saturated_layers_and_explain_is_the_hand_product(tmp_path):
    out = run_demo("16_deep_tanh_health.py", tmp_path)
    xavier, large = out.split("Xavier init x 10:")
    rows = [line.split() for line in large.splitlines() if line.startswith("layers.")]
    hidden = [row for row in rows if row[1] == "tanh"]
    assert len(hidden) == 6 and all(float(row[3].rstrip("%")) > 50 for row in hidden)
    assert all(float(row[7]) < 1e-4 for row in hidden[1:])  # update:data of the stalled layers
    assert "saturated (past 0.97)" in large and "all but stopped" in large
    assert "saturated (past" not in xavier  # the well-initialised network has no such line
    # d out/d w_first through four tanh units with weights 3, by hand: 3^4 * prod(1 - a_k^2) * x
    a, product = 1.0, 1.0
    for _ in range(4):
        a = math.tanh(3.0 * a)
        product *= 3.0 * (1 - a * a)
    assert number_after(out, "d out / d w_first =") == pytest.approx(product, rel=1e-6)
    assert "sum over 1 path(s)" in out and "matches" in out


# What each numbered demo that plots writes; the others write no picture with matplotlib.
PLOTS = {
    "03_xor_neuron_vs_mlp.py": "xor-losses.png",
    "04_moons_classifier.py": "moons-boundary.png",
    "08_adam_sgd_rmsprop.py": "optimizers.png",
    "10_activation_curves.py": "activations.png",
    "11_mse_vs_cross_entropy.py": "mse-vs-cross-entropy.png",
    "12_learning_rates.py": "learning-rates.png",
    "13_xor_boundaries.py": "xor-boundaries.png",
    "14_layer_diagram.py": "layer-diagram.png",
    "15_perceptron_rule.py": "perceptron-*.png",
}


@pytest.mark.parametrize("demo", NUMBERED, ids=lambda path: path.name[:2])
def test_every_numbered_demo_runs_without_matplotlib(demo, tmp_path):
    """A bare install: a demo prints all it computes, then one line naming the extra for its plot
    (both install forms), as the command does; no traceback, exit 0 (run_demo checks both)."""
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "matplotlib.py").write_text("raise ImportError('matplotlib hidden for the test')\n")
    out = run_demo(demo.name, tmp_path, path_first=hidden)
    said = [line for line in out.splitlines() if "it needs matplotlib" in line]
    if demo.name in PLOTS:
        assert len(said) == 1, out
        assert PLOTS[demo.name] in said[0]
        assert "pip install 'chainrule[plot]'" in said[0] and "pip install -e '.[plot]'" in said[0]
    else:
        assert said == []
    assert not list((tmp_path / "out").glob("*.png"))


def test_18_tiny_gpt_trains_with_one_trace_per_length_and_draws_one_head(tmp_path, monkeypatch):
    import runpy

    from autograd import Value
    from bench import gpt

    monkeypatch.syspath_prepend(str(DEMOS))  # for its ``_common``; main() does not run
    demo = runpy.run_path(str(DEMOS / "18_tiny_gpt.py"), run_name="not_main")
    out = run_demo("18_tiny_gpt.py", tmp_path)
    # step 0 is the first shuffled name at the initial weights: bench.gpt's indexed, shifted loss
    names = list(demo["NAMES"])
    random.Random(demo["SEED"]).shuffle(names)
    first = gpt.gpt_loss(gpt.gpt_parameters(Value, seed=demo["SEED"]), gpt.tokens(f" {names[0]} ")).data
    assert number_after(out, "step  0  loss") == pytest.approx(first, abs=6e-4)
    lengths = {len(n) for n in demo["NAMES"]}
    assert f"{len(lengths)} traces (one per name length), 0 retraces" in out
    assert number_after(out, "of the last 10") < number_after(out, "mean loss of the first 10 steps")
    samples = re.search(r"^samples: (.*)$", out, re.M)
    assert samples and all(re.fullmatch(r"[a-z]*", s) for s in samples.group(1).split(", "))
    svg = (tmp_path / "out" / "tiny_gpt_head.svg").read_text()
    assert "head 0 out [2]" in svg and "weight 2 x value 2" in svg and "sum of exps" in svg
