"""The test suite on every supported Python, with nox (``pip install nox``; ``nox -l`` lists).

    nox -s tests-3.11          the whole suite, PyTorch included (its CPU build)
    nox -s no_torch            the suite without PyTorch on 3.10, 3.12 and 3.13: -m "not torch"
    nox -s no_torch-3.12       one of them

Each session makes a fresh venv from that Python, installs chainrule with the ``dev`` and ``cli``
extras and runs pytest; extra arguments go to pytest (``nox -s no_torch -- -m "not slow"``
replaces the marker expression). Graphviz's ``dot`` and Chromium come from the system (see the
README). With pyenv, make the versions visible first, e.g.
``PYENV_VERSION=3.11.7:3.10.13:3.12.1:3.13.0 nox``; .ci/run does that from ``pyenv latest``.
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True  # a missing Python fails, it is never skipped
nox.options.sessions = ["tests", "no_torch"]

# PyTorch's index of CPU-only wheels: on an ordinary Linux machine it gives torch's CPU build
# instead of the CUDA one from PyPI. Where it cannot be reached, pip says so and goes on with
# PyPI (no retries: about a second); see the README.
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
TORCH = "torch==2.13.0"


@nox.session(python="3.11")
def tests(session: nox.Session) -> None:
    """The whole suite on 3.11, against PyTorch (CPU build) as the reference."""
    session.install("-e", ".[dev,cli]")
    session.install("--retries", "0", "--extra-index-url", TORCH_CPU_INDEX, TORCH)
    session.run("python", "-m", "pytest", "-q", *session.posargs)


@nox.session(python=["3.10", "3.12", "3.13"])
def no_torch(session: nox.Session) -> None:
    """Everything but the PyTorch comparisons, with torch not installed at all."""
    session.install("-e", ".[dev,cli]")
    no_torch_here = "import importlib.util, sys; sys.exit(importlib.util.find_spec('torch') is not None)"
    session.run("python", "-c", no_torch_here)  # fails if torch is installed: the run must prove it
    session.run("python", "-m", "pytest", "-q", *(session.posargs or ["-m", "not torch"]))


# The mutation session's settings (mutmut reads them from setup.cfg in the folder it runs in).
# do_not_mutate_patterns: the lines of trace.py's read watch (``_WatchedData.__get__``) that look
# at their caller's frame (``sys._getframe(1)``). mutmut calls every function it mutates through a
# trampoline of its own, so there the caller would be mutmut, never the engine, and every traced
# read would be refused: the clean run fails. A function with no mutants keeps no trampoline.
# (The watch reads through bound defaults since tape24: the patterns after `return number`.)
MUTMUT_CONFIG = """[mutmut]
source_paths={source}/
only_mutate={only}
do_not_mutate_patterns=
    def __get__\\(self, value: Value \\| None
    ^\\s{{8}}if value is None:$
    ^\\s{{12}}return self$
    number = _SLOT\\.__get__\\(value, owner\\)
    ^\\s{{8}}watch = _watching\\.get\\(\\)$
    ^\\s{{8}}if watch is not None:$
    ^\\s{{12}}frame = sys\\._getframe\\(1\\)$
    ^\\s{{12}}if _caller_refused\\(frame\\):$
    ^\\s{{16}}watch\\.refuse\\(value, "\\.data", frame\\)$
    ^\\s{{8}}return number$
    ^\\s{{8}}(value: Value \\| None|owner: type \\| None = None),$
    ^\\s{{8}}(read: Any = _SLOT\\.__get__|watching: Any = _watching\\.get),$
    ^\\s{{8}}(caller: Any = sys\\._getframe|trusted: set\\[int\\] = _trusted_globals),$
    ^\\s{{8}}watch = watching\\(\\)$
    ^\\s{{12}}frame = caller\\(1\\)$
    ^\\s{{12}}if id\\(frame\\.f_globals\\) not in trusted and _caller_refused\\(frame\\):$
    ^\\s{{8}}return read\\(value, owner\\)$
pytest_add_cli_args_test_selection={tests}
pytest_add_cli_args=
    -m
    not slow
    -p
    no:cacheprovider
    --ignore=tests/engine/test_budget.py
    --ignore=tests/app/test_classroom_parts.py
    --ignore=tests/docs/test_layers.py
also_copy=tests/
    {other}/
    chainrule/
    docs/
    demos/
    exercises/
    bench/
    README.md
"""


@nox.session(python="3.11")
def mutants(session: nox.Session) -> None:
    """Mutation testing with mutmut: which single-line bugs the fast loop misses (docs/testing.md).

    Not part of the default sessions or CI (minutes per module). Runs in a copy of the tree, so
    mutmut's setup.cfg and mutants/ folder never land in the checkout. Arguments: the modules to
    mutate (comma-separated, all in ``autograd/`` or all in ``nn/``) and the tests to run
    (comma-separated), e.g. ``nox -s mutants -- autograd/value.py,autograd/backward.py tests/engine/``
    or ``nox -s mutants -- nn/gpt.py tests/nn/,tests/app/test_gpt_cli.py`` (default:
    autograd/ops.py against tests/engine/). Left out of every run: ``test_budget.py`` (it counts
    the lines mutmut rewrites), ``test_classroom_parts.py`` (its grader's tamper check fails under
    mutmut's wrapping) and ``test_layers.py`` (it runs lint-imports). The page's JavaScript has
    its own runner, ``python tests/js/mutate_page.py``.
    """
    import shutil
    import tempfile

    only, tests = (session.posargs + ["autograd/ops.py", "tests/engine/"][len(session.posargs) :])[:2]
    source = {module.split("/")[0] for module in only.split(",")}
    if len(source) != 1 or not source <= {"autograd", "nn"}:
        session.error(f"mutants: the modules must all be in autograd/ or all in nn/, got {only}")
    (package,) = source
    modules = "\n    ".join(only.split(","))
    test_paths = "\n    ".join(tests.split(","))
    session.install("-e", ".[dev,cli]", "mutmut==3.8.1")
    work = tempfile.mkdtemp(prefix="chainrule-mutants-")
    shutil.copytree(".", work, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".git", ".nox", "mutants"))
    with open(f"{work}/setup.cfg", "w", encoding="utf-8") as f:
        other = "nn" if package == "autograd" else "autograd"
        f.write(MUTMUT_CONFIG.format(source=package, only=modules, tests=test_paths, other=other))
    session.chdir(work)
    session.run("mutmut", "run", "--max-children", "2")
    session.run("mutmut", "results")
