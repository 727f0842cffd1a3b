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

Call ``zero_grad()`` before each ``backward()``: leaves accumulate gradients.
``optimizer.lr`` may be set at any time; ``LambdaLR(optimizer, f)`` sets it to
``base_lr * f(epoch)`` after each of its ``step()`` calls, like ``torch.optim.lr_scheduler.LambdaLR``.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable

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
        if isinstance(grad, bool) or not isinstance(grad, (int, float)):
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
        self.momentum_buffers: list[float] | None = None

    def step(self) -> None:
        """p = p - lr * d, with d as in the module docstring."""
        grads = self._gradients(self.weight_decay)
        if self.momentum != 0.0:
            if self.momentum_buffers is None:
                self.momentum_buffers = list(grads)
            else:
                self.momentum_buffers = [
                    self.momentum * b + (1.0 - self.dampening) * g
                    for b, g in zip(self.momentum_buffers, grads)
                ]
            if self.nesterov:
                grads = [g + self.momentum * b for g, b in zip(grads, self.momentum_buffers)]
            else:
                grads = self.momentum_buffers
        for p, d in zip(self.params, grads):
            p.data -= self.lr * d
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
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        """One Adam update of every parameter (see the module docstring)."""
        beta1, beta2 = self.betas
        self.step_count += 1
        t = self.step_count
        step_size = self.lr / (1.0 - beta1**t)
        sqrt_correction2 = math.sqrt(1.0 - beta2**t)
        grads = self._gradients(self.weight_decay)
        for i, (p, g) in enumerate(zip(self.params, grads)):
            self.m[i] = beta1 * self.m[i] + (1.0 - beta1) * g
            self.v[i] = beta2 * self.v[i] + (1.0 - beta2) * g * g
            denom = math.sqrt(self.v[i]) / sqrt_correction2 + self.eps
            p.data -= step_size * self.m[i] / denom


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
        self.square_avg = [0.0] * len(self.params)
        self.grad_avg = [0.0] * len(self.params)
        self.momentum_buffers = [0.0] * len(self.params)

    def step(self) -> None:
        """One RMSprop update of every parameter (see the module docstring)."""
        a = self.alpha
        grads = self._gradients(self.weight_decay)
        for i, (p, g) in enumerate(zip(self.params, grads)):
            self.square_avg[i] = a * self.square_avg[i] + (1.0 - a) * g * g
            if self.centered:
                self.grad_avg[i] = a * self.grad_avg[i] + (1.0 - a) * g
                rms = math.sqrt(self.square_avg[i] - self.grad_avg[i] ** 2) + self.eps
            else:
                rms = math.sqrt(self.square_avg[i]) + self.eps
            if self.momentum > 0.0:
                self.momentum_buffers[i] = self.momentum * self.momentum_buffers[i] + g / rms
                p.data -= self.lr * self.momentum_buffers[i]
            else:
                p.data -= self.lr * g / rms
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
        factor = self.lr_lambda(self.last_epoch)
        self.optimizer.lr = _hyper(self.base_lr * factor, "lr (from lr_lambda)", "LambdaLR")


def _hyper(x: object, what: str, where: str) -> float:
    """A hyperparameter as a float; it must be a finite number >= 0."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"{where}: {what} must be a number, got {type(x).__name__} {x!r}")
    value = float(x)
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"{where}: {what} must be a finite number >= 0, got {value!r}")
    return value


def _beta(x: object, what: str) -> float:
    value = _hyper(x, what, "Adam")
    if value >= 1.0:
        raise ValueError(f"Adam: {what} must be in [0, 1), got {value!r}")
    return value
