"""The command's promise (docs/cli.md): one clear line and exit code 1 or 2, never a traceback.

Run in-process through ``chainrule.cli.main(argv)`` with stderr captured (fast); the tests
that train are marked slow. Each case printed a traceback before issue 15.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import nn
from chainrule import cli
from chainrule.expression import ExpressionError, build_expression

READ_ONLY = "/sys"  # root may not write under /sys (a kernel filesystem): EPERM / EACCES


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of the command, argparse's SystemExit included."""
    try:
        code = cli.main(argv)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return code, out, err


def one_error_line(err: str, command: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith(f"chainrule {command}: error:")]
    assert len(lines) == 1, err
    return lines[0]


# --- graph: where the picture and the page go -----------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "path", "words"),
    [
        ("-o", "g.txt", "must end in .svg, .png or .pdf"),
        ("-o", ".", "must end in .svg, .png or .pdf"),
        ("--steps", "s.txt", "must end in .html"),
    ],
)
def test_graph_wrong_suffix_is_a_usage_error(flag, path, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["graph", "x*2", "x=1", flag, path], capsys)
    assert code == 2 and words in one_error_line(err, "graph")
    assert os.listdir(tmp_path) == []  # refused before anything was written


@pytest.mark.parametrize(
    ("flag", "path", "words"),
    [
        ("-o", "missing/g.svg", "No such file or directory"),
        ("-o", "adir.svg", "Is a directory"),
        ("-o", f"{READ_ONLY}/g.svg", "not permitted"),
        ("--steps", "missing/s.html", "No such file or directory"),
        ("--steps", f"{READ_ONLY}/s.html", "not permitted"),
    ],
)
def test_graph_unwritable_paths_give_one_line(flag, path, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir.svg").mkdir()
    code, _, err = run(["graph", "x*2", "x=1", flag, path], capsys)
    line = one_error_line(err, "graph")
    assert code == 1 and repr(path) in line
    assert words in line or "Permission denied" in line


def test_graph_too_big_to_draw_gives_one_line(capsys, tmp_path, monkeypatch):
    """A balanced sum of 1024 leaves: 2047 values, more than draw_dot's max_nodes=500."""
    monkeypatch.chdir(tmp_path)
    names = [f"x{i}" for i in range(1024)]

    level = names
    while len(level) > 1:  # pair neighbours, level by level: ((x0+x1)+(x2+x3)) ...
        level = [f"({a}+{b})" for a, b in zip(level[::2], level[1::2])]
    code, out, err = run(["graph", level[0], *[f"{n}=1" for n in names]], capsys)
    line = one_error_line(err, "graph")
    assert code == 1 and "the expression makes 2047 values, more than the 500" in line
    assert "max_nodes" not in line  # an option of the Python API, not of the command
    assert "value: " in out and "= 1024" in out and "d/dx1023 = 1" in out  # the numbers were still printed
    code, out, err = run(["graph", level[0], *[f"{n}=1" for n in names], "--steps", "s.html"], capsys)
    assert code == 1 and "2047 values" in one_error_line(err, "graph") and "= 1024" in out
    assert not (tmp_path / "s.html").exists() and not (tmp_path / "graph.svg").exists()


def test_graph_fullwidth_names_are_the_names_python_reads(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["graph", "ｘ*2", "ｘ=3"], capsys)  # the parser folds ｘ to x
    assert code == 0 and "= 6" in out and "d/dx = 2" in out
    code, _, err = run(["graph", "ｘ*2", "ｘ=3", "x=1"], capsys)
    assert code == 2 and "variable 'x' is given twice" in one_error_line(err, "graph")


def test_build_expression_normalises_names_the_same_way():
    root, leaves = build_expression("ｘ*ｙ", {"ｘ": 2.0, "y": 5.0})
    root.backward()
    assert root.data == 10.0 and leaves["x"].grad == 5.0 and leaves["y"].grad == 2.0
    with pytest.raises(ExpressionError, match="given twice"):
        build_expression("x*2", {"ｘ": 1.0, "x": 2.0})


@pytest.mark.parametrize("constant", ["1j", "None", "True", "...", "'a'", "b'a'", "2j"])
def test_only_int_and_float_constants_are_allowed(constant):
    with pytest.raises(ExpressionError, match="only numbers are allowed"):
        build_expression(f"{constant}*x", {"x": 1.0})


# --- lesson and train: folders -------------------------------------------------------------------


@pytest.mark.parametrize("command", ["lesson", "train"])
@pytest.mark.parametrize(("out", "words"), [("afile", "File exists"), (f"{READ_ONLY}/out", "not permitted")])
def test_out_folder_that_cannot_be_written_fails_before_training(
    command, out, words, capsys, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("not a folder")
    argv = [command, "--out", out] if command == "lesson" else ["train", "xor", "--out", out]
    code, stdout, err = run(argv, capsys)
    line = one_error_line(err, command)
    assert code == 1 and repr(out) in line and (words in line or "Permission denied" in line)
    assert "accuracy" not in stdout  # refused before any training


def test_out_folder_on_a_read_only_filesystem_names_the_folder(capsys, tmp_path, monkeypatch):
    """EROFS simulated (mounting a read-only filesystem needs privileges CI may not have)."""
    import errno
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.path.join(kwargs["dir"], "tmpabc"))

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)
    code, _, err = run(["lesson", "--out", "ro"], capsys)
    assert code == 1 and one_error_line(err, "lesson").endswith("'ro': Read-only file system")


def test_hidden_sizes_are_bounded(capsys):
    code, _, err = run(["train", "xor", "--hidden", "100000,100000"], capsys)
    assert code == 2 and "the limit is 100,000" in err


def test_load_of_a_401_digit_weight_is_one_line(capsys, tmp_path):
    path = tmp_path / "big.json"
    nn.save(nn.MLP(2, [16, 16, 1]), path)
    document = json.loads(path.read_text())
    document["state_dict"]["layers.0.neurons.0.b"] = 10**400
    path.write_text(json.dumps(document))
    code, _, err = run(["train", "xor", "--load", str(path), "--out", str(tmp_path)], capsys)
    line = one_error_line(err, "train")
    assert code == 1 and "big.json" in line and "'layers.0.neurons.0.b' is too large for a float" in line


def test_ctrl_c_exits_130_without_a_traceback(capsys, monkeypatch):
    import chainrule.lesson

    def interrupted(out: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(chainrule.lesson, "run_lesson", interrupted)
    code, _, err = run(["lesson"], capsys)
    assert code == 130 and err == ""


def test_a_bug_is_still_one_line(capsys, monkeypatch):
    """The last guard: an unexpected exception is reported in one line, exit code 1."""
    import chainrule.lesson

    def broken(out: Path) -> None:
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(chainrule.lesson, "run_lesson", broken)
    code = cli.main(["lesson"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert err.strip() == "chainrule lesson: internal error (ZeroDivisionError: planted); please report it"


# --- a diverging run ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("extra", [["--loss", "mse"], ["--lr", "1e300"]])
def test_diverging_run_stops_writes_the_plot_and_no_model(extra, capsys, tmp_path):
    code, out, err = run(["train", "moons", *extra, "--out", str(tmp_path)], capsys)
    line = one_error_line(err, "train")
    assert code == 1
    assert (
        "loss became nan at epoch" in line or "loss became inf at epoch" in line
    ) and "smaller --lr" in line
    assert (tmp_path / "moons-training.png").stat().st_size > 10_000
    assert not (tmp_path / "moons-model.json").exists()
    assert f"wrote {tmp_path / 'moons-training.png'}" in out
