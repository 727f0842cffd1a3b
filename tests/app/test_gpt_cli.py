"""``chainrule gpt`` (chainrule/gpt.py) and the model it trains (nn/gpt.py): arguments and their
one-line errors, the shipped names, the progress bar on and off a terminal, a run whose loss
drops, samples over the names' alphabet, ``--fast`` against the node engine, ``--save`` and
Ctrl-C. The runs that train more than a second are marked slow."""

from __future__ import annotations

import io
import json
import math
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograd import Value
from chainrule import gpt as app
from nn import gpt
from tests.app.test_cli_hardening import run

CHAINRULE = [sys.executable, "-m", "chainrule"]


def names_file(folder: Path, *names: str) -> str:
    path = folder / "names.txt"
    path.write_text("\n".join(names) + "\n", encoding="utf-8")
    return str(path)


# --- arguments: each mistake one line, nothing trained ------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--steps", "0"], "argument --steps: must be >= 1, got 0"),
        (["--steps", "100001"], "argument --steps: the limit is 100,000, got 100,001"),
        (["--steps", "ten"], "argument --steps: expected a whole number, got 'ten'"),
        (["--samples", "1001"], "argument --samples: the limit is 1,000, got 1,001"),
        (["--lr", "-0.1"], "argument --lr: must be a positive number, got '-0.1'"),
        (["--lr", "inf"], "argument --lr: must be a positive number, got 'inf'"),
        (["--temperature", "0"], "argument --temperature: must be a positive number, got '0'"),
        (["--seed", "1.5"], "argument --seed: invalid int value: '1.5'"),
        (["--save", "model.txt"], "--save model.txt: the model file's name must end in .json"),
    ],
)
def test_bad_arguments_are_usage_errors(argv, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["gpt", *argv], capsys)
    assert code == 2
    assert words in err
    assert "tiny GPT" not in out and os.listdir(tmp_path) == []  # refused before training


@pytest.mark.parametrize(
    ("lines", "words"),
    [
        (["ada", "o'neil"], 'line 2: "o\'neil" has "\'"; a name is letters a to z'),
        (["zoë"], "line 1: 'zoë' has 'ë'; a name is letters a to z"),
        (["ada", "", "abcdefghijklmnop"], "line 3: 'abcdefghijklmnop' has 16 letters"),
        (["# only a comment", ""], "no names in it"),
    ],
)
def test_a_names_file_the_model_cannot_spell_is_refused_naming_the_line(lines, words, capsys, tmp_path):
    code, out, err = run(["gpt", "--names", names_file(tmp_path, *lines)], capsys)
    assert code == 1 and words in err and err.startswith("chainrule gpt: error: --names ")
    assert "tiny GPT" not in out


def test_a_names_file_that_is_missing_too_large_or_a_folder_is_one_line(capsys, tmp_path):
    code, _, err = run(["gpt", "--names", str(tmp_path / "missing.txt")], capsys)
    assert code == 1 and "No such file or directory" in err
    big = tmp_path / "big.txt"
    big.write_text("ada\n" * 300_000, encoding="utf-8")  # 1.2 MB
    code, _, err = run(["gpt", "--names", str(big)], capsys)
    assert code == 1 and "over 1,000,000 bytes" in err
    code, _, err = run(["gpt", "--names", str(tmp_path)], capsys)
    assert code == 1 and err.count("\n") == 1 and str(tmp_path) in err


def test_save_into_a_missing_folder_fails_before_training(capsys, tmp_path):
    code, out, err = run(["gpt", "--save", str(tmp_path / "no" / "m.json")], capsys)
    assert code == 1 and "No such file or directory" in err and "tiny GPT" not in out


def test_read_names_lowers_capitals_skips_comments_and_blank_lines():
    assert gpt.read_names(["# a comment", "  Ada ", "", "EVA"]) == ["ada", "eva"]


def test_the_shipped_names_are_spellable_and_distinct():
    names = gpt.names()
    assert len(names) == 270 and len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z]{1,15}", n) for n in names)


def test_the_benchmark_runs_the_library_model():
    from bench import gpt as bench_gpt

    assert bench_gpt.gpt_loss is gpt.gpt_loss and bench_gpt.block is gpt.block
    assert bench_gpt.gpt_parameters is gpt.gpt_parameters


# --- the progress bar -------------------------------------------------------------------------------


class Clock:
    """time.monotonic, moved by hand: each step takes ``per_step`` seconds."""

    def __init__(self, per_step: float) -> None:
        self.now = 1000.0
        self.per_step = per_step

    def __call__(self) -> float:
        return self.now


def test_progress_off_a_terminal_is_one_line_per_tenth(monkeypatch):
    clock = Clock(0.5)
    monkeypatch.setattr(app.time, "monotonic", clock)
    stream = io.StringIO()
    progress = app.Progress(40, stream, tty=False)
    for step in range(1, 41):
        clock.now += 0.5
        progress.update(step, float(step))  # the loss of step k is k
    progress.close()
    lines = stream.getvalue().splitlines()
    assert [int(re.match(r"step (\d+)/40", line).group(1)) for line in lines] == list(range(4, 41, 4))
    assert "\r" not in stream.getvalue()
    # step 20: the mean of the losses of steps 1..20 is 10.5; 10 s elapsed, 20 steps left: 0:10
    assert lines[4] == "step 20/40  50%  loss 10.5000 (last 20)  elapsed 0:10  ETA 0:10"
    # step 40: the last 20 steps' losses, 21..40, mean 30.5; 20 s elapsed, none left
    assert lines[9] == "step 40/40 100%  loss 30.5000 (last 20)  elapsed 0:20  ETA 0:00"


def test_progress_of_fewer_steps_than_lines_writes_each_step_once():
    stream = io.StringIO()
    progress = app.Progress(3, stream, tty=False)
    for step in (1, 2, 3):
        progress.update(step, 2.0)
    assert [line.split()[1] for line in stream.getvalue().splitlines()] == ["1/3", "2/3", "3/3"]


def test_progress_on_a_terminal_redraws_one_line(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # a terminal wide enough for the whole line
    clock = Clock(1.0)
    monkeypatch.setattr(app.time, "monotonic", clock)
    stream = io.StringIO()
    progress = app.Progress(4, stream, tty=True)
    for step in range(1, 5):
        clock.now += 75.0  # 75 s a step
        progress.update(step, 1.0)
    progress.close()
    text = stream.getvalue()
    assert text.count("\r") == 4 and text.endswith("\n") and text.count("\n") == 1
    last = text.split("\r")[-1]
    assert last.startswith("[####################] step 4/4 100%")
    assert "elapsed 5:00  ETA 0:00" in last
    second = text.split("\r")[2]  # after step 2: 150 s, two steps of 75 s left
    assert "[##########          ] step 2/4  50%" in second and "elapsed 2:30  ETA 2:30" in second


def test_progress_on_a_narrow_terminal_is_cut_to_its_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")  # shutil.get_terminal_size reads it first
    stream = io.StringIO()
    progress = app.Progress(1000, stream, tty=True)
    progress.update(1, 3.25)
    assert stream.getvalue() == "\r" + "[                    ] step 1/1,000   0%"[:39]


def test_clock_text_shows_hours_once_there_are_any():
    assert [app.clock_text(s) for s in (0, 7.4, 125, 3723)] == ["0:00", "0:07", "2:05", "1:02:03"]


# --- training runs ------------------------------------------------------------------------------


def test_a_diverging_run_stops_with_one_line_and_writes_no_model(capsys, tmp_path):
    names = names_file(tmp_path, "ada")
    code, out, err = run(["gpt", "--names", names, "--lr", "1e300", "--steps", "5", "--save",
                          str(tmp_path / "m.json")], capsys)  # fmt: skip
    assert code == 1 and "try a smaller --lr. No model written." in err
    assert "at step 2" in err  # step 1 moves the weights by about lr; step 2's loss overflows
    assert not (tmp_path / "m.json").exists() and "samples" not in out


@pytest.mark.slow
def test_a_short_run_learns_and_samples_names(capsys, tmp_path):
    save = tmp_path / "m.json"
    argv = ["gpt", "--names", names_file(tmp_path, "ada", "ava", "ana"), "--steps", "40", "--seed", "3"]
    code, out, err = run([*argv, "--save", str(save), "--samples", "12"], capsys)
    assert code == 0
    # the first loss is about log 27: the weights start small, so every token is about as likely
    first = float(re.search(r"loss: first step (\d\.\d+)", out).group(1))
    last = float(re.search(r"of the last 20 (\d\.\d+)", out).group(1))
    assert abs(first - math.log(27)) < 0.2 and last < first - 1.0
    samples = re.search(r"^samples \(temperature 0\.8\): (.*)$", out, re.M).group(1).split(", ")
    assert len(samples) == 12 and all(re.fullmatch(r"[a-z]{1,15}|\(empty\)", s) for s in samples)
    assert samples.count("ada") + samples.count("ava") + samples.count("ana") >= 6  # it learnt them
    assert len([line for line in err.splitlines() if line.startswith("step ")]) == 10  # not a TTY
    model = json.loads(save.read_text())
    assert model["trained"] == {"names": str(tmp_path / "names.txt"), "steps": 40, "seed": 3}
    shapes = {key: (len(m), len(m[0])) for key, m in model["weights"].items()}
    assert shapes["wte"] == (27, 16) and shapes["fc1"] == (64, 16) and shapes["lm_head"] == (27, 16)
    assert sum(a * b for a, b in shapes.values()) == 4192


@pytest.mark.slow
def test_fast_gives_the_node_engines_losses_and_weights(capsys, tmp_path):
    names = ["ada", "eva", "ivy", "zoe", "amy"]  # one length: one trace
    node = gpt.gpt_parameters(Value, seed=5)
    compiled = gpt.gpt_parameters(Value, seed=5)
    slow_run = gpt.train(node, names, 12, seed=5)
    fast_run = gpt.train(compiled, names, 12, seed=5, fast=True)
    assert fast_run.traces == 1 and fast_run.retraces == 0 and len(slow_run.losses) == 12
    assert fast_run.losses == pytest.approx(slow_run.losses, abs=1e-12, rel=0)
    # and through the command: the saved weights agree
    file = names_file(tmp_path, *names)
    for flag in ("", "--fast"):
        argv = [
            "gpt",
            "--names",
            file,
            "--steps",
            "12",
            "--seed",
            "5",
            "--save",
            str(tmp_path / f"m{flag}.json"),
        ]
        assert run([*argv, *([flag] if flag else [])], capsys)[0] == 0
    a = json.loads((tmp_path / "m.json").read_text())["weights"]
    b = json.loads((tmp_path / "m--fast.json").read_text())["weights"]
    flat_a = [x for m in a.values() for row in m for x in row]
    flat_b = [x for m in b.values() for row in m for x in row]
    assert flat_b == pytest.approx(flat_a, abs=1e-12, rel=0)
    assert flat_a == pytest.approx([p.data for p in gpt.flat(node)], abs=0, rel=0)


@pytest.mark.slow
def test_ctrl_c_stops_after_the_step_with_samples_and_the_model_so_far(tmp_path):
    process = subprocess.Popen(
        [*CHAINRULE, "gpt", "--steps", "100000", "--save", "m.json"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    header = process.stdout.readline()  # printed before training starts
    assert header.startswith("tiny GPT: 4,192 parameters; 270 names from nn/names.txt; 100,000 steps")
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130 and "Traceback" not in err
    assert "Ctrl-C: stopping after this step" in err
    done = int(re.search(r"interrupted after step (\d+) of 100,000", out).group(1))
    assert done >= 1 and re.search(r"^samples \(temperature 0\.8\): [a-z(), ]+$", out, re.M)
    assert json.loads((tmp_path / "m.json").read_text())["trained"]["steps"] == done


def test_ctrl_c_twice_quits_at_once():
    """The first SIGINT asks to stop after the step, and says so; a second one raises
    KeyboardInterrupt at once (``chainrule gpt`` then exits 130 with nothing saved). Real signals, in
    this process: in a subprocess the step could end between the two signals, which made the test
    depend on the machine's speed (it failed on Python 3.12)."""
    before = signal.getsignal(signal.SIGINT)
    stream = io.StringIO()
    with app.stop_after_step(stream) as interrupt:
        signal.raise_signal(signal.SIGINT)
        assert interrupt.pressed
        assert "Ctrl-C: stopping after this step (press it again to quit at once)" in stream.getvalue()
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before  # the app's handler is gone after the run


@pytest.mark.slow
def test_with_stderr_closed_it_trains_without_a_progress_bar(tmp_path):
    """``2>&-``: no stream for the bar; the run goes on (it was an internal error, on stdout)."""
    file = names_file(tmp_path, "ada")
    result = subprocess.run(
        [*CHAINRULE, "gpt", "--names", file, "--steps", "2", "--samples", "1"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=120,
        preexec_fn=lambda: os.close(2),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
    assert "internal error" not in result.stdout
    assert "loss: first step" in result.stdout and "mean of the first 1 step " in result.stdout
    assert re.search(r"^samples \(temperature 0\.8\): ([a-z]{1,15}|\(empty\))$", result.stdout, re.M)


@pytest.mark.slow
def test_demo_18_draws_the_heads_softmax_and_weighted_sum_legibly(tmp_path, monkeypatch):
    """The picture's graph is one head's attention at one position: out = sum_t w_t v_t with
    w = softmax(s), so (by hand) d out/d v_t = w_t and d out/d s_t = w_t (v_t - out)."""
    import runpy

    from autograd.backward import topological_order
    from autograd.see.legibility import smallest_text

    demos = Path(__file__).resolve().parents[2] / "demos"
    monkeypatch.syspath_prepend(str(demos))
    demo = runpy.run_path(str(demos / "18_tiny_gpt.py"), run_name="not_main")
    params = gpt.gpt_parameters(Value, seed=1)
    out = demo["head_picture"](params, gpt.name_tokens("ada"), pos=2)
    out.backward()
    nodes = {n.label: n for n in topological_order(out) if n.label}
    scores = [nodes[f"score {t}"] for t in range(3)]
    values = [nodes[f"value {t}"] for t in range(3)]
    exps = [math.exp(s.data) for s in scores]
    weights = [e / sum(exps) for e in exps]
    assert out.data == pytest.approx(sum(w * v.data for w, v in zip(weights, values)), rel=1e-12)
    for w, s, v in zip(weights, scores, values):
        assert v.grad == pytest.approx(w, rel=1e-12)
        assert s.grad == pytest.approx(w * (v.data - out.data), rel=1e-9, abs=1e-15)
    assert len(topological_order(out)) <= 30
    path = tmp_path / "head.svg"
    from autograd import render

    render(out, path)
    sizes = smallest_text(path.read_text(encoding="utf-8"))
    assert sizes.node_px >= 14  # readable on a 1920 x 1080 screen
