"""Each loss against its hand-derived gradient and against torch.nn.functional in float64."""

import math

import pytest

import nn
from autograd import Value
from tests.oracles import close

PS = [0.9, 0.2, 0.55, 0.01]
YS_UNIT = [1.0, 0.0, 0.3, 1.0]
ZS = [2.0, -1.5, 0.3, -4.0]
LABELS = [1.0, -1.0, -1.0, 1.0]


def run(loss_fn, preds, targets, **kwargs):
    """Our loss and the gradient of each prediction."""
    vs = [Value(p) for p in preds]
    loss = loss_fn(vs, targets, **kwargs)
    loss.backward()
    return loss.data, [v.grad for v in vs]


def run_torch(torch, loss_fn, preds, targets):
    """The same loss in PyTorch float64: its value and the gradient of each prediction."""
    t = torch.tensor(preds, dtype=torch.float64, requires_grad=True)
    loss = loss_fn(t, torch.tensor(targets, dtype=torch.float64))
    loss.backward()
    return loss.item(), t.grad.tolist()


def assert_close_lists(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert close(x, y), (a, b)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_mse(reduction):
    n = len(PS) if reduction == "mean" else 1
    value, grads = run(nn.mse, ZS, PS, reduction=reduction)
    assert close(value, sum((z - y) ** 2 for z, y in zip(ZS, PS)) / n)
    assert_close_lists(grads, [2 * (z - y) / n for z, y in zip(ZS, PS)])


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_binary_cross_entropy(reduction):
    n = len(PS) if reduction == "mean" else 1
    value, grads = run(nn.binary_cross_entropy, PS, YS_UNIT, reduction=reduction)
    hand = -sum(y * math.log(p) + (1 - y) * math.log(1 - p) for p, y in zip(PS, YS_UNIT)) / n
    assert close(value, hand)
    assert_close_lists(grads, [(p - y) / (p * (1 - p)) / n for p, y in zip(PS, YS_UNIT)])


def test_binary_cross_entropy_clamps_zero_and_one():
    value, grads = run(nn.binary_cross_entropy, [0.0, 1.0], [1.0, 0.0], reduction="sum")
    assert close(value, -2 * math.log(1e-12), rel=1e-6)
    assert grads == [0.0, 0.0]  # clamped probabilities pass no gradient, as with torch.clamp
    value, _ = run(nn.binary_cross_entropy, [0.0, 1.0], [0.0, 1.0])
    assert 0.0 <= value < 1e-11


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_binary_cross_entropy_with_logits(reduction):
    n = len(ZS) if reduction == "mean" else 1
    value, grads = run(nn.binary_cross_entropy_with_logits, ZS, YS_UNIT, reduction=reduction)
    sig = [1 / (1 + math.exp(-z)) for z in ZS]
    hand = -sum(y * math.log(s) + (1 - y) * math.log(1 - s) for s, y in zip(sig, YS_UNIT)) / n
    assert close(value, hand)
    assert_close_lists(grads, [(s - y) / n for s, y in zip(sig, YS_UNIT)])  # the lesson's dz = a - y


ZS_1000, YS_1000 = [1000.0, -1000.0, 1000.0, -1000.0], [1.0, 0.0, 0.0, 1.0]


def test_binary_cross_entropy_with_logits_is_stable_at_1000():
    value, grads = run(nn.binary_cross_entropy_with_logits, ZS_1000, YS_1000, reduction="sum")
    assert value == 2000.0  # the right answers cost 0, the wrong ones 1000 each
    assert grads == [0.0, 0.0, 1.0, -1.0]


SCORES, SIGNS = [2.0, -0.5, 0.25, -3.0, 1.0], [1.0, -1.0, -1.0, 1.0, 1.0]


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_hinge(reduction):
    n = len(SCORES) if reduction == "mean" else 1
    value, grads = run(nn.hinge, SCORES, SIGNS, reduction=reduction)
    # margins 1 - y s: -1, 0.5, 1.25, 4, 0 -> losses 0, 0.5, 1.25, 4, 0
    assert close(value, 5.75 / n)
    assert_close_lists(grads, [0.0, 1.0 / n, 1.0 / n, -1.0 / n, 0.0])


ROWS, CLASSES = [[1.0, 2.0, -0.5], [0.3, 0.3, 4.0], [-2.0, 5.0, 1.0]], [0, 2, 1]


def cross_entropy_rows(reduction):
    """Our cross-entropy over ROWS: the loss node and the logits as Values, after backward."""
    vs = [[Value(z) for z in row] for row in ROWS]
    loss = nn.cross_entropy(vs, CLASSES, reduction=reduction)
    loss.backward()
    return loss, vs


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_cross_entropy(reduction):
    n = len(ROWS) if reduction == "mean" else 1
    loss, vs = cross_entropy_rows(reduction)
    hand = 0.0
    for row, t, vrow in zip(ROWS, CLASSES, vs):
        total = sum(math.exp(z) for z in row)
        hand += math.log(total) - row[t]
        for j, v in enumerate(vrow):
            assert close(v.grad, (math.exp(row[j]) / total - (j == t)) / n)
    assert close(loss.data, hand / n)


def test_cross_entropy_single_row_and_large_logits():
    row = [Value(1000.0), Value(-1000.0), Value(999.0)]
    loss = nn.cross_entropy(row, 2)
    loss.backward()
    # softmax(1000, -1000, 999) = (e, 0, 1) / (e + 1); the grad is softmax minus one-hot(2)
    assert close(loss.data, math.log1p(math.exp(-1)) + 1)
    e = math.e
    assert_close_lists([v.grad for v in row], [e / (e + 1), 0.0, 1 / (e + 1) - 1])


# --- the same losses against torch.nn.functional in float64 ------------------------------------------

AGAINST_TORCH = [  # our loss, torch.nn.functional's name for it, predictions, targets
    (nn.mse, "mse_loss", ZS, PS),
    (nn.binary_cross_entropy, "binary_cross_entropy", PS, YS_UNIT),
    (nn.binary_cross_entropy_with_logits, "binary_cross_entropy_with_logits", ZS, YS_UNIT),
    (nn.binary_cross_entropy_with_logits, "binary_cross_entropy_with_logits", ZS_1000, YS_1000),
]


@pytest.mark.torch
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize(("ours", "theirs", "preds", "targets"), AGAINST_TORCH)
def test_loss_matches_torch(torch, ours, theirs, preds, targets, reduction):
    value, grads = run(ours, preds, targets, reduction=reduction)
    loss = getattr(torch.nn.functional, theirs)
    t_value, t_grads = run_torch(torch, lambda a, b: loss(a, b, reduction=reduction), preds, targets)
    assert close(value, t_value)
    assert_close_lists(grads, t_grads)


@pytest.mark.torch
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_hinge_matches_torch(torch, reduction):
    value, grads = run(nn.hinge, SCORES, SIGNS, reduction=reduction)
    red = torch.mean if reduction == "mean" else torch.sum
    t_value, t_grads = run_torch(torch, lambda s, y: red(torch.relu(1 - y * s)), SCORES, SIGNS)
    assert close(value, t_value)
    assert_close_lists(grads, t_grads)


@pytest.mark.torch
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_cross_entropy_matches_torch(torch, reduction):
    loss, vs = cross_entropy_rows(reduction)
    t = torch.tensor(ROWS, dtype=torch.float64, requires_grad=True)
    t_loss = torch.nn.functional.cross_entropy(t, torch.tensor(CLASSES), reduction=reduction)
    t_loss.backward()
    assert close(loss.data, t_loss.item())
    assert_close_lists([v.grad for row in vs for v in row], t.grad.flatten().tolist())


@pytest.mark.torch
def test_cross_entropy_with_large_logits_matches_torch(torch):
    row = [Value(1000.0), Value(-1000.0), Value(999.0)]
    loss = nn.cross_entropy(row, 2)
    loss.backward()
    t = torch.tensor([[1000.0, -1000.0, 999.0]], dtype=torch.float64, requires_grad=True)
    t_loss = torch.nn.functional.cross_entropy(t, torch.tensor([2]))
    t_loss.backward()
    assert close(loss.data, t_loss.item())
    assert_close_lists([v.grad for v in row], t.grad[0].tolist())


def test_single_sample_forms():
    assert close(nn.mse(Value(3.0), 1.0).data, 4.0)
    assert close(nn.hinge(Value(0.5), -1.0).data, 1.5)
    assert close(nn.binary_cross_entropy(Value(0.25), 1.0).data, -math.log(0.25))
    assert close(nn.binary_cross_entropy_with_logits(0.0, 1.0).data, math.log(2))


def test_mse_over_rows_of_several_outputs():
    preds = [[Value(1.0), Value(2.0)], [Value(0.0), Value(-1.0)]]
    loss = nn.mse(preds, [[0.0, 2.0], [1.0, 1.0]])
    assert close(loss.data, (1 + 0 + 1 + 4) / 4)
    loss.backward()
    assert close(preds[1][1].grad, 2 * (-1.0 - 1.0) / 4)


def test_mismatched_lengths_and_bad_values_raise():
    with pytest.raises(ValueError, match="mse: got 2 predictions but 3 targets"):
        nn.mse([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="hinge: give one prediction and one target, or two lists"):
        nn.hinge([1.0, 2.0], 1.0)
    with pytest.raises(ValueError, match="hinge: labels must be -1 or \\+1, got 0.0"):
        nn.hinge([1.0], [0.0])
    with pytest.raises(ValueError, match="probabilities must be in \\[0, 1\\], got 1.5"):
        nn.binary_cross_entropy([1.5], [1.0])
    with pytest.raises(ValueError, match="targets must be in \\[0, 1\\], got 2.0"):
        nn.binary_cross_entropy_with_logits([0.5], [2.0])
    with pytest.raises(ValueError, match="reduction must be one of"):
        nn.mse([1.0], [1.0], reduction="avg")
    with pytest.raises(ValueError, match="mse: got no predictions"):
        nn.mse([], [])
    with pytest.raises(ValueError, match="a row of 2 predictions has 1 targets"):
        nn.mse([[1.0, 2.0]], [[1.0]])
    with pytest.raises(ValueError, match="cross_entropy: got 2 rows of logits but 1 targets"):
        nn.cross_entropy([[1.0, 2.0], [1.0, 2.0]], [0])
    with pytest.raises(ValueError, match="target 3 is out of range for 3 classes"):
        nn.cross_entropy([1.0, 2.0, 3.0], 3)
    with pytest.raises(TypeError, match="each target must be an int class, got 1.0"):
        nn.cross_entropy([[1.0, 2.0]], [1.0])
    with pytest.raises(ValueError, match="rows of logits differ in length"):
        nn.cross_entropy([[1.0, 2.0], [1.0]], [0, 0])
    with pytest.raises(TypeError, match="mse: expected a real number, got str"):
        nn.mse(["a"], [1.0])
