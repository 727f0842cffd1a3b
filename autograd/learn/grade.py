"""Grading a learner's local derivatives point by point, against central differences.

``grade`` asks the learner's rule for its result at points of the domain and at large |x|,
reads it (``answers.py``: numbers in every form, or what it is instead), compares each number with
the central difference of the forward rule (``points.py``), and names the mistakes:

- of the whole rule first: blank (None everywhere), raised (an exception: at large |x| only, an
  overflow there is a note), the wrong number of values;
- then of each partial derivative, on that partial only (``diagnose.py``);
- then across the partials: a product treated like a sum, partial derivatives exchanged or given
  for another input.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autograd.learn.answers import Answer, count_advice
from autograd.learn.diagnose import (
    STABLE_FORM,
    Diagnosis,
    Sample,
    Uses,
    close,
    diagnose,
    point_text,
    sample_text,
)
from autograd.learn.inner import Inner, inner_functions
from autograd.learn.points import (
    Domain,
    Point,
    central_difference,
    evaluate,
    large_points,
    names_for,
    sample_points,
)
from autograd.learn.report import Check, Mistake

# A learner's rule, asked for the local derivatives at a point (given the output there).
LocalRule = Callable[[Point, float], Answer]

BLANK = "your derivative returned None: nothing to check (is it still blank, or missing a return?)."


@dataclass(frozen=True)
class Graded:
    name: str
    checks: tuple[Check, ...]
    mistakes: tuple[Mistake, ...]
    notes: tuple[str, ...]
    sample_points: tuple[Point, ...]  # the regular points where a true derivative exists


@dataclass(frozen=True)
class Raised:
    """The learner's rule raised at a point: the error's text, and whether it is an overflow."""

    text: str
    overflow: bool
    short: str = ""  # OverflowError (math range error)
    what: str = ""  # for the note when it is an overflow: "it overflows there only"


def grade(
    title: str, forward: Callable[..., float], local: LocalRule, domain: Domain, count: int, seed: int
) -> Graded:
    """Compare ``local`` with central differences on the domain and at large |x|; diagnose."""
    arity = len(domain)
    names = names_for(arity, forward)
    regular = [p for p in sample_points(domain, count, seed) if evaluate(forward, p) is not None]
    if not regular:
        where = title.split("(")[0]
        raise ValueError(f"{where}: the forward rule gives no finite number anywhere in the domain {domain}")
    large = [p for p in large_points(domain) if evaluate(forward, p) is not None]
    results = {point: _call(local, point, _output(forward, point)) for point in regular + large}
    covered = tuple(p for p in regular if all(central_difference(forward, p, i) for i in range(arity)))
    who = "your backward" if title.startswith("check_backward") else "your derivative"
    mistakes, overflow_notes, stop = _whole_rule(results, regular, large, names, who)
    notes: list[str] = []
    per_input: list[list[Sample]] = [[] for _ in range(arity)]
    if not stop:
        inners = inner_functions(forward, regular)
        for point in regular + large:
            answer = results[point]
            if isinstance(answer, Answer) and not answer.count:
                for i, sample in enumerate(
                    _samples_at(forward, local, point, answer, point in large, inners)
                ):
                    if sample is not None:
                        per_input[i].append(sample)
        uses = _uses(local, regular, arity)
        found, notes = _partials(per_input, names, uses, [inner.text for inner in inners])
        wrong_partials = {m.partial for m in found}  # "" for the whole rule, or its only input
        if not found or ("" not in wrong_partials and len(wrong_partials) < arity):
            notes = overflow_notes + notes  # an overflow is worth a note on a partial that is right
        mistakes += found
    each = f" ({arity} partial derivatives at each)" if arity > 1 else ""
    large_inputs = " or ".join(f"|{n}|" for n in names)  # one input at a time is large
    checks = (
        _count(
            f"derivative at {len(regular)} points of the domain{each}",
            per_input,
            names,
            results,
            regular,
            False,
        ),
        _count(f"derivative at large {large_inputs} (100, 1000)", per_input, names, results, large, True),
    )
    # the large points are tried only where forward is finite (none there is no news), and after a
    # mistake of the whole rule nothing is counted; otherwise an empty domain check is kept, so the
    # report says it could not be run (no central difference at any point: report.py)
    kept = tuple(c for c in checks if c.total or (c is checks[0] and not stop))
    return Graded(title, kept, tuple(mistakes), tuple(notes), covered)


def _output(forward: Callable[..., float], point: Point) -> float:
    out = evaluate(forward, point)
    assert out is not None  # the points are those where forward is finite
    return out


def _call(local: LocalRule, point: Point, out: float) -> Answer | Raised:
    """The learner's answer at ``point`` (whose output is ``out``), or what it raised."""
    try:
        return local(point, out)
    except Exception as err:  # the learner's code: any error is part of the grade
        overflow = isinstance(err, ArithmeticError) or (isinstance(err, ValueError) and "math" in str(err))
        name = type(err).__name__
        return Raised(f"{name}: {err}", overflow, f"{name} ({err})", _what_failed(err))


def _what_failed(err: Exception) -> str:
    """What an error of the float range says happened, in words true of that error only.

    Only an OverflowError (or numpy's "overflow encountered") is an overflow; a division by zero
    far out is a number that underflowed to 0, and a math domain error a log or square root of 0
    or less (an underflow, or a form that has no value for large negative x, such as sqrt(x)).
    """
    text = str(err)
    if isinstance(err, OverflowError) or "overflow" in text:
        return "it overflows there only"
    if isinstance(err, ZeroDivisionError) or "divide by zero" in text:
        return "it divides by zero there only (a number that underflowed to 0?)"
    if isinstance(err, ValueError):
        return "a math function gets a number outside its domain there only (a log or sqrt of 0 or less?)"
    return "it fails there only"


def _whole_rule(
    results: dict[Point, Answer | Raised],
    regular: Sequence[Point],
    large: Sequence[Point],
    names: Sequence[str],
    who: str,
) -> tuple[list[Mistake], list[str], bool]:
    """Mistakes of the rule as a whole (blank, raised, count), notes, and whether to stop there."""
    answered = [p for p in regular if isinstance(results[p], Answer)]
    raised = [p for p in regular if isinstance(results[p], Raised)]
    if not answered:
        error = results[regular[0]]
        assert isinstance(error, Raised)
        return [Mistake("raised", f"{who} raised at every point ({error.text}).")], [], True
    everything = [results[p] for p in list(regular) + list(large)]
    if all(isinstance(a, Answer) and a.blank for a in everything):
        return [Mistake("blank", BLANK)], [], True
    mistakes: list[Mistake] = []
    notes: list[str] = []
    counted = [p for p in answered if _answer(results, p).count]
    if counted:
        first = _answer(results, counted[0])
        where = (
            "at every point"
            if len(counted) == len(regular)
            else f"at {len(counted)} of {len(regular)} points"
        )
        mistakes.append(
            Mistake(
                "count",
                f"{who} returns {first.count}, {where} "
                f"(e.g. at {point_text(counted[0], names, True)}): {count_advice(len(names), names)}.",
            )
        )
        if len(counted) == len(answered):
            return mistakes, notes, True
    if raised:
        error = results[raised[0]]
        assert isinstance(error, Raised)
        mistakes.append(
            Mistake(
                "raised",
                f"{who} raised {error.text} at {point_text(raised[0], names, True)} "
                f"({len(raised)} of {len(regular)} points), and gave a result elsewhere.",
            )
        )
    for p in large:
        error = results[p]
        if isinstance(error, Raised):
            if not error.overflow:
                if not raised:
                    mistakes.append(
                        Mistake("raised", f"{who} raised {error.text} at {point_text(p, names, True)}.")
                    )
            else:
                notes.append(
                    f"{who} raises {error.short} at {point_text(p, names, True)}, where the op's value is "
                    f"finite: {error.what}; {STABLE_FORM}."
                )
            break
    return mistakes, notes, False


def _answer(results: dict[Point, Answer | Raised], point: Point) -> Answer:
    answer = results[point]
    assert isinstance(answer, Answer)
    return answer


def _samples_at(
    forward: Callable[..., float],
    local: LocalRule,
    point: Point,
    answer: Answer,
    large: bool,
    inners: Sequence[Inner],
) -> list[Sample | None]:
    """One Sample per input at ``point`` (None for an input with no true derivative there)."""
    out = evaluate(forward, point)
    assert out is not None
    swapped: float | None = None
    if len(point) == 1 and not large:
        other = _call(local, (out,), point[0])
        swapped = other.values[0] if isinstance(other, Answer) and other.values else None
    samples: list[Sample | None] = []
    for i in range(len(point)):
        truth = central_difference(forward, point, i)
        if truth is None:
            samples.append(None)
            continue
        slopes = tuple(_slope(inner, point, i) for inner in inners) if not large else ()
        value, problem = answer.values[i], answer.problems[i]
        samples.append(Sample(point, out, truth[0], value, truth[1], large, problem, swapped, slopes))
    return samples


def _slope(inner: Inner, point: Point, i: int) -> float | None:
    try:
        found = central_difference(inner.function, point, i)
    except Exception:
        return None
    return found[0] if found is not None else None


def _uses(local: LocalRule, points: Sequence[Point], arity: int) -> Uses:
    """Whether the learner's rule changes when x moves with out fixed, or out with x fixed."""
    if arity != 1 or not points:
        return Uses()
    reads_x = reads_out = False
    for (x,) in points[:: max(1, len(points) // 5)]:
        base, moved_x, moved_out = (
            _call(local, p, o) for p, o in (((x,), 0.3), ((x + 0.37,), 0.3), ((x,), 0.67))
        )
        if not all(isinstance(a, Answer) and a.values for a in (base, moved_x, moved_out)):
            continue
        assert isinstance(base, Answer) and isinstance(moved_x, Answer) and isinstance(moved_out, Answer)
        reads_x = reads_x or base.values != moved_x.values
        reads_out = reads_out or base.values != moved_out.values
    return Uses(reads_x, reads_out)


def _partials(
    per_input: list[list[Sample]], names: Sequence[str], uses: Uses, inners: Sequence[str]
) -> tuple[list[Mistake], list[str]]:
    """Each input's diagnosis; for several inputs, also mistakes across the partials."""
    arity = len(per_input)
    found: list[Diagnosis] = [
        diagnose(samples, names, names[i] if arity > 1 else "", uses, inners)
        for i, samples in enumerate(per_input)
    ]
    notes = [n for d in found for n in d.notes]
    if arity > 1 and _like_add(per_input, found):
        product = _is_product(per_input, names)
        advice = (
            f"for {' * '.join(names)} the derivative with respect to each input is the product of the others"
            if product
            else "the derivatives of a sum are 1; this op's are not"
        )
        total = " + ".join(names)
        message = f"treated like a sum: yours are 1 for every input, the derivatives of {total} ({advice})."
        return [Mistake("mul_like_add", message)], notes
    unexplained = [
        i
        for i, d in enumerate(found)
        if arity > 1 and d.mistakes and d.mistakes[0].kind in ("part_of_domain", "unexplained")
    ]
    given_for = {i: _matching_partial(per_input, i) for i in unexplained}
    if arity == 2 and given_for.get(0) == 1 and given_for.get(1) == 0:
        return [
            Mistake(
                "swapped_partials",
                f"the two partial derivatives are exchanged: yours d/d{names[0]} is the true d/d{names[1]}.",
            )
        ], notes
    mistakes: list[Mistake] = []
    for i, d in enumerate(found):
        j = given_for.get(i)
        if j is not None:
            mistakes.append(
                Mistake(
                    "swapped_partials",
                    f"d/d{names[i]}: yours is the true d/d{names[j]}: the derivative with respect to "
                    f"{names[j]} was given for {names[i]}.",
                    names[i],
                )
            )
        else:
            mistakes += d.mistakes
    return mistakes, notes


def _like_add(per_input: list[list[Sample]], found: Sequence[Diagnosis]) -> bool:
    """Every partial is wrong, and is 1 at every ordinary point."""
    return all(d.mistakes for d in found) and all(
        col and all(s.got is not None and close(s.got, 1.0, 1e-9) for s in col if not s.large)
        for col in per_input
    )


def _is_product(per_input: list[list[Sample]], names: Sequence[str]) -> bool:
    """Whether the true d/d(input i) is the product of the other inputs at every point."""
    for i, col in enumerate(per_input):
        for s in col:
            others = math.prod(v for k, v in enumerate(s.point) if k != i)
            if not s.large and not close(s.expected, others, s.tolerance):
                return False
    return len(names) > 1


def _matching_partial(per_input: list[list[Sample]], i: int) -> int | None:
    """The other input j whose true derivative your d/d(input i) equals at every point, if any."""
    truth = {(j, s.point): s.expected for j, col in enumerate(per_input) for s in col}
    for j in range(len(per_input)):
        if (
            j != i
            and per_input[i]
            and all(
                s.got is not None and (j, s.point) in truth and close(s.got, truth[j, s.point], s.tolerance)
                for s in per_input[i]
                if not s.large
            )
        ):
            return j
    return None


def _count(
    title: str,
    per_input: list[list[Sample]],
    names: Sequence[str],
    results: dict[Point, Answer | Raised],
    points: Sequence[Point],
    large: bool,
) -> Check:
    """How many partial derivatives at ``points`` are right; at large |x| overflows are left out.

    A point where the rule raised (or returned the wrong count) counts as wrong for every input;
    at large |x| an overflow (inf, NaN, or an error of the float range: an OverflowError, a division by
    zero, a math domain error) is left out: it is a note, not a mistake.
    """
    wanted = set(points)
    samples = [
        s for col in per_input for s in col if s.point in wanted and (s.finite or not large or s.got is None)
    ]
    wrong = [s for s in samples if not s.right]
    example = sample_text(wrong[0], names) if wrong else ""
    failed = 0
    for p in points:
        answer = results[p]
        if isinstance(answer, Raised) and not (large and answer.overflow):
            failed += len(names)
            example = example or f"at {point_text(p, names)}: yours raised {answer.text}"
        elif isinstance(answer, Answer) and answer.count:
            failed += len(names)
            example = example or f"at {point_text(p, names)}: yours {answer.count}"
    return Check(title, len(samples) - len(wrong), len(samples) + failed, example)
