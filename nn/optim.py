"""Optimizers (SGD, Adam, RMSprop) and a learning-rate schedule (LambdaLR), as in torch.optim.

Every ``step()`` reads each parameter's ``.grad`` and changes its ``.data`` in place: plain
float arithmetic, no graph is built. The update rules are PyTorch's, term for term, with
g = p.grad + weight_decay * p and t the number of steps taken (1 on the first step):

    SGD      b = g (first step), else b = momentum b + (1 - dampening) g
             d = g + momentum b if nesterov else b (or g when momentum = 0)
             p = p - lr d
    Adam     m = beta1 m + (1 - beta1) g,   v = beta2 v + (1 - beta2) g**2
             p = p - (lr / (1 - beta1**t)) m / (sqrt(v) / sqrt(1 - beta2**t) + eps)
    RMSprop  s = alpha s + (1 - alpha) g**2,  r = sqrt(s) + eps
             (centered: a = alpha a + (1 - alpha) g,  r = sqrt(s - a**2) + eps)
             b = momentum b + g / r, p = p - lr b    (or p = p - lr g / r when momentum = 0)

Each optimizer keeps what it carries from step to step in ``optimizer.state[p]``, a dict per
parameter with torch.optim's keys and numbers (floats here, tensors there); it is empty until
the first step, as in torch:

    SGD      momentum_buffer (b; only when momentum != 0)
    Adam     step (t), exp_avg (m), exp_avg_sq (v)
    RMSprop  step, square_avg (s); momentum_buffer (b) when momentum > 0; grad_avg (a) when centered

Adam's bias-corrected averages are m_hat = m / (1 - beta1**t) and v_hat = v / (1 - beta2**t);
the step it took is lr m_hat / (sqrt(v_hat) + eps), the same number as the update above.

Call ``zero_grad()`` before each ``backward()``: leaves accumulate gradients.
``optimizer.lr`` may be set at any time; ``LambdaLR(optimizer, f)`` sets it to
``base_lr * f(epoch)`` after each of its ``step()`` calls, like ``torch.optim.lr_scheduler.LambdaLR``.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TypeGuard

from autograd import Value

_data = operator.attrgetter("data")


class Optimizer:
    """Holds the parameters and the learning rate; subclasses define ``step()``."""

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        name = type(self).__name__
        if isinstance(params, Value):
            raise TypeError(f"{name}: params must be a list of Values (e.g. model.parameters()), got a Value")
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{name}: got an empty parameter list")
        for p in self.params:
            if not isinstance(p, Value):
                raise TypeError(f"{name}: every parameter must be a Value, got {type(p).__name__}")
        if len({id(p) for p in self.params}) != len(self.params):
            raise ValueError(f"{name}: a parameter appears more than once in params")
        self.lr = _hyper(lr, "lr", name)
        self.step_count = 0
        # torch.optim's ``state``: per parameter (hashed by identity) a dict, filled by step().
        self.state: defaultdict[Value, dict[str, float]] = defaultdict(dict)

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0.0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        raise NotImplementedError

    def _gradients(self, weight_decay: float) -> list[float]:
        """g = p.grad + weight_decay * p for each parameter (L2 penalty folded into the gradient).

        Updates use numbers only: a grad that is a Value (after ``backward(create_graph=True)``)
        contributes its ``.data``, as PyTorch's optimizers update under ``no_grad``. A grad or
        data that is not a number is refused here, naming the parameter, before anything changes.
        """
        grads = [p.grad for p in self.params]
        if {*map(type, grads), *map(type, map(_data, self.params))} != {float}:  # C-speed check
            grads = [self._checked_number(i) for i in range(len(self.params))]
        if weight_decay == 0.0:
            return grads
        return [g + weight_decay * p.data for g, p in zip(grads, self.params)]

    def _checked_number(self, i: int) -> float:
        """Parameter i's grad as a float (a Value's grad gives its .data); TypeError if it is not one."""
        p, name = self.params[i], type(self).__name__
        if type(p.data) is not float:
            raise TypeError(f"{name}.step: parameter {i} has data {p.data!r}, not a float")
        grad = p.grad.data if isinstance(p.grad, Value) else p.grad
        if not _is_real(grad):
            raise TypeError(f"{name}.step: parameter {i} has grad {grad!r}, not a number")
        return float(grad)


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, dampening, Nesterov and weight decay."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = _hyper(momentum, "momentum", "SGD")
        self.dampening = _hyper(dampening, "dampening", "SGD")
        self.weight_decay = _hyper(weight_decay, "weight_decay", "SGD")
        if nesterov and (self.momentum <= 0.0 or self.dampening != 0.0):
            raise ValueError("SGD: nesterov=True needs momentum > 0 and dampening = 0")
        self.nesterov = nesterov

    def step(self) -> None:
        """p = p - lr * d, with d as in the module docstring."""
        grads = self._gradients(self.weight_decay)
        momentum, dampening, state = self.momentum, self.dampening, self.state
        if momentum != 0.0:
            for i, (p, g) in enumerate(zip(self.params, grads)):
                entry = state[p]
                b = entry.get("momentum_buffer")
                b = g if b is None else momentum * b + (1.0 - dampening) * g
                entry["momentum_buffer"] = b
                grads[i] = g + momentum * b if self.nesterov else b
        lr = self.lr
        for p, d in zip(self.params, grads):
            p.data -= lr * d
        self.step_count += 1


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): steps scaled by running averages of g and g**2, bias-corrected."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        if not (isinstance(betas, tuple) and len(betas) == 2):
            raise ValueError(f"Adam: betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (_beta(betas[0], "betas[0]"), _beta(betas[1], "betas[1]"))
        self.eps = _hyper(eps, "eps", "Adam")
        self.weight_decay = _hyper(weight_decay, "weight_decay", "Adam")

    def step(self) -> None:
        """One Adam update of every parameter (see the module docstring)."""
        beta1, beta2 = self.betas
        grads = self._gradients(self.weight_decay)
        self.step_count += 1
        lr, eps, state = self.lr, self.eps, self.state
        for p, g in zip(self.params, grads):
            entry = state[p]
            if not entry:
                entry.update(step=0, exp_avg=0.0, exp_avg_sq=0.0)
            t = entry["step"] = int(entry["step"]) + 1
            m = entry["exp_avg"] = beta1 * entry["exp_avg"] + (1.0 - beta1) * g
            v = entry["exp_avg_sq"] = beta2 * entry["exp_avg_sq"] + (1.0 - beta2) * g * g
            denom = math.sqrt(v) / math.sqrt(1.0 - beta2**t) + eps
            p.data -= (lr / (1.0 - beta1**t)) * m / denom


class RMSprop(Optimizer):
    """RMSprop (Hinton, 2012): steps divided by a running root-mean-square of the gradient."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.alpha = _hyper(alpha, "alpha", "RMSprop")
        self.eps = _hyper(eps, "eps", "RMSprop")
        self.weight_decay = _hyper(weight_decay, "weight_decay", "RMSprop")
        self.momentum = _hyper(momentum, "momentum", "RMSprop")
        self.centered = centered

    def step(self) -> None:
        """One RMSprop update of every parameter (see the module docstring)."""
        a, eps, momentum, lr = self.alpha, self.eps, self.momentum, self.lr
        grads = self._gradients(self.weight_decay)
        for p, g in zip(self.params, grads):
            entry = self.state[p]
            if not entry:
                entry.update(step=0, square_avg=0.0)
                if momentum > 0.0:
                    entry["momentum_buffer"] = 0.0
                if self.centered:
                    entry["grad_avg"] = 0.0
            entry["step"] = int(entry["step"]) + 1
            s = entry["square_avg"] = a * entry["square_avg"] + (1.0 - a) * g * g
            if self.centered:
                avg = entry["grad_avg"] = a * entry["grad_avg"] + (1.0 - a) * g
                rms = math.sqrt(s - avg**2) + eps
            else:
                rms = math.sqrt(s) + eps
            if momentum > 0.0:
                b = entry["momentum_buffer"] = momentum * entry["momentum_buffer"] + g / rms
                p.data -= lr * b
            else:
                p.data -= lr * g / rms
        self.step_count += 1


class LambdaLR:
    """Sets ``optimizer.lr = base_lr * lr_lambda(epoch)``; ``epoch`` counts this scheduler's steps.

    At construction epoch = 0 and the factor for 0 is applied at once; each ``step()`` (call
    it after ``optimizer.step()``) adds one. micrograd's moons demo decays
    ``lr = 1.0 - 0.9 * k / 100``: ``LambdaLR(SGD(params, lr=1.0), lambda k: 1.0 - 0.9 * k / 100)``.
    """

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable[[int], float]) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"LambdaLR: expected an Optimizer, got {type(optimizer).__name__}")
        if not callable(lr_lambda):
            raise TypeError(f"LambdaLR: lr_lambda must be callable, got {lr_lambda!r}")
        self.optimizer = optimizer
        self.lr_lambda = lr_lambda
        self.base_lr = optimizer.lr
        self.last_epoch = 0
        self._apply()

    def step(self) -> None:
        """Move to the next epoch and set the optimizer's lr for it."""
        self.last_epoch += 1
        self._apply()

    def get_last_lr(self) -> float:
        """The learning rate most recently set."""
        return self.optimizer.lr

    def _apply(self) -> None:
        """lr = base_lr * lr_lambda(last_epoch); the factor must be a real number (not a bool)."""
        factor = self.lr_lambda(self.last_epoch)
        if not _is_real(factor):
            raise TypeError(
                f"LambdaLR: lr_lambda({self.last_epoch}) must return a number, "
                f"got {type(factor).__name__} {factor!r}"
            )
        self.optimizer.lr = _hyper(self.base_lr * float(factor), "lr (from lr_lambda)", "LambdaLR")


def _is_real(x: object) -> TypeGuard[numbers.Real]:
    """True for a real number that is not a bool: int, float, Fraction, numpy's float32 or int64, ..."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _hyper(x: object, what: str, where: str) -> float:
    """A hyperparameter as a float; it must be a finite real number >= 0 (a bool is refused)."""
    if not _is_real(x):
        raise TypeError(f"{where}: {what} must be a number, got {type(x).__name__} {x!r}")
    value = float(x)
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"{where}: {what} must be a finite number >= 0, got {value!r}")
    return value


def _beta(x: object, what: str) -> float:
    """An Adam beta: a number in [0, 1) (1 would never forget, and divide by 1 - 1 = 0)."""
    value = _hyper(x, what, "Adam") if isinstance(x, bool) or not isinstance(x, (int, float)) else float(x)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"Adam: {what} must be in [0, 1), got {value!r}")
    return value
