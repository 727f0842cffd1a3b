"""Mutation testing for the live page's JavaScript: which single-token bugs the fast loop misses.

mutmut does not read JavaScript, so this runner makes the mutants itself, one at a time, in a copy
of the tree, and runs the fast tests that run the page's JavaScript under node
(``tests/see/test_js_page.py``, ``tests/see/test_js_mutants.py``) on each. A mutant is killed
when those tests fail. Mutated: all of ``autograd/see/ops_twin.js``, and in
``autograd/see/page_template.html`` the functions the node harness runs (``HARNESS_FUNCTIONS``:
the chain rule, the number formats, the typed-answer reader); the rest of the page is tested in
the browser only (slow) and is not mutated here. Comments, strings and regular expressions are
never mutated. The mutations:

- arithmetic ``+ -`` and ``* /`` swapped (also in ``+=``, ``-=``, ``*=``, ``/=``);
- comparisons ``<`` to ``<=`` and back, ``>`` to ``>=`` and back, ``===`` and ``!==`` swapped;
- ``&&`` and ``||`` swapped, a ``!`` before a name or bracket removed;
- ``true`` and ``false`` swapped; a number constant 0 to 1, 1 to 0, any other n to n + 1
  (BigInts too: 2n to 3n);
- a whole statement line deleted (a line that ends in ``;`` and declares nothing).

Run from the repository root (minutes: about two seconds a mutant on one core)::

    python tests/js/mutate_page.py                  # all mutants, a summary and the survivors
    python tests/js/mutate_page.py --list           # the mutants, not run
    python tests/js/mutate_page.py --only ops_twin  # the mutants of one file
    python tests/js/mutate_page.py --json out.json  # every mutant's verdict, for docs/testing.md
    python tests/js/mutate_page.py --rerun out.json # only the survivors of an earlier run
    python tests/js/mutate_page.py --sample 100     # a seeded random sample (--seed, default 23)
    python tests/js/mutate_page.py --start 124 --stop 200  # mutants 124 to 199 of --list

The score and the survivors judged equivalent are in docs/testing.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OPS_TWIN = "autograd/see/ops_twin.js"
TEMPLATE = "autograd/see/page_template.html"
# the template's functions tests/js/page_harness.js reads out by name and runs under node
HARNESS_FUNCTIONS = (
    "exactDecimal", "roundHalfEven", "signOf", "pyFixed", "pyExp", "boxNumber", "short",
    "pythonFloat", "typedNumber", "forward", "startGrads", "backward",
)  # fmt: skip
# the fast tests that run the page's JavaScript (tests/engine/test_op_registry.py reads the twin
# for its op names only, which no mutant here changes)
TESTS = ("tests/see/test_js_page.py", "tests/see/test_js_mutants.py")

SWAPS = {
    "+": "-", "-": "+", "*": "/", "/": "*", "+=": "-=", "-=": "+=", "*=": "/=", "/=": "*=",
    "<": "<=", "<=": "<", ">": ">=", ">=": ">", "===": "!==", "!==": "===", "&&": "||", "||": "&&",
    "true": "false", "false": "true",
}  # fmt: skip
# longest first, so that "===" is read as one token and not as "==" and "="
PUNCTUATORS = sorted(
    """>>>= ... === !== **= <<= >>= >>> && || ?? ?. ** ++ -- += -= *= /= %= &= |= ^= == != <= >= << >> => """
    """{ } ( ) [ ] ; , < > + - * / % & | ^ ! ~ ? : = . @ #""".split(),
    key=len,
    reverse=True,
)
# after these tokens a "/" starts a regular expression, not a division
REGEX_AFTER = set("( , = : [ ! & | ? { } ; + - * % < > ~ ^".split()) | {
    "return",
    "typeof",
    "=>",
    "&&",
    "||",
    "??",
}
NUMBER = re.compile(r"(?:0[xX][0-9a-fA-F]+|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)n?")
NAME = re.compile(r"[A-Za-z_$][\w$]*")


@dataclass(frozen=True)
class Token:
    """One token of code: its kind ("punct", "number", "name"), text and offset in the file."""

    kind: str
    text: str
    start: int


@dataclass(frozen=True)
class Mutant:
    """One single-token (or one-line) change to one file."""

    path: str  # relative to the repository root
    start: int  # the changed characters are text[start:end]
    end: int
    replacement: str
    line: int
    description: str

    def apply(self, text: str) -> str:
        return text[: self.start] + self.replacement + text[self.end :]


def tokens(text: str, start: int, end: int) -> Iterator[Token]:
    """The code tokens of ``text[start:end]``: comments, strings, template literals and regular
    expression literals skipped whole (a template literal's ``${...}`` is skipped too)."""
    i = start
    previous = ""
    while i < end:
        c = text[i]
        if c.isspace():
            i += 1
        elif text.startswith("//", i):
            i = text.index("\n", i)
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 2
        elif c in "'\"`":
            i += 1
            while text[i] != c:
                i += 2 if text[i] == "\\" else 1
            i += 1
            previous = "string"
        elif c == "/" and previous in REGEX_AFTER:
            i += 1
            in_class = False
            while in_class or text[i] != "/":
                if text[i] == "\\":
                    i += 1
                elif text[i] == "[":
                    in_class = True
                elif text[i] == "]":
                    in_class = False
                i += 1
            i += 1
            while i < end and (text[i].isalnum()):  # flags
                i += 1
            previous = "regex"
        elif number := NUMBER.match(text, i):
            yield Token("number", number.group(), i)
            i = number.end()
            previous = "number"
        elif name := NAME.match(text, i):
            yield Token("name", name.group(), i)
            i = name.end()
            previous = name.group() if name.group() in REGEX_AFTER else "name"
        else:
            punct = next((p for p in PUNCTUATORS if text.startswith(p, i)), None)
            if punct is None:
                raise ValueError(f"cannot read the character {c!r} at offset {i}")
            yield Token("punct", punct, i)
            i += len(punct)
            previous = punct


def _number_mutation(text: str) -> str:
    """0 -> 1, 1 -> 0, n -> n + 1 (a BigInt stays a BigInt)."""
    big = text.endswith("n")
    body = text[:-1] if big else text
    value = float(int(body, 16)) if body.lower().startswith("0x") else float(body)
    if value == 0:
        new = "1"
    elif value == 1:
        new = "0"
    elif value.is_integer():
        new = str(int(value) + 1)
    else:
        new = repr(value + 1)
    return new + ("n" if big else "")


def _unary(previous: Token | None) -> bool:
    """Whether a + or - after ``previous`` is a sign (``-x``), not an operator (``a - x``)."""
    if previous is None:
        return True
    if previous.kind == "number" or (previous.kind == "name" and previous.text not in REGEX_AFTER):
        return False
    return previous.text not in (")", "]")


def mutants_of(path: str, text: str, start: int, end: int) -> Iterator[Mutant]:
    """Every mutant of ``text[start:end]`` (see the module docstring)."""

    def line_of(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    previous: Token | None = None
    for tok in tokens(text, start, end):
        line = line_of(tok.start)
        stop = tok.start + len(tok.text)
        sign = tok.text in ("+", "-") and _unary(previous)
        if tok.text in SWAPS and not sign:
            new = SWAPS[tok.text]
            yield Mutant(path, tok.start, stop, new, line, f"{tok.text} -> {new}")
        if sign and tok.text == "-":  # -x -> x
            yield Mutant(path, tok.start, stop, "", line, "unary - removed")
        if tok.text == "!":
            yield Mutant(path, tok.start, stop, "", line, "! removed")
        if tok.kind == "number":
            new = _number_mutation(tok.text)
            yield Mutant(path, tok.start, stop, new, line, f"{tok.text} -> {new}")
        previous = tok
    # whole statement lines
    offset = text.rfind("\n", 0, start) + 1
    while offset < end:
        newline = text.find("\n", offset)
        newline = len(text) if newline < 0 else newline
        code = text[offset:newline].split("//")[0].strip()
        declares = re.match(r"(const|let|var|function|class)\b", code)
        balanced = all(code.count(a) == code.count(b) for a, b in ("()", "[]", "{}"))
        if code.endswith(";") and balanced and not declares and offset >= start:
            yield Mutant(path, offset, newline, "", line_of(offset), f"line deleted: {code}")
        offset = newline + 1


def function_span(text: str, name: str) -> tuple[int, int]:
    """The offsets of ``function NAME(...) { ... }`` in the template (braces counted; the
    harness reads the same text)."""
    found = re.search(r"function " + name + r"\(", text)
    if found is None:
        raise ValueError(f"{TEMPLATE} has no function {name}()")
    body = text.index("{", found.end())
    depth = 0
    for tok in tokens(text, body, len(text)):
        if tok.text == "{":
            depth += 1
        elif tok.text == "}":
            depth -= 1
            if depth == 0:
                return found.start(), tok.start + 1
    raise ValueError(f"{TEMPLATE}: function {name}() never ends")


def all_mutants(root: Path) -> list[Mutant]:
    """The mutants of the twin (whole) and of the template's harness functions."""
    twin = (root / OPS_TWIN).read_text(encoding="utf-8")
    found = list(mutants_of(OPS_TWIN, twin, 0, len(twin)))
    template = (root / TEMPLATE).read_text(encoding="utf-8")
    for name in HARNESS_FUNCTIONS:
        start, end = function_span(template, name)
        found += mutants_of(TEMPLATE, template, start, end)
    return found


def run_tests(copy: Path, tests: list[str], timeout: float) -> str:
    """The fast tests run in the copy: "passed", "failed" or "timeout"."""
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-m", "not slow", "-p", "no:cacheprovider", *tests]
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        done = subprocess.run(command, cwd=copy, env=env, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return "timeout"
    return "passed" if done.returncode == 0 else "failed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--list", action="store_true", help="list the mutants, do not run them")
    parser.add_argument("--only", help="only the mutants of files whose path contains this")
    parser.add_argument("--json", type=Path, help="write every mutant's verdict here")
    parser.add_argument("--rerun", type=Path, help="only the mutants that survived in this --json file")
    parser.add_argument("--start", type=int, default=0, help="skip the first START mutants (in --list order)")
    parser.add_argument("--stop", type=int, help="only the mutants before this one (in --list order)")
    parser.add_argument("--sample", type=int, help="a seeded random sample of this many of the mutants")
    parser.add_argument("--seed", type=int, default=23, help="the sample's seed")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds a mutant's tests may take")
    parser.add_argument("--tests", nargs="*", default=list(TESTS), help="the tests to run on each mutant")
    args = parser.parse_args(argv)

    mutants = [m for m in all_mutants(ROOT) if args.only is None or args.only in m.path]
    if args.rerun:
        survived = {
            (v["path"], v["line"], v["mutation"])
            for v in json.loads(args.rerun.read_text(encoding="utf-8"))
            if v["verdict"] == "survived"
        }
        mutants = [m for m in mutants if (m.path, m.line, m.description) in survived]
    mutants = mutants[args.start : args.stop]
    if args.sample is not None and args.sample < len(mutants):
        chosen = set(random.Random(args.seed).sample(range(len(mutants)), args.sample))
        mutants = [m for k, m in enumerate(mutants) if k in chosen]
    if args.list:
        for m in mutants:
            print(f"{m.path}:{m.line}: {m.description}")
        print(f"{len(mutants)} mutants")
        return 0

    copy = Path(tempfile.mkdtemp(prefix="chainrule-js-mutants-"))
    try:
        ignore = shutil.ignore_patterns(
            ".git", ".venv", ".nox", "mutants", "__pycache__", ".hypothesis", "*_cache"
        )
        shutil.copytree(ROOT, copy, ignore=ignore, dirs_exist_ok=True)
        baseline = run_tests(copy, args.tests, args.timeout)
        if baseline != "passed":
            print(f"the tests {baseline} on the unmutated tree: nothing to measure", file=sys.stderr)
            return 2
        originals = {p: (ROOT / p).read_text(encoding="utf-8") for p in {m.path for m in mutants}}
        verdicts: list[dict[str, object]] = []
        began = time.monotonic()
        for n, m in enumerate(mutants, 1):
            (copy / m.path).write_text(m.apply(originals[m.path]), encoding="utf-8")
            verdict = run_tests(copy, args.tests, args.timeout)
            (copy / m.path).write_text(originals[m.path], encoding="utf-8")
            verdict = "killed" if verdict == "failed" else "survived" if verdict == "passed" else verdict
            verdicts.append(
                {
                    "path": m.path,
                    "line": m.line,
                    "start": m.start,
                    "mutation": m.description,
                    "verdict": verdict,
                }
            )
            if verdict == "survived":
                print(f"SURVIVED {m.path}:{m.line}: {m.description}", flush=True)
            if args.json:  # written as it goes: an interrupted run keeps what it measured
                args.json.write_text(json.dumps(verdicts, indent=1) + "\n", encoding="utf-8")
            if n % 25 == 0:
                print(
                    f"[{n}/{len(mutants)} in {time.monotonic() - began:.0f} s]", file=sys.stderr, flush=True
                )
    finally:
        shutil.rmtree(copy, ignore_errors=True)

    for path in sorted({m.path for m in mutants}):
        mine = [v for v in verdicts if v["path"] == path]
        caught = sum(v["verdict"] != "survived" for v in mine)
        print(f"{path}: {len(mine)} mutants, {caught} caught ({100 * caught / len(mine):.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
