"""``chainrule optimizers``: the page is written, the summary is true, bad options are one line."""

import json
import re

import pytest

from chainrule.cli import main


def page_data(path):
    text = path.read_text(encoding="utf-8")
    found = re.search(r'<script id="run-data" type="application/json">(.*?)</script>', text, re.S)
    return json.loads(found.group(1))


def test_neuron_writes_the_page_with_the_exact_surface(tmp_path, capsys):
    page = tmp_path / "opt.html"
    assert main(["optimizers", "neuron", "-o", str(page), "--steps", "15", "--grid", "6"]) == 0
    out = capsys.readouterr().out
    assert "neuron: 2 parameters, 15 steps from the same start" in out
    assert "surface 6x6 (exact, over the two parameters)" in out
    data = page_data(page)
    assert data["names"] == ["w.0", "b"]
    assert [r["name"] for r in data["runs"]] == ["sgd", "momentum", "nesterov", "rmsprop", "adam"]
    assert data["runs"][0]["params"][0] == [-1.5, 1.5]  # the stated start
    for run in data["runs"]:  # the summary's losses are the recorded ones
        assert f"{run['loss'][0]:.4f} -> {run['loss'][-1]:.4f}" in out
    assert data["surface"]["kind"] == "exact" and len(data["surface"]["values"]) == 6


def test_xor_with_chosen_optimizers_and_rates(tmp_path, capsys):
    page = tmp_path / "opt.html"
    argv = ["optimizers", "xor", "-o", str(page), "--optimizers", "sgd,adam", "--lr", "adam=0.1"]
    assert main([*argv, "--steps", "5", "--grid", "4"]) == 0
    data = page_data(page)
    assert [r["name"] for r in data["runs"]] == ["sgd", "adam"]
    assert data["runs"][1]["hyper"]["lr"] == 0.1
    assert data["surface"]["kind"] == "pca"
    assert "holds" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--optimizers", "sgd,adamw"], "--optimizers: unknown optimizer 'adamw'; known: sgd, momentum"),
        (["--optimizers", "sgd,sgd"], "an optimizer is named twice"),
        (["--lr", "adam=-0.1"], "--lr adam=-0.1: the learning rate must be a finite number >= 0"),
        (["--optimizers", "sgd", "--lr", "adam=0.1"], "'adam' is not among the optimizers (sgd)"),
        # MLP(2, [4, 1]) has 4 x 3 + 5 = 17 parameters; 5 optimizers (the default) keep 5 x 17 a step
        (["--steps", "10000"], "the page would keep 10,000 steps x 17 parameters x 5 optimizers = 850,000"),
    ],
)
def test_bad_options_are_one_line(tmp_path, capsys, args, message):
    assert main(["optimizers", "xor", "-o", str(tmp_path / "o.html"), "--steps", "2", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "o.html").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--grid", "1"], "argument --grid: must be 0 (no surface) or from 2 to 100, got 1"),
        (["--grid", "-3"], "argument --grid: must be 0 (no surface) or from 2 to 100, got -3"),
        (["--grid", "101"], "argument --grid: must be 0 (no surface) or from 2 to 100, got 101"),
        (["--grid", "2.5"], "argument --grid: expected a whole number, got '2.5'"),
        (["--steps", "100001"], "argument --steps: the limit is 100,000, got 100,001"),
        (["--samples", "1000000000"], "argument --samples: the limit is 100,000, got 1,000,000,000"),
    ],
)
def test_sizes_out_of_bounds_are_usage_errors(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["optimizers", "xor", "-o", str(tmp_path / "o.html"), *args])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"chainrule optimizers: error: {message}"


def test_a_graph_too_large_for_memory_is_refused_before_training(tmp_path, capsys):
    # MLP(2, [200, 1]): 3 x 200 + 201 = 801 parameters, x 100,000 samples = 80,100,000 graph entries
    args = ["optimizers", "moons", "-o", str(tmp_path / "o.html"), "--samples", "100000", "--hidden", "200"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "100,000 samples x 801 parameters = 80,100,000 graph entries per step; the limit is 10,000,000" in err
    assert not (tmp_path / "o.html").exists()


def test_page_name_must_be_html(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["optimizers", "xor", "-o", str(tmp_path / "o.svg")])
    assert exit_info.value.code == 2
    assert "must end in .html" in capsys.readouterr().err
