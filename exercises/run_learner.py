"""The learner's side of the grader: runs your code in a process of its own and answers with numbers.

``check.py`` starts this file with ``python run_learner.py`` and talks to it over stdin and
stdout, one JSON object a line. It sends your file (or, from a notebook, your function's source),
then asks for your functions' values at the points it chooses; this process calls them and writes
back only what they returned, as numbers (and the grads a micrograd-style backward left), the
error they raised, and which engine functions they called. Nothing here decides a grade: the
verdicts are made in the grader's process, from these numbers only, so nothing your file does
(``Report.ok = property(...)``, a changed ``check_op``) reaches them.

Your prints go to stderr, which the grader reads (up to a limit): stdout is the grader's channel.
While one of your functions runs, ``sys.setprofile`` records every call into the engine
(``autograd``, ``nn``, ``chainrule``; reading a Value, as ``print(x)`` or ``float(out)`` do, is
not counted) and into what differentiates in torch, jax, tensorflow or sympy, so the grader can
say that an answer was computed for you rather than written out.

This is not a sandbox: it stops no one from doing anything on purpose in their own process. It
keeps the grader's verdicts out of reach, and it tells apart an answer from a borrowed one for
what a learner writes.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import os
import sys
import traceback
from fractions import Fraction
from types import CodeType, FrameType, ModuleType
from typing import Any, TextIO

# Libraries that differentiate for you; a call into them (besides ours) is named as such.
OTHER_ENGINES = ("torch", "jax", "jaxlib", "tensorflow", "sympy")
# Their functions that differentiate (anything else of theirs, torch.exp say, is arithmetic).
DIFFERENTIATING = frozenset(
    "backward grad value_and_grad jacobian hessian jacfwd jacrev vjp jvp diff Derivative gradient "
    "GradientTape".split()
)
OUR_ENGINE = ("autograd", "nn", "chainrule")
# Engine methods that only read a Value (print it, turn it into a float, compare it): not a use.
READING = frozenset(
    "__repr__ __str__ __format__ __float__ __int__ __index__ __bool__ item is_leaf __hash__ "
    "__eq__ __ne__ __lt__ __le__ __gt__ __ge__ <module> fmt".split()
)
TEXT_LIMIT = 300  # characters of a repr, a message or a string sent back
ITEMS_LIMIT = 64  # items of a tuple or list sent back


def main() -> None:
    requests, replies = _take_over_stdio()
    sys.path.insert(0, os.path.abspath(sys.argv[1]))  # where autograd is, as the grader found it
    engine_dirs = _engine_dirs()
    first = json.loads(requests.readline())
    os.environ["CHAINRULE_EXERCISE_GRADING"] = "1"  # check() in the learner's file: nothing to start
    namespace, error = _load(first)
    if error:
        _send(replies, {"loaded": False, **error})
        return
    functions = sorted(k for k, v in namespace.items() if callable(v) and not k.startswith("_"))
    _send(replies, {"loaded": True, "functions": functions})
    for line in requests:
        request = json.loads(line)
        _send(replies, _answer(namespace, request, engine_dirs))


def _take_over_stdio() -> tuple[TextIO, TextIO]:
    """Keep stdin and stdout for the grader; the learner's prints go to stderr, input() reads nothing."""
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    sys.stdin = open(os.devnull, encoding="utf-8")
    sys.stdout = os.fdopen(1, "w", encoding="utf-8", errors="replace", buffering=1)
    return requests, replies


def _engine_dirs() -> tuple[str, ...]:
    """The folders of our engine's packages (autograd, nn, chainrule), wherever they are installed."""
    dirs = []
    for name in OUR_ENGINE:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            dirs += [os.path.abspath(d) + os.sep for d in spec.submodule_search_locations]
    import autograd  # noqa: F401  (the engine, loaded before the learner's code, as the grader has it)

    return tuple(dirs)


def _load(first: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Run the learner's file (or source) as a module; its names, or what went wrong."""
    if "file" in first:
        path = os.path.abspath(first["file"])
        sys.path.insert(0, os.path.dirname(path))
        name, filename = os.path.splitext(os.path.basename(path))[0], path
        try:
            with open(path, encoding="utf-8") as f:
                source = f.read()
        except OSError as err:
            return {}, {"error": "OSError", "text": f"cannot read {path}: {err.strerror}"}
    else:
        name, filename, source = "learner", first.get("filename", "<your function>"), first["source"]
    module = ModuleType(name)
    module.__file__ = filename
    sys.modules[name] = module
    try:
        code = compile(source, filename, "exec")
        exec(code, module.__dict__)
    except SyntaxError as err:
        where = f'File "{err.filename}", line {err.lineno}'
        text = (err.text or "").rstrip("\n")
        caret = " " * max(0, (err.offset or 1) - 1) + "^" if text else ""
        return {}, {
            "error": "SyntaxError",
            "text": "\n".join(x for x in (where, text, caret) if x) + f"\n{err.msg}",
        }
    except BaseException as err:  # the learner's module code: any error is reported
        tb = err.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename == __file__:  # the learner's frames only
            tb = tb.tb_next
        lines = traceback.format_exception(type(err), err, tb)
        return {}, {"error": type(err).__name__, "text": "".join(lines[-12:])[-3000:]}
    return dict(module.__dict__), {}


def _answer(
    namespace: dict[str, Any], request: dict[str, Any], engine_dirs: tuple[str, ...]
) -> dict[str, Any]:
    """Call one learner function as asked; what it returned, raised, changed and called."""
    function = namespace.get(request["function"])
    if not callable(function):
        return {"missing": True}
    reply: dict[str, Any] = {}
    if request["style"] == "backward":
        from autograd import Value

        inputs = [_value(data, grad, Value) for data, grad in request["inputs"]]
        out = _value(*request["out"], Value)
        args: list[Any] = [*inputs, out]
    else:
        args = [float(a) for a in request["args"]]
    recorder = Recorder(engine_dirs)
    try:
        with recorder:
            result = function(*args)
        reply["result"] = encode(result)
    except Exception as err:  # the learner's code: the error is part of the grade
        reply["error"] = {"type": type(err).__name__, "message": _short(str(err))}
    if request["style"] == "backward":
        reply["inputs"] = [[encode(v.data), encode(v.grad)] for v in inputs]
        reply["out"] = [encode(out.data), encode(out.grad)]
    reply["engine"] = recorder.uses
    reply["unhooked"] = recorder.unhooked
    return reply


def _value(data: Any, grad: Any, value_class: Any) -> Any:
    v = value_class(float(data))
    v.grad = float(grad)
    return v


_QUALNAMES: dict[CodeType, str] = {}


def qualname(code: CodeType) -> str:
    """The qualified name of the function running ``code`` (``Value.backward``, ``grad.<locals>.f``).

    Python 3.11 and later keep it on the code object; on 3.10 it is found on the function object
    that holds the code (once per code object).
    """
    name = getattr(code, "co_qualname", None)
    if name is None:
        name = _QUALNAMES.get(code)
        if name is None:
            holders = [f for f in gc.get_referrers(code) if getattr(f, "__code__", None) is code]
            name = str(getattr(holders[0], "__qualname__", code.co_name)) if holders else code.co_name
            _QUALNAMES[code] = name
    return name


class Recorder:
    """While active, records each call into the engine made from code outside it (``sys.setprofile``)."""

    def __init__(self, engine_dirs: tuple[str, ...]) -> None:
        self.engine_dirs = engine_dirs
        self.uses: list[str] = []
        self.unhooked = False
        self._known: dict[str, str] = {}
        self._hook = self._profile

    def __enter__(self) -> Recorder:
        sys.setprofile(self._hook)
        return self

    def __exit__(self, *exc: object) -> None:
        self.unhooked = sys.getprofile() is not self._hook  # the learner's code turned it off
        sys.setprofile(None)

    def _in_engine(self, frame: FrameType | None) -> bool:
        return frame is not None and self._kind(frame) != ""

    def _kind(self, frame: FrameType) -> str:
        """'ours' (autograd, nn, chainrule), 'other' (torch, jax, ...) or '' for the frame's code."""
        filename = frame.f_code.co_filename
        known = self._known.get(filename)
        if known is None:
            module = str(frame.f_globals.get("__name__", "")).split(".")[0]
            known = (
                "ours"
                if filename.startswith(self.engine_dirs)
                else "other"
                if module in OTHER_ENGINES
                else ""
            )
            self._known[filename] = known
        return known

    def _profile(self, frame: FrameType, event: str, arg: Any) -> None:
        if event == "call" and self._in_engine(frame) and not self._in_engine(frame.f_back):
            code = frame.f_code
            ours = self._kind(frame) == "ours"
            if (ours and code.co_name in READING) or (not ours and code.co_name not in DIFFERENTIATING):
                return
            module = str(frame.f_globals.get("__name__", "?"))
            self._use(f"{module}:{qualname(code)}")
        elif event == "c_call" and not self._in_engine(frame):
            module = str(getattr(arg, "__module__", None) or "").split(".")[0]
            if module in OTHER_ENGINES and getattr(arg, "__name__", "") in DIFFERENTIATING:
                self._use(f"{arg.__module__}:{getattr(arg, '__qualname__', '?')}")

    def _use(self, name: str) -> None:
        if name not in self.uses and len(self.uses) < 20:
            self.uses.append(name)


def encode(value: Any, depth: int = 0) -> dict[str, Any]:
    """What the learner's code gave, as JSON the grader rebuilds: numbers as numbers, the rest by type."""
    if value is None:
        return {"t": "none"}
    if isinstance(value, bool):
        return {"t": "bool", "v": value}
    if isinstance(value, int):
        try:
            return {"t": "int", "v": str(int(value))}
        except ValueError:  # more digits than str() gives
            return {"t": "other", "type": "int", "repr": f"an int of {value.bit_length()} bits"}
    if (
        type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0
    ):  # before float: float64 is one
        kind = "array0" if type(value).__name__ == "ndarray" else "scalar"
        return {"t": "numpy", "kind": kind, "dtype": str(value.dtype), "v": encode(value.item(), depth + 1)}
    if isinstance(value, float):
        return {"t": "float", "v": repr(float(value))}
    if isinstance(value, Fraction):
        return {"t": "fraction", "n": str(value.numerator), "d": str(value.denominator)}
    if type(value).__name__ == "Decimal" and type(value).__module__ in ("decimal", "_decimal", "_pydecimal"):
        return {"t": "decimal", "v": str(value)}
    if isinstance(value, complex):
        return {"t": "complex", "re": repr(value.real), "im": repr(value.imag)}
    if type(value).__name__ == "Value" and type(value).__module__.startswith("autograd"):
        return {"t": "value", "data": encode(value.data, depth + 1)}
    if isinstance(value, (tuple, list)) and depth == 0:  # the tuple of derivatives; nested ones by type
        items = [encode(v, depth + 1) for v in list(value)[:ITEMS_LIMIT]]
        return {
            "t": type(value).__name__ if type(value) in (tuple, list) else "tuple",
            "items": items,
            "length": len(value),
        }
    if isinstance(value, str):
        return {"t": "str", "v": value[:TEXT_LIMIT]}
    try:
        text = repr(value)
    except Exception:  # a learner's object whose repr fails
        text = "<unprintable>"
    return {"t": "other", "type": type(value).__name__, "repr": _short(text)}


def _short(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 3] + "..."


def _send(replies: TextIO, message: dict[str, Any]) -> None:
    replies.write(json.dumps(message, allow_nan=True) + "\n")
    replies.flush()


if __name__ == "__main__":
    try:
        main()
    except (BrokenPipeError, KeyboardInterrupt):  # the grader went away
        pass
