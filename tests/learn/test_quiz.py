"""quiz: scripted through a text stream, as the command line feeds it standard input."""

import io
import math

import pytest

from autograd import Value, quiz
from autograd.learn.quiz import is_right, parse_answer


def neuron():
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(6.8813735870195432, label="b")
    n = x * w + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


# do/dn = 1 - tanh(n)² = 0.5, then the mul node (v2) 0.5, b 0.5, x = w·0.5 = -1.5, w = x·0.5 = 1.0
RIGHT_ANSWERS = ["0.5", "0.5", "0.5", "-1.5", "1.0"]


def run(root, lines):
    out = io.StringIO()
    result = quiz(root, input=io.StringIO("".join(line + "\n" for line in lines)), output=out)
    return result, out.getvalue()


def test_all_right():
    result, text = run(neuron(), RIGHT_ANSWERS)
    assert (result.right, result.asked, result.questions) == (5, 5, 5)
    assert text.rstrip().endswith("score: 5/5")
    assert "hint" not in text
    assert "o = tanh(n) = 0.7071" in text  # the forward values come first


def test_wrong_answers_get_the_chain_rule_as_a_hint_and_one_more_try():
    answers = ["0.5", "1", "0.5", "0.5", "3", "2", "1/1"]  # v2 wrong then right; x wrong twice
    result, text = run(neuron(), answers)
    assert (result.right, result.second_try, result.asked) == (3, 1, 5)
    lines = text.splitlines()
    assert "    from n: ∂n/∂v2 × d o/d n = 1.0 × 0.5" in lines  # the hint: the two factors
    assert "    from n: ∂n/∂v2 × d o/d n = 1.0 × 0.5 = 0.5" not in lines  # v2 right on the second try
    assert "    from v2: ∂v2/∂x × d o/d v2 = -3.0 × 0.5" in lines
    assert "    from v2: ∂v2/∂x × d o/d v2 = -3.0 × 0.5 = -1.5" in lines  # worked, after the second miss
    assert "the answer: d o/d x = -1.5" in lines
    assert text.rstrip().endswith("score: 3/5 (1 more right on the second try)")


def test_a_node_used_twice_shows_both_shares():
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    result, text = run(y, ["3", "6"])
    assert text.splitlines().count("    from y: ∂y/∂x × d y/d y = 3.0 × 1.0") == 2
    assert "x is used 2 times: the shares add up" in text
    assert (result.right, result.second_try) == (0, 1)


def test_input_ending_early_ends_cleanly_with_the_score_so_far():
    result, text = run(neuron(), ["0.5", "0.5"])
    assert (result.right, result.asked, result.questions) == (2, 2, 5)
    assert text.rstrip().endswith("score: 2/2 (input ended after 2 of 5 questions)")


def test_a_line_that_is_not_a_number_is_asked_again_without_costing_a_try():
    result, text = run(neuron(), ["half", "0.5"] + RIGHT_ANSWERS[1:])
    assert "could not read 'half' as a number" in text
    assert result.right == 5


def x_times_y_plus_x():
    """out = x*y + x at x=2, y=3: d out/d v1 = 1, d out/d x = y + 1 = 4, d out/d y = x = 2."""
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    out = x * y + x
    out.label = "out"
    return out, x, y


def test_a_graph_after_backward_is_quizzed_as_a_fresh_one():
    out, _, _ = x_times_y_plus_x()
    out.backward()  # x.grad = 4, y.grad = 2 left on the leaves
    result, text = run(out, ["1", "4", "2"])
    assert (result.right, result.asked) == (3, 3), text
    assert "not quite" not in text


def test_a_second_run_asks_and_scores_the_same():
    out, _, _ = x_times_y_plus_x()
    first = run(out, ["1", "4", "2"])
    second = run(out, ["1", "4", "2"])
    assert first == second and first[0].right == 3
    out.backward()
    out.backward()  # accumulated: x.grad = 8
    assert run(out, ["1", "4", "2"]) == first


def test_the_quiz_reads_and_writes_no_grad():
    out, x, y = x_times_y_plus_x()
    run(out, ["1", "4", "2"])
    assert [n.grad for n in (out, out.inputs[0], x, y)] == [0.0, 0.0, 0.0, 0.0]
    x.grad, y.grad = 100.0, -7.0  # whatever was left there
    run(out, ["1", "4", "2"])
    assert (x.grad, y.grad) == (100.0, -7.0)


def test_a_root_that_is_not_a_value_is_refused():
    with pytest.raises(TypeError, match="quiz: root must be a Value, got float"):
        quiz(1.0)


def test_a_small_gradient_is_not_answered_by_zero():
    # tanh saturates: do/dn = 1 - tanh(3)**2 = 0.009866; 0 is 100% off, 0.009866 is right
    n = Value(3.0, label="n")
    o = n.tanh()
    o.label = "o"
    result, text = run(o, ["0", "0.009866"])
    assert "not quite (0.0)" in text
    assert (result.right, result.second_try) == (0, 1)


@pytest.mark.parametrize(
    "answers, named",
    [
        (["1"], "not quite (1.0): that is the upstream gradient d o/d o alone: multiply it by the local derivative ∂o/∂n."),
        (["0.8814"], "not quite (0.8814): that is n's value (its data): the question asks for its gradient d o/d n."),
        (["-0.5"], "not quite (-0.5): that is the gradient with its sign flipped: check the sign of each local "
                   "derivative on the way to n."),
        (["0.5", "0.5", "0.5", "-3"],
         "not quite (-3.0): that is the local derivative ∂v2/∂x alone: multiply it by the upstream gradient d o/d v2."),
        (["0.5", "0.5", "0.5", "-1.5", "0.5"],
         "not quite (0.5): that is the upstream gradient d o/d v2 alone: multiply it by the local derivative ∂v2/∂w."),
        # d o/d w = x · 0.5 = 1.0; w's own value in x's place gives -3 · 0.5
        (["0.5", "0.5", "0.5", "-1.5", "-1.5"],
         "not quite (-1.5): that is w's own value (-3.0) used as ∂v2/∂w (times d o/d v2): for the product "
         "v2 = x·w, ∂v2/∂w is the other factor, x = 2.0."),
    ],
)  # fmt: skip
def test_a_common_slip_is_named(answers: list[str], named: str) -> None:
    """By hand: do/dn = 1 - tanh(n)^2 = 0.5 with n = 0.8814; dv2/dx = w = -3, dv2/dw = x = 2."""
    _, text = run(neuron(), answers)
    assert named in text.splitlines()


def test_one_path_of_two_is_named() -> None:
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    _, text = run(y, ["3", "6"])  # dy/dx = 3 + 3: the first answer counts the path once (and is x's value)
    assert (
        "not quite (3.0): that could be the share through y only (x is used 2 times, and d y/d x adds the shares "
        "of all of them), or x's value (its data) (the question asks for its gradient d y/d x)."
        in text.splitlines()
    )


def test_the_swapped_factor_is_named_as_such():
    """d(x·y)/dx = y = 3; the classic slip answers x = 2 (the factor itself, not the other one)."""
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    out = x * y
    out.label = "out"
    _, text = run(out, ["2"])
    assert (
        "not quite (2.0): that is x's own value (2.0) used as ∂out/∂x: for the product out = x·y, ∂out/∂x is "
        "the other factor, y = 3.0." in text.splitlines()
    )
    assert "its data" not in text


def test_a_number_two_slips_explain_gets_both():
    # d out/d x = 1 + 3 = 4; x's own value in y's place gives 1 + 2 = 3, and so does the path through v1 alone
    out, _, _ = x_times_y_plus_x()
    _, text = run(out, ["1", "3"])
    assert (
        "not quite (3.0): that could be x's own value (2.0) used as ∂v1/∂x (for the product v1 = x·y, ∂v1/∂x is "
        "the other factor, y = 3.0), or the share through v1 only (x is used 2 times, and d out/d x adds the "
        "shares of all of them)." in text.splitlines()
    )


def test_local_and_total_derivatives_are_written_apart():
    out, _, _ = x_times_y_plus_x()
    _, text = run(out, ["1", "3", "3"])
    lines = text.splitlines()
    assert (
        "hint: d out/d x = sum over each use c of x of ∂c/∂x (local: c's other inputs held fixed) × d out/d c "
        "(upstream)" in lines
    )
    assert "    from out: ∂out/∂x × d out/d out = 1.0 × 1.0" in lines  # the local 1 of add, the upstream 1
    assert "    from v1: ∂v1/∂x × d out/d v1 = 3.0 × 1.0" in lines
    assert "dout" not in text and "d(out" not in text


def test_an_answer_that_is_no_common_slip_gets_the_hint_alone() -> None:
    _, text = run(neuron(), ["0.25"])
    assert "not quite (0.25).\nhint: d o/d n = sum over each use c of n of ∂c/∂n" in text


def test_an_infinite_gradient_is_answered_by_inf_only():
    x = Value(0.0, label="x")
    out = x.sqrt()  # d sqrt(x)/dx = 1/(2 sqrt(x)) = +inf at 0
    out.label = "out"
    result, text = run(out, ["1e300", "inf"])
    assert (result.right, result.second_try) == (0, 1)
    assert "not quite (1e+300)" in text and "right: d out/d x = inf" in text
    result, text = run(out, ["-inf", "100"])
    assert "not quite (-inf): that is the gradient with its sign flipped" in text
    assert (result.right, result.second_try) == (0, 0)
    assert run(out, ["1e999"])[0].right == 1  # 1e999 reads as inf


def test_a_finite_answer_is_not_taken_for_an_infinite_factor():
    # out = sqrt(x) * 3 at x = 0: d out/d x = inf; 1 is neither inf nor the local derivative inf alone
    x = Value(0.0, label="x")
    out = x.sqrt() * 3
    out.label = "out"
    _, text = run(out, ["3", "1"])
    assert "not quite (1.0)." in text.splitlines()


def test_a_nan_gradient_is_answered_by_nan_and_says_which_op_made_it():
    # out = sqrt(x) * 0 at x = 0: d out/d v1 = 0, d out/d x = ∂v1/∂x × 0 = inf × 0 = nan
    x = Value(0.0, label="x")
    out = x.sqrt() * 0
    out.label = "out"
    result, text = run(out, ["0", "nan"])
    assert (result.right, result.asked) == (2, 2)
    why = "at v1 = sqrt(x), ∂v1/∂x × d out/d v1 = inf × 0.0, and inf × 0 is undefined (nan)"
    assert f"right: d out/d x = nan ({why})" in text.splitlines()
    result, text = run(out, ["0", "inf", "0"])  # inf × 0 taken for inf, then a number
    assert result.right == 1 and f"    not a number: {why}" in text.splitlines()
    assert "the answer: d out/d x = nan" in text


def test_a_nan_from_two_infinite_shares_is_explained():
    x = Value(0.0, label="x")
    out = x.sqrt() - x.sqrt()  # shares +inf and -inf
    out.label = "out"
    _, text = run(out, ["1", "-1", "nan"])
    assert (
        "right: d out/d x = nan (the shares of x's uses add up to inf + -inf, and inf - inf is undefined (nan))"
        in text.splitlines()
    )


@pytest.mark.parametrize(
    ("typed", "number"),
    [("1e3", 1000.0), ("-0", 0.0), ("3/4", 0.75), (" -1/3 ", -1 / 3), ("inf", math.inf), ("-Infinity", -math.inf),
     ("1_000", 1000.0)],
)  # fmt: skip
def test_answers_are_read_as_a_learner_types_them(typed, number):
    assert parse_answer(typed.strip()) == number


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("1/0", "divides by zero; type inf or -inf"), ("0/0", "divides by zero"), ("inf/2", "finite numbers only"),
     ("True", "type one number"), ("x", "type one number"), ("1/2/3", "type one number"), ("", "type one number")],
)  # fmt: skip
def test_answers_that_are_not_one_number_are_refused_with_what_to_type(typed, reason):
    with pytest.raises(ValueError, match=reason):
        parse_answer(typed)


def test_a_refused_answer_is_asked_again():
    x = Value(0.0, label="x")
    out = x.sqrt()
    out.label = "out"
    result, text = run(out, ["1/0", "inf"])
    assert (
        "could not read '1/0' as a number: it divides by zero; type inf or -inf for an infinite gradient"
        in text
    )
    assert result.right == 1


def test_the_tolerance_is_half_a_percent_of_the_gradient():
    out, _, _ = x_times_y_plus_x()  # d out/d y = 2
    assert run(out, ["1", "4", "2.0099"])[0].right == 3
    assert run(out, ["1", "4", "2.0101"])[0].right == 2
    assert run(out, ["1", "4", "-0"])[0].right == 2  # -0 is 0, not 2
    assert is_right(-0.0, 0.0) and is_right(1e-10, 0.0) and not is_right(1e-3, 0.0)


def test_a_nan_local_derivative_names_its_op_and_inputs():
    x, y = Value(math.nan, label="x"), Value(1.0, label="y")
    out = x * y  # ∂out/∂y = x = nan
    out.label = "out"
    _, text = run(out, ["1", "nan"])  # d out/d x = y = 1, then d out/d y = x = nan
    assert "(at out = mul(x, y) with x = nan, y = 1.0, the local derivative ∂out/∂y is nan)" in text


def test_two_nodes_with_one_label_are_asked_apart():
    a, b = Value(2.0, label="a"), Value(3.0, label="a")  # d s/d a = 1 for each
    s = a * 2 + b * 5
    s.label = "s"
    result, text = run(s, ["1", "1", "2", "5"])
    assert "d s/d a = ? 2" in text and "d s/d a_2 = ? 5" in text
    assert result.right == 4


def test_a_graph_of_constants_has_nothing_to_ask_and_says_so():
    # 2*3: the root's inputs are unlabelled constants, which the quiz does not ask about.
    result, text = run(Value(2.0) * 3.0, [])
    assert (result.asked, result.questions) == (0, 0)
    assert "score" not in text
    assert text.rstrip().endswith("nothing to ask: below its root the graph has only constants, which are not asked")
