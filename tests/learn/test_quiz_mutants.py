"""quiz: what a learner is told, in the cases mutation testing found untested (issue 23).

Every expected number is derived by hand in the comment next to it: the gradients from the chain
rule, the slips from their definitions in ``Question._slips`` (the sign flipped, one share, the
upstream gradient or the local derivative alone, the node's value, a product's own factor).
"""

from __future__ import annotations

import builtins
import io
import math
import re
import sys

import pytest

from autograd import Value, quiz
from autograd.learn.quiz import Question, QuizResult, is_right, questions


def labelled(data: float, label: str) -> Value:
    return Value(data, label=label)


def named(node: Value, label: str) -> Value:
    node.label = label
    return node


def run(root: Value, lines: list[str], tolerance: float = 0.005) -> tuple[QuizResult, str]:
    out = io.StringIO()
    stream = io.StringIO("".join(line + "\n" for line in lines))
    result = quiz(root, input=stream, output=out, tolerance=tolerance)
    return result, out.getvalue()


def question(root: Value, name: str) -> Question:
    """The question the quiz asks about the node shown as ``name``."""
    (found,) = [q for q in questions(root) if q.name == name]
    return found


# --- the score line: one question, two questions ---------------------------------------------


def test_one_question_is_counted_in_the_singular_and_the_unanswered_prompt_ends_its_line():
    x = labelled(2.0, "x")
    o = named(x * 3, "o")  # the constant 3 is not asked: one question, d o/d x
    result, text = run(o, [])
    assert (result.asked, result.questions, result.finished) == (0, 1, False)
    lines = text.splitlines()
    assert lines[-2:] == ["d o/d x = ? ", "score: 0/0 (input ended after 0 of 1 question)"]


def test_two_questions_are_counted_in_the_plural():
    x, y = labelled(2.0, "x"), labelled(3.0, "y")
    o = named(x * y, "o")
    result, text = run(o, ["3"])  # d o/d x = y = 3, then input ends before d o/d y
    assert (result.right, result.asked, result.questions) == (1, 1, 2)
    assert text.splitlines()[-1] == "score: 1/1 (input ended after 1 of 2 questions)"


# --- the forward listing and the first backward line go to the output given -------------------


def test_the_whole_transcript_goes_to_the_output_and_a_constant_is_marked():
    x = labelled(2.0, "x")
    three = Value(3.0)
    o = named(x * three, "o")
    _, text = run(o, ["3"])  # d o/d x = 3
    c = re.search(r"^    (v\d+) = 3\.0 \(a constant\)$", text, re.M)
    assert c, text
    lines = text.splitlines()
    assert lines[0] == "forward:"
    assert sorted(lines[1:3]) == sorted(["    x = 2.0", f"    {c.group(1)} = 3.0 (a constant)"])
    assert lines[3:] == [
        f"    o = mul(x, {c.group(1)}) = 6.0",
        "backward: d o/d o = 1.0 (where every backward pass starts)",
        "d o/d x = ? 3",
        "right: d o/d x = 3.0",
        "score: 1/1",
    ]


# --- the hints --------------------------------------------------------------------------------


def test_the_hint_shown_with_the_answer_is_headed_worked():
    x, y = labelled(2.0, "x"), labelled(3.0, "y")
    o = named(x * y, "o")  # d o/d x = y = 3
    _, text = run(o, ["5", "7"])
    lines = text.splitlines()
    rule = "sum over each use c of x of ∂c/∂x (local: c's other inputs held fixed) × d o/d c (upstream)"
    assert lines.count(f"hint: d o/d x = {rule}") == 1
    i = lines.index(f"worked: d o/d x = {rule}")
    assert lines[i + 1 : i + 3] == [
        "    from o: ∂o/∂x × d o/d o = 3.0 × 1.0 = 3.0",
        "the answer: d o/d x = 3.0",
    ]


def test_the_first_hint_of_a_nan_gradient_does_not_give_the_answer_away():
    # out = sqrt(x) * 0 at x = 0: d out/d v1 = 0, d out/d x = ∂v1/∂x × 0 = inf × 0 = nan
    x = labelled(0.0, "x")
    out = named(x.sqrt() * 0, "out")
    _, text = run(out, ["0", "1"])  # d out/d x answered 1, then input ends: only the first hint shown
    assert "not quite (1.0).\nhint: d out/d x" in text
    assert "nan" not in text and "not a number" not in text


# --- why a gradient is not a number -----------------------------------------------------------


def test_a_nan_passed_down_is_explained_by_the_op_that_made_it():
    # z = 0; v = 2z = 0; r = sqrt(v) = 0; out = r·0. d out/d r = 0, d out/d v = ∂r/∂v × 0 = inf × 0 = nan,
    # d out/d z = ∂v/∂z × nan = 2 × nan = nan: the nan was made at r, not at v
    z = labelled(0.0, "z")
    v = named(z * 2, "v")
    r = named(v.sqrt(), "r")
    out = named(r * 0, "out")
    result, text = run(out, ["0", "nan", "nan"])
    assert (result.right, result.asked) == (3, 3), text
    why = "at r = sqrt(v), ∂r/∂v × d out/d r = inf × 0.0, and inf × 0 is undefined (nan)"
    lines = text.splitlines()
    assert f"right: d out/d v = nan ({why})" in lines
    assert f"right: d out/d z = nan ({why})" in lines


def test_a_nan_share_after_a_finite_one_is_the_one_explained():
    # out = x + s·0 with s = sqrt(x), x = 0: x's shares are 1 (from out) and ∂s/∂x × d out/d s = inf × 0 = nan
    x = labelled(0.0, "x")
    s = named(x.sqrt(), "s")
    out = named(x + named(s * 0, "p"), "out")
    (share_out, share_s) = question(out, "x").shares
    assert (share_out.consumer_name, share_out.contribution) == ("out", 1.0) and share_s.consumer_name == "s"
    _, text = run(out, ["1", "0", "nan"])  # d out/d p = 1, d out/d s = 0·1 = 0, d out/d x = nan
    assert (
        "right: d out/d x = nan (at s = sqrt(x), ∂s/∂x × d out/d s = inf × 0.0, and inf × 0 is undefined (nan))"
        in text.splitlines()
    )


def test_a_finite_gradient_has_no_reason_to_be_nan():
    x, y = labelled(2.0, "x"), labelled(3.0, "y")
    o = named(x * y + x, "o")
    assert [q.why_nan for q in questions(o)] == ["", "", ""]


# --- the slips: which are named, and with what names -------------------------------------------


def test_a_sign_flipped_gradient_of_one_is_named():
    x = labelled(2.0, "x")
    o = named(x + 3, "o")  # d o/d x = 1
    assert question(o, "x").mistake(-1.0, "o") == (
        "that is the gradient with its sign flipped: check the sign of each local derivative on the way to x."
    )


def test_a_sum_is_not_taken_for_a_product():
    x, y = labelled(2.0, "x"), labelled(3.0, "y")
    o = named(x + y, "o")  # d o/d x = 1; 2 is x's value, and o is no product
    assert question(o, "x").mistake(2.0, "o") == (
        "that is x's value (its data): the question asks for its gradient d o/d x."
    )


def test_a_product_with_a_constant_names_the_constant_by_its_number():
    x = labelled(2.0, "x")
    o = named(x * 3, "o")  # d o/d x = 3; x's own value in the constant's place gives 2
    assert question(o, "x").mistake(2.0, "o") == (
        "that is x's own value (2.0) used as ∂o/∂x: for the product o = x·3.0, ∂o/∂x is the other factor, 3.0."
    )


def test_the_factors_of_a_product_are_named_as_the_forward_listing_names_them():
    # two leaves labelled a (2 and 3): the quiz shows them as a and a_2; d p/d (each) = the other one
    first, second = labelled(2.0, "a"), labelled(3.0, "a")
    p = named(first * second, "p")
    _, text = run(p, [])
    shown = {float(m.group(2)): m.group(1) for m in re.finditer(r"^    (a(?:_2)?) = ([23]\.0)$", text, re.M)}
    assert sorted(shown.values()) == ["a", "a_2"], text
    a, b = shown[2.0], shown[3.0]
    assert f"    p = mul({a}, {b}) = 6.0" in text.splitlines()
    assert question(p, a).mistake(2.0, "p") == (
        f"that is {a}'s own value (2.0) used as ∂p/∂{a}: for the product p = {a}·{b}, ∂p/∂{a} is the other "
        f"factor, {b} = 3.0."
    )
    assert question(p, b).mistake(3.0, "p") == (
        f"that is {b}'s own value (3.0) used as ∂p/∂{b}: for the product p = {a}·{b}, ∂p/∂{b} is the other "
        f"factor, {a} = 2.0."
    )


def test_an_unlabelled_node_in_a_product_is_named_as_in_the_forward_listing():
    # o = (x + 1)·y at x = 2, y = 4: d o/d v = y = 4, d o/d y = v = 3
    x, y = labelled(2.0, "x"), labelled(4.0, "y")
    v = x + 1
    o = named(v * y, "o")
    _, text = run(o, [])
    line = re.search(r"^    (v\d+) = add\(x, v\d+\) = 3\.0$", text, re.M)
    assert line, text
    v_name = line.group(1)
    assert question(o, "y").mistake(4.0, "o") == (
        f"that is y's own value (4.0) used as ∂o/∂y: for the product o = {v_name}·y, ∂o/∂y is the other "
        f"factor, {v_name} = 3.0."
    )
    assert question(o, v_name).mistake(3.0, "o") == (
        f"that is {v_name}'s own value (3.0) used as ∂o/∂{v_name}: for the product o = {v_name}·y, "
        f"∂o/∂{v_name} is the other factor, y = 4.0."
    )


@pytest.mark.parametrize("equal_first", [True, False])
def test_a_product_of_equal_factors_does_not_hide_the_next_product(equal_first):
    # o = x·a + x·b at x = a = 2, b = 5: d o/d x = a + b = 7. Swapping in x·a changes nothing (a = x);
    # swapping in x·b gives 7 - 5 + x = 4
    x, a, b = labelled(2.0, "x"), labelled(2.0, "a"), labelled(5.0, "b")
    o = named(x * a + x * b if equal_first else x * b + x * a, "o")
    said = question(o, "x").mistake(4.0, "o")
    assert said is not None
    assert re.fullmatch(
        r"that is x's own value \(2\.0\) used as ∂(v\d+)/∂x: for the product \1 = x·b, ∂\1/∂x is the other "
        r"factor, b = 5\.0\.",
        said,
    ), said
    assert question(o, "x").mistake(7.5, "o") is None  # no slip gives 7.5


def test_two_paths_with_equal_shares_are_both_named():
    # o = p + q with p = x·3, q = x·3 at x = 2: d o/d x = 3 + 3 = 6; 3 is either path alone
    x = labelled(2.0, "x")
    o = named(named(x * 3, "p") + named(x * 3, "q"), "o")
    uses = "x is used 2 times, and d o/d x adds the shares of all of them"
    said = question(o, "x").mistake(3.0, "o")
    assert said in (
        f"that could be the share through p only ({uses}), or the share through q only ({uses}).",
        f"that could be the share through q only ({uses}), or the share through p only ({uses}).",
    ), said


def test_a_factor_equal_to_the_tolerance_is_still_swapped():
    # o = x·y at x = 0.005, y = 3: d o/d x = 3 and d o/d y = 0.005; each factor's own value is the swap
    x, y = labelled(0.005, "x"), labelled(3.0, "y")
    o = named(x * y, "o")
    assert question(o, "x").mistake(0.005, "o") == (
        "that is x's own value (0.005) used as ∂o/∂x: for the product o = x·y, ∂o/∂x is the other factor, y = 3.0."
    )
    assert question(o, "y").mistake(3.0, "o") == (
        "that is y's own value (3.0) used as ∂o/∂y: for the product o = x·y, ∂o/∂y is the other factor, "
        "x = 0.005."
    )


def test_a_value_or_gradient_equal_to_the_tolerance_is_still_a_value():
    # o = (x + 7)·0.005 at x = 3: d o/d x = 1 × 0.005 = 0.005; answering x's value 3 is that slip
    x = labelled(3.0, "x")
    o = named((x + 7) * 0.005, "o")
    assert question(o, "x").mistake(3.0, "o") == (
        "that is x's value (its data): the question asks for its gradient d o/d x."
    )
    # o = x + 1 at x = 0.005: d o/d x = 1; answering 0.005 is x's value
    x = labelled(0.005, "x")
    o = named(x + 1, "o")
    assert question(o, "x").mistake(0.005, "o") == (
        "that is x's value (its data): the question asks for its gradient d o/d x."
    )


def test_a_wrong_answer_is_named_even_next_to_a_gradient_the_size_of_the_tolerance():
    # o = x·(-0.005): d o/d x = -0.005, and 0.005 is its sign flipped; o = x·0.005 the other way round
    x = labelled(3.0, "x")
    sign = (
        "that is the gradient with its sign flipped: check the sign of each local derivative on the way to x."
    )
    assert question(named(x * -0.005, "o"), "x").mistake(0.005, "o") == sign
    assert question(named(x * 0.005, "o"), "x").mistake(-0.005, "o") == sign


# --- the quiz's tolerance is the one every check uses ------------------------------------------


def test_a_wider_tolerance_is_used_for_the_verdict_and_for_naming_the_slip():
    # o = x + 5 at x = 1.19: d o/d x = 1; with 10%: 1.05 is right, 1.25 is x's value 1.19 (5% off it)
    x = labelled(1.19, "x")
    o = named(x + 5, "o")
    result, text = run(o, ["1.05"], tolerance=0.1)
    assert result.right == 1 and "right: d o/d x = 1.0" in text
    result, text = run(o, ["1.25", "1"], tolerance=0.1)
    assert (result.right, result.second_try) == (0, 1)
    assert (
        "not quite (1.25): that is x's value (its data): the question asks for its gradient d o/d x." in text
    )
    assert question(o, "x").mistake(1.09, "o", tolerance=0.1) is None  # right within 10%: no slip to name


def test_with_a_wider_tolerance_a_value_within_it_of_the_gradient_is_no_slip():
    # o = x + 5 at x = 1.08: d o/d x = 1, and x's value is within 10% of it; 1.17 is 17% off, no slip
    x = labelled(1.08, "x")
    o = named(x + 5, "o")
    _, text = run(o, ["1.17"], tolerance=0.1)
    assert "not quite (1.17)." in text.splitlines()
    # o = x·y at x = 3, y = 3.2: d o/d x = 3.2; x's own value 3 is within 10% of it, so 2.75 is no swap
    x, y = labelled(3.0, "x"), labelled(3.2, "y")
    o = named(x * y, "o")
    _, text = run(o, ["2.75"], tolerance=0.1)
    assert "not quite (2.75)." in text.splitlines()


def test_with_a_wider_tolerance_an_upstream_or_local_factor_close_to_the_share_is_the_share():
    uses = "x is used 2 times, and d o/d x adds the shares of all of them"
    # o = v + w, v = u·4, u = x·1.05, w = x·3, x = 10: d o/d x = 1.05·4 + 3·1 = 7.2. 4 is the upstream
    # d o/d u, within 10% of u's share 4.2: named as the share only
    x = labelled(10.0, "x")
    o = named(named(named(x * 1.05, "u") * 4, "v") + named(x * 3, "w"), "o")
    q = question(o, "x")
    assert math.isclose(q.answer, 7.2)
    assert q.mistake(4.0, "o", tolerance=0.1) == f"that is the share through u only: {uses}."
    # o = v + w, v = u·1.05, u = x·4, w = x·3: d o/d x = 4·1.05 + 3 = 7.2. 4 is the local ∂u/∂x,
    # within 10% of u's share 4.2: named as the share only
    x = labelled(10.0, "x")
    o = named(named(named(x * 4, "u") * 1.05, "v") + named(x * 3, "w"), "o")
    assert question(o, "x").mistake(4.0, "o", tolerance=0.1) == f"that is the share through u only: {uses}."


def test_the_tolerance_includes_its_boundary():
    # |a - true| <= tolerance·|true| + 1e-9: at true = 0 the bound is 1e-9 itself
    assert is_right(1e-9, 0.0) and is_right(-1e-9, 0.0)
    assert not is_right(2e-9, 0.0)
    # by default the tolerance is half a percent: 2 ± 0.01 (and the 1e-9) is right, 2.0101 is not
    assert is_right(2.0099, 2.0) and is_right(-2.0099, -2.0)
    assert not is_right(2.0101, 2.0) and not is_right(1.9899, 2.0)


# --- names made distinct ------------------------------------------------------------------------


def test_three_nodes_with_one_label_get_three_names():
    a1, a2, a3 = labelled(1.0, "a"), labelled(1.0, "a"), labelled(1.0, "a")
    s = named(a1 * 2 + a2 * 3 + a3 * 5, "s")  # d s/d (each a) = its coefficient
    asked = {q.name: q for q in questions(s) if not q.node.inputs}
    assert sorted(asked) == ["a", "a_2", "a_3"]
    assert sorted((q.node is a1, q.node is a2, q.node is a3, q.answer) for q in asked.values()) == [
        (False, False, True, 5.0),
        (False, True, False, 3.0),
        (True, False, False, 2.0),
    ]


def test_a_name_already_taken_is_skipped():
    # labels a, a_2 and a again: the second a cannot be a_2 (taken), so it is a_3
    a1, taken, a3 = labelled(1.0, "a"), labelled(1.0, "a_2"), labelled(1.0, "a")
    s = named(a1 * 2 + taken * 3 + a3 * 5, "s")
    asked = {q.name: q.answer for q in questions(s) if not q.node.inputs}
    assert sorted(asked) == ["a", "a_2", "a_3"]
    assert asked["a_2"] == 3.0 and {asked["a"], asked["a_3"]} == {2.0, 5.0}


# --- reading answers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2X", "type one number, such as 0.5, -1/3, 1e-3, inf or nan"),
        ("inf/2", "a fraction of finite numbers only; type inf, -inf or nan alone"),
    ],
)
def test_a_refused_answer_is_told_exactly_what_to_type(typed, said):
    x = labelled(2.0, "x")
    o = named(x * 3, "o")
    result, text = run(o, [typed, "3"])
    assert f"could not read {typed!r} as a number: {said}" in text.splitlines()
    assert result.right == 1


class TerminalInput(io.StringIO):
    """Typed answers: a terminal shows them as they are typed, so the quiz must not print them again."""

    def isatty(self) -> bool:
        return True


class LinesOnly:
    """A source of lines with nothing but ``readline`` (no ``isatty``): not a terminal."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = [line + "\n" for line in lines]

    def readline(self) -> str:
        return self.lines.pop(0) if self.lines else ""


def transcript_tail(stream: object) -> list[str]:
    x = labelled(2.0, "x")
    o = named(x * 3, "o")
    out = io.StringIO()
    quiz(o, input=stream, output=out)  # type: ignore[arg-type]
    return out.getvalue().splitlines()[-3:]


def test_a_terminal_is_not_echoed_and_any_other_stream_is():
    assert transcript_tail(TerminalInput("3\n"))[-2:] == ["d o/d x = ? right: d o/d x = 3.0", "score: 1/1"]
    assert transcript_tail(LinesOnly(["3"]))[-3:] == ["d o/d x = ? 3", "right: d o/d x = 3.0", "score: 1/1"]


@pytest.mark.parametrize(
    ("terminal", "shown"), [(True, "d o/d x = ? right: d o/d x = 3.0"), (False, "d o/d x = ? 3")]
)
def test_answers_read_by_input_are_echoed_unless_standard_input_is_a_terminal(monkeypatch, terminal, shown):
    stdin = TerminalInput() if terminal else io.StringIO()
    monkeypatch.setattr(sys, "stdin", stdin)
    answers = ["3"]
    monkeypatch.setattr(builtins, "input", lambda: answers.pop(0))
    x = labelled(2.0, "x")
    o = named(x * 3, "o")
    out = io.StringIO()
    assert quiz(o, output=out).right == 1
    assert shown in out.getvalue().splitlines()


class Screen(io.StringIO):
    """An output that remembers how much of it had been flushed (was on screen) at each flush."""

    def __init__(self) -> None:
        super().__init__()
        self.on_screen = ""

    def flush(self) -> None:
        self.on_screen = self.getvalue()


class Keyboard(io.StringIO):
    """Answers that check, each time one is read, that the question is already on the screen."""

    def __init__(self, screen: Screen, text: str) -> None:
        super().__init__(text)
        self.screen = screen
        self.seen: list[str] = []

    def readline(self, size: int = -1) -> str:
        self.seen.append(self.screen.on_screen)
        assert self.screen.on_screen == self.screen.getvalue(), (
            "waiting for an answer with the question unshown"
        )
        return super().readline(size)


def test_each_question_is_flushed_to_the_screen_before_the_answer_is_read():
    x, y = labelled(2.0, "x"), labelled(3.0, "y")
    o = named(x * y, "o")
    screen = Screen()
    keyboard = Keyboard(screen, "3\n2\n")
    assert quiz(o, input=keyboard, output=screen).right == 2
    assert [shown.endswith(" = ? ") for shown in keyboard.seen] == [True, True]
