"""The workloads that run on both engines: written once against the ``Value`` interface.

Each function takes the Value class it runs on (``autograd.Value`` or ``bench.lean.LeanValue``)
and uses only what both have: ``+ - * / **`` with Values and numbers, ``exp``, ``log``,
``relu``, ``.data``, ``.grad`` and ``backward()``. So the two engines run the same code, do the
same arithmetic in the same order, and ``bench/vs_lean.py`` can time one against the other.

The tiny GPT is one transformer block on characters, in the manner of the scalar GPTs that
train on Values: token and position embeddings, RMSNorm, one causal self-attention layer of
4 heads, an MLP with a ReLU, a language-model head, softmax cross-entropy averaged over the
positions. Embedding 16, context 16, vocabulary 27 (a to z and a boundary token): 4,192
parameters.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence
from typing import Any

V = Any  # a Value of either engine: the code below is duck-typed on purpose
Matrix = list[list[Any]]

VOCAB = 27  # 'a'..'z' and BOUNDARY
BOUNDARY = 26  # the token that starts and ends a name
N_EMBD = 16
N_HEAD = 4
HEAD_DIM = N_EMBD // N_HEAD
BLOCK = 16  # the context: at most 16 positions
NAMES = ("emma", "olivia", "ava", "isabella", "sophia", "mia", "charlotte", "amelia", "harper",
         "evelyn", "abigail", "emily", "ella", "elizabeth", "camila", "luna")  # fmt: skip


def tokens(text: str) -> list[int]:
    """Each character of ``text`` as a token: 'a' is 0, ..., 'z' is 25; a space is the boundary."""
    return [BOUNDARY if c == " " else ord(c) - ord("a") for c in text]


def sequence(length: int = BLOCK) -> list[int]:
    """``length + 1`` tokens of the names joined by boundaries: ``length`` (input, target) pairs."""
    text = " " + " ".join(NAMES) + " "
    return tokens(text)[: length + 1]


# --- the tiny GPT ---------------------------------------------------------------------------------


def gpt_parameters(value: type, seed: int = 0) -> dict[str, Matrix]:
    """The model's weight matrices as leaf Values of class ``value``, drawn from N(0, 0.08²)."""
    rng = random.Random(seed)

    def matrix(rows: int, cols: int) -> Matrix:
        return [[value(rng.gauss(0.0, 0.08)) for _ in range(cols)] for _ in range(rows)]

    return {
        "wte": matrix(VOCAB, N_EMBD), "wpe": matrix(BLOCK, N_EMBD),
        "wq": matrix(N_EMBD, N_EMBD), "wk": matrix(N_EMBD, N_EMBD),
        "wv": matrix(N_EMBD, N_EMBD), "wo": matrix(N_EMBD, N_EMBD),
        "fc1": matrix(4 * N_EMBD, N_EMBD), "fc2": matrix(N_EMBD, 4 * N_EMBD),
        "lm_head": matrix(VOCAB, N_EMBD),
    }  # fmt: skip


def flat(params: dict[str, Matrix]) -> list[Any]:
    """Every parameter, matrix by matrix, row by row."""
    return [p for m in params.values() for row in m for p in row]


def linear(x: Sequence[V], w: Matrix) -> list[V]:
    """W x: one weighted sum per row of ``w``."""
    return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]


def rmsnorm(x: Sequence[V]) -> list[V]:
    """x / sqrt(mean(x²) + 1e-5)."""
    ms = sum(xi * xi for xi in x) / len(x)
    scale = (ms + 1e-5) ** -0.5
    return [xi * scale for xi in x]


def softmax(logits: Sequence[V]) -> list[V]:
    """exp(z - max z) / sum exp(z - max z); the max is a number (it cancels, and keeps exp finite)."""
    top = max(z.data for z in logits)
    exps = [(z - top).exp() for z in logits]
    total = sum(exps)
    return [e / total for e in exps]


def gpt_loss(params: dict[str, Matrix], seq: Sequence[int]) -> V:
    """Mean cross-entropy of predicting ``seq[t + 1]`` from ``seq[: t + 1]``, for each position t."""
    keys: list[list[V]] = []
    values: list[list[V]] = []
    losses = []
    for pos, (token, target) in enumerate(itertools.pairwise(seq)):
        x = [t + p for t, p in zip(params["wte"][token], params["wpe"][pos])]
        probs = softmax(block(params, x, keys, values, softmax))
        losses.append(-probs[target].log())
    return sum(losses) / len(losses)


def block(params: dict[str, Matrix], x: list[V], keys: list[list[V]], values: list[list[V]],
          softmax: Callable[[Sequence[V]], list[V]]) -> list[V]:  # fmt: skip
    """One position through the transformer block: its embedding ``x`` in, its logits out.

    ``keys`` and ``values`` hold the earlier positions' keys and values; this one's are appended.
    """
    x = rmsnorm(x)
    # attention: this position's query against the keys of every position so far
    residual = x
    x = rmsnorm(x)
    q, k, v = linear(x, params["wq"]), linear(x, params["wk"]), linear(x, params["wv"])
    keys.append(k)
    values.append(v)
    heads: list[V] = []
    for h in range(N_HEAD):
        part = slice(h * HEAD_DIM, (h + 1) * HEAD_DIM)
        q_h = q[part]
        scores = [sum(a * b for a, b in zip(q_h, k_t[part])) / HEAD_DIM**0.5 for k_t in keys]
        weights = softmax(scores)
        heads += [sum(w * v_t[part][j] for w, v_t in zip(weights, values)) for j in range(HEAD_DIM)]
    x = [a + b for a, b in zip(linear(heads, params["wo"]), residual)]
    # the MLP
    residual = x
    hidden = [h.relu() for h in linear(rmsnorm(x), params["fc1"])]
    x = [a + b for a, b in zip(linear(hidden, params["fc2"]), residual)]
    return linear(x, params["lm_head"])


# --- the same GPT with one-hot data, for a shape-keyed compiled loss --------------------------------


def one_hot(seq: Sequence[int]) -> tuple[list[list[float]], list[list[float]]]:
    """(inputs, targets): one one-hot row of ``VOCAB`` numbers per (``seq[t]``, ``seq[t + 1]``) pair."""
    rows = [[1.0 if v == token else 0.0 for v in range(VOCAB)] for token in seq]
    return rows[:-1], rows[1:]


def softmax_unshifted(logits: Sequence[V]) -> list[V]:
    """exp(z) / sum exp(z): no number read out of a Value (a trace refuses such reads)."""
    exps = [z.exp() for z in logits]
    total = sum(exps)
    return [e / total for e in exps]


def gpt_loss_one_hot(params: dict[str, Matrix], inputs: Sequence[Sequence[V]],
                     targets: Sequence[Sequence[V]]) -> V:  # fmt: skip
    """``gpt_loss`` with the tokens given one-hot, so the graph depends only on the length.

    The embedding of a one-hot row o is sum_v o_v wte[v]; the loss at a position is
    log sum_v exp z_v - sum_v o_v z_v (cross-entropy on the logits z, unshifted: the tiny
    model's logits stay small). The same arithmetic runs on numbers or on Values, so
    ``ShapeCachedLoss`` can make the one-hot numbers inputs of one trace per length.
    """
    keys: list[list[V]] = []
    values: list[list[V]] = []
    losses = []
    wte = params["wte"]
    for pos, (token, target) in enumerate(zip(inputs, targets)):
        x = [sum(o * row[i] for o, row in zip(token, wte)) + p for i, p in enumerate(params["wpe"][pos])]
        logits = block(params, x, keys, values, softmax_unshifted)
        losses.append(sum(z.exp() for z in logits).log() - sum(o * z for o, z in zip(target, logits)))
    return sum(losses) / len(losses)


def gpt_step(params: dict[str, Matrix], seq: Sequence[int], lr: float = 0.01) -> float:
    """One training step: loss, backward, SGD (p -= lr * grad, then grad = 0). Returns the loss."""
    loss = gpt_loss(params, seq)
    loss.backward()
    for p in flat(params):
        p.data -= lr * p.grad
        p.grad = 0.0
    return float(loss.data)


# --- micrograd's moons step, written once -------------------------------------------------------


def mlp_parameters(value: type, weights: list[list[list[float]]]) -> list[list[tuple[list[V], V]]]:
    """Leaf Values of class ``value`` for the weights: layer -> neuron -> (w, b)."""
    return [[([value(w) for w in neuron[:-1]], value(neuron[-1])) for neuron in layer] for layer in weights]


def moons_step(value: type, model: list[list[tuple[list[V], V]]], X: list[list[float]], y: list[float],
               lr: float, alpha: float) -> float:  # fmt: skip
    """micrograd's demo step: ReLU MLP, hinge loss + alpha * L2, backward, SGD. Returns the loss."""
    params = [p for layer in model for w, b in layer for p in (*w, b)]
    last = len(model) - 1
    terms = []
    for xs, target in zip(X, y):
        a = [value(v) for v in xs]
        for k, layer in enumerate(model):
            z = [sum((wi * ai for wi, ai in zip(w, a)), b) for w, b in layer]
            a = z if k == last else [v.relu() for v in z]
        terms.append((1.0 + -target * a[0]).relu())
    loss = sum(terms) * (1.0 / len(terms)) + alpha * sum(p * p for p in params)
    loss.backward()
    for p in params:
        p.data -= lr * p.grad
        p.grad = 0.0
    return float(loss.data)


# --- the deep chain -------------------------------------------------------------------------------


def chain(value: type, x0: float, ops: int, scale: float, shift: float,
          backward: Callable[[Any], None]) -> tuple[float, float]:  # fmt: skip
    """The floor's chain (relu, * scale, + shift) ``ops // 3`` times; returns (y, dy/dx0)."""
    x = value(x0)
    y = x
    for _ in range(ops // 3):
        y = (y.relu() * scale) + shift
    backward(y)
    return y.data, x.grad
