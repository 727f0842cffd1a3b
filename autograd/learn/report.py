"""What ``check_op`` and ``check_backward`` return: each check with its count, the mistakes, the notes.

A mistake is a value: a ``kind`` from ``MISTAKE_KINDS`` (stable, for programs: a grader, a
class's statistics) and a ``message`` (for the learner; ``str()`` of the mistake). A note is a
sentence about a derivative that passes but could be better (it overflows at large |x|).
"""

from __future__ import annotations

from dataclasses import dataclass

# Every kind of mistake the rule lab names, in the order of docs/mistakes.md, with what it means.
MISTAKE_KINDS: dict[str, str] = {
    "sign": "the sign is flipped: yours is -1 × the true derivative at every point",
    "factor": "off by a constant factor: yours is c × the true derivative at every point",
    "chain_rule": "forgot the chain rule: the inner function's derivative is missing (sin(2x)' is 2cos(2x))",
    "value_not_derivative": "returned the op's value, not its derivative (tanh' = out)",
    "x_for_out": "the input x is used where the output out belongs (tanh' = 1 - x**2)",
    "out_for_x": "the output out is used where the input x belongs (sin' = cos(out))",
    "x_out_swapped": "x and out exchanged, in a rule that reads both",
    "swapped_partials": "a partial derivative given for another input (d(a*b)/da = a)",
    "mul_like_add": "a product treated like a sum: every partial derivative is 1",
    "zero": "0 at every point: a partial derivative left out (nothing added into b.grad)",
    "imprecise": "close to the true derivative, not within the tolerance (float16, an approximation)",
    "part_of_domain": "right on part of the domain only (relu' = 1 everywhere)",
    "unexplained": "wrong, in no pattern the rule lab knows: where, and one example",
    "non_finite": "an infinity or NaN where the true derivative is a finite number",
    "not_a_number": "a result that is not a number (a string, a dict, None on one branch, ...)",
    "count": "the wrong number of values (one per input is needed)",
    "raised": "the derivative raised an exception",
    "blank": "nothing returned and nothing changed: still blank",
    "in_graph": "right point by point, but wrong inside a graph",
    "forgot_upstream": "micrograd style: the upstream gradient out.grad is not multiplied in",
    "assigned": "micrograd style: `=` where `+=` is needed (x.grad = ... loses what x.grad held)",
    "multiplied_grad": "micrograd style: `*=` where `+=` is needed (x.grad starts at 0 and stays 0)",
    "grad_for_data": "micrograd style: an input's .grad read where its .data is needed (b.grad for b.data)",
    "wrote_out_grad": "micrograd style: written into out.grad instead of the inputs' grads",
    "changed_data": "micrograd style: an input's .data changed (a backward only adds into .grad)",
    "returned_not_added": "micrograd style: the derivative returned instead of added into the grads",
}


@dataclass(frozen=True)
class Mistake:
    """One mistake found: its ``kind`` (a key of ``MISTAKE_KINDS``) and the sentence for the learner.

    ``partial`` names the input whose derivative it is about (``"b"`` for d/db), ``""`` for the
    whole rule. ``str()`` is the message, so a report prints as text.
    """

    kind: str
    message: str
    partial: str = ""

    def __post_init__(self) -> None:
        if self.kind not in MISTAKE_KINDS:
            raise ValueError(f"Mistake: unknown kind {self.kind!r}; the kinds are {', '.join(MISTAKE_KINDS)}")

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Check:
    """One way of trying the derivative: how many of its cases came out right, and a wrong one."""

    title: str
    right: int
    total: int
    example: str = ""

    @property
    def ok(self) -> bool:
        return self.right == self.total

    def __str__(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        text = f"  {mark} {self.title}: {self.right}/{self.total} right"
        return text + (f" (first wrong: {self.example})" if self.example else "")


@dataclass(frozen=True)
class Report:
    """What ``check_op`` / ``check_backward`` found: ``ok``, each check, the mistakes, the notes.

    ``ok`` is True when no mistake was found and every check passed; notes never make it False.
    With no check at all (no point where the derivative could be found) it is False: nothing passed.
    """

    name: str
    checks: tuple[Check, ...]
    mistakes: tuple[Mistake, ...]
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """A check that found no point to try is left out, with a note: "0/0 right" is no pass."""
        empty = [c.title for c in self.checks if not c.total]
        if empty:  # e.g. no point where central differences find the derivative (a noisy forward)
            titles = ", ".join(f"'{t}'" for t in empty)
            note = f"not checked: {titles} (no point where it could be tried)"
            object.__setattr__(self, "checks", tuple(c for c in self.checks if c.total))
            object.__setattr__(self, "notes", (*self.notes, note))

    @property
    def ok(self) -> bool:
        return not self.mistakes and bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kind of each mistake, in order."""
        return tuple(m.kind for m in self.mistakes)

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        verdict = "all checks pass" if self.ok else "wrong"
        if self.ok and any(n.startswith("not checked: ") for n in self.notes):
            verdict = "all checks that could run pass"
        if not self.checks and not self.mistakes:
            verdict = "nothing checked"
        head = f"{self.name}: {verdict}"
        lines = [head, *(f"  note: {n}" for n in self.notes), *(str(c) for c in self.checks)]
        lines += [f"  mistake: {m}" for m in self.mistakes]
        return "\n".join(lines)
