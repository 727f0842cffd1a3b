"""Your derivatives: fill in each function, then run ``python exercises/check.py`` to grade them.

Each function gets the op's inputs and then its output ``out`` (already computed for you), and
returns the local derivative d(out)/d(input): one number for one input, a tuple for several,
in the order of the inputs. Use ``out`` where it makes the formula shorter. ``math`` is here if
you need it. Keep each answer to plain arithmetic on the numbers you are given: an answer that
calls the engine (``Value`` ops, ``backward()``, ``autograd.grad``) or takes a finite difference
fails, and the grader says so. It draws new points each run (``--seed N`` repeats a run).

The forward rules you are differentiating are written out in each docstring.
"""

import math  # noqa: F401  (for you: math.exp, math.log, ...)


def sigmoid_derivative(x, out):
    """out = sigmoid(x) = 1 / (1 + e**-x).  Return d(out)/dx."""
    return None  # your answer here


def tanh_derivative(x, out):
    """out = tanh(x).  Return d(out)/dx."""
    return None  # your answer here


def mse_derivative(prediction, target, out):
    """out = (prediction - target)**2, one example's squared error.

    Return (d(out)/d(prediction), d(out)/d(target)).
    """
    return None  # your answer here


def cross_entropy_derivative(logit, target, out):
    """out = log(1 + e**logit) - target * logit: binary cross-entropy of sigmoid(logit) against target.

    Return (d(out)/d(logit), d(out)/d(target)).
    """
    return None  # your answer here


def neuron_derivative(w1, w2, b, x1, x2, out):
    """out = tanh(w1*x1 + w2*x2 + b), one neuron.

    Return the derivatives with respect to (w1, w2, b, x1, x2), in that order.
    """
    return None  # your answer here


def tanh_backward(x, out):
    """micrograd style: x and out are Values. out.data = tanh(x.data), out.grad = upstream gradient.

    Add this op's share into x.grad (return nothing).
    """
    pass  # your answer here
