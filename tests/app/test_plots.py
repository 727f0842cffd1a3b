"""One plot style everywhere: the class palette, its legend and axis labels, the log loss axis."""

from __future__ import annotations

import math

import pytest

from chainrule import plots

matplotlib = pytest.importorskip("matplotlib")


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG) of a #rrggbb colour."""
    channels = [int(hex_colour[k : k + 2], 16) / 255 for k in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_first_three_classes_differ_in_colour_marker_and_lightness():
    colours = [plots.class_colour(k) for k in range(3)]
    assert colours == ["#0072B2", "#E69F00", "#009E73"]  # Okabe & Ito's blue, orange, bluish green
    assert len(set(plots.CLASS_MARKERS[:3])) == 3
    # none is white-ish on a light background (the old blobs plot's third class was white)
    assert all(luminance(c) < 0.6 for c in colours)
    # blue and orange, the two-class pair, stay apart for a viewer who sees only lightness
    assert abs(luminance(colours[0]) - luminance(colours[1])) > 0.2


def test_scatter_has_a_legend_entry_per_class_and_axis_labels():
    plt = plots.pyplot()
    fig, ax = plt.subplots()
    plots.scatter_classes(ax, [[0, 0], [1, 1], [2, 0], [0, 2]], [0, 1, 2, 1])
    _, labels = ax.get_legend_handles_labels()
    assert labels == ["class 0", "class 1", "class 2"]
    assert ax.get_xlabel() == "x1" and ax.get_ylabel() == "x2"
    plt.close(fig)


@pytest.mark.parametrize(
    ("losses", "scale"),
    [([0.7, 0.69, 0.6931], "linear"), ([1.0, 0.1, 0.001], "log"), ([0.9, 3.0, 4.7e8, math.inf], "log")],
)
def test_loss_axis_goes_logarithmic_when_the_loss_spans_orders_of_magnitude(losses, scale):
    plt = plots.pyplot()
    fig, ax = plt.subplots()
    ax.plot([v for v in losses if math.isfinite(v)])
    plots.loss_axis(ax, losses)
    assert ax.get_yscale() == scale
    assert ax.get_ylabel().startswith("loss")
    plt.close(fig)


def test_train_warns_when_the_loss_grows():
    from chainrule.train import divergence_warning

    assert divergence_warning([0.9, 0.5, 0.1], lr=0.5) is None
    text = divergence_warning([0.93, 2.0, 4.7e8], lr=100.0)
    assert text and "grew from 0.93 to 4.7e+08" in text and "--lr 10" in text
    assert divergence_warning([0.93, math.nan], lr=100.0)


# -- the backend: chosen only for a script that chose none ----------------------------------------

INLINE = "module://matplotlib_inline.backend_inline"  # what Jupyter's kernel sets
BACKEND_PROBE = """
import sys
import matplotlib
{before}
from chainrule import plots
plt = plots.pyplot()
backend = matplotlib.rcParams._get_backend_or_none()
print(backend and backend.lower())
"""


def backend_after_pyplot(before: str = "", **env: str) -> str:
    """What ``plots.pyplot()`` leaves as matplotlib's backend in a fresh process (None: not chosen)."""
    import os
    import subprocess
    import sys

    from tests.demos import REPO

    environment = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    environment.update(PYTHONPATH=str(REPO), **env)
    result = subprocess.run(
        [sys.executable, "-c", BACKEND_PROBE.format(before=before)],
        capture_output=True, text=True, env=environment, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.slow
def test_a_script_that_chose_no_backend_gets_the_file_only_one():
    assert backend_after_pyplot() == "agg"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("before", "env", "kept"),
    [
        ("", {"MPLBACKEND": INLINE}, INLINE),
        ("", {"MPLBACKEND": "svg"}, "svg"),
        ("matplotlib.use('pdf')", {}, "pdf"),
    ],
    ids=["notebook-inline", "MPLBACKEND", "matplotlib.use"],
)
def test_a_chosen_backend_is_never_switched(before, env, kept):
    """A notebook kernel's inline backend (what Jupyter sets), the variable, matplotlib.use."""
    assert backend_after_pyplot(before, **env) == kept


@pytest.mark.slow
def test_an_ipython_shell_keeps_matplotlibs_own_choice():
    """In IPython, %matplotlib and matplotlib's default decide; pyplot() leaves it unchosen."""
    pytest.importorskip("IPython")
    start = "from IPython.core.interactiveshell import InteractiveShell\nInteractiveShell.instance()"
    assert backend_after_pyplot(start) == "None"


def test_install_hints_give_the_pypi_and_the_checkout_forms():
    """A learner in a clone of the repository (the README's editable install) cannot use the
    PyPI name alone; the hint gives both, the checkout one editable as the README installs it."""
    from chainrule.optional import install_hint, missing_line

    line = missing_line("matplotlib", "loss plot")
    assert line.startswith("no loss plot: it needs matplotlib; ")
    assert "pip install 'chainrule[plot]'" in line and "pip install -e '.[plot]'" in line
    assert "pip install -e '.[progress]'" in missing_line("tqdm", "progress bar")
    assert (
        install_hint("cli")
        == "pip install 'chainrule[cli]' (in a checkout of the source: pip install -e '.[cli]')"
    )
