"""``quiz(root)``: walk the backward pass and ask the learner for each gradient before showing it.

The forward values are shown first. Then the quiz runs its own backward pass, in the order
``backward()`` uses, from the local derivatives each node recorded when it was computed (it
never reads or writes ``.grad``, so a graph after ``backward()``, or quizzed twice, gets the
same questions and answers). Each time a node's total derivative is complete (all of its
consumers have passed their share back) the quiz asks for it, one number per line:

    d out/d n = ?

Two kinds of derivative appear, written differently. The **local** derivative ∂c/∂n is how
one node c changes with its input n with c's other inputs held fixed (for c = n·y it is y);
the **total** d out/d n is the whole chain rule from the output down to n:

    d out/d n = sum over the consumers c of n of  ∂c/∂n × d out/d c      (local × upstream)

A right answer (within 0.5%: the four digits shown are enough) scores a point. Where the true
gradient is infinite only that infinity (``inf`` or ``-inf``) is right; where it is not a
number (``nan``, e.g. inf × 0) only ``nan`` is, and the quiz says which op made it. A wrong
answer gets a hint, the chain rule for that node with each consumer's two factors, and one more
try (no point); the products are left to the learner, and shown, worked out, with the answer
after a second wrong try. Before the hint, a wrong answer that matches a common slip is named
(``Question.mistake``): the upstream gradient alone, the local derivative alone, one path of
several, the sign flipped, a product's own factor where the other factor belongs (∂(x·y)/∂x
taken as x), or the node's value instead of its gradient; a number two slips explain gets both.
Leaves without a label (constants such as the 2 in ``2*x``) are not asked. End of input ends
the quiz with the score so far (``QuizResult.finished`` is then False).
"""

from __future__ import annotations

import builtins
import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from autograd.backward import backward_order, topological_order
from autograd.steps import node_names
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
        if self.questions == 0:
            return "nothing to ask: below its root the graph has only constants, which are not asked"
        text = f"score: {self.right}/{self.asked}"
        if self.second_try:
            text += f" ({self.second_try} more right on the second try)"
        if not self.finished:
            text += f" (input ended after {self.asked} of {plural(self.questions, 'question')})"
        return text


def plural(count: int, word: str) -> str:
    """``1 question``, ``2 questions``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def unique_names(root: Value) -> dict[Value, str]:
    """``node_names``, with a name that two nodes share made distinct: the second ``x`` is ``x_2``.

    A question ``d out/d out`` about a leaf labelled ``out`` would read as the root's own 1.
    """
    names: dict[Value, str] = {}
    taken = set(node_names(root).values())
    seen: set[str] = set()
    for node, name in node_names(root).items():  # root first: the root keeps its name
        if name in seen:
            k = 2
            while f"{name}_{k}" in taken:
                k += 1
            name = f"{name}_{k}"
            taken.add(name)
        seen.add(name)
        names[node] = name
    return names


def total(root_name: str, name: str) -> str:
    """The total derivative of the output with respect to ``name``: ``d out/d x``."""
    return f"d {root_name}/d {name}"


def local(consumer: str, name: str) -> str:
    """The local derivative of one node with respect to one input: ``∂v1/∂x``."""
    return f"∂{consumer}/∂{name}"


def is_right(answer: float, true: float, tolerance: float = 0.005) -> bool:
    """|answer - true| <= tolerance × |true| + 1e-9 for finite ``true``; else the same inf, or nan for nan.

    An infinite answer is never near a finite gradient, nor a finite one near an infinite gradient
    (``inf <= tolerance × inf`` would say every number is).
    """
    if math.isnan(true) or math.isnan(answer):
        return math.isnan(true) and math.isnan(answer)
    if math.isinf(true) or math.isinf(answer):
        return answer == true
    return abs(answer - true) <= tolerance * abs(true) + 1e-9


@dataclass(frozen=True)
class Share:
    """What one use of a node passed back: ``contribution = local_grad × upstream``.

    ``consumer`` is the node c that uses it (named ``consumer_name``), ``local_grad`` is ∂c/∂n
    (from ``c.local_grads``) and ``upstream`` is d out/d c, complete by then. ``input_names``
    are the names the quiz shows for c's inputs, in order (``a_2`` where two nodes are ``a``).
    """

    consumer: Value
    consumer_name: str
    local_grad: float
    upstream: float
    contribution: float
    input_names: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    """One gradient to ask for: d root/d node, and the share each use of the node passed back.

    ``why_nan`` says, for a gradient that is not a number, which op made it so ("" otherwise).
    """

    node: Value
    name: str
    answer: float
    shares: tuple[Share, ...]
    why_nan: str = ""

    def hint(self, root_name: str, worked: bool = False) -> str:
        """The chain rule for this node, one line per consumer edge, then the sum.

        The hint gives each edge's two factors, ∂c/∂n × d out/d c, and leaves the products to the
        learner; the ``worked`` version, shown with the answer, gives the products too.
        """
        head = "worked" if worked else "hint"
        rule = (
            f"sum over each use c of {self.name} of {local('c', self.name)} (local: c's other inputs "
            f"held fixed) × {total(root_name, 'c')} (upstream)"
        )
        lines = [f"{head}: {total(root_name, self.name)} = {rule}"]
        for share in self.shares:
            c = share.consumer_name
            product = f" = {fmt(share.contribution)}" if worked else ""
            lines.append(
                f"    from {c}: {local(c, self.name)} × {total(root_name, c)}"
                f" = {fmt(share.local_grad)} × {fmt(share.upstream)}{product}"
            )
        if len(self.shares) > 1:
            lines.append(f"    {self.name} is used {len(self.shares)} times: the shares add up")
        if worked and self.why_nan:
            lines.append(f"    not a number: {self.why_nan}")
        return "\n".join(lines)

    def mistake(self, answer: float, root_name: str, tolerance: float = 0.005) -> str | None:
        """The common slip that gives ``answer`` instead of the gradient, in one sentence, or None.

        Each slip is a number computed from this node's shares; the first that ``answer`` matches
        is named. When a second, different slip gives the same number, both are named.
        """
        if is_right(answer, self.answer, tolerance):
            return None
        slips = [slip for slip in self._slips(root_name, tolerance) if is_right(answer, slip[1], tolerance)]
        slips = list({slip[2]: slip for slip in reversed(slips)}.values())[::-1]  # x·x: two equal shares
        kinds = {slip[0] for slip in slips}
        if "swapped" in kinds:  # then the value is the node's own value for that reason: one slip
            slips = [slip for slip in slips if slip[0] != "value"]
        if not slips:
            return None
        _, _, what, advice = slips[0]
        if len(slips) == 1:
            return f"that is {what}: {advice}."
        _, _, other, other_advice = slips[1]
        return f"that could be {what} ({advice}), or {other} ({other_advice})."

    def _slips(self, root_name: str, tolerance: float) -> Iterator[tuple[str, float, str, str]]:
        """(kind, the number the slip gives, what it is, what to do instead), most specific first."""
        name, true, whole = self.name, self.answer, total(root_name, self.name)
        if true != 0.0 and not math.isnan(true):
            advice = f"check the sign of each local derivative on the way to {name}"
            yield "sign", -true, "the gradient with its sign flipped", advice
        yield from self._swapped_factors(root_name, tolerance)
        if len(self.shares) > 1:
            for share in self.shares:
                what = f"the share through {share.consumer_name} only"
                uses = f"{name} is used {len(self.shares)} times, and {whole} adds the shares of all of them"
                yield "share", share.contribution, what, uses
        for share in self.shares:
            upstream = f"the upstream gradient {total(root_name, share.consumer_name)}"
            derivative = f"the local derivative {local(share.consumer_name, name)}"
            if not is_right(share.upstream, share.contribution, tolerance):
                yield "upstream", share.upstream, f"{upstream} alone", f"multiply it by {derivative}"
            if not is_right(share.local_grad, share.contribution, tolerance):
                yield "local", share.local_grad, f"{derivative} alone", f"multiply it by {upstream}"
        if not is_right(self.node.data, true, tolerance):
            yield (
                "value",
                self.node.data,
                f"{name}'s value (its data)",
                f"the question asks for its gradient {whole}",
            )

    def _swapped_factors(self, root_name: str, tolerance: float) -> Iterator[tuple[str, float, str, str]]:
        """For each product c = n·y using n once: the total with ∂c/∂n taken as n instead of y.

        The classic slip for d(x·y)/dx: "x". With upstream 1 and one use it is also n's value;
        the name says both. The factors are named as the forward listing names them (``a_2``
        where two nodes are labelled ``a``); a constant is shown as its number.
        """
        name = self.name
        for share in self.shares:
            c = share.consumer
            if c.op != "mul" or len(c.inputs) != 2 or c.inputs[0] is c.inputs[1]:
                continue  # not a product of two different nodes (x·x has no other factor)
            other = c.inputs[1] if c.inputs[0] is self.node else c.inputs[0]
            if is_right(other.data, self.node.data, tolerance):
                continue  # equal factors: the swap changes nothing
            wrong = self.answer - share.contribution + self.node.data * share.upstream
            consumer = share.consumer_name
            used = f"{name}'s own value ({fmt(self.node.data)}) used as {local(consumer, name)}"
            if share.upstream != 1.0:
                used += f" (times {total(root_name, consumer)})"
            shown = dict(zip(c.inputs, share.input_names))  # a constant is shown as its number
            factors = "·".join(shown[n] if n.inputs or n.label else fmt(n.data) for n in c.inputs)
            value = f"{shown[other]} = {fmt(other.data)}" if other.inputs or other.label else fmt(other.data)
            advice = f"for the product {consumer} = {factors}, {local(consumer, name)} is the other factor"
            advice += f", {value}"
            yield "swapped", wrong, used, advice


def questions(root: Value) -> Iterator[Question]:
    """Run the quiz's own backward pass; yield each node's question once its gradient is complete.

    The pass is ``backward()``'s, on a dict instead of ``.grad``: d root/d root = 1, then, in
    ``backward_order``, every input n of each node c receives ∂c/∂n × d root/d c
    (``c.local_grads``, recorded by the forward pass). Nothing on the graph is read but data and
    local derivatives, and nothing is written.
    """
    names = unique_names(root)
    waiting = _consumer_counts(root)
    grads: dict[Value, float] = {root: 1.0}
    shares: dict[Value, list[Share]] = {}
    why_nan: dict[Value, str] = {}
    for node in backward_order(root):
        upstream = grads[node]  # complete: every consumer of node came earlier
        input_names = tuple(names[i] for i in node.inputs)
        for child, local_grad in zip(node.inputs, node.local_grads):
            contribution = local_grad * upstream
            grads[child] = grads.get(child, 0.0) + contribution  # the chain rule, as in backward()
            share = Share(node, names[node], local_grad, upstream, contribution, input_names)
            shares.setdefault(child, []).append(share)
            waiting[child] -= 1
            if waiting[child]:
                continue
            if math.isnan(grads[child]):
                why_nan[child] = _why_nan(names[child], shares[child], why_nan, names, names[root])
            if child.inputs or child.label:
                yield Question(
                    child, names[child], grads[child], tuple(shares[child]), why_nan.get(child, "")
                )


def _why_nan(
    name: str, shares: list[Share], known: dict[Value, str], names: dict[Value, str], root_name: str
) -> str:
    """Which op made a gradient not a number, in one sentence (``known``: the consumers' reasons)."""
    for share in shares:
        if not math.isnan(share.contribution):
            continue
        c, c_name = share.consumer, share.consumer_name
        if math.isnan(share.upstream):  # c's own gradient is nan: its reason was found when it was complete
            return known[c]
        made = f"{c_name} = {c.op}({', '.join(names[i] for i in c.inputs)})"
        if math.isnan(share.local_grad):
            given = ", ".join(f"{names[i]} = {fmt(i.data)}" for i in c.inputs)
            return f"at {made} with {given}, the local derivative {local(c_name, name)} is nan"
        return (
            f"at {made}, {local(c_name, name)} × {total(root_name, c_name)} = "
            f"{fmt(share.local_grad)} × {fmt(share.upstream)}, and inf × 0 is undefined (nan)"
        )
    added = " + ".join(fmt(share.contribution) for share in shares)
    return f"the shares of {name}'s uses add up to {added}, and inf - inf is undefined (nan)"


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
    |a - true| <= tolerance × |true| + 1e-9 (relative: 0 is no answer for 0.0001); an infinite
    or nan gradient is answered by that same ``inf``, ``-inf`` or ``nan``. The quiz computes
    its own backward pass and leaves every ``.grad`` as it was: call ``root.backward()`` to
    fill them.
    """
    if not isinstance(root, Value):
        raise TypeError(f"quiz: root must be a Value, got {type(root).__name__}")
    source = _Answers(input)
    sink = output if output is not None else sys.stdout
    names = unique_names(root)
    root_name = names[root]
    count = question_count(root)
    _show_forward(root, names, sink)
    print(f"backward: {total(root_name, root_name)} = 1.0 (where every backward pass starts)", file=sink)
    right = second = asked = 0
    for question in questions(root):
        outcome = _ask(question, root_name, source, sink, tolerance)
        if outcome is None:  # end of input
            break
        asked += 1
        right += outcome == 1
        second += outcome == 2
    result = QuizResult(right, second, asked, count)
    print(result, file=sink)
    return result


def question_count(root: Value) -> int:
    """How many questions ``quiz(root)`` asks: one per node below the root, constants left out."""
    return sum(1 for n in topological_order(root) if n is not root and (n.inputs or n.label))


def _show_forward(root: Value, names: dict[Value, str], sink: TextIO) -> None:
    """Each node's value, inputs before the nodes that use them."""
    print("forward:", file=sink)
    for node in reversed(topological_order(root)):
        if node.inputs:
            args = ", ".join(names[c] for c in node.inputs)
            print(f"    {names[node]} = {node.op}({args}) = {fmt(node.data)}", file=sink)
        else:
            kind = "" if node.label else " (a constant)"
            print(f"    {names[node]} = {fmt(node.data)}{kind}", file=sink)


class _Answers:
    """Where answers come from: the lines of a stream, or ``input()`` when no stream is given."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream

    def readline(self) -> str | None:
        """The next line without its newline; None at end of input (or with no standard input)."""
        if self.stream is None:
            if sys.stdin is None:  # started with standard input closed
                return None
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
    whole = total(root_name, question.name)
    for attempt in (1, 2):
        answer = _read_number(f"{whole} = ? ", source, sink)
        if answer is None:
            return None
        if is_right(answer, question.answer, tolerance):
            why = f" ({question.why_nan})" if question.why_nan else ""
            print(f"right: {whole} = {fmt(question.answer)}{why}", file=sink)
            return attempt
        if attempt == 1:
            mistake = question.mistake(answer, root_name, tolerance)
            said = f"not quite ({fmt(answer)}): {mistake}" if mistake else f"not quite ({fmt(answer)})."
            print(said, question.hint(root_name), sep="\n", file=sink)
    print(question.hint(root_name, worked=True), file=sink)
    print(f"the answer: {whole} = {fmt(question.answer)}", file=sink)
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
            return parse_answer(text)
        except ValueError as err:
            print(f"could not read {text!r} as a number: {err}", file=sink)


def parse_answer(text: str) -> float:
    """A number as a learner types it: ``0.5``, ``-2``, ``1e-3``, a fraction ``-1/3``, ``inf``, ``nan``.

    Raises ValueError saying what to type instead (``1/0`` is refused: type ``inf``).
    """
    usage = "type one number, such as 0.5, -1/3, 1e-3, inf or nan"
    top, slash, bottom = text.partition("/")
    try:
        if not slash:
            return float(text)
        numerator, denominator = float(top), float(bottom)
    except ValueError:
        raise ValueError(usage) from None
    if not (math.isfinite(numerator) and math.isfinite(denominator)):
        raise ValueError("a fraction of finite numbers only; type inf, -inf or nan alone") from None
    if denominator == 0.0:
        raise ValueError("it divides by zero; type inf or -inf for an infinite gradient")
    return numerator / denominator
