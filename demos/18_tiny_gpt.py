"""A tiny GPT trained on Values: one compiled trace per name length, samples, one attention head drawn.

    python demos/18_tiny_gpt.py

The model is bench/gpt.py's: token and position embeddings, RMSNorm, one causal self-attention
layer of 4 heads, an MLP, a language-model head (embedding 16, context 16, 4,192 parameters),
every weight a ``Value``. It learns to spell short names, one name per step, predicting each
next letter from the ones before it.

Its graph has one block per position, so a name of 4 letters and a name of 5 make different
graphs. ``nn.ShapeCachedLoss`` traces the loss once per length (the tokens, one-hot, are inputs
of the trace, not constants), compiles each trace to float code, and replays it at every step
that meets that length again: the node engine's numbers, at float speed after the first
meeting. The step counts below show it: a few traces, many steps.

What to notice:
- the loss falls from log 27 = 3.30 (a uniform guess over 26 letters and the boundary);
- traces: one per name length met, however many steps;
- the samples: after a few dozen steps the model has learnt which letters start and end names,
  not yet how to spell them all;
- the picture: head 0 at the third position (the second letter of 'ada'), focused on its output,
  one value of the head: a sum of the attention weights times the values of the positions so
  far (it can look back, never ahead).
"""

from __future__ import annotations

import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/ sits beside demos/

from _common import output_dir

import autograd
import nn
from autograd import Value
from bench import gpt

NAMES = ("ada", "amy", "ann", "ava", "eva", "ida", "ivy", "mia", "zoe", "anna", "emma", "ella",
         "lily", "luna", "nora", "rose", "ruby", "lena", "alma", "cora", "mila", "iris", "jane")  # fmt: skip
STEPS = 46  # two passes over the names
SEED = 0


def train(params: dict[str, gpt.Matrix]) -> tuple[list[float], nn.ShapeCachedLoss]:
    """Adam on one name per step, the loss compiled once per length."""
    flat = gpt.flat(params)
    step = nn.ShapeCachedLoss(lambda xs, ys: gpt.gpt_loss_one_hot(params, xs, ys), flat)
    optimizer = nn.Adam(flat, lr=0.02)
    order = random.Random(SEED)
    names = list(NAMES)
    losses = []
    for i in range(STEPS):
        if i % len(names) == 0:
            order.shuffle(names)
        optimizer.zero_grad()
        losses.append(step(*gpt.one_hot(gpt.tokens(f" {names[i % len(names)]} "))))
        optimizer.step()
    return losses, step


def next_logits(params: dict[str, gpt.Matrix], seq: list[int]) -> list[float]:
    """The logits for the token after ``seq`` (no graph kept)."""
    keys: list[list[Value]] = []
    values: list[list[Value]] = []
    with autograd.no_grad():
        for pos, token in enumerate(seq):
            x = [t + p for t, p in zip(params["wte"][token], params["wpe"][pos])]
            logits = gpt.block(params, x, keys, values, gpt.softmax_unshifted)
    return [z.data for z in logits]


def sample(params: dict[str, gpt.Matrix], rng: random.Random, temperature: float = 0.8) -> str:
    """A name drawn letter by letter from the model, until it writes the boundary."""
    seq = [gpt.BOUNDARY]
    while len(seq) < gpt.BLOCK:
        logits = next_logits(params, seq)
        top = max(logits)
        weights = [math.exp((z - top) / temperature) for z in logits]
        token = rng.choices(range(gpt.VOCAB), weights)[0]
        if token == gpt.BOUNDARY:
            break
        seq.append(token)
    return "".join(chr(ord("a") + t) for t in seq[1:])


def one_head(params: dict[str, gpt.Matrix], seq: list[int], pos: int, head: int = 0) -> Value:
    """Head ``head``'s first output value at position ``pos``, its nodes labelled for the picture:
    sum over t <= pos of w_t * v_t, with w = softmax(q . k_t / 2) over the positions so far."""
    part = slice(head * gpt.HEAD_DIM, (head + 1) * gpt.HEAD_DIM)
    ks, vs = [], []
    q: list[Value] = []
    for t in range(pos + 1):
        x = [a + b for a, b in zip(params["wte"][seq[t]], params["wpe"][t])]
        x = gpt.rmsnorm(gpt.rmsnorm(x))
        ks.append(gpt.linear(x, params["wk"])[part])
        vs.append(gpt.linear(x, params["wv"])[part][0])
        if t == pos:
            q = gpt.linear(x, params["wq"])[part]
    scores = [sum(a * b for a, b in zip(q, k)) / gpt.HEAD_DIM**0.5 for k in ks]
    weights = gpt.softmax_unshifted(scores)
    out = weights[0] * vs[0]
    for t, (s, w, v) in enumerate(zip(scores, weights, vs)):
        s.label, w.label, v.label = f"score {t}", f"weight {t}", f"value {t}"
        exp, total = w.inputs  # weight t = exp(score t) / the sum of the exps
        exp.label, total.label = f"exp score {t}", "sum of exps"
        if t > 0:
            term = w * v
            term.label = f"weight {t} x value {t}"
            out = out + term
        else:
            out.label = "weight 0 x value 0"
        if t < pos:
            out.label = out.label if t == 0 else f"sum to {t}"
    out.label = f"head {head} out [{pos}]"
    return out


def main() -> None:
    out = output_dir()
    params = gpt.gpt_parameters(Value, seed=SEED)
    print(f"tiny GPT: {len(gpt.flat(params))} parameters, {len(NAMES)} names, {STEPS} steps")
    start = time.perf_counter()
    losses, step = train(params)
    seconds = time.perf_counter() - start
    for i in range(0, STEPS - 1, 9):
        print(f"  step {i:2d}  loss {losses[i]:.3f}")
    print(f"  step {STEPS - 1:2d}  loss {losses[-1]:.3f}   (uniform guess: log 27 = {math.log(27):.3f})")
    first, last = sum(losses[:10]) / 10, sum(losses[-10:]) / 10
    print(f"mean loss of the first 10 steps {first:.3f}, of the last 10 {last:.3f}")
    traces = f"{step.traces} traces (one per name length), {step.retraces} retraces"
    print(f"{STEPS} steps in {seconds:.1f} s: {traces}")
    rng = random.Random(SEED)
    print("samples:", ", ".join(sample(params, rng) for _ in range(8)))
    head = one_head(params, gpt.tokens(" ada "), pos=2)
    head.backward()  # d out / d weight t = value t, d out / d value t = weight t
    path = autograd.render(head, out / "tiny_gpt_head.svg", focus=head, radius=3)
    print(f"one attention head at one position: {path}")


if __name__ == "__main__":
    main()
