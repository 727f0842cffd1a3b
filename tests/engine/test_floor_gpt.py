"""The floor's tiny GPT step (``bench.floor.gpt_step``): a backward pass derived by hand, on floats.

The reference is the node engine running ``nn/gpt.py``: its gradients come from the chain rule
applied node by node, independently of the hand derivation; on a short sequence the floor's
gradients are also checked against central finite differences of the engine's loss.
"""

import pytest

from autograd import Value, collector_paused, no_grad
from bench import floor, gpt


def float_weights(params):
    """The engine's parameters as the floor's lists of floats (a copy)."""
    return {name: [[p.data for p in row] for row in matrix] for name, matrix in params.items()}


def test_one_step_equals_the_node_engines_step_twice():
    params = gpt.gpt_parameters(Value)
    weights = float_weights(params)
    before = [p for name in floor.GPT_MATRICES for row in weights[name] for p in row]
    # all 16 positions (' emma olivia ava is'), then a second step from the first's update, in
    # place on both sides, on another sequence ('sabella', at lr 0.05)
    for seq, lr in [(gpt.sequence(), 0.01), (gpt.sequence(24)[18:], 0.05)]:
        with collector_paused():  # the engine's graph is freed by reference counting: faster, same numbers
            expected = gpt.gpt_step(params, seq, lr)
        assert floor.gpt_step(weights, seq, lr) == pytest.approx(expected, rel=1e-12)
    ours = [p.data for p in gpt.flat(params)]
    theirs = [p for name in floor.GPT_MATRICES for row in weights[name] for p in row]
    assert len(theirs) == len(ours) == 4192
    assert theirs == pytest.approx(ours, rel=1e-12, abs=1e-15)
    assert sum(a != b for a, b in zip(before, theirs)) > 3000  # the steps moved most weights


def test_gradients_equal_the_node_engines():
    seq = gpt.sequence(8)  # ' emma oli': 'm' and the boundary twice, wte rows fed by two positions
    assert len(set(seq[:-1])) < len(seq) - 1
    params = gpt.gpt_parameters(Value, seed=3)
    loss, grads = floor.gpt_grads(float_weights(params), seq)
    with collector_paused():
        engine_loss = gpt.gpt_loss(params, seq)
        engine_loss.backward()
    assert loss == pytest.approx(engine_loss.data, rel=1e-12)
    for name in floor.GPT_MATRICES:
        expected = [p.grad for row in params[name] for p in row]
        got = [g for row in grads[name] for g in row]
        assert got == pytest.approx(expected, rel=1e-10, abs=1e-16), name
    assert all(g == 0.0 for row in grads["wpe"][8:] for g in row)  # positions the sequence does not reach
    assert all(g == 0.0 for g in grads["wte"][25])  # 'z' is not in it


def test_gradients_against_central_differences_of_the_engines_loss():
    """dL/dp by hand against (L(p + h) - L(p - h)) / 2h, L the node engine's loss.

    Per matrix: a fixed entry (fc1's row 1 is a ReLU unit dead at both positions: its 0 is right
    too) and the entry the floor says moves the loss most (that one must not be 0).
    """
    seq = gpt.sequence(2)  # ' em': two positions, so the first one's key and value get gradient
    params = gpt.gpt_parameters(Value, seed=4)
    _, grads = floor.gpt_grads(float_weights(params), seq)

    def loss() -> float:
        with no_grad():
            return gpt.gpt_loss(params, seq).data

    h = 1e-5
    for name in floor.GPT_MATRICES:
        grad = grads[name]
        largest = max(((r, c) for r in range(len(grad)) for c in range(len(grad[0]))),
                      key=lambda rc: abs(grad[rc[0]][rc[1]]))  # fmt: skip
        assert grad[largest[0]][largest[1]] != 0.0, name
        for row, col in [(1, 2), largest]:
            p = params[name][row][col]
            p.data += h
            up = loss()
            p.data -= 2 * h
            down = loss()
            p.data += h
            got = grad[row][col]
            assert got == pytest.approx((up - down) / (2 * h), rel=1e-6, abs=1e-10), (name, row, col)


@pytest.mark.parametrize(
    ("seq", "n_head", "match"),
    [
        ([26], 4, "seq must have 2 to 17 tokens.*got 1"),
        (gpt.sequence(17), 4, "seq must have 2 to 17 tokens.*got 18"),
        ([26, 27], 4, "a token must be an int in 0..26, got 27"),
        ([26, True], 4, "a token must be an int in 0..26, got True"),
        ([26, 1.0], 4, "a token must be an int in 0..26, got 1.0"),
        ([26, 0], 3, "n_head must divide the embedding width 16, got 3"),
    ],
)
def test_bad_input_is_named(seq, n_head, match):
    weights = float_weights(gpt.gpt_parameters(Value))
    with pytest.raises(ValueError, match=match):
        floor.gpt_step(weights, seq, n_head=n_head)


def test_missing_matrix_is_named():
    weights = float_weights(gpt.gpt_parameters(Value))
    del weights["fc2"]
    with pytest.raises(ValueError, match="weights has no fc2"):
        floor.gpt_grads(weights, [26, 0])
