"""nn/optim.py: the holes a mutation run (issue 23) found, each pinned by a hand-derived answer.

Every update below is worked by hand from the rules in nn/optim.py's docstring (PyTorch's);
every error text is the exact sentence a learner reads.
"""

import pytest

import nn
from autograd import Value


def one_param(data, grad):
    p = Value(data)
    p.grad = grad
    return p


def test_sgd_weight_decay_of_exactly_one_is_folded_into_the_gradient():
    # g = grad + wd * p = 0.5 + 1.0 * 2.0 = 2.5; p = 2.0 - 0.1 * 2.5 = 1.75.
    p = one_param(2.0, 0.5)
    nn.SGD([p], lr=0.1, weight_decay=1.0).step()
    assert p.data == pytest.approx(1.75, abs=1e-15)


def test_adam_weight_decay_of_exactly_one_is_folded_into_the_gradient():
    # betas (0, 0), eps 0: the step is lr * g / |g| = lr * sign(g), with g = -0.5 + 1.0 * 1.0 = 0.5 > 0
    # (without the decay g = -0.5 and p would rise to 1.1).
    p = one_param(1.0, -0.5)
    nn.Adam([p], lr=0.1, betas=(0.0, 0.0), eps=0.0, weight_decay=1.0).step()
    assert p.data == pytest.approx(0.9, abs=1e-15)


def test_adam_accepts_betas_of_zero_and_forgets_everything():
    # beta1 = beta2 = 0 (allowed by torch): m = g, v = g**2, corrections 1 - 0**t = 1,
    # so each step is lr * g / (|g| + eps). Step 1: g = 0.5; step 2: g = -2.0.
    p = one_param(1.0, 0.5)
    opt = nn.Adam([p], lr=0.1, betas=(0.0, 0.0), eps=1e-8)
    assert opt.betas == (0.0, 0.0)
    opt.step()
    after_one = 1.0 - 0.1 * 0.5 / (0.5 + 1e-8)
    assert p.data == pytest.approx(after_one, abs=1e-15)
    p.grad = -2.0
    opt.step()
    assert p.data == pytest.approx(after_one + 0.1 * 2.0 / (2.0 + 1e-8), abs=1e-15)
    assert opt.state[p]["exp_avg"] == -2.0 and opt.state[p]["exp_avg_sq"] == 4.0


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: nn.SGD(ps, lr=0.1),
        lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9),
        lambda ps: nn.Adam(ps, lr=0.1),
        lambda ps: nn.RMSprop(ps, lr=0.1),
    ],
    ids=["sgd", "sgd-momentum", "adam", "rmsprop"],
)
def test_step_count_counts_the_steps_taken(make):
    p = one_param(1.0, 0.5)
    opt = make([p])
    assert opt.step_count == 0
    for n in range(1, 4):
        opt.step()
        assert opt.step_count == n
    p.grad = "0.5"  # refused before anything changes: no step taken, none counted
    with pytest.raises(TypeError, match="parameter 0 has grad '0.5', not a number"):
        opt.step()
    assert opt.step_count == 3


HYPER_ERRORS = [
    (lambda p: nn.SGD(p, lr=0.1, momentum=-0.5), "SGD: momentum must be a finite number >= 0, got -0.5"),
    (lambda p: nn.SGD(p, lr=0.1, dampening=-0.5), "SGD: dampening must be a finite number >= 0, got -0.5"),
    (
        lambda p: nn.SGD(p, lr=0.1, weight_decay=-0.5),
        "SGD: weight_decay must be a finite number >= 0, got -0.5",
    ),
    (
        lambda p: nn.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
        "SGD: nesterov=True needs momentum > 0 and dampening = 0",
    ),
    (lambda p: nn.Adam(p, eps=-1e-8), "Adam: eps must be a finite number >= 0, got -1e-08"),
    (lambda p: nn.Adam(p, weight_decay=-0.5), "Adam: weight_decay must be a finite number >= 0, got -0.5"),
    (lambda p: nn.RMSprop(p, eps=-1e-8), "RMSprop: eps must be a finite number >= 0, got -1e-08"),
    (
        lambda p: nn.RMSprop(p, weight_decay=-0.5),
        "RMSprop: weight_decay must be a finite number >= 0, got -0.5",
    ),
    (lambda p: nn.RMSprop(p, momentum=-0.5), "RMSprop: momentum must be a finite number >= 0, got -0.5"),
    (lambda p: nn.Adam(p, betas=(0.9, -0.1)), "Adam: betas[1] must be in [0, 1), got -0.1"),
]


@pytest.mark.parametrize("make, message", HYPER_ERRORS)
def test_a_bad_hyperparameter_is_named_with_its_optimizer_and_value(make, message):
    with pytest.raises(ValueError) as caught:
        make([Value(1.0)])
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "betas, message",
    [
        (("0.9", 0.999), "Adam: betas[0] must be a number, got str '0.9'"),
        ((0.9, True), "Adam: betas[1] must be a number, got bool True"),
        ((False, 0.999), "Adam: betas[0] must be a number, got bool False"),
        ((None, 0.999), "Adam: betas[0] must be a number, got NoneType None"),
    ],
)
def test_a_beta_that_is_not_a_number_is_refused_by_type(betas, message):
    # A bool or a numeric string must not slip through as float(True) = 1.0 or float("0.9").
    with pytest.raises(TypeError) as caught:
        nn.Adam([Value(1.0)], betas=betas)
    assert str(caught.value) == message


def test_lambda_lr_names_what_it_got_instead_of_an_optimizer():
    with pytest.raises(TypeError) as caught:
        nn.LambdaLR([Value(1.0)], lambda epoch: 1.0)
    assert str(caught.value) == "LambdaLR: expected an Optimizer, got list"


def test_lambda_lr_refuses_a_factor_that_makes_lr_negative():
    # base_lr 1.0, factor for epoch 1 = -0.5: lr = -0.5, refused at the scheduler's step.
    sched = nn.LambdaLR(nn.SGD([Value(1.0)], lr=1.0), lambda epoch: 1.0 - 1.5 * epoch)
    assert sched.get_last_lr() == 1.0
    with pytest.raises(ValueError) as caught:
        sched.step()
    assert str(caught.value) == "LambdaLR: lr (from lr_lambda) must be a finite number >= 0, got -0.5"


# Defects found beside the mutants: a numpy number was called "not a number", and what lr_lambda
# returned reached Python's own multiplication error (or passed as a bool) instead of being named.


def test_a_numpy_number_is_a_number_for_lr_and_grad():
    np = pytest.importorskip("numpy")
    # lr 0.25 and grad 2.0 are exact in float32: p = 1.0 - 0.25 * 2.0 = 0.5.
    p = one_param(1.0, 2.0)
    opt = nn.SGD([p], lr=np.float32(0.25))
    assert opt.lr == 0.25 and type(opt.lr) is float
    opt.step()
    assert p.data == 0.5
    p.grad = np.float32(2.0)  # not a float subclass: takes the checked path
    opt.step()
    assert p.data == 0.0
    assert nn.Adam([Value(1.0)], betas=(np.float32(0.5), 0.999)).betas == (0.5, 0.999)
    with pytest.raises(ValueError) as caught:
        nn.SGD([Value(1.0)], lr=np.int64(-2))
    assert str(caught.value) == "SGD: lr must be a finite number >= 0, got -2.0"


def test_lambda_lr_takes_a_numpy_factor():
    np = pytest.importorskip("numpy")
    opt = nn.SGD([Value(1.0)], lr=1.0)
    sched = nn.LambdaLR(opt, lambda epoch: np.float32(0.5) ** epoch)
    assert opt.lr == 1.0
    sched.step()
    sched.step()
    assert opt.lr == 0.25 and type(opt.lr) is float


@pytest.mark.parametrize(
    "returned, message",
    [
        (None, "LambdaLR: lr_lambda(0) must return a number, got NoneType None"),
        ("0.5", "LambdaLR: lr_lambda(0) must return a number, got str '0.5'"),
        (True, "LambdaLR: lr_lambda(0) must return a number, got bool True"),
    ],
)
def test_lambda_lr_names_a_factor_that_is_not_a_number(returned, message):
    with pytest.raises(TypeError) as caught:
        nn.LambdaLR(nn.SGD([Value(1.0)], lr=0.1), lambda epoch: returned)
    assert str(caught.value) == message


def test_lambda_lr_names_the_epoch_whose_factor_is_not_a_number():
    sched = nn.LambdaLR(nn.SGD([Value(1.0)], lr=0.1), lambda epoch: 1.0 if epoch < 2 else None)
    sched.step()
    with pytest.raises(TypeError) as caught:
        sched.step()
    assert str(caught.value) == "LambdaLR: lr_lambda(2) must return a number, got NoneType None"
