"""The `chainrule` command end to end, in subprocesses, as a user runs it."""

import json
import math
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import nn

pytestmark = pytest.mark.slow  # subprocesses and trainings

CHAINRULE = [sys.executable, "-m", "chainrule"]
SCRIPT = Path(sys.executable).parent / "chainrule"


def run(*args, cwd=None):
    return subprocess.run([*CHAINRULE, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()  # raises if the SVG is not well-formed XML
    assert root.tag.endswith("svg")
    return " ".join(t.strip() for t in root.itertext() if t.strip())


def test_console_script_is_installed_and_has_help():
    result = subprocess.run([str(SCRIPT), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for command in ("lesson", "graph", "train"):
        assert command in result.stdout


@pytest.mark.parametrize("command", ["lesson", "graph", "train"])
def test_every_subcommand_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0 and "usage: chainrule " + command in result.stdout


def test_lesson_replays_the_lesson_and_writes_pictures(tmp_path):
    result = run("lesson", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    single, mlp = text.split("2. Add a hidden layer")
    # one sigmoid neuron on XOR ends at 0.5 everywhere: loss log 2, half right at best
    assert single.count("output 0.5000") == 4
    assert f"final loss {math.log(2):.4f}" in single
    assert "not linearly separable" in single
    assert "accuracy 100%" in mlp
    out = tmp_path / "out"
    for name in (
        "neuron-graph.svg",
        "loss-graph.svg",
        "neuron-steps.html",
        "loss-curves.png",
        "xor-boundaries.png",
    ):
        assert (out / name).stat().st_size > 1000
        assert f"wrote {out / name}" in text
    words = svg_text(out / "neuron-graph.svg")
    for label in ("w1", "w2", "b", "x1", "x2", "z", "a"):
        assert label in words.split()
    assert (out / "loss-curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_graph_prints_gradients_and_draws(tmp_path):
    x1, x2, w1, w2, b = 2.0, 0.0, -3.0, 1.0, 6.88
    result = run(
        "graph", "tanh(w1*x1 + w2*x2 + b)", f"x1={x1}", f"x2={x2}", f"w1={w1}", f"w2={w2}", f"b={b}",
        "-o", str(tmp_path / "g.svg"), "--steps", str(tmp_path / "steps.html"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    o = math.tanh(w1 * x1 + w2 * x2 + b)
    dn = 1 - o * o
    printed = dict(line.split(" = ") for line in result.stdout.splitlines() if line.startswith("d/d"))
    expected = {"x1": dn * w1, "x2": dn * w2, "w1": dn * x1, "w2": dn * x2, "b": dn}
    for name, value in expected.items():
        assert float(printed[f"d/d{name}"]) == pytest.approx(value, rel=1e-5, abs=1e-9)
    words = svg_text(tmp_path / "g.svg").split()
    assert {"x1", "w1", "tanh"} <= set(words)
    assert (tmp_path / "steps.html").read_text().count("<svg") >= 1


def test_graph_png_and_no_grad(tmp_path):
    result = run("graph", "x*y", "x=3", "y=4", "--no-grad", "-o", str(tmp_path / "g.png"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["graph", "__import__('os').system('echo hacked')"], "cannot call"),
        (["graph", "x.y", "x=1"], "Attribute"),
        (["graph", "x + y", "x=1"], "unknown name 'y'"),
        (["graph", "x", "x=1", "z=2"], "'z' is given but not used"),
        (["graph", "x", "x=abc"], "not a number"),
        (["graph", "x", "x=1", "x=2"], "given twice"),
        (["graph", ""], "empty"),
        (["graph", "x ** 1e6", "x=10"], "too large"),
        (["train", "moons", "--hidden", "a,b"], "--hidden"),
        (["train", "moons", "--epochs", "0"], "--epochs"),
        (["train", "blobs", "--loss", "hinge"], "use cross_entropy"),
        (["train", "spirals"], "invalid choice"),
        (["fly"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_arguments_are_usage_errors_without_traceback(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "hacked" not in result.stdout


def test_train_writes_model_and_plot_and_can_continue(tmp_path):
    out = tmp_path / "out"
    result = run("train", "xor", "--hidden", "4", "--activation", "tanh", "--loss", "bce", "--epochs", "300",
                 "--out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "accuracy 100%" in result.stdout
    model = nn.load(out / "xor-model.json")
    X, y = nn.data.xor()
    assert [int(model(x).data > 0) for x in X] == y  # the saved model really is the trained one
    assert (out / "xor-training.png").read_bytes()[:4] == b"\x89PNG"
    assert "epoch" in result.stderr  # the tqdm progress bar

    again = run("train", "xor", "--load", str(out / "xor-model.json"), "--loss", "bce", "--epochs", "5",
                "--out", str(tmp_path / "again"))  # fmt: skip
    assert again.returncode == 0, again.stderr
    weights = json.loads((tmp_path / "again" / "xor-model.json").read_text())
    assert weights["config"]["nouts"] == [4, 1]


def test_train_load_of_a_broken_file_is_a_clean_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = run("train", "xor", "--load", str(bad), "--out", str(tmp_path))
    assert result.returncode == 1
    assert "error:" in result.stderr and "Traceback" not in result.stderr


def test_train_blobs_with_adam_and_cross_entropy(tmp_path):
    result = run("train", "blobs", "--optimizer", "adam", "--epochs", "40", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    accuracy = int(result.stdout.split("accuracy ")[1].split("%")[0])
    assert accuracy >= 90


def test_graph_edge_labels_show_the_chain_rule_and_are_readable(tmp_path):
    from autograd.see.legibility import smallest_text

    result = run("graph", "x*y", "x=3", "y=4", "--edge-labels", "-o", str(tmp_path / "g.svg"))
    assert result.returncode == 0, result.stderr
    text = svg_text(tmp_path / "g.svg")
    # d(xy)/dx = y = 4 and d(xy)/dy = x = 3, each times the upstream grad 1
    assert "4.0000 × 1.0000 = 4.0000" in text and "3.0000 × 1.0000 = 3.0000" in text
    sizes = smallest_text((tmp_path / "g.svg").read_text())
    assert sizes.node_px >= 14 and sizes.edge_px >= 12
    plain = run("graph", "x*y", "x=3", "y=4", "-o", str(tmp_path / "plain.svg"))
    assert plain.returncode == 0 and "×" not in svg_text(tmp_path / "plain.svg")
