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


def test_graph_says_a_picture_is_too_small_to_read_in_one_line(capsys, tmp_path, monkeypatch):
    """12 tanh neurons summed: fitted to 1920 x 1080 the box text is about 11 px (< 14): the command
    says so in its own one-line style, never as a raw Python warning naming cli.py, and not with the
    Python API's ways out (collapse=, focus=), which the command does not have."""
    import warnings

    monkeypatch.chdir(tmp_path)
    terms = [f"tanh(w{i}*x{i})" for i in range(12)]
    values = [f"{name}{i}=0.5" for i in range(12) for name in ("w", "x")]
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        code, out, err = run(["graph", "+".join(terms), *values], capsys)
    assert escaped == []  # nothing left for Python to print as "cli.py:163: IllegibleGraphWarning: ..."
    lines = [line for line in err.splitlines() if line]
    assert code == 0 and len(lines) == 1, err
    assert lines[0].startswith("chainrule graph: warning: fitted to a 1920 × 1080 screen")
    assert "box text" in lines[0] and "Draw a smaller part of the expression." in lines[0]
    assert "collapse=" not in lines[0] and "focus=" not in lines[0] and "Warning" not in lines[0]
    assert "wrote graph.svg" in out and (tmp_path / "graph.svg").exists()


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
    code, _, err = run(["train", "xor", "--hidden", "1000,1000"], capsys)
    assert code == 2 and "makes an MLP of about 1,007,003 parameters; the limit is 100,000" in err


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


# --- train: every size bounded, naming the limit and the value (issue 23) --------------------------


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--samples", "1000000000"], "argument --samples: the limit is 100,000, got 1,000,000,000"),
        (["--epochs", "10000000"], "argument --epochs: the limit is 1,000,000, got 10,000,000"),
        (["--hidden", ",".join(["1"] * 5000)], "argument --hidden: at most 100 hidden layers, got 5,000"),
        (["--hidden", ",".join(["1"] * 101)], "argument --hidden: at most 100 hidden layers, got 101"),
        (["--hidden", "4,1001"], "argument --hidden: a hidden layer has at most 1,000 neurons, got 1,001"),
        (
            ["--samples", "100000"],  # the default 16,16 network: 337 parameters
            "100,000 samples x 337 parameters = 33,700,000 graph entries per epoch; the limit is 10,000,000",
        ),
        (
            ["--epochs", "100000", "--flipbook", "run.html"],
            "--flipbook would keep 100,000 epochs x 1,574 numbers = 157,400,000; the limit is 20,000,000",
        ),
    ],
)
def test_train_sizes_are_bounded_before_anything_is_built(argv, words, capsys, tmp_path):
    code, _, err = run(["train", "moons", *argv, "--out", str(tmp_path)], capsys)
    assert code == 2 and words in one_error_line(err, "train")
    assert os.listdir(tmp_path) == []  # refused before training: nothing written


def test_hidden_at_the_limits_is_accepted():
    sizes = cli.build_parser().parse_args(["train", "xor", "--hidden", ",".join(["1"] * 100)]).hidden
    assert sizes == [1] * 100
    assert cli.build_parser().parse_args(["train", "xor", "--hidden", "1000"]).hidden == [1000]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this system")
def test_load_of_a_symlink_to_dev_zero_is_one_line(capsys, tmp_path):
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    code, _, err = run(
        ["train", "xor", "--load", str(tmp_path / "zero.json"), "--out", str(tmp_path)], capsys
    )
    assert code == 1 and "zero.json'): not a regular file (a character device)" in one_error_line(
        err, "train"
    )


@pytest.mark.parametrize(
    ("argv", "patched", "words"),
    [
        (
            ["train", "moons", "--samples", "500", "--hidden", "8,8"],
            "chainrule.train.run_training",
            "out of memory: the training run is too large (--samples 500, --hidden 8,8, --epochs 100); "
            "try smaller ones",
        ),
        (
            ["train", "xor", "--load", "m.json"],
            "chainrule.train.run_training",
            "out of memory: the training run is too large (--samples 100, --hidden 16,16, --epochs 100, "
            "--load m.json)",
        ),
        (
            ["graph", "x*y+x", "x=1", "y=2"],
            "chainrule.cli.build_expression",
            "out of memory: the expression is too large (5 characters); try a smaller one",
        ),
        (
            ["quiz", "x*x", "x=1"],
            "chainrule.cli.build_expression",
            "out of memory: the expression is too large",
        ),
        (["lesson"], "chainrule.lesson.run_lesson", "out of memory: try again with more free memory"),
    ],
)
def test_a_memory_error_anywhere_is_one_line_naming_what_was_too_large(
    argv, patched, words, capsys, monkeypatch
):
    def exhausted(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr(patched, exhausted)
    code, _, err = run(argv, capsys)  # run() asserts: no traceback, no "internal error"
    assert code == 1 and words in one_error_line(err, argv[0])


@pytest.mark.parametrize("argv", [["quiz", "2*3"], ["quiz", "x", "x=2"]])
def test_quiz_with_nothing_to_ask_says_why_instead_of_scoring_0_of_0(argv, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert "score" not in out
    line = one_error_line(err, "quiz")
    assert "nothing to ask" in line and "constants are not asked" in line and 'chainrule quiz "2*x" x=3' in line
