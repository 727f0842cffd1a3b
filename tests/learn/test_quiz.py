"""quiz: scripted through a text stream, as the command line feeds it standard input."""

import io

import pytest

from autograd import Value, quiz


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
    assert "    from n: dn/dv2 × do/dn = 1.0 × 0.5" in lines  # the hint: the two factors
    assert "    from n: dn/dv2 × do/dn = 1.0 × 0.5 = 0.5" not in lines  # v2 right on the second try
    assert "    from v2: dv2/dx × do/dv2 = -3.0 × 0.5" in lines
    assert "    from v2: dv2/dx × do/dv2 = -3.0 × 0.5 = -1.5" in lines  # worked, after the second miss
    assert "the answer: do/dx = -1.5" in lines
    assert text.rstrip().endswith("score: 3/5 (1 more right on the second try)")


def test_a_node_used_twice_shows_both_shares():
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    result, text = run(y, ["3", "6"])
    assert text.splitlines().count("    from y: dy/dx × dy/dy = 3.0 × 1.0") == 2
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


def test_the_quiz_leaves_the_grads_backward_would():
    o = neuron()
    run(o, [])
    x = o.inputs[0].inputs[0].inputs[0]
    assert x.grad == pytest.approx(-1.5)


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
        (["1"], "not quite (1.0): that is the upstream gradient do/do alone: multiply it by the local derivative do/dn."),
        (["0.8814"], "not quite (0.8814): that is n's value (its data); the question asks for its gradient do/dn."),
        (["-0.5"], "not quite (-0.5): the sign is flipped: check the sign of each local derivative on the way to n."),
        (["0.5", "0.5", "0.5", "-3"],
         "not quite (-3.0): that is the local derivative dv2/dx alone: multiply it by the upstream gradient do/dv2."),
        (["0.5", "0.5", "0.5", "-1.5", "0.5"],
         "not quite (0.5): that is the upstream gradient do/dv2 alone: multiply it by the local derivative dv2/dw."),
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
    _, text = run(y, ["3", "6"])  # dy/dx = 3 + 3: the first answer counts the path once
    assert (
        "not quite (3.0): that is the share through y only: x is used 2 times, and dy/dx adds the shares of all of them."
        in text
    )


def test_an_answer_that_is_no_common_slip_gets_the_hint_alone() -> None:
    _, text = run(neuron(), ["0.25"])
    assert "not quite (0.25).\nhint: do/dn = sum over the edges out of n of local × upstream" in text
