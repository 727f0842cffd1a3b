"""Mutation-testing holes of ``nn/gpt.py`` (issue 23): what the tiny GPT's surviving mutants changed
unnoticed, each pinned by a behaviour a user sees.

The tokens of a text, the joined training sequence, the shipped file named in its own errors, the
default seeds and learning rates (Adam's first step is lr * g / (|g| + eps), about lr * sign(g);
SGD's is lr * g), the shuffle of each pass over the names, the stable softmax on large logits,
``fast`` training against the node engine, and the three ways a run stops early with the step it
stopped at and the weights it kept. Training runs are a few steps on one- or two-letter names; the
order and learning-rate tests swap the loss for a hand-written one so that no model is run at all.
"""

from __future__ import annotations

import math
import random
import types
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from autograd import Value
from nn import gpt
from tests.nn.test_nn_io_mutants import SCALE, _probe_parameters

# --- tokens, the joined sequence, the shipped names -------------------------------------------------


def test_tokens_are_letter_positions_and_a_space_is_the_boundary():
    assert gpt.tokens("ab z") == [0, 1, 26, 25]
    assert gpt.name_tokens("ada") == [26, 0, 3, 0, 26]  # the docstring's example


def test_sequence_is_the_example_names_between_boundaries():
    # ' emma olivia ava ' is 17 characters: the default 16 (input, target) pairs
    assert gpt.sequence() == [26, 4, 12, 12, 0, 26, 14, 11, 8, 21, 8, 0, 26, 0, 21, 0, 26]
    whole = gpt.sequence(10_000)  # all of it: 16 names, 17 boundaries, ending on one
    assert len(whole) == sum(len(n) for n in gpt.NAMES) + 17
    assert whole.count(26) == 17 and whole[-1] == 26 and min(whole) == 0


def test_a_bad_shipped_names_file_is_named_as_the_packages_file(monkeypatch, tmp_path):
    (tmp_path / "names.txt").write_text("# a comment\nada\nbo1\n", encoding="utf-8")
    monkeypatch.setattr(gpt, "resources", types.SimpleNamespace(files=lambda package: tmp_path))
    with pytest.raises(ValueError) as info:
        gpt.names()
    assert str(info.value) == "nn/names.txt, line 3: 'bo1' has '1'; a name is letters a to z"
    (tmp_path / "names.txt").write_text("zoe\nada\n", encoding="utf-8")
    assert gpt.names() == ["zoe", "ada"]  # the file's order


# --- the weights, the softmax ------------------------------------------------------------------------


def test_weights_are_seeded_gauss_draws_matrix_by_matrix_and_seed_0_by_default():
    def draws(seed: int) -> list[float]:
        rng = random.Random(seed)
        return [rng.gauss(0.0, 0.08) for _ in range(4192)]

    assert [p.data for p in gpt.flat(gpt.gpt_parameters(Value))] == draws(0)
    assert [p.data for p in gpt.flat(gpt.gpt_parameters(Value, seed=5))] == draws(5)


def test_softmax_subtracts_the_max_so_large_logits_stay_finite():
    # exp(710) overflows a float; shifted by the max 710 the terms are exp(0) and exp(-1)
    out = gpt.softmax([Value(710.0), Value(709.0)])
    assert [o.data for o in out] == pytest.approx(
        [1 / (1 + math.exp(-1)), math.exp(-1) / (1 + math.exp(-1))], rel=1e-14
    )


# --- token sequences checked where they enter -----------------------------------------------------------


@pytest.mark.parametrize(
    ("seq", "message"),
    [
        ([], "next_logits: seq must be 1 to 16 tokens, got 0"),
        ([26] * 17, "next_logits: seq must be 1 to 16 tokens, got 17"),
        ([26, -1], "next_logits: seq[1] is -1; a token is a whole number 0 to 26"),
        ([27], "next_logits: seq[0] is 27; a token is a whole number 0 to 26"),
        ([26, 1.0], "next_logits: seq[1] is 1.0; a token is a whole number 0 to 26"),
        ([True], "next_logits: seq[0] is True; a token is a whole number 0 to 26"),
    ],
)
def test_next_logits_refuses_a_sequence_the_model_cannot_read(seq, message):
    with pytest.raises(ValueError) as info:
        gpt.next_logits(_probe_parameters({}), seq)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("seq", "message"),
    [
        ([26], "gpt_loss: seq must be 2 to 17 tokens, got 1"),
        ([26] * 18, "gpt_loss: seq must be 2 to 17 tokens, got 18"),
        ([26, 0, -2], "gpt_loss: seq[2] is -2; a token is a whole number 0 to 26"),
    ],
)
def test_gpt_loss_refuses_a_sequence_the_model_cannot_read(seq, message):
    with pytest.raises(ValueError) as info:
        gpt.gpt_loss(_probe_parameters({}), seq)
    assert str(info.value) == message


def test_numpy_tokens_are_tokens():
    params = _probe_parameters({0: 1.0})
    assert gpt.next_logits(params, [np.int64(26), np.int64(0)])[0] == pytest.approx(SCALE, rel=1e-12)


# --- gpt_step and train's defaults, with a hand-written loss ----------------------------------------------


def _two_weights() -> dict[str, Any]:
    return {"w": [[Value(0.0), Value(0.0), Value(0.0)]]}


def test_gpt_step_is_sgd_at_lr_0_01_by_default(monkeypatch):
    params = _two_weights()
    a, b, c = params["w"][0]
    monkeypatch.setattr(gpt, "gpt_loss", lambda params, seq: 3.0 * a - 0.5 * b + 2.0)  # grads 3, -0.5, 0
    assert gpt.gpt_step(params, [26, 0, 26]) == 2.0  # the loss at the weights the step started from
    assert [p.data for p in (a, b, c)] == pytest.approx([-0.03, 0.005, 0.0], rel=1e-12)
    assert [p.grad for p in (a, b, c)] == [0.0, 0.0, 0.0]


def test_train_takes_adam_steps_of_lr_0_02_by_default(monkeypatch):
    # Adam's first step: lr / (1 - 0.9) * (0.1 g) / (|g| + 1e-8) = lr * g / (|g| + 1e-8)
    params = _two_weights()
    a, b, c = params["w"][0]

    def loss_and_grads(params: Any, seq: Sequence[int], compiled: Any) -> float:
        a.grad, b.grad = 3.0, -0.5
        return 1.0

    monkeypatch.setattr(gpt, "_loss_and_grads", loss_and_grads)
    run = gpt.train(params, ["ab"], 1)
    assert run.losses == [1.0] and run.diverged == ""
    assert [p.data for p in (a, b, c)] == pytest.approx([-0.02, 0.02, 0.0], rel=1e-7)


def _order(monkeypatch: pytest.MonkeyPatch, names: list[str], steps: int, **kwargs: Any) -> list[str]:
    """The name each step of ``train`` learned from, its loss replaced by a constant (no model run)."""
    seen: list[str] = []

    def loss_and_grads(params: Any, seq: Sequence[int], compiled: Any) -> float:
        seen.append("".join(gpt.ALPHABET[t] for t in seq[1:-1]))
        return 1.0

    monkeypatch.setattr(gpt, "_loss_and_grads", loss_and_grads)
    run = gpt.train(_two_weights(), names, steps, **kwargs)
    assert len(run.losses) == steps
    return seen


def _shuffled_passes(names: list[str], steps: int, seed: int) -> list[str]:
    """The spec: the pool shuffled by one ``random.Random(seed)`` at the start of each pass."""
    rng, pool, order = random.Random(seed), list(names), []
    while len(order) < steps:
        rng.shuffle(pool)
        order += pool
    return order[:steps]


NAMES6 = ["ann", "bo", "cy", "dee", "eve", "flo"]


@pytest.mark.parametrize("seed", [None, 5])
def test_train_shuffles_the_names_at_the_start_of_each_pass(monkeypatch, seed):
    kwargs = {} if seed is None else {"seed": seed}
    seen = _order(monkeypatch, NAMES6, 15, **kwargs)
    assert seen == _shuffled_passes(NAMES6, 15, 0 if seed is None else seed)  # seed 0 by default
    first, second, third = seen[:6], seen[6:12], seen[12:]
    assert sorted(first) == sorted(second) == NAMES6 and len(set(third)) == 3  # each pass every name once
    assert first != NAMES6 and second != first  # and each pass shuffled afresh


# --- train with the model: fast, and stopping early ------------------------------------------------------


def test_fast_training_traces_once_and_gives_the_node_engines_losses_and_weights():
    node, fast = gpt.gpt_parameters(Value, seed=2), gpt.gpt_parameters(Value, seed=2)
    by_node = gpt.train(node, ["a", "b"], 2)
    by_trace = gpt.train(fast, ["a", "b"], 2, fast=True)
    assert (by_trace.traces, by_trace.retraces, by_node.traces) == (1, 0, 0)  # one length: one trace
    assert by_trace.losses == pytest.approx(by_node.losses, rel=1e-12) and len(by_node.losses) == 2
    assert [p.data for p in gpt.flat(fast)] == pytest.approx(
        [p.data for p in gpt.flat(node)], rel=1e-9, abs=1e-15
    )
    assert by_trace.diverged == by_node.diverged == ""


def test_a_loss_that_cannot_be_computed_stops_the_run_at_that_step_with_the_weights_untouched():
    # z_a = 1000, every other logit 0: P('b') = exp(-1000) underflows to 0, and its log is refused
    params = _probe_parameters({0: 1000.0 / SCALE})
    before = [p.data for p in gpt.flat(params)]
    with pytest.raises(ValueError) as info:
        Value(0.0).log()
    run = gpt.train(params, ["b"], 3)
    assert run.diverged == f"the loss could not be computed at step 1 ({info.value})"
    assert run.losses == [] and [p.data for p in gpt.flat(params)] == before


def test_a_nan_loss_stops_the_run_at_that_step_before_its_update():
    params = gpt.gpt_parameters(Value, seed=1)
    kept: list[float] = []

    def poison(step: int, loss: float) -> None:  # after step 1: a nan weight makes step 2's loss nan
        params["wpe"][0][0].data = math.nan
        kept[:] = [p.data for p in gpt.flat(params)]

    run = gpt.train(params, ["a"], 4, on_step=poison)
    assert run.diverged == "the loss became nan at step 2" and len(run.losses) == 1
    assert [p.data for p in gpt.flat(params)] == pytest.approx(kept, nan_ok=True, rel=0, abs=0)


def test_weights_that_become_nan_are_put_back_and_the_step_named():
    # at lr 1e308 Adam's first step lr / (1 - 0.9) overflows to inf, and inf * 0 (an unused weight's
    # gradient) is nan: the loss was finite, the update is not
    params = gpt.gpt_parameters(Value, seed=1)
    before = [p.data for p in gpt.flat(params)]
    run = gpt.train(params, ["a"], 3, lr=1e308)
    assert run.diverged == "the weights became inf or nan at step 1" and run.losses == []
    assert [p.data for p in gpt.flat(params)] == before


def test_the_longest_and_shortest_sequences_are_read():
    # the probe's logits are z_t = column0[t] * SCALE at every position: z_a after 16 tokens, and a
    # 2-token loss is one cross-entropy, log(25 + 2 e^SCALE) - SCALE for the target 'a'
    params = _probe_parameters({0: 1.0, 26: 1.0})
    assert gpt.next_logits(params, [26] + [0] * 15)[0] == pytest.approx(SCALE, rel=1e-12)
    expected = math.log(25 + 2 * math.exp(SCALE)) - SCALE
    assert gpt.gpt_loss(params, [26, 0]).data == pytest.approx(expected, rel=1e-12)
