"""``chainrule update-quiz``: the true step is nn.optim's (checked by hand and against torch), every
named slip is the one the learner made, and an answer no slip explains is not given a reason."""

import io
import math
import random

import pytest

from chainrule.cli import main
from chainrule.update_quiz import KINDS, Question, grade, make_question, slip_answers

SEEDS = range(40)


def questions():
    for seed in SEEDS:
        rng = random.Random(seed)
        for kind in KINDS:
            yield make_question(kind, rng)


def hand_change(q):
    if q.kind == "sgd":
        return -q.lr * q.g
    if q.kind == "momentum":
        return -q.lr * (q.momentum * q.b + q.g)
    (b1, b2), t = q.betas, q.t
    m = b1 * q.m + (1 - b1) * q.g
    v = b2 * q.v + (1 - b2) * q.g**2
    return -q.lr * (m / (1 - b1**t)) / (math.sqrt(v / (1 - b2**t)) + q.eps)


def test_the_true_step_is_the_rule_by_hand():
    for q in questions():
        assert math.isclose(q.true_change(), hand_change(q), rel_tol=1e-12, abs_tol=1e-15), q


@pytest.mark.torch
def test_the_true_step_is_torchs(torch):
    for q in list(questions())[:30]:
        x = torch.tensor([q.w], dtype=torch.float64, requires_grad=True)
        x.grad = torch.tensor([q.g], dtype=torch.float64)
        if q.kind == "adam":
            opt = torch.optim.Adam([x], lr=q.lr, betas=q.betas, eps=q.eps)
            if q.t > 1:
                opt.state[x] = {
                    "step": torch.tensor(float(q.t - 1)),
                    "exp_avg": torch.tensor([q.m], dtype=torch.float64),
                    "exp_avg_sq": torch.tensor([q.v], dtype=torch.float64),
                }
        else:
            opt = torch.optim.SGD([x], lr=q.lr, momentum=q.momentum)
            if q.b is not None:
                opt.state[x] = {"momentum_buffer": torch.tensor([q.b], dtype=torch.float64)}
        opt.step()
        assert math.isclose(x.item() - q.w, q.true_change(), rel_tol=1e-12, abs_tol=1e-15), q


def test_every_slip_is_named_alone_and_apart_from_the_truth():
    named = set()
    for q in questions():
        true = q.true_change()
        assert grade(q, true).right and grade(q, true * 1.005).right
        for name, value in q.slips:
            assert abs(value - true) > 0.05 * max(abs(value), abs(true))
            verdict = grade(q, value)
            assert not verdict.right and verdict.slips == [name], (q, name, verdict)
            named.add(name.split(":")[0])
        values = [v for _, v in q.slips]
        odd = true * 3.7 + 0.123
        if all(abs(odd - v) > 0.02 * abs(v) for v in values):
            assert grade(q, odd).slips == [] and not grade(q, odd).right
    for slip in (
        "you forgot the bias correction",
        "you forgot ε in the denominator √v̂ + ε",
        "you used g instead of m̂ in the numerator",
        "you squared in the wrong place",
        "you forgot the momentum buffer",
        "you went up the gradient",
    ):
        assert slip in named


def test_adam_slips_by_hand_on_a_first_step():
    # t = 1, g = 0.5: m = 0.05, v = 0.00025; m̂ = 0.5, v̂ = 0.25 (√v̂ = 0.5); lr 0.1, ε 0.1
    q = Question("adam", w=0.3, g=0.5, lr=0.1, eps=0.1, t=1)
    q.slips = list(slip_answers(q))
    assert math.isclose(q.true_change(), -0.1 * 0.5 / (0.5 + 0.1))
    cases = {
        -0.1 * 0.05 / (math.sqrt(0.00025) + 0.1): "you forgot the bias correction",
        -0.1 * 0.5 / 0.5: "you forgot ε",
        -0.1 * 0.5 / math.sqrt(0.25 + 0.1): "you put ε inside the square root",
    }
    for answer, slip in cases.items():
        verdict = grade(q, answer)
        assert not verdict.right and len(verdict.slips) == 1 and verdict.slips[0].startswith(slip), verdict
    # with v = 0 before the step, both ways of squaring wrongly give ((1-β₂)·g)²: both are named
    verdict = grade(q, -0.1 * 0.5 / (math.sqrt((0.001 * 0.5) ** 2 / 0.001) + 0.1))
    assert len(verdict.slips) == 2 and all(
        s.startswith("you squared in the wrong place") for s in verdict.slips
    )


def test_a_tiny_epsilon_left_out_is_right_not_a_slip():
    q = Question("adam", w=0.3, g=0.5, lr=0.1, eps=1e-8, t=1)
    assert grade(q, -0.1 * 0.5 / 0.5).right  # 1e-8 changes nothing a learner can type


def test_w_after_the_step_is_right_with_a_note():
    q = Question("sgd", w=0.8, g=2.0, lr=0.1)
    verdict = grade(q, 0.6)
    assert verdict.right and "that is w after the step; the change is Δw = -0.2" in verdict.note
    assert not grade(q, float("nan")).right and grade(q, float("inf")).slips == []


def run_cli(monkeypatch, capsys, answers, *args):
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(a + "\n" for a in answers)))
    code = main(["update-quiz", "--seed", "5", *args])
    return code, capsys.readouterr()


def test_cli_right_answers_and_a_slip(monkeypatch, capsys):
    rng = random.Random(5)
    qs = [make_question(k, rng) for k in KINDS]
    slip_name, slip_value = qs[2].slips[0]
    answers = [repr(qs[0].true_change()), repr(qs[1].true_change()), repr(slip_value), "abc"]
    code, out = run_cli(monkeypatch, capsys, answers)
    assert code == 0, out.err
    assert "not quite: " + slip_name in out.out
    assert "'abc' is not a number" in out.out and "the answer: " in out.out
    assert "2 of 3 right (seed 5: --seed 5 asks these again)" in out.out


def test_cli_bad_options_and_ended_input(monkeypatch, capsys):
    code, out = run_cli(monkeypatch, capsys, [], "--optimizers", "sgd,rms")
    assert code == 2 and "unknown optimizer 'rms'; known: sgd, momentum, adam" in out.err
    code, out = run_cli(monkeypatch, capsys, ["0.5"], "--optimizers", "sgd,adam")
    assert code == 1 and "standard input ended after" in out.err
