"""Starting values for a neuron's weights, drawn from a ``random.Random`` the model owns.

    'uniform'   w ~ U(-1, 1)                                    micrograd's choice
    'xavier'    w ~ U(-a, a),  a = sqrt(6 / (fan_in + fan_out))   Glorot & Bengio (2010)
    'he'        w ~ U(-a, a),  a = sqrt(6 / fan_in)               He et al. (2015), for ReLU

Both 'xavier' and 'he' keep the variance of a layer's outputs near that of its inputs
(Var U(-a, a) = a**2 / 3, so 'he' gives Var w = 2 / fan_in). Biases start at 0.
"""

from __future__ import annotations

import math
import random

INIT_SCHEMES = ("uniform", "xavier", "he")


def check_scheme(init: object, where: str) -> str:
    """``init`` if it names a scheme above, else ``ValueError`` listing the choices."""
    if not isinstance(init, str) or init not in INIT_SCHEMES:
        raise ValueError(f"{where}: init must be one of {INIT_SCHEMES}, got {init!r}")
    return init


def uniform_bound(init: str, fan_in: int, fan_out: int) -> float:
    """The ``a`` of U(-a, a) for the scheme ``init``."""
    if init == "uniform":
        return 1.0
    if init == "xavier":
        return math.sqrt(6.0 / (fan_in + fan_out))
    return math.sqrt(6.0 / fan_in)


def initial_weights(init: str, fan_in: int, fan_out: int, rng: random.Random) -> list[float]:
    """``fan_in`` weights for one neuron of a layer with ``fan_out`` neurons."""
    a = uniform_bound(init, fan_in, fan_out)
    return [rng.uniform(-a, a) for _ in range(fan_in)]
