"""``quiz(root)``: walk the backward pass and ask the learner for each gradient before showing it.

The forward values are shown first. Then the pass runs in its own order (``backward_steps``),
and each time a node's gradient becomes complete (all of its consumers have passed their share
back) the quiz asks for it, one number per line:

    d(out)/d(n) = ?

A right answer (within 0.5%: the four digits shown are enough) scores a point. A wrong one
gets a hint, the chain rule for that node written out with each consumer's two factors

    n.grad = sum over consumers c of  d(c)/d(n) × c.grad      (local derivative × upstream)

and one more try (no point); the products are left to the learner, and shown, worked out, with
the answer after a second wrong try. Before the hint, a wrong answer that matches a common slip
is named (``Question.mistake``): the upstream gradient alone (the local derivative forgotten),
the local derivative alone, one path of several, the sign flipped, or the node's value instead
of its gradient. Leaves without a label (constants such as the 2 in ``2*x``) are not asked. End
of input ends the quiz with the score so far.
"""

from __future__ import annotations

import builtins
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from autograd.backward import topological_order
from autograd.steps import ChainRuleTerm, backward_steps, node_names
from autograd.value import Value, fmt


@dataclass(frozen=True)
class QuizResult:
    """How the quiz went: ``right`` first-try answers out of ``asked``, of ``questions`` in all."""

    right: int
    second_try: int
    asked: int
    questions: int

    @property
    def finished(self) -> bool:
        return self.asked == self.questions

    def __str__(self) -> str:
        text = f"score: {self.right}/{self.asked}"
        if self.second_try:
            text += f" ({self.second_try} more right on the second try)"
        if not self.finished:
            text += f" (input ended after {self.asked} of {self.questions} questions)"
        return text


@dataclass(frozen=True)
class Question:
    """One gradient to ask for: d(root)/d(node), and the chain-rule terms that make it up."""

    node: Value
    name: str
    answer: float
    terms: tuple[tuple[str, ChainRuleTerm], ...]  # (consumer's name, the term it added)

    def hint(self, root_name: str, worked: bool = False) -> str:
        """The chain rule for this node, one line per consumer edge, then the sum.

        The hint gives each edge's two factors and leaves the products to the learner; the
        ``worked`` version, shown with the answer, gives the products too.
        """
        head = "worked" if worked else "hint"
        rule = f"sum over the edges out of {self.name} of local × upstream"
        lines = [f"{head}: d{root_name}/d{self.name} = {rule}"]
        for consumer, term in self.terms:
            product = f" = {fmt(term.contribution)}" if worked else ""
            lines.append(
                f"    from {consumer}: d{consumer}/d{self.name} × d{root_name}/d{consumer}"
                f" = {fmt(term.local_grad)} × {fmt(term.upstream)}{product}"
            )
        if len(self.terms) > 1:
            lines.append(f"    {self.name} is used {len(self.terms)} times: the shares add up")
        return "\n".join(lines)

    def mistake(self, answer: float, root_name: str, tolerance: float = 0.005) -> str | None:
        """The common slip that gives ``answer`` instead of the gradient, in one sentence, or None."""

        def near(x: float, y: float) -> bool:
            return abs(x - y) <= tolerance * abs(y) + 1e-9

        name, true, whole = self.name, self.answer, f"d{root_name}/d{self.name}"
        if true != 0.0 and near(answer, -true):
            return f"the sign is flipped: check the sign of each local derivative on the way to {name}."
        if len(self.terms) > 1:
            for consumer, term in self.terms:
                if near(answer, term.contribution):
                    return (
                        f"that is the share through {consumer} only: {name} is used {len(self.terms)} "
                        f"times, and {whole} adds the shares of all of them."
                    )
        for consumer, term in self.terms:
            upstream = f"the upstream gradient d{root_name}/d{consumer}"
            local = f"the local derivative d{consumer}/d{name}"
            if not near(term.upstream, term.contribution) and near(answer, term.upstream):
                return f"that is {upstream} alone: multiply it by {local}."
            if not near(term.local_grad, term.contribution) and near(answer, term.local_grad):
                return f"that is {local} alone: multiply it by {upstream}."
        if not near(self.node.data, true) and near(answer, self.node.data):
            return f"that is {name}'s value (its data); the question asks for its gradient {whole}."
        return None


def questions(root: Value) -> Iterator[Question]:
    """Run the backward pass step by step; yield each node's question once its grad is complete."""
    names = node_names(root)
    waiting = _consumer_counts(root)
    terms: dict[Value, list[tuple[str, ChainRuleTerm]]] = {}
    for step in backward_steps(root):
        for term in step.terms:
            terms.setdefault(term.input, []).append((step.name, term))
            waiting[term.input] -= 1
            if waiting[term.input] == 0 and (term.input.inputs or term.input.label):
                node = term.input
                yield Question(node, names[node], node.grad, tuple(terms[node]))


def _consumer_counts(root: Value) -> dict[Value, int]:
    """For each node, how many edges lead into it from its consumers (``a * a`` counts 2)."""
    counts: dict[Value, int] = {}
    for node in topological_order(root):
        for child in node.inputs:
            counts[child] = counts.get(child, 0) + 1
    return counts


def quiz(
    root: Value,
    input: TextIO | None = None,  # noqa: A002  (the name a learner expects, as in print(file=...))
    output: TextIO | None = None,
    tolerance: float = 0.005,
) -> QuizResult:
    """Quiz the learner on the backward pass of ``root``; return the score.

    Reads one number per line from ``input`` (default: Python's ``input()``, which reads the
    terminal, a pipe, or a notebook's text box) and writes questions, hints and the score to
    ``output`` (default: standard output). An answer a is right when
    |a - true| <= tolerance × |true| + 1e-9 (relative: 0 is no answer for 0.0001). The pass
    really runs: afterwards every grad is what ``root.backward()`` leaves.
    """
    if not isinstance(root, Value):
        raise TypeError(f"quiz: root must be a Value, got {type(root).__name__}")
    source = _Answers(input)
    sink = output if output is not None else sys.stdout
    names = node_names(root)
    root_name = names[root]
    total = sum(1 for n in topological_order(root) if n is not root and (n.inputs or n.label))
    _show_forward(root, names, sink)
    print(f"backward: d{root_name}/d{root_name} = 1.0 (where every backward pass starts)", file=sink)
    right = second = asked = 0
    remaining = questions(root)
    for question in remaining:
        outcome = _ask(question, root_name, source, sink, tolerance)
        if outcome is None:  # end of input: finish the pass without asking
            for _ in remaining:
                pass
            break
        asked += 1
        right += outcome == 1
        second += outcome == 2
    result = QuizResult(right, second, asked, total)
    print(result, file=sink)
    return result


def _show_forward(root: Value, names: dict[Value, str], sink: TextIO) -> None:
    """Each node's value, inputs before the nodes that use them."""
    print("forward:", file=sink)
    for node in reversed(topological_order(root)):
        if node.inputs:
            args = ", ".join(names[c] for c in node.inputs)
            print(f"    {names[node]} = {node.op}({args}) = {fmt(node.data)}", file=sink)
        elif node.label:
            print(f"    {names[node]} = {fmt(node.data)}", file=sink)


class _Answers:
    """Where answers come from: the lines of a stream, or ``input()`` when no stream is given."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream

    def readline(self) -> str | None:
        """The next line without its newline; None at end of input."""
        if self.stream is None:
            try:
                return builtins.input()
            except EOFError:
                return None
        line = self.stream.readline()
        return line.rstrip("\n") if line else None

    def echoes(self) -> bool:
        """Whether the typed answer is already on screen (a terminal echoes what is typed)."""
        stream = self.stream if self.stream is not None else sys.stdin
        return bool(getattr(stream, "isatty", lambda: False)())


def _ask(question: Question, root_name: str, source: _Answers, sink: TextIO, tolerance: float) -> int | None:
    """Ask one question: 1 right first time, 2 right on the second try, 0 wrong, None: no input."""
    prompt = f"d{root_name}/d{question.name} = ? "
    for attempt in (1, 2):
        answer = _read_number(prompt, source, sink)
        if answer is None:
            return None
        if abs(answer - question.answer) <= tolerance * abs(question.answer) + 1e-9:
            print(f"right: d{root_name}/d{question.name} = {fmt(question.answer)}", file=sink)
            return attempt
        if attempt == 1:
            mistake = question.mistake(answer, root_name, tolerance)
            said = f"not quite ({fmt(answer)}): {mistake}" if mistake else f"not quite ({fmt(answer)})."
            print(said, question.hint(root_name), sep="\n", file=sink)
    print(question.hint(root_name, worked=True), file=sink)
    print(f"the answer: d{root_name}/d{question.name} = {fmt(question.answer)}", file=sink)
    return 0


def _read_number(prompt: str, source: _Answers, sink: TextIO) -> float | None:
    """The next line that reads as a number; None at end of input. Other lines are asked again."""
    while True:
        print(prompt, end="", file=sink, flush=True)
        line = source.readline()
        if line is None:
            print(file=sink)
            return None
        text = line.strip()
        if not source.echoes():  # scripted: show the answer read, as a terminal would
            print(text, file=sink)
        try:
            return _parse(text)
        except ValueError:
            print(f"could not read {text!r} as a number; type one number, such as 0.5 or -1/3", file=sink)


def _parse(text: str) -> float:
    """A number such as ``0.5``, ``-2``, ``1e-3`` or a fraction ``-1/3``."""
    top, slash, bottom = text.partition("/")
    if slash:
        denominator = float(bottom)
        if denominator == 0.0:
            raise ValueError(text)
        return float(top) / denominator
    return float(text)
