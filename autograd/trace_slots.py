"""Fewer local names for a long generated function: a name is reused once its value is dead.

``Trace.source()`` gives every value and every adjoint a name of its own, which is what a
learner wants to read. A function with hundreds of thousands of distinct locals is slow in
CPython, though (a 100,000-op chain runs about 4x slower than the same code with its names
reused), so for long traces ``reuse_names`` renames the body: each value keeps a name only
from its assignment to its last use, and then hands it on (``t0``, ``t1``, ...). Values
that the backward pass reads (a relu's input, a product's operands) stay alive until then
and keep their own slot; the temporaries of a chain share a handful.

It works on the lines ``Trace.source()`` writes, whose shapes are known: ``name = expr``,
``name += expr``, ``if condition:  # comment`` followed by a ``raise`` line (left as it is),
comments, and ``return expr``. Every name in them is a validated identifier.
"""

from __future__ import annotations

import re

NAME = re.compile(r"(?<![\w.])[A-Za-z_]\w*")
ASSIGNMENT = re.compile(r"^    (\w+) (\+?=) (.*)$")


def reuse_names(body: list[str], params: set[str]) -> list[str]:
    """``body`` (the lines of a generated function after its ``def``) with dead names reused."""
    defined = set(params)
    for line in body:
        match = ASSIGNMENT.match(line)
        if match:
            defined.add(match.group(1))
    uses = [list(dict.fromkeys(_uses(line, defined))) for line in body]  # each name once: freed once
    last_use: dict[str, int] = {}
    for i, names in enumerate(uses):
        for name in names:
            last_use[name] = i
    slot_of: dict[str, str] = {p: p for p in params}
    free: list[str] = []
    slots = 0
    renamed: list[str] = []
    for i, line in enumerate(body):
        match = ASSIGNMENT.match(line)
        target = match.group(1) if match else None
        text = _rename(line, slot_of, defined)
        for name in uses[i]:
            if last_use[name] == i and name not in params and name != target:
                free.append(slot_of[name])
        if match is not None and target not in slot_of:
            if free:
                slot_of[match.group(1)] = free.pop()
            else:
                slot_of[match.group(1)] = f"t{slots}"
                slots += 1
            expr = _rename_expr(match.group(3), slot_of, defined)
            text = f"    {slot_of[match.group(1)]} {match.group(2)} {expr}"
            if last_use.get(match.group(1), i) == i:
                free.append(slot_of[match.group(1)])  # assigned and never read again
        if not _copies_itself(text):  # "t3 = t3" (an adjoint passed on unchanged) is left out
            renamed.append(text)
    return renamed


def _copies_itself(line: str) -> bool:
    left, equals, right = line.strip().partition(" = ")
    return bool(equals) and left == right


def _uses(line: str, defined: set[str]) -> list[str]:
    """The defined names a line reads (an augmented assignment reads its target too)."""
    stripped = line.strip()
    if stripped.startswith(("#", "raise ", '"""')):
        return []
    if stripped.startswith("if "):
        stripped = stripped.split(":  #")[0]
    match = ASSIGNMENT.match(line)
    if match:
        names = [n for n in NAME.findall(match.group(3)) if n in defined]
        return names + [match.group(1)] if match.group(2) == "+=" else names
    return [n for n in NAME.findall(stripped) if n in defined]


def _rename(line: str, slot_of: dict[str, str], defined: set[str]) -> str:
    stripped = line.strip()
    if stripped.startswith(("#", "raise ", '"""')):
        return line
    if stripped.startswith("if "):
        condition, comment = line.split(":  #", 1)
        return _rename_expr(condition, slot_of, defined) + ":  #" + comment
    return _rename_expr(line, slot_of, defined)


def _rename_expr(text: str, slot_of: dict[str, str], defined: set[str]) -> str:
    get = slot_of.get  # only defined names have slots

    def slot(match: re.Match[str]) -> str:
        name = match.group(0)
        return get(name, name)

    return NAME.sub(slot, text)
