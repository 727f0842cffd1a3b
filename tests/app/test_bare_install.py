"""What a bare ``pip install chainrule`` can do: every subcommand runs without the optional packages.

matplotlib and tqdm are hidden by a folder, first on PYTHONPATH, whose ``matplotlib.py`` and
``tqdm.py`` fail to import; the Graphviz ``dot`` program is hidden by an empty PATH. Each run
must exit 0 (graph: 1, since its one picture cannot be drawn), write everything that does not
need the missing piece, the DOT source included, and say in one line what to install.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chainrule.optional import DOT_HINT, missing_line

pytestmark = pytest.mark.slow


def run(tmp_path: Path, *args: str, hide: tuple[str, ...] = (), no_dot: bool = False):
    env = dict(os.environ)
    if hide:
        fake = tmp_path / "hidden-packages"
        fake.mkdir(exist_ok=True)
        for name in hide:
            (fake / f"{name}.py").write_text(f"raise ImportError('{name} hidden for the test')\n")
        env["PYTHONPATH"] = str(fake)
    if no_dot:
        empty = tmp_path / "empty-bin"
        empty.mkdir(exist_ok=True)
        env["PATH"] = str(empty)
    return subprocess.run(
        [sys.executable, "-m", "chainrule", *args],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300,
    )  # fmt: skip


def test_missing_line_names_the_extra():
    assert missing_line("matplotlib", "loss-curve plot") == (
        "no loss-curve plot: it needs matplotlib; pip install 'chainrule[plot]' "
        "(in a checkout of the source: pip install -e '.[plot]')"
    )
    assert "chainrule[progress]" in missing_line("tqdm", "progress bar")


def test_lesson_without_matplotlib_writes_the_graphs_and_names_the_extra(tmp_path):
    result = run(tmp_path, "lesson", "--out", "out", hide=("matplotlib",))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.count("chainrule[plot]") == 1
    out = tmp_path / "out"
    assert not (out / "loss-curves.png").exists()
    for name in ("neuron-graph.svg", "neuron-steps.html", "neuron-graph.dot"):
        assert (out / name).stat().st_size > 1000, name
        assert f"wrote {Path('out') / name}" in result.stdout


def test_lesson_without_dot_says_so_once_and_writes_the_dot_source(tmp_path):
    result = run(tmp_path, "lesson", "--out", "out", no_dot=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(DOT_HINT) == 1
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "loss-curves.png",
        "neuron-graph.dot",
        "neuron-steps.html",  # the live page, laid out in the browser by viz-js: no dot needed
        "xor-boundaries.png",
    ]
    assert 'id="cr-dot"' in (out / "neuron-steps.html").read_text(encoding="utf-8")
    source = (out / "neuron-graph.dot").read_text()
    assert source.startswith("digraph")
    # The untrained neuron (w1, w2, b) = (1.6243, -0.6118, 0) on x = (0, 1), y = 1, by hand:
    # z = w2 = -0.6118, a = sigmoid(z) = 0.3517, loss = -log a; dL/da = -1/a = -2.8437,
    # dL/dz = a - y = -0.6483 = dL/dw2 = dL/db (x2 = 1), dL/dw1 = dL/dz * x1 = 0,
    # dL/dx1 = dL/dz * w1 = -1.0531, dL/dx2 = dL/dz * w2 = 0.3966: backward ran without the page.
    for record in ("{a|data 0.3517|grad -2.8437}", "{z|data -0.6118|grad -0.6483}",
                   "{w1|data 1.6243|grad 0.0000}", "{w2|data -0.6118|grad -0.6483}",
                   "{b|data 0.0000|grad -0.6483}", "{x1|data 0.0000|grad -1.0531}",
                   "{x2|data 1.0000|grad 0.3966}"):  # fmt: skip
        assert record in source, record


def test_train_without_tqdm_or_matplotlib_trains_and_saves_the_model(tmp_path):
    result = run(tmp_path, "train", "xor", "--epochs", "3", "--out", "out", hide=("tqdm", "matplotlib"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines.count(missing_line("tqdm", "progress bar")) == 1
    assert lines.count(missing_line("matplotlib", "training plot")) == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["xor-model.json"]
    assert f"wrote {Path('out') / 'xor-model.json'}" in lines


def test_graph_without_dot_keeps_the_dot_source_and_says_how_to_install(tmp_path):
    result = run(tmp_path, "graph", "x*y + 1", "x=2", "y=-3", no_dot=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "apt-get install graphviz" in result.stderr and "graph.dot" in result.stderr
    assert "d/dx = -3" in result.stdout and "d/dy = 2" in result.stdout  # hand-derived: d(xy+1)/dx = y
    assert (tmp_path / "graph.dot").read_text().startswith("digraph")
    assert not (tmp_path / "graph.svg").exists()


def test_graph_steps_without_dot_writes_the_page_and_says_so(tmp_path):
    # The --steps page lays itself out in the browser (viz-js) where dot cannot run: it was
    # written, and only the error line about the SVG was printed.
    result = run(tmp_path, "graph", "x*y + 1", "x=2", "y=-3", "--steps", "steps.html", no_dot=True)
    assert result.returncode == 1
    assert "wrote steps.html (laid out by the browser: no dot here)" in result.stdout.splitlines()
    assert 'id="cr-dot"' in (tmp_path / "steps.html").read_text(encoding="utf-8")  # the DOT viz-js lays out
    assert "graph.dot" in result.stderr and not (tmp_path / "graph.svg").exists()


def test_version_is_the_installed_packages(tmp_path):
    from importlib.metadata import version

    import chainrule

    result = run(tmp_path, "--version")
    assert result.returncode == 0
    assert result.stdout == f"chainrule {version('chainrule')}\n"
    assert version("chainrule") == chainrule.__version__  # pyproject reads the version from chainrule
