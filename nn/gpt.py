"""A tiny GPT on characters, every weight a ``Value``: the model, names to train it on, a training
loop and sampling.

One transformer block, in the manner of the scalar GPTs that train on Values: token and position
embeddings, RMSNorm, one causal self-attention layer of 4 heads, an MLP with a ReLU, a
language-model head, softmax cross-entropy averaged over the positions. Embedding 16, context
16, vocabulary 27 (``a`` to ``z`` and a boundary token that starts and ends a name): 4,192
parameters.

The model is written once against the ``Value`` interface and nothing else: ``+ - * / **`` with
Values and numbers, ``exp``, ``log``, ``relu``, ``.data``, ``.grad`` and ``backward()``, with
the Value class passed in (``gpt_parameters(Value)``). So the benchmark (``bench/gpt.py``) runs
the very same code on its lean four-slot engine, ``chainrule gpt`` and ``demos/18_tiny_gpt.py``
train it, and all three use this one copy.

A name of n letters is the n + 2 tokens ``[boundary, letters..., boundary]``; at each position t
the model predicts token t + 1 from tokens 0..t, so a name is n + 1 predictions. The names it
learns from ship with the package (``names()``, the file ``nn/names.txt``: 270 common given
names written for chainrule by hand). Nothing here prints: ``train`` reports each step to a
callback, and the caller decides what to show.
"""

from __future__ import annotations

import itertools
import math
import numbers
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from autograd import collector_paused, no_grad
from autograd.value import Value
from nn.compiled import ShapeCachedLoss
from nn.optim import Adam

V = Any  # a Value of either engine (chainrule's or bench's lean one): the model is duck-typed on purpose
Matrix = list[list[Any]]

ALPHABET = "abcdefghijklmnopqrstuvwxyz"
VOCAB = 27  # 'a'..'z' and BOUNDARY
BOUNDARY = 26  # the token that starts and ends a name
N_EMBD = 16
N_HEAD = 4
HEAD_DIM = N_EMBD // N_HEAD
BLOCK = 16  # the context: at most 16 positions
LONGEST_NAME = BLOCK - 1  # its n + 1 predictions fill the context
NAMES = ("emma", "olivia", "ava", "isabella", "sophia", "mia", "charlotte", "amelia", "harper",
         "evelyn", "abigail", "emily", "ella", "elizabeth", "camila", "luna")  # fmt: skip


# --- text and tokens ------------------------------------------------------------------------------


def tokens(text: str) -> list[int]:
    """Each character of ``text`` as a token: 'a' is 0, ..., 'z' is 25; a space is the boundary."""
    return [BOUNDARY if c == " " else ord(c) - ord("a") for c in text]


def name_tokens(name: str) -> list[int]:
    """A name between two boundaries: ``'ada'`` is ``[26, 0, 3, 0, 26]``."""
    return tokens(f" {name} ")


def sequence(length: int = BLOCK) -> list[int]:
    """``length + 1`` tokens of ``NAMES`` joined by boundaries: ``length`` (input, target) pairs."""
    text = " " + " ".join(NAMES) + " "
    return tokens(text)[: length + 1]


def read_names(lines: Iterable[str], source: str = "<names>") -> list[str]:
    """The names in ``lines``, one a line: blank lines and lines starting with ``#`` are skipped,
    spaces around a name are dropped and capitals made small (``Ada`` is ``ada``).

    A name must be 1 to ``LONGEST_NAME`` (15) letters from a to z, the model's alphabet; anything
    else is a ``ValueError`` naming ``source``, the line and the name. An empty list is one too.
    """
    found = []
    for number, line in enumerate(lines, start=1):
        name = line.strip().lower()
        if not name or name.startswith("#"):
            continue
        if not all(c in ALPHABET for c in name):
            bad = next(c for c in name if c not in ALPHABET)
            raise ValueError(f"{source}, line {number}: {name[:40]!r} has {bad!r}; a name is letters a to z")
        if len(name) > LONGEST_NAME:
            raise ValueError(
                f"{source}, line {number}: {name[:40]!r} has {len(name)} letters; the model's context of "
                f"{BLOCK} positions holds names of at most {LONGEST_NAME}"
            )
        found.append(name)
    if not found:
        raise ValueError(f"{source}: no names in it (one name a line, letters a to z)")
    return found


def names() -> list[str]:
    """The names shipped with the package (``nn/names.txt``), in their order in the file."""
    text = resources.files("nn").joinpath("names.txt").read_text(encoding="utf-8")
    return read_names(text.splitlines(), "nn/names.txt")


# --- the tiny GPT ---------------------------------------------------------------------------------


def gpt_parameters(value: type = Value, seed: int = 0) -> dict[str, Matrix]:
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


def _check_tokens(seq: Sequence[int], shortest: int, longest: int, where: str) -> None:
    """``ValueError`` naming ``where`` unless ``seq`` is ``shortest`` to ``longest`` tokens, each a
    whole number 0 to ``VOCAB - 1`` (a negative one would silently pick a row from the end)."""
    if not shortest <= len(seq) <= longest:
        raise ValueError(f"{where}: seq must be {shortest} to {longest} tokens, got {len(seq)}")
    for i, token in enumerate(seq):
        if isinstance(token, bool) or not isinstance(token, numbers.Integral) or not 0 <= token < VOCAB:
            raise ValueError(f"{where}: seq[{i}] is {token!r}; a token is a whole number 0 to {VOCAB - 1}")


def gpt_loss(params: dict[str, Matrix], seq: Sequence[int]) -> V:
    """Mean cross-entropy of predicting ``seq[t + 1]`` from ``seq[: t + 1]``, for each position t.

    ``seq`` is 2 to ``BLOCK + 1`` tokens (1 to ``BLOCK`` predictions); anything else is a ``ValueError``.
    """
    _check_tokens(seq, 2, BLOCK + 1, "gpt_loss")
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


# --- training and sampling ------------------------------------------------------------------------


@dataclass
class GPTRun:
    """What ``train`` did: the loss of each step taken (at the weights the step started from),
    the traces made (``fast`` only: one per name length met, plus retraces), and why it stopped
    early ('' when it did not; the weights are then those before the failing step)."""

    losses: list[float] = field(default_factory=list)
    traces: int = 0
    retraces: int = 0
    diverged: str = ""


def train(
    params: dict[str, Matrix],
    names: Sequence[str],
    steps: int,
    *,
    lr: float = 0.02,
    seed: int = 0,
    fast: bool = False,
    on_step: Callable[[int, float], bool | None] | None = None,
) -> GPTRun:
    """Adam on one name per step for ``steps`` steps: the names shuffled by ``random.Random(seed)``
    at the start of each pass over them.

    Each step's loss is ``gpt_loss`` of the name (the node engine), or with ``fast`` the same
    loss written one-hot (``gpt_loss_one_hot``) and compiled once per name length by
    ``nn.ShapeCachedLoss``: the same numbers to about 1e-12, at float speed after a length's first
    meeting. After each step ``on_step(step, loss)`` is called (step counts from 1); if it returns
    ``False`` the run stops there, with that step's update kept. A loss or a weight that is not
    finite, or an overflow, stops the run before the update and says so in ``diverged``.
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"train: steps must be a whole number >= 0, got {steps!r}")
    if not names:
        raise ValueError("train: names is empty; give at least one name")
    for name in names:
        if not isinstance(name, str) or not 1 <= len(name) <= LONGEST_NAME or not set(name) <= set(ALPHABET):
            raise ValueError(f"train: {name!r} is not a name of 1 to {LONGEST_NAME} letters a to z")
    weights = flat(params)
    optimizer = Adam(weights, lr=lr)
    compiled = ShapeCachedLoss(lambda xs, ys: gpt_loss_one_hot(params, xs, ys), weights) if fast else None
    order = random.Random(seed)
    pool = list(names)
    run = GPTRun()
    for i in range(steps):
        if i % len(pool) == 0:
            order.shuffle(pool)
        seq = name_tokens(pool[i % len(pool)])
        before = [p.data for p in weights]
        optimizer.zero_grad()
        try:
            with collector_paused():  # the step's graph is built and freed inside: never collected
                loss = _loss_and_grads(params, seq, compiled)
        except (ArithmeticError, ValueError) as err:  # exp overflowing, log of an underflowed 0
            run.diverged = f"the loss could not be computed at step {i + 1} ({err})"
            break
        if not math.isfinite(loss):
            run.diverged = f"the loss became {loss} at step {i + 1}"
            break
        optimizer.step()
        if not all(math.isfinite(p.data) for p in weights):
            for p, data in zip(weights, before):
                p.data = data
            run.diverged = f"the weights became inf or nan at step {i + 1}"
            break
        run.losses.append(loss)
        if compiled is not None:
            run.traces, run.retraces = compiled.traces, compiled.retraces
        if on_step is not None and on_step(i + 1, loss) is False:
            break
    return run


def _loss_and_grads(params: dict[str, Matrix], seq: list[int], compiled: Any) -> float:
    """One name's loss, its gradient added into each parameter's grad."""
    if compiled is not None:
        return float(compiled(*one_hot(seq)))
    loss = gpt_loss(params, seq)
    loss.backward()
    return float(loss.data)


def next_logits(params: dict[str, Matrix], seq: Sequence[int]) -> list[float]:
    """The logits (as numbers) for the token after ``seq`` (1 to ``BLOCK`` tokens, else a
    ``ValueError``); no graph is kept."""
    _check_tokens(seq, 1, BLOCK, "next_logits")
    keys: list[list[V]] = []
    values: list[list[V]] = []
    logits: list[V] = []
    with no_grad():
        for pos, token in enumerate(seq):
            x = [t + p for t, p in zip(params["wte"][token], params["wpe"][pos])]
            logits = block(params, x, keys, values, softmax)
    return [z.data for z in logits]


def sample(params: dict[str, Matrix], rng: random.Random, temperature: float = 0.8) -> str:
    """A name drawn letter by letter from the model until it writes the boundary (or fills the
    context): each token with probability softmax(logits / temperature). It may be empty, when
    the boundary comes first."""
    if not temperature > 0 or not math.isfinite(temperature):
        raise ValueError(f"sample: temperature must be a positive number, got {temperature!r}")
    seq = [BOUNDARY]
    while len(seq) < BLOCK:
        logits = next_logits(params, seq)
        top = max(logits)
        weights = [math.exp((z - top) / temperature) for z in logits]
        token = rng.choices(range(VOCAB), weights)[0]
        if token == BOUNDARY:
            break
        seq.append(token)
    return "".join(ALPHABET[t] for t in seq[1:])
