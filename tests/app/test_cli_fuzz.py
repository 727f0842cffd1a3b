"""A property-based fuzz of the command's promise (docs/cli.md, issue 15 item 13).

Whatever the arguments and paths, ``chainrule`` ends with exit code 0, 1 or 2 (130 on
Ctrl-C), and no ``Traceback`` (nor the last guard's ``internal error`` line, which would mean
a bug got that far) reaches stderr.

The fast part calls ``chainrule.cli.main(argv)`` in-process with stdout and stderr captured,
each example in a fresh folder holding hostile files (a file where a folder should be, a
model with a 401-digit weight, a truncated model, ...). Training examples run one or two
epochs and the plot is replaced by a stub that writes bytes to its path, so the fuzz stays
fast while every path is still written to. The slow part runs a few arguments in real
subprocesses, and sends Ctrl-C to a real run.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nn
from chainrule import cli

FUZZ = settings(
    # 80 examples in CI (the whole suite); 30 in the fast loop, which must stay under 30 s
    max_examples=80 if os.environ.get("CI") == "true" else 30,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI stays reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# --- the pieces arguments are made of --------------------------------------------------------------
# Each argument is drawn half the time from sound values and half from hostile ones, so that
# most examples get past argparse and the expression check and reach the files.


def sound_or_hostile(sound: list[str], hostile: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(sound), st.sampled_from(hostile))


def mostly_sound(sound: list[str], hostile: list[str]) -> st.SearchStrategy[str]:
    """A hostile value one time in eight: a train run has nine options, each of which can stop it."""
    return st.integers(0, 7).flatmap(lambda k: st.sampled_from(hostile if k == 0 else sound))


PICTURES = sound_or_hostile(
    ["g.svg", "g.png", "g.pdf", "g.SVG", "ｇ.svg", "a b.svg", "new.svg"],
    [
        "g.txt",
        "g",
        "",
        ".",
        "..",
        "adir",
        "adir.svg",
        "afile/g.svg",
        "missing/g.svg",
        "/sys/g.svg",
        "/proc/g.svg",
        "x" * 300 + ".svg",
        "-",
        "g\x00.svg",
    ],
)
PAGES = sound_or_hostile(
    ["s.html", "s.htm", "ｓ.html"],
    ["s.txt", "", "adir", "missing/s.html", "/sys/s.html", "afile/s.html", "x" * 300 + ".html"],
)
FOLDERS = sound_or_hostile(
    ["out", "adir", "new/deeper", "ｏｕｔ"], ["afile", "afile/sub", "/sys/out", "x" * 300, ""]
)
BAD_FOLDERS = ["afile", "afile/sub", "/sys/out", "x" * 300, "/proc/out"]

# (expression, assignments that fit it) pairs, and token soup with random assignments
SOUND_EXPRESSIONS = [
    ("x*2", ["x=1"]),
    ("tanh(w1*x + 1)", ["w1=-3", "x=2"]),
    ("log(x)", ["x=0.5"]),
    ("x**y", ["x=2", "y=3"]),
    ("ｘ*2", ["ｘ=3"]),
    ("sqrt(x) / y", ["x=4", "y=0"]),
    ("exp(x)", ["x=1000"]),
    ("log(x)", ["x=-1"]),
    ("x**y", ["x=-8", "y=0.5"]),
    ("sin(x) + cos(x)", ["x=inf"]),
    ("x - x", ["x=nan"]),
]
TOKENS = [
    "x",
    "y",
    "ｘ",
    "w1",
    "1",
    "2.5",
    "0",
    "1e308",
    "10**400",
    "1j",
    "None",
    "True",
    "'a'",
    "+",
    "-",
    "*",
    "/",
    "**",
    "(",
    ")",
    "tanh(",
    "log(",
    "exp(",
    "sqrt(",
    "sin(",
    "abs(",
    ",",
    ".",
    " ",
    "__import__",
    "[",
    "lambda",
]
NAMES = ["x", "y", "ｘ", "w1", "1x", "", "x y", "tanh", "__class__"]
NUMBERS = ["1", "-3", "0", "2.5", "nan", "inf", "-inf", "1e400", "abc", "", "0x10", "1" * 5000, "1e-320"]

soup = st.tuples(
    st.lists(st.sampled_from(TOKENS), max_size=12).map("".join),
    st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(NUMBERS)).map("=".join), max_size=3),
)
expressions = st.one_of(st.sampled_from(SOUND_EXPRESSIONS), soup)


def options(pairs: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[list[str]]:
    """Any subset of ``--flag value`` pairs."""
    chosen = [st.one_of(st.just([]), values.map(lambda v, f=flag: [f, v])) for flag, values in pairs.items()]
    return st.tuples(*chosen).map(lambda parts: [word for part in parts for word in part])


graph_argv = st.tuples(
    expressions,
    options({"-o": PICTURES, "--steps": PAGES}),
    st.sampled_from([[], ["--no-grad"]]),
).map(lambda t: ["graph", t[0][0], *t[0][1], *t[1], *t[2]])

train_argv = st.tuples(
    mostly_sound(["xor", "moons", "circles", "blobs"], ["mnist", ""]),
    mostly_sound(["1", "2"], ["0", "-1", "x"]),
    options(
        {
            "--hidden": mostly_sound(
                ["4", "2,2", "3,"], ["0", "-1", "a", "100000,100000", "", "1" * 5000, ",".join(["1"] * 5000)]
            ),
            "--samples": mostly_sound(["4", "9"], ["0", "x", "1000000000", "1e9", "99999"]),
            "--lr": mostly_sound(["0.1", "1e300", "50"], ["nan", "inf", "-1", "0", "x"]),
            "--loss": mostly_sound(["hinge", "mse", "bce", "cross_entropy"], ["l1"]),
            "--optimizer": mostly_sound(["sgd", "adam", "rmsprop"], ["lbfgs"]),
            "--activation": mostly_sound(["relu", "tanh", "sigmoid"], ["gelu"]),
            "--seed": mostly_sound(["0", "-1"], ["x", "1" * 5000]),
            "--out": FOLDERS,
            "--load": sound_or_hostile(
                ["good.json"],
                [
                    "wide.json",
                    "big.json",
                    "cut.json",
                    "binary.json",
                    "nan.json",
                    "missing.json",
                    "adir",
                    "",
                    "zero.json",
                    "huge.json",
                ],
            ),
        }
    ),
).map(lambda t: ["train", t[0], "--epochs", t[1], *t[2]])

lesson_argv = st.sampled_from(BAD_FOLDERS).map(lambda folder: ["lesson", "--out", folder])


# --- running one example ---------------------------------------------------------------------------


def hostile_folder(root: Path) -> None:
    """The files the examples point at."""
    (root / "adir").mkdir()
    (root / "adir.svg").mkdir()
    (root / "afile").write_text("a file where a folder is expected")
    good = nn.MLP(2, [3, 1], seed=0)
    nn.save(good, root / "good.json")
    nn.save(nn.MLP(2, [3, 5], seed=0), root / "wide.json")
    document = json.loads((root / "good.json").read_text())
    document["state_dict"]["layers.0.neurons.0.b"] = 10**400
    (root / "big.json").write_text(json.dumps(document))
    document["state_dict"]["layers.0.neurons.0.b"] = "NaN"
    (root / "nan.json").write_text(json.dumps(document).replace('"NaN"', "NaN"))
    (root / "cut.json").write_text((root / "good.json").read_text()[:100])
    (root / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    if os.path.exists("/dev/zero"):
        (root / "zero.json").symlink_to("/dev/zero")  # read until MemoryError before issue 23
    with open(root / "huge.json", "wb") as f:
        f.truncate(nn.serialize.MAX_FILE_BYTES + 1)  # sparse


def stub_plot(
    model: object, X: object, labels: object, losses: object, accuracies: object, name: str, path: Path
) -> Path:
    Path(path).write_bytes(b"\x89PNG stub")  # still writes where the real plot would
    return Path(path)


@contextlib.contextmanager
def in_fresh_folder() -> Iterator[Path]:
    before = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            hostile_folder(Path(folder))
            yield Path(folder)
        finally:
            os.chdir(before)


def run_in_process(argv: list[str]) -> tuple[int, str]:
    """Exit code and stderr of ``chainrule argv``; any exception escaping main fails the test."""
    err, out = io.StringIO(), io.StringIO()
    with in_fresh_folder(), pytest.MonkeyPatch.context() as patch:
        patch.setattr("chainrule.train.plot", stub_plot)
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            try:
                code = cli.main(argv)
            except SystemExit as exit_:  # argparse: 2 for bad usage, 0 for --help
                code = exit_.code if isinstance(exit_.code, int) else 1
    return code, err.getvalue()


def assert_promise_kept(argv: list[str], code: int, stderr: str) -> None:
    assert code in (0, 1, 2), (argv, code, stderr)
    assert "Traceback" not in stderr, (argv, stderr)
    assert "internal error" not in stderr, (argv, stderr)
    if code != 0:
        assert "error" in stderr, (argv, stderr)  # a failure always says what went wrong


@FUZZ
@given(graph_argv)
def test_graph_never_shows_a_traceback(argv):
    code, stderr = run_in_process(argv)
    assert_promise_kept(argv, code, stderr)


@settings(FUZZ, max_examples=60 if os.environ.get("CI") == "true" else 20)
@given(train_argv)
def test_train_never_shows_a_traceback(argv):
    code, stderr = run_in_process(argv)
    assert_promise_kept(argv, code, stderr)


@settings(FUZZ, max_examples=len(BAD_FOLDERS) * 2)
@given(lesson_argv)
def test_lesson_with_a_bad_folder_never_shows_a_traceback(argv):
    code, stderr = run_in_process(argv)
    assert_promise_kept(argv, code, stderr)
    assert code == 1


# --- the real command in subprocesses ------------------------------------------------------------


CHAINRULE = [sys.executable, "-m", "chainrule"]

SUBPROCESS_CASES = [
    ["graph", "x*2", "x=1", "-o", "g.txt"],
    ["graph", "x*2", "x=1", "-o", "/nonexistent/g.svg"],
    ["graph", "x*2", "x=1", "--steps", "missing/s.html"],
    ["graph", "ｘ*2", "ｘ=3"],
    ["graph", "1j*x", "x=1"],
    ["train", "xor", "--hidden", "100000,100000"],
    ["train", "xor", "--load", "big.json", "--epochs", "1"],
    ["train", "xor", "--load", "zero.json", "--epochs", "1"],
    ["train", "moons", "--samples", "1000000000"],
    ["train", "moons", "--hidden", ",".join(["1"] * 5000)],
    ["train", "xor", "--epochs", "2", "--lr", "1e300", "--out", "out"],
    ["lesson", "--out", "afile"],
]


@pytest.mark.slow
@pytest.mark.parametrize("argv", SUBPROCESS_CASES, ids=lambda argv: " ".join(argv)[:40])
def test_real_command_never_shows_a_traceback(argv, tmp_path):
    hostile_folder(tmp_path)
    result = subprocess.run([*CHAINRULE, *argv], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert_promise_kept(argv, result.returncode, result.stderr)


@pytest.mark.slow
def test_ctrl_c_exits_130_without_a_traceback(tmp_path):
    process = subprocess.Popen(
        [*CHAINRULE, "lesson", "--out", "out"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (tmp_path / "out").exists() and time.monotonic() < deadline:  # the lesson has started
        time.sleep(0.05)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in stderr
