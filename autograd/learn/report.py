"""What ``check_op`` and ``check_backward`` return: each check with its count, and the mistakes named."""

from __future__ import annotations

from dataclasses import dataclass


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
    """What ``check_op`` / ``check_backward`` found: ``ok``, each check, and the mistakes named."""

    name: str
    checks: tuple[Check, ...]
    mistakes: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.mistakes and all(c.ok for c in self.checks)

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        head = f"{self.name}: " + ("all checks pass" if self.ok else "wrong")
        lines = [head, *(str(c) for c in self.checks)]
        lines += [f"  mistake: {m}" for m in self.mistakes]
        return "\n".join(lines)
