"""Grade your functions in exercises/derivatives.py (or any function you pass to ``check``).

    python exercises/check.py               grade every exercise in derivatives.py
    python exercises/check.py --seed 1234   the same points as the run that printed "seed 1234"
    python exercises/check.py --solutions   grade solutions.py (to see what passing looks like)
    python exercises/check.py FILE.py       grade another file with the same functions

The exit status is 0 only when every exercise passes. In a notebook or a script:

    from check import check
    check(sigmoid_derivative)          # prints the verdict; True when it passes

How it grades. ``check`` knows each exercise's forward rule (by the function's name:
``sigmoid_derivative``, ``tanh_backward``, ...) and grades *your* function against central
differences of it with ``autograd.check_op`` (``check_backward`` for the micrograd-style
``*_backward``), which names the mistake when it recognises one. It knows no answer.

- Your code runs in a process of its own (``run_learner.py``), which sends back only numbers:
  nothing your file does can change a verdict, which is made here. A file that does not run,
  a function that does not return within ``--timeout`` seconds (loading the file: three times
  that), or more than 1 MB of prints stops the grading of that exercise with a message saying
  so. The last lines sum up: each exercise passes, or is wrong with the kinds of its mistakes.
- In a Python that cannot start a process (Pyodide, in the classroom's page: sys.platform
  "emscripten"), your code runs in the grader's own Python instead (``InProcessLearner``), with
  the same requests, replies and verdicts; what that weakens is listed there and in
  docs/exercises.md. ``grade_functions(globals())`` grades every exercise a page defines.
- The points are drawn afresh each run from a seed (printed; ``--seed`` repeats a run), so an
  answer that only knows the points of an earlier run fails.
- An answer computed by the engine (``Value`` ops, ``backward()``, ``autograd.grad``) or by what
  differentiates in torch, jax, tensorflow or sympy is named and fails: the learner's process
  records every call your function makes into them.
- An approximation, such as a finite difference (f(x + h) - f(x - h)) / 2h, is named and fails:
  a derivative written out is right to about 1e-16 of its size (rounding only), a finite
  difference to about 1e-11 at best. At 32 more points the grader compares your numbers with
  the derivative of the forward rule computed to 50 digits (``decimal``), and fails a function
  whose typical (median) error is above 1e-13 of the derivative's size.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import importlib.util
import inspect
import io
import json
import math
import operator
import os
import queue
import random
import signal
import statistics
import subprocess
import sys
import textwrap
import threading
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

import autograd
from autograd import Value, check_backward, check_op

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "run_learner.py"
ENGINE_ROOT = Path(autograd.__file__).resolve().parent.parent  # where the child imports autograd from
PRINT_LIMIT = 1_000_000  # characters of prints a learner's code may make in one run
PRINT_SHOWN = 4_000  # characters of them kept for a verdict
PRINT_LINES = 12  # lines of them shown under it
REPLY_LIMIT = 1_000_000  # characters of one reply line from the learner's process
GRADING = "CHAINRULE_EXERCISE_GRADING"  # set in the learner's process (run_learner.py)
APPROXIMATION = 1e-13  # the median relative error above which an answer is an approximation


# --- the forward rules: floats (graded against), and 50 digits (the precise derivative) -----------


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def mse(prediction: float, target: float) -> float:
    return (prediction - target) ** 2


def cross_entropy(logit: float, target: float) -> float:
    return max(logit, 0.0) + math.log1p(math.exp(-abs(logit))) - target * logit


def neuron(w1: float, w2: float, b: float, x1: float, x2: float) -> float:
    return math.tanh(w1 * x1 + w2 * x2 + b)


def precise_tanh(x: Decimal) -> Decimal:
    return 1 - 2 / ((2 * x).exp() + 1)


def precise_sigmoid(x: Decimal) -> Decimal:
    return 1 / (1 + (-x).exp())


def precise_mse(prediction: Decimal, target: Decimal) -> Decimal:
    return (prediction - target) ** 2


def precise_cross_entropy(logit: Decimal, target: Decimal) -> Decimal:
    return (1 + logit.exp()).ln() - target * logit


def precise_neuron(w1: Decimal, w2: Decimal, b: Decimal, x1: Decimal, x2: Decimal) -> Decimal:
    return precise_tanh(w1 * x1 + w2 * x2 + b)


@dataclass(frozen=True)
class Exercise:
    """One exercise: the forward rule, the same rule in ``Decimal``, and where its inputs are drawn."""

    forward: Callable[..., float]
    precise: Callable[..., Decimal]
    domain: tuple[tuple[float, float], ...]  # (lo, hi) per input


EXERCISES: dict[str, Exercise] = {
    "sigmoid": Exercise(sigmoid, precise_sigmoid, ((-6.0, 6.0),)),
    "tanh": Exercise(math.tanh, precise_tanh, ((-3.0, 3.0),)),
    "mse": Exercise(mse, precise_mse, ((-3.0, 3.0),) * 2),
    "cross_entropy": Exercise(cross_entropy, precise_cross_entropy, ((-6.0, 6.0), (0.0, 1.0))),
    "neuron": Exercise(neuron, precise_neuron, ((-2.0, 2.0),) * 5),
}
NAMES = [f"{n}_derivative" for n in EXERCISES] + ["tanh_backward"]


def exercise_of(function_name: str) -> tuple[str, bool]:
    """The exercise a function answers, from its name, and whether it is a micrograd-style backward."""
    for suffix, is_backward in (("_derivative", False), ("_backward", True)):
        if function_name.endswith(suffix) and function_name[: -len(suffix)] in EXERCISES:
            return function_name[: -len(suffix)], is_backward
    known = ", ".join(NAMES)
    raise ValueError(f"check: no exercise is called {function_name!r}; the exercises are {known}")


# --- the verdict ------------------------------------------------------------------------------------

# What the grader itself can find, besides the mistakes check_op names (autograd.learn.MISTAKE_KINDS).
PROBLEM_KINDS = {
    "engine": "computed by the engine (Value ops, backward(), autograd.grad)",
    "library": "differentiated by torch, jax, tensorflow or sympy",
    "approximation": "an approximation, such as a finite difference",
    "recorder_off": "the record of engine calls turned off (sys.setprofile)",
    "timeout": "a call that did not return in time",
    "prints": "more than 1 MB printed",
    "ended": "the code ended the grading process",
    "missing": "no function of the exercise's name",
    "does_not_run": "the file does not import",
    "unreadable": "a reply the grader cannot read",
    "tampered": "the grader's or the engine's code replaced before grading began (in-process grading)",
}


@dataclass(frozen=True)
class Problem:
    """One thing the grader found: its ``kind`` (a key of PROBLEM_KINDS) and the sentence; str() is it."""

    kind: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Verdict:
    """What the grader found for one function: check_op's report and anything found besides."""

    name: str  # the learner's function, e.g. "sigmoid_derivative"
    report: Any  # the Report of check_op / check_backward, or None when grading was stopped
    problems: tuple[Problem, ...] = ()  # the engine called, an approximation, a timeout, ...
    printed: str = ""  # what the learner's code printed meanwhile (the start of it)

    @property
    def ok(self) -> bool:
        return self.report is not None and bool(self.report.ok) and not self.problems

    @property
    def mistakes(self) -> tuple[str, ...]:
        """Every mistake, as text: check_op's first, then the grader's own."""
        named = tuple(str(m) for m in self.report.mistakes) if self.report is not None else ()
        return named + tuple(p.message for p in self.problems)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kind of every mistake: check_op's (MISTAKE_KINDS), then the grader's (PROBLEM_KINDS)."""
        named = (
            tuple(str(getattr(m, "kind", "")) for m in self.report.mistakes)
            if self.report is not None
            else ()
        )
        return named + tuple(p.kind for p in self.problems)

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        if self.report is None:
            lines = [f"{self.name}: not graded"]
        else:
            lines = str(self.report).splitlines()
            if self.problems:
                lines[0] = f"{self.report.name}: wrong"
        lines += [f"  mistake: {p}" for p in self.problems]
        if self.printed:
            printed = self.printed.splitlines()
            lines.append("  your code printed:")
            lines += [f"    {line[:200]}" for line in printed[:PRINT_LINES]]
            lines += ["    ..."] if len(printed) > PRINT_LINES else []
        return "\n".join(lines)


# --- the learner's process ----------------------------------------------------------------------------


class Stopped(BaseException):
    """Grading of one exercise had to stop (timeout, too many prints, the process ended).

    A BaseException, so that check_op's handling of the learner's errors does not swallow it.
    """

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.problem = Problem(kind, reason)


class LearnerProcess:
    """The learner's code running in ``run_learner.py``; ``ask`` sends a request, returns the reply."""

    def __init__(self, first: dict[str, str], timeout: float) -> None:
        self.timeout = timeout
        self.engine_uses: dict[str, list[str]] = {}
        self.unhooked: set[str] = set()
        self._printed: list[str] = []
        self._printed_size = 0
        self._printed_total = 0
        self._lock = threading.Lock()
        self._replies: queue.Queue[str | None] = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, str(RUNNER), str(ENGINE_ROOT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1"},
            start_new_session=True,  # a process group of its own, killed as one
        )
        threading.Thread(target=self._read_replies, daemon=True).start()
        threading.Thread(target=self._read_prints, daemon=True).start()
        self.loaded = self.ask(first, what="loading your code", timeout=3 * timeout)

    def ask(self, request: dict[str, Any], what: str = "", timeout: float | None = None) -> dict[str, Any]:
        """Send one request and wait (up to the timeout) for its one-line JSON reply.

        Loading gets three times the timeout of a call: importing numpy or torch takes seconds.
        """
        timeout = self.timeout if timeout is None else timeout
        if self.process.poll() is not None:
            raise Stopped("ended", self._ended_text(what))
        try:
            assert self.process.stdin is not None
            self.process.stdin.write((json.dumps(request) + "\n").encode())
            self.process.stdin.flush()
        except OSError:
            raise Stopped("ended", self._ended_text(what)) from None
        try:
            line = self._replies.get(timeout=timeout)
        except queue.Empty:
            self.close(kill=True)
            raise Stopped(
                "timeout",
                f"did not return within {timeout:g} s when {what} (an endless loop? "
                "python exercises/check.py --timeout N allows longer)",
            ) from None
        if self._printed_total > PRINT_LIMIT:
            self.close(kill=True)
            raise Stopped(
                "prints", f"printed more than {PRINT_LIMIT // 1_000_000} MB when {what}: print less"
            )
        if line is None:
            self.close()
            raise Stopped("ended", self._ended_text(what))
        try:
            reply = json.loads(line)
        except ValueError:
            reply = None
        if not isinstance(reply, dict):
            self.close(kill=True)
            raise Stopped(
                "unreadable", f"the grading process sent a reply the grader cannot read when {what}"
            )
        return reply

    def ended(self) -> bool:
        """Whether the process has ended (stopped, or ended by the learner's code)."""
        return self.process.poll() is not None

    def take_printed(self) -> str:
        """What the learner's code printed since the last call, cut to PRINT_SHOWN characters."""
        time.sleep(0.05)  # let the reader thread catch up with the prints made just now
        with self._lock:
            text, self._printed, self._printed_size = "".join(self._printed), [], 0
        return text

    def close(self, kill: bool = False) -> None:
        """End the process: it ends by itself once its stdin closes; killed if it has not within 2 s.

        Any process the learner's code started is in its process group, and ends with it.
        """
        if kill:
            self._kill()
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            self._kill()
            self.process.wait()
        self._kill()  # whatever the learner's code left running in the group
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def _kill(self) -> None:
        if hasattr(os, "killpg"):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)  # the group: the learner's own processes too
            except (ProcessLookupError, PermissionError):
                pass
        elif self.process.poll() is None:
            self.process.kill()

    def _ended_text(self, what: str) -> str:
        code = self.process.poll()
        return f"your code ended the grading process (exit status {code}) when {what}"

    def _read_replies(self) -> None:
        assert self.process.stdout is not None
        try:
            for raw in iter(lambda: self.process.stdout.readline(REPLY_LIMIT), b""):  # type: ignore[union-attr]
                self._replies.put(raw.decode("utf-8", errors="replace"))
        except (OSError, ValueError):  # closed
            pass
        self._replies.put(None)

    def _read_prints(self) -> None:
        assert self.process.stderr is not None
        try:
            for chunk in iter(lambda: self.process.stderr.read1(65536), b""):  # type: ignore[union-attr]
                text = chunk.decode("utf-8", errors="replace")
                with self._lock:
                    self._printed_total += len(text)
                    room = PRINT_SHOWN - self._printed_size
                    if room > 0:
                        self._printed.append(text[:room] + ("\n..." if len(text) > room else ""))
                        self._printed_size += min(room, len(text))
                if self._printed_total > PRINT_LIMIT and self.process.poll() is None:
                    self._kill()
        except (OSError, ValueError):  # closed
            pass


# --- the learner's code in this process, where no process can be started (Pyodide) ------------------


def processes_available() -> bool:
    """Whether this Python can start a process: not in a browser (Pyodide: sys.platform "emscripten")."""
    return sys.platform not in ("emscripten", "wasi")


# Modules whose code makes the verdicts, kept as they were while the learner's code runs in-process.
GUARDED_STDLIB = (
    "builtins", "math", "cmath", "decimal", "fractions", "statistics", "random", "json", "operator",
)  # fmt: skip


class _Unchanged:
    """The attributes of the modules and classes that grade, put back after the learner's code ran.

    In a process of its own the learner's code cannot reach the grader; in this process it can
    (``Report.ok = property(lambda self: True)``, ``math.tanh = ...``, ``check_op.__code__ = ...``).
    Each module's and class's namespace, and each function's code and defaults, is kept when
    grading starts and restored after every run of the learner's code: a name replaced is put
    back, a name added is removed (a submodule imported meanwhile is left), a function's code and
    defaults are put back. What this does not reach: the contents of lists and dicts the grader
    reads (``EXERCISES``, the op tables), objects of other modules, C-level state.
    """

    def __init__(self, modules: list[types.ModuleType]) -> None:
        self.namespaces: list[tuple[Any, dict[str, Any], bool, list[str], list[Any]]] = []
        functions: list[types.FunctionType] = []
        seen: set[int] = set()
        for module in modules:
            self._keep(module, True, seen, functions)
            for value in list(module.__dict__.values()):
                if isinstance(value, type) and value.__module__ == module.__name__ and _mutable(value):
                    self._keep(value, False, seen, functions)
        self.functions = functions
        self.codes = [f.__code__ for f in functions]
        self.defaults = [f.__defaults__ for f in functions]
        self.kwdefaults = [f.__kwdefaults__ for f in functions]

    def _keep(self, owner: Any, is_module: bool, seen: set[int], functions: list[types.FunctionType]) -> None:
        if id(owner) in seen:
            return
        seen.add(id(owner))
        saved = dict(owner.__dict__)
        self.namespaces.append((owner, saved, is_module, list(saved), list(saved.values())))
        for value in saved.values():
            if isinstance(value, types.FunctionType) and id(value) not in seen:
                seen.add(id(value))
                functions.append(value)

    def replaced_before(self, allowed: tuple[str, ...]) -> list[str]:
        """The names whose function was written outside ``allowed`` folders: replaced before grading.

        In a page, the learner's code runs before the grader is imported (``Report.ok =
        property(...)`` at the top of the editor), so what was kept may already be changed: a
        function, property or method of the modules that grade whose code comes from elsewhere
        (``<run 3>``, a learner's file) is named. Code that dataclasses write (``<string>``) is theirs.
        """
        found = []
        for owner, saved, *_ in self.namespaces:
            for name, value in saved.items():
                for function in _functions_of(value):
                    filename = function.__code__.co_filename
                    if filename != "<string>" and not os.path.abspath(filename).startswith(allowed):
                        found.append(f"{getattr(owner, '__name__', owner)}.{name}")
        return found

    def restore(self, _all: Any = all, _map: Any = map, _len: Any = len, _same: Any = operator.is_) -> None:
        """Put back every name, code and default that changed since grading started.

        Unchanged is checked by identity, in C (``map(operator.is_, ...)``): about 0.1 ms for
        the few thousand names, since this runs after each of the ~300 calls of an exercise.
        """
        # the builtins it uses are bound when check.py is imported: the learner's code may replace them
        for owner, saved, is_module, keys, values in self.namespaces:
            current = owner.__dict__
            if (
                _len(current) == _len(keys)
                and _all(_map(_same, current.values(), values))
                and _all(_map(_same, current.keys(), keys))
            ):
                continue
            for name in [k for k in current if k not in saved]:
                if not (is_module and isinstance(current[name], types.ModuleType)):
                    _set(owner, name, None, delete=True)
            for name, value in saved.items():
                if current.get(name, _Unchanged) is not value:
                    _set(owner, name, value)
        functions = self.functions
        if not (
            _all(_map(_same, _map(_code, functions), self.codes))
            and _all(_map(_same, _map(_defaults, functions), self.defaults))
            and _all(_map(_same, _map(_kwdefaults, functions), self.kwdefaults))
        ):
            kept = zip(functions, self.codes, self.defaults, self.kwdefaults)
            for function, code, defaults, kwdefaults in kept:
                function.__code__, function.__defaults__, function.__kwdefaults__ = code, defaults, kwdefaults


def _functions_of(value: Any) -> list[types.FunctionType]:
    """The Python functions a namespace entry runs: itself, a property's, a static or class method's."""
    if isinstance(value, property):
        parts = [value.fget, value.fset, value.fdel]
    elif isinstance(value, (staticmethod, classmethod)):
        parts = [value.__func__]
    else:
        parts = [value]
    return [f for f in parts if isinstance(f, types.FunctionType)]


def _mutable(cls: type) -> bool:
    """Whether a class's attributes can be set (not a built-in or C type: Py_TPFLAGS_IMMUTABLETYPE)."""
    return not cls.__flags__ & (1 << 8)


_code = operator.attrgetter("__code__")
_defaults = operator.attrgetter("__defaults__")
_kwdefaults = operator.attrgetter("__kwdefaults__")


def _set(owner: Any, name: str, value: Any, delete: bool = False) -> None:
    """Set (or delete) a module's or a class's attribute; one that cannot be (a C type's) is left."""
    try:
        if isinstance(owner, types.ModuleType):
            if delete:
                del owner.__dict__[name]
            else:
                owner.__dict__[name] = value
        elif delete:
            type.__delattr__(owner, name)
        else:
            type.__setattr__(owner, name, value)
    except (AttributeError, TypeError, KeyError):
        pass


class _Prints:
    """Where the learner's prints go in-process: kept up to PRINT_SHOWN, stopped past PRINT_LIMIT."""

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.size = 0
        self.total = 0
        self.what = ""
        self.stop: Stopped | None = None  # why the learner's code was stopped, even if it caught that

    def write(self, text: str) -> int:
        self.total += len(text)
        room = PRINT_SHOWN - self.size
        if room > 0:
            self.kept.append(text[:room] + ("\n..." if len(text) > room else ""))
            self.size += min(room, len(text))
        if self.total > PRINT_LIMIT:
            self.stop = Stopped(
                "prints", f"printed more than {PRINT_LIMIT // 1_000_000} MB when {self.what}: print less"
            )
            raise self.stop
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class InProcessLearner:
    """The learner's code run in this process, for a Python that cannot start one (Pyodide).

    It answers the grader as ``LearnerProcess`` does, with the same requests and replies (each
    sent through JSON, so only numbers and what ``run_learner.encode`` writes cross), the same
    record of engine calls (``sys.setprofile``), the same limits, and the same verdicts. What the
    process boundary did is done here another way, or weakens (docs/exercises.md says so):

    - prints are kept by replacing ``sys.stdout`` and ``sys.stderr`` while the learner's code runs
      (and ``input()`` reads nothing); more than 1 MB stops the grading of that exercise;
    - the timeout is a trace function (``sys.settrace``) that stops the code at the next line
      after the time is up: a loop inside one C call (``math.factorial(10**9)``) is not
      stopped, nor is code that catches BaseException or turns tracing off; the page's Stop
      button ends those (the worker is ended);
    - ``sys.exit()`` is reported as the code ending the grading; ``os._exit()`` ends the page's
      Python;
    - the grader's code is the learner's code's neighbour: ``_Unchanged`` puts back what the
      learner's code replaced in the modules that grade, after each run of it; what it does not
      reach (the contents of the grader's tables) a learner's code could change on purpose.
    """

    def __init__(self, first: dict[str, Any], timeout: float) -> None:
        self.timeout = timeout
        self.engine_uses: dict[str, list[str]] = {}
        self.unhooked: set[str] = set()
        self._prints = _Prints()
        self._ended = False
        self.runner = _runner_module()
        self.engine_dirs = self.runner._engine_dirs()
        self._module_name = ""
        modules = [m for n, m in list(sys.modules.items()) if _grading_module(n) and m is not None]
        self._unchanged = _Unchanged(modules)
        allowed = (*self.engine_dirs, str(HERE) + os.sep, os.path.dirname(os.__file__) + os.sep)
        self.tampered = self._unchanged.replaced_before(allowed)
        if "namespace" in first:  # functions already defined in this Python (a page's editor)
            self.namespace: dict[str, Any] = dict(first["namespace"])
            self.loaded: dict[str, Any] = {"loaded": True}
            return
        self.namespace = {}
        name = os.path.splitext(os.path.basename(str(first.get("file", ""))))[0]
        self._module_name = name if "file" in first else "learner"
        self.loaded = self._run(
            "loading your code", 3 * timeout, lambda: self.runner._load(json.loads(json.dumps(first)))
        )

    def ended(self) -> bool:
        """Whether the last request was stopped (a fresh load is then made, as a new process would)."""
        return self._ended

    def ask(self, request: dict[str, Any], what: str = "", timeout: float | None = None) -> dict[str, Any]:
        """Answer one request as the learner's process would, through JSON."""
        timeout = self.timeout if timeout is None else timeout
        sent = json.loads(json.dumps(request))
        reply = self._run(what, timeout, lambda: self.runner._answer(self.namespace, sent, self.engine_dirs))
        return dict(json.loads(json.dumps(reply, allow_nan=True)))

    def _run(self, what: str, timeout: float, work: Callable[[], Any]) -> Any:
        """``work()`` with the learner's prints kept, a deadline, the grader put back after it."""
        self._prints.what = what
        deadline = time.monotonic() + timeout

        def tracer(frame: types.FrameType, event: str, arg: Any) -> Any:
            if time.monotonic() > deadline:
                self._prints.stop = Stopped(
                    "timeout",
                    f"did not return within {timeout:g} s when {what} (an endless loop? "
                    "python exercises/check.py --timeout N allows longer)",
                )
                raise self._prints.stop
            return tracer

        saved = sys.stdin, sys.stdout, sys.stderr, os.environ.get(GRADING)
        os.environ[GRADING] = "1"  # check() in the learner's code: nothing to start
        sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), self._prints, self._prints  # type: ignore[assignment]
        sys.settrace(tracer)
        self._prints.stop = None
        try:
            result = work()
            if self._prints.stop is not None:  # caught by the learner's code, or by _load
                raise self._prints.stop
        except Stopped:
            self._ended = True
            raise
        except (SystemExit, KeyboardInterrupt) as err:
            self._ended = True
            code = err.code if isinstance(err, SystemExit) else "KeyboardInterrupt"
            raise Stopped("ended", f"your code ended the grading ({code!r}) when {what}") from None
        finally:
            sys.settrace(None)
            sys.setprofile(None)
            sys.stdin, sys.stdout, sys.stderr = saved[:3]
            if saved[3] is None:
                os.environ.pop(GRADING, None)
            else:
                os.environ[GRADING] = saved[3]
            self._unchanged.restore()
        if isinstance(result, tuple):  # _load: (namespace, error)
            namespace, error = result
            if error:
                return {"loaded": False, **error}
            self.namespace = namespace
            return {"loaded": True}
        return result

    def take_printed(self) -> str:
        """What the learner's code printed since the last call, cut to PRINT_SHOWN characters."""
        text = "".join(self._prints.kept)
        self._prints.kept, self._prints.size = [], 0
        return text

    def close(self, kill: bool = False) -> None:
        """Forget the learner's module (a file loaded here is in sys.modules while it is graded)."""
        module = sys.modules.get(self._module_name) if self._module_name else None
        if module is not None and self.namespace.get("__name__") == getattr(module, "__name__", None):
            del sys.modules[self._module_name]


def _grading_module(name: str) -> bool:
    """A module whose code makes the verdicts: the grader, the engine, its learning tools, the stdlib used."""
    top = name.split(".")[0]
    return (
        name in GUARDED_STDLIB
        or name in (__name__, RUNNER_MODULE)
        or (top == "autograd" and not name.startswith("autograd.see"))
    )


Learner = LearnerProcess | InProcessLearner  # where the learner's code runs
RUNNER_MODULE = "exercises_run_learner"  # run_learner.py as this process imports it, by its path


def _runner_module() -> types.ModuleType:
    """``run_learner.py`` imported in this process (once), for its loading, answering and recording."""
    module = sys.modules.get(RUNNER_MODULE)
    if module is None:
        spec = importlib.util.spec_from_file_location(RUNNER_MODULE, RUNNER)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[RUNNER_MODULE] = module
        spec.loader.exec_module(module)
    return module


# --- the learner's functions, as the grader sees them: proxies that ask the process -----------------


def derivative_proxy(process: Learner, name: str) -> Callable[..., Any]:
    """A function that asks the learner's process for ``name``'s result at the given numbers."""

    def derivative(*args: Any) -> Any:
        numbers = [float(a.data if isinstance(a, Value) else a) for a in args]
        return _returned(_ask(process, name, {"style": "op", "args": numbers}, numbers[:-1]))

    derivative.__name__ = derivative.__qualname__ = name
    return derivative


def backward_proxy(process: Learner, name: str) -> Callable[..., Any]:
    """A micrograd-style backward that asks the learner's, and mirrors the grads and data it changed."""

    def backward(*values: Value) -> Any:
        *inputs, out = values
        request = {
            "style": "backward",
            "inputs": [[float(v.data), float(v.grad)] for v in inputs],
            "out": [float(out.data), float(out.grad)],
        }
        reply = _ask(process, name, request, [v.data for v in inputs])
        with _unreadable_stops():
            for v, (data, grad) in zip(inputs, reply["inputs"]):
                v.data, v.grad = decode(data), decode(grad)
            out.data, out.grad = decode(reply["out"][0]), decode(reply["out"][1])
        return _returned(reply)

    backward.__name__ = backward.__qualname__ = name
    return backward


def _ask(process: Learner, name: str, request: dict[str, Any], point: list[float]) -> dict[str, Any]:
    where = ", ".join(f"{v:.4g}" for v in point)
    reply = process.ask({"function": name, **request}, what=f"{name} was called at ({where})")
    if reply.get("missing"):
        raise Stopped("missing", f"there is no function {name} in your code (was it renamed?)")
    uses = process.engine_uses.setdefault(name, [])
    uses += [str(u) for u in reply.get("engine", []) if u not in uses]
    if reply.get("unhooked"):
        process.unhooked.add(name)
    return reply


def _returned(reply: dict[str, Any]) -> Any:
    """What the learner's function returned, or its exception (rebuilt here) raised."""
    with _unreadable_stops():
        error = reply.get("error")
        if error is None:
            return decode(reply["result"])
        raised = rebuilt_error(str(error["type"]), str(error["message"]))
    raise raised


@contextmanager
def _unreadable_stops() -> Iterator[None]:
    """A reply the grader cannot read stops the grading (it must not pass for the learner's error)."""
    try:
        yield
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, ArithmeticError) as err:
        raise Stopped(
            "unreadable", f"the grading process sent a reply the grader cannot read ({err!r})"
        ) from None


_STAND_INS: dict[str, type] = {}


def stand_in(type_name: str, text: str) -> object:
    """An object whose type has the name of the learner's (``str()`` and ``repr()`` give its repr)."""
    name = type_name if type_name.isidentifier() else "object"
    if name not in _STAND_INS:
        _STAND_INS[name] = type(name, (), {"__init__": _stand_in_init, "__repr__": _stand_in_repr})
    return _STAND_INS[name](text)


def _stand_in_init(self: Any, text: str) -> None:
    self.text = text


def _stand_in_repr(self: Any) -> str:
    return str(self.text)


def rebuilt_error(type_name: str, message: str) -> Exception:
    """The learner's exception, rebuilt here from its type's name and its message only."""
    cls = getattr(builtins, type_name, None)
    if isinstance(cls, type) and issubclass(cls, Exception):
        try:
            return cls(message)
        except Exception:  # a built-in exception with other required arguments
            pass
    name = type_name if type_name.isidentifier() else "Exception"
    error: Exception = type(name, (Exception,), {})(message)
    return error


def decode(item: dict[str, Any]) -> Any:
    """Rebuild a value the learner's process encoded (``run_learner.encode``): numbers as numbers."""
    kind = item.get("t")
    if kind == "none":
        return None
    if kind == "bool":
        return bool(item["v"])
    if kind == "int":
        return int(item["v"])
    if kind == "float":
        return float(item["v"])
    if kind == "fraction":
        return Fraction(int(item["n"]), int(item["d"]))
    if kind == "decimal":
        return Decimal(item["v"])
    if kind == "complex":
        return complex(float(item["re"]), float(item["im"]))
    if kind == "numpy":
        return _numpy(item)
    if kind == "value":
        data = decode(item["data"])
        return Value(data) if isinstance(data, float) else stand_in("Value", f"Value(data={data!r})")
    if kind in ("tuple", "list"):
        items = [decode(v) for v in item["items"]]
        items += [None] * (min(int(item["length"]), 10_000) - len(items))  # the count stays true
        return tuple(items) if kind == "tuple" else items
    if kind == "str":
        return str(item["v"])
    return stand_in(str(item.get("type", "object")), str(item.get("repr", "")))


def _numpy(item: dict[str, Any]) -> Any:
    inner = decode(item["v"])
    try:
        import numpy
    except ImportError:  # the grader's Python has no numpy: the number itself
        return inner
    try:
        array = numpy.array(inner, dtype=item["dtype"])
    except (TypeError, ValueError):
        return inner
    return array if item["kind"] == "array0" else array[()]


# --- the approximation check ------------------------------------------------------------------------


def precise_derivative(precise: Callable[..., Decimal], point: tuple[float, ...], i: int) -> float:
    """d precise / d input i at ``point``: a central difference with h = 1e-20 in 50-digit decimals.

    Its truncation error is about h² f'''/6 ≈ 1e-40 and its rounding about 1e-50 / h = 1e-30:
    far below a float's 1e-16, so it is the exact derivative as far as a float can tell.
    """
    with localcontext() as context:
        context.prec = 50
        h = Decimal("1e-20")
        xs = [Decimal(v) for v in point]  # the float's exact value
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        return float((precise(*up) - precise(*down)) / (2 * h))


def approximation(
    exercise: Exercise, local: Callable[[tuple[float, ...], float], tuple[Any, ...]], rng: random.Random
) -> str:
    """The mistake text when the learner's numbers are close but not exact, as an approximation is.

    Each number's error is taken relative to the true derivative (or to 1e-6 where that is
    smaller). A median above 1e-4 is a wrong derivative, which check_op names; one at or below
    ``APPROXIMATION`` is a derivative written out; in between is an approximation.
    """
    errors = []
    for _ in range(32):
        point = tuple(rng.uniform(lo, hi) for lo, hi in exercise.domain)
        out = exercise.forward(*point)
        try:
            got = local(point, out)
        except Exception:  # reported by check_op already
            continue
        for i, value in enumerate(got[: len(point)]):
            number = _as_float(value)
            if number is not None:
                true = precise_derivative(exercise.precise, point, i)
                errors.append(abs(number - true) / max(abs(true), 1e-6))
    if len(errors) < 8:
        return ""
    typical = statistics.median(errors)
    if not APPROXIMATION < typical <= 1e-4:
        return ""
    return (
        f"approximates the derivative: yours is off by about {typical:.0e} of its size (the median of "
        f"{len(errors)} numbers at 32 points), where a derivative written out is off by about 1e-16, "
        "rounding only. A finite difference, (f(x + h) - f(x - h)) / 2h, does this: write the "
        "derivative itself."
    )


def _as_float(value: Any) -> float | None:
    if isinstance(value, Value):
        value = value.data
    if isinstance(value, bool) or isinstance(value, (str, bytes, complex)):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, ArithmeticError):
        return None
    return number if math.isfinite(number) else None


def _local_from_derivative(
    derivative: Callable[..., Any],
) -> Callable[[tuple[float, ...], float], tuple[Any, ...]]:
    def local(point: tuple[float, ...], out: float) -> tuple[Any, ...]:
        result = derivative(*point, out)
        return tuple(result) if isinstance(result, (tuple, list)) else (result,)

    return local


def _local_from_backward(
    backward: Callable[..., Any],
) -> Callable[[tuple[float, ...], float], tuple[Any, ...]]:
    def local(point: tuple[float, ...], out: float) -> tuple[Any, ...]:
        inputs = [Value(v) for v in point]
        node = Value(out)
        node.grad = 1.0
        backward(*inputs, node)
        return tuple(v.grad for v in inputs)

    return local


# --- grading ----------------------------------------------------------------------------------------


def draw_domain(
    domain: tuple[tuple[float, float], ...], rng: random.Random
) -> tuple[tuple[float, float], ...]:
    """The domain with each end moved inward by up to 5% of its width: every run's points differ."""
    return tuple(
        (lo + rng.uniform(0, 0.05) * (hi - lo), hi - rng.uniform(0, 0.05) * (hi - lo)) for lo, hi in domain
    )


def grade_in(process: Learner, name: str, seed: int) -> Verdict:
    """Grade the function ``name`` of the learner's code running in ``process``."""
    exercise_name, is_backward = exercise_of(name)
    exercise = EXERCISES[exercise_name]
    rng = random.Random(f"{seed}:{name}")
    domain = draw_domain(exercise.domain, rng)
    problems: list[Problem] = []
    try:
        if is_backward:
            proxy = backward_proxy(process, name)
            report = check_backward(
                exercise.forward, proxy, domain=domain, name=name, seed=rng.randrange(2**31)
            )
            close = approximation(exercise, _local_from_backward(proxy), rng)
        else:
            proxy = derivative_proxy(process, name)
            report = check_op(exercise.forward, proxy, domain=domain, name=name, seed=rng.randrange(2**31))
            close = approximation(exercise, _local_from_derivative(proxy), rng)
    except Stopped as stop:
        return Verdict(name, None, (stop.problem,), process.take_printed())
    uses = sorted(  # backward() and grad() first: they say most
        dict.fromkeys(_readable(u) for u in process.engine_uses.get(name, [])),
        key=lambda u: not u.startswith(("Value.backward", "autograd.grad", "autograd.value_and_grad")),
    )
    if uses:
        ours = any(u.partition(":")[0].split(".")[0] in ENGINE for u in process.engine_uses.get(name, []))
        what = "the engine" if ours else "a library that differentiates"
        text = (
            f"calls {what} ({', '.join(uses[:4])}): the derivative has to be yours, written out with "
            "arithmetic on the numbers you are given (math is fine)."
        )
        problems.append(Problem("engine" if ours else "library", text))
    if name in process.unhooked:
        text = "turned off the grader's record of engine calls (sys.setprofile): leave it on."
        problems.append(Problem("recorder_off", text))
    tampered = getattr(process, "tampered", [])
    if tampered:
        text = (
            f"the grader's own code was replaced before grading began ({', '.join(tampered[:3])}, by code "
            "outside chainrule and the grader), so no verdict here can be trusted: start Python afresh "
            "(reload the page) and grade without that change."
        )
        problems.append(Problem("tampered", text))
    if close and not uses:
        problems.append(Problem("approximation", close))
    return Verdict(name, report, tuple(problems), process.take_printed())


def _readable(use: str) -> str:
    """An engine call as a learner wrote it: ``autograd.value:Value.backward`` -> ``Value.backward()``,
    ``autograd.functional:grad`` (or the function it returned) -> ``autograd.grad()``,
    ``autograd.value:Value.__init__`` -> ``Value(...)``; an op (``x.tanh()``, ``x * y``, the
    engine's own helpers) -> ``ops on Values``.
    """
    module, _, qualname = use.partition(":")
    qualname = qualname.split(".<locals>")[0]  # the function grad(f) returned is grad's
    top = module.split(".")[0]
    if top not in ENGINE:
        return f"{module}.{qualname}()"
    if qualname.endswith(".__init__"):
        return qualname[: -len(".__init__")] + "(...)"
    if top != "autograd":
        return f"{top}.{qualname}()"
    if qualname.startswith("Value.") and not qualname.startswith("Value.__"):
        return qualname + "()"
    if qualname in getattr(autograd, "__all__", ()):
        return f"autograd.{qualname}()"
    return "ops on Values"


ENGINE = ("autograd", "nn", "chainrule")  # our packages: any call into them that computes counts


def grade_file(
    path: str | os.PathLike[str], seed: int, timeout: float = 10.0
) -> tuple[list[Verdict], Problem | None]:
    """Grade every exercise in the file at ``path``: the verdicts, and why the file did not run (or None)."""
    return _grade_all({"file": str(path)}, seed, timeout)


def _grade_all(first: dict[str, Any], seed: int, timeout: float) -> tuple[list[Verdict], Problem | None]:
    """Every exercise graded in the learner's code that ``first`` gives; a stopped one gets a fresh start."""
    verdicts: list[Verdict] = []
    process: Learner | Problem | None = None
    try:
        for name in NAMES:
            if process is None or (not isinstance(process, Problem) and process.ended()):
                process = start(first, timeout)  # the first, or the last one was stopped
            if isinstance(process, Problem):
                return verdicts, process
            verdicts.append(grade_in(process, name, seed))
    finally:
        if process is not None and not isinstance(process, Problem):
            process.close()
    return verdicts, None


def grade_functions(
    namespace: dict[str, Any], seed: int | None = None, timeout: float = 10.0
) -> list[Verdict]:
    """Grade every exercise in the functions a notebook's or a page's ``namespace`` (``globals()``) defines.

    Each in a process of its own, as ``grade``; in this one (``InProcessLearner``) where no process
    can be started (Pyodide), or where the functions cannot be sent to one because their source
    cannot be found (code run by ``exec`` from a string that ``linecache`` does not know). A
    function missing from the namespace is named.
    """
    seed = new_seed() if seed is None else seed
    functions = {k: v for k, v in namespace.items() if k in NAMES and callable(v)}
    if not processes_available() or not all(_sendable(f) for f in functions.values()):
        return _grade_all({"namespace": functions}, seed, timeout)[0]
    verdicts = []
    for name in NAMES:
        if name in functions:
            verdicts.append(grade(functions[name], seed, timeout))
        else:
            missing = Problem("missing", f"there is no function {name} in your code (was it renamed?)")
            verdicts.append(Verdict(name, None, (missing,)))
    return verdicts


def _sendable(function: Callable[..., Any]) -> bool:
    """Whether ``function`` can be sent to a learner's process (its file, or its source)."""
    try:
        _code_of(function)
    except ValueError:
        return False
    return True


def start(first: dict[str, Any], timeout: float) -> Learner | Problem:
    """The learner's code running (in a process of its own, or in this one where no process can be
    started: Pyodide), or the Problem of why that code did not run."""
    if os.environ.get(GRADING):
        raise RuntimeError(
            "check: a file being graded cannot start another grading (check.py grades it already)"
        )
    try:
        in_process = "namespace" in first or not processes_available()  # functions of this Python
        process: Learner = InProcessLearner(first, timeout) if in_process else LearnerProcess(first, timeout)
    except Stopped as stop:
        return stop.problem
    loaded = process.loaded
    if loaded.get("loaded"):
        return process
    printed = process.take_printed()
    process.close()
    text = (
        f"{loaded['error']}: your code does not run:\n{textwrap.indent(str(loaded['text']).rstrip(), '    ')}"
    )
    text += f"\n  it printed:\n{textwrap.indent(printed.rstrip(), '    ')}" if printed else ""
    return Problem("does_not_run", text)


def grade(function: Callable[..., Any], seed: int | None = None, timeout: float = 10.0) -> Verdict:
    """Grade one function (from a file or a notebook) in a process of its own; its Verdict.

    Where no process can be started (Pyodide), the function is called in this one
    (``InProcessLearner``).
    """
    name = getattr(function, "__name__", "")
    exercise_of(name)
    seed = new_seed() if seed is None else seed
    first = _code_of(function) if processes_available() else {"namespace": {name: function}}
    process = start(first, timeout)
    if isinstance(process, Problem):
        return Verdict(name, None, (process,))
    try:
        return grade_in(process, name, seed)
    finally:
        process.close()


def check(function: Callable[..., Any], seed: int | None = None, timeout: float = 10.0) -> bool:
    """Grade ``function``, print the verdict, and return True when it passes.

    In a file being graded (a ``check(...)`` line at the end of derivatives.py, run by the
    grader's process) it does nothing and returns True: the grader is grading that file already,
    and a grading process that started another would start one more, and so on.
    """
    exercise_of(getattr(function, "__name__", ""))
    if os.environ.get(GRADING):
        return True
    seed = new_seed() if seed is None else seed
    verdict = grade(function, seed, timeout)
    print(f"{verdict}\n(points drawn with seed {seed}: check({verdict.name}, seed={seed}) repeats them)")
    return verdict.ok


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 1_000_000)


def _code_of(function: Callable[..., Any]) -> dict[str, str]:
    """What the learner's process runs: the function's file, or (from a notebook) its source."""
    module = sys.modules.get(getattr(function, "__module__", "") or "")
    filename = getattr(module, "__file__", None)
    if (
        module is not None
        and module.__name__ != "__main__"
        and filename
        and str(filename).endswith(".py")
        and os.path.exists(filename)
        and getattr(module, function.__name__, None) is function
    ):
        return {"file": str(filename)}
    return {"source": source_of(function), "filename": f"<{function.__name__}>"}


def source_of(function: Callable[..., Any]) -> str:
    """The source of a function defined in a notebook, with what it uses from the notebook's globals.

    Functions defined there are sent as source, modules and library functions as imports, plain
    constants (numbers, strings, and tuples, lists and dicts of them) as literals. Anything else
    is refused with a ValueError naming it.
    """
    parts: dict[str, str] = {}
    pending = [function]
    while pending:
        f = pending.pop()
        if f.__name__ in parts:
            continue
        if getattr(f, "__closure__", None):
            raise ValueError(
                f"check: {f.__name__} uses variables of the function around it; define it at the top level"
            )
        try:
            parts[f.__name__] = textwrap.dedent(inspect.getsource(f))
        except (OSError, TypeError):
            raise ValueError(f"check: cannot find the source of {f.__name__}; put it in a .py file") from None
        for name in sorted(_names_used(f.__code__)):
            if name in parts or name not in f.__globals__:
                continue
            value = f.__globals__[name]
            if isinstance(value, types.FunctionType) and value.__module__ == f.__module__:
                pending.append(value)
            else:
                parts[name] = _import_or_literal(name, value, f.__name__)
    return "\n\n".join(reversed(list(parts.values()))) + "\n"


def _names_used(code: types.CodeType) -> Iterator[str]:
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _names_used(const)


def _import_or_literal(name: str, value: object, user: str) -> str:
    if isinstance(value, types.ModuleType):
        return f"import {value.__name__} as {name}"
    module, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
    if module and qualname and module != "__main__" and "." not in qualname:
        try:
            if getattr(sys.modules[module], qualname) is value:
                return f"from {module} import {qualname} as {name}"
        except (KeyError, AttributeError):
            pass
    text = repr(value)
    try:
        if len(text) < 100_000 and ast.literal_eval(text) == value:
            return f"{name} = {text}"
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        pass
    raise ValueError(
        f"check: {user} uses {name} (a {type(value).__name__}), which cannot be sent to the grading "
        "process; define it inside the function, or put your functions in a .py file"
    )


def summary(verdicts: list[Verdict]) -> str:
    """One line per exercise: passes, or wrong with the kinds of its mistakes (for counting a class's)."""
    graded = {v.name: v for v in verdicts}
    lines = ["summary:"]
    for name in NAMES:
        verdict = graded.get(name)
        if verdict is None:
            state = "not graded"
        elif verdict.ok:
            state = "passes"
        else:
            kinds = ", ".join(dict.fromkeys(k for k in verdict.kinds if k))
            state = f"wrong ({kinds})" if kinds else "wrong"
        lines.append(f"  {name:<26}{state}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python exercises/check.py", description="Grade the exercises.")
    parser.add_argument("file", nargs="?", help="the file to grade (default: exercises/derivatives.py)")
    parser.add_argument("--solutions", action="store_true", help="grade solutions.py")
    parser.add_argument("--seed", type=int, help="draw the points of an earlier run (its seed is printed)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        help="seconds one call may take (default 10; loading your file: 3 times that)",
    )
    args = parser.parse_args(argv)
    if os.environ.get(GRADING):
        parser.error("started from a file being graded: python exercises/check.py grades it already")
    path = Path(args.file) if args.file else HERE / ("solutions.py" if args.solutions else "derivatives.py")
    if not path.is_file():
        parser.error(f"no file {path}")
    seed = new_seed() if args.seed is None else args.seed
    print(f"grading {path} with points drawn from seed {seed} (--seed {seed} draws the same ones)\n")
    verdicts, error = grade_file(path, seed, args.timeout)
    for verdict in verdicts:
        print(f"{verdict}\n")
    if error is not None:
        print(f"{error}\n")
    print(summary(verdicts))
    passed = sum(v.ok for v in verdicts)
    print(f"{passed} of {len(NAMES)} exercises pass")
    return 0 if passed == len(NAMES) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
