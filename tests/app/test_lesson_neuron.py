"""The lesson's neuron, differentiated by the engine and by hand.

z = w1 x1 + w2 x2 + b,  a = sigmoid(z)
MSE:           L = (a - y)^2           dL/dz = 2 (a - y) a (1 - a)
cross-entropy: L = -[y log a + (1 - y) log(1 - a)]      dL/dz = a - y   (the lesson's `dz = a - y`)
and dL/dw_i = dL/dz * x_i, dL/db = dL/dz.
"""

import math

import pytest

from autograd import Value, dot


def neuron(x1, x2, w1, w2, b):
    return (w1 * x1 + w2 * x2 + b).sigmoid()


@pytest.mark.parametrize(("x1", "x2", "y"), [(0, 1, 1), (1, 1, 0), (0.3, -0.7, 1), (2.0, 0.5, 0)])
def test_sigmoid_neuron_with_mse(x1, x2, y):
    w1, w2, b = Value(0.4), Value(-0.6), Value(0.1)
    a = neuron(x1, x2, w1, w2, b)
    loss = (a - y) ** 2
    loss.backward()

    z = 0.4 * x1 - 0.6 * x2 + 0.1
    s = 1 / (1 + math.exp(-z))
    dz = 2 * (s - y) * s * (1 - s)
    assert a.data == pytest.approx(s, rel=1e-15)
    assert (w1.grad, w2.grad, b.grad) == pytest.approx((dz * x1, dz * x2, dz), rel=1e-12)


@pytest.mark.parametrize(("x1", "x2", "y"), [(0, 1, 1), (1, 1, 0), (0.3, -0.7, 1), (2.0, 0.5, 0)])
def test_sigmoid_neuron_with_cross_entropy_gives_a_minus_y(x1, x2, y):
    w1, w2, b = Value(0.4), Value(-0.6), Value(0.1)
    z = dot([w1, w2, b], [x1, x2, 1.0])
    a = z.sigmoid()
    loss = -(y * a.log() + (1 - y) * (1 - a).log())
    loss.backward()

    s = 1 / (1 + math.exp(-(0.4 * x1 - 0.6 * x2 + 0.1)))
    assert z.grad == pytest.approx(s - y, rel=1e-12)
    assert (w1.grad, w2.grad, b.grad) == pytest.approx(((s - y) * x1, (s - y) * x2, s - y), rel=1e-12)
