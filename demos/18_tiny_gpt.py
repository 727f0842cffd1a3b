"""A tiny GPT trained on Values: one compiled trace per name length, samples, one attention head drawn.

    python demos/18_tiny_gpt.py

The model is ``nn.gpt``'s, the one ``chainrule gpt`` trains and the benchmark times: token and
position embeddings, RMSNorm, one causal self-attention layer of 4 heads, an MLP, a
language-model head (embedding 16, context 16, 4,192 parameters), every weight a ``Value``. It
learns to spell names, one name per step, predicting each next letter from the ones before it.
The names ship with the package (``nn.gpt.names()``); this demo keeps the short ones (3 and 4
letters), so that it runs in seconds. ``chainrule gpt`` trains on all of them, with a progress bar.

Its graph has one block per position, so a name of 3 letters and a name of 4 make different
graphs. ``nn.gpt.train(..., fast=True)`` uses ``nn.ShapeCachedLoss``: it traces the loss once
per length (the tokens, one-hot, are inputs of the trace, not constants), compiles each trace to
float code, and replays it at every step that meets that length again: the node engine's
numbers, at float speed after the first meeting. The step counts below show it: two traces,
many steps.

What to notice:
- the loss falls from log 27 = 3.30 (a uniform guess over 26 letters and the boundary);
- traces: one per name length met, however many steps;
- the samples: after 120 steps most can be said aloud (vowels and consonants mostly take
  turns), and few are names yet;
- the picture: head 0 at the third position of 'ada' (the 'd', predicting the last 'a'), for one
  of the head's four output numbers: the scores q·k/2 of the positions so far (it can look back,
  never ahead), their softmax (exp, the sum of the exps, each weight), and the weighted sum of
  the values. The graph is cut at the scores and the values: they are leaves holding the
  trained model's numbers. What lies under them (the embeddings, RMSNorm, the projections to
  q, k and v) is about 600 nodes at this position, and ``focus=`` around the head's output
  left stray pieces of those sums in the picture, cut at an arbitrary depth; ``collapse=``
  folds a model's neurons into boxes, and a GPT's sums are not neurons. Leaves make the cut
  where the head begins.
"""

from __future__ import annotations

import math
import random
import time

from _common import output_dir

import autograd
from autograd import Value
from nn import gpt

NAMES = tuple(name for name in gpt.names() if len(name) <= 4)  # 114 of the shipped names
STEPS = 120
SEED = 0


def head_picture(params: dict[str, gpt.Matrix], seq: list[int], pos: int, head: int = 0) -> Value:
    """Head ``head``'s first output number at position ``pos``, its nodes labelled for the picture:
    sum over t <= pos of w_t * v_t, with w = softmax(s) and s_t = q . k_t / 2 the scores.

    The model's own ``block`` runs positions 0..pos (no graph kept) and leaves every position's
    key and value in ``keys`` and ``values``; the query is recomputed as ``block`` computes it.
    The scores and the values become labelled leaves, and the head's softmax and weighted sum
    are built on them with the model's own code.
    """
    part = slice(head * gpt.HEAD_DIM, (head + 1) * gpt.HEAD_DIM)
    keys: list[list[Value]] = []
    values: list[list[Value]] = []
    with autograd.no_grad():
        for t in range(pos + 1):
            x = [a + b for a, b in zip(params["wte"][seq[t]], params["wpe"][t])]
            gpt.block(params, x, keys, values, gpt.softmax)
        q = gpt.linear(gpt.rmsnorm(gpt.rmsnorm(x)), params["wq"])[part]  # block's query at pos
        numbers = [sum(a * b for a, b in zip(q, k[part])).data / gpt.HEAD_DIM**0.5 for k in keys]
    scores = [Value(s, label=f"score {t}") for t, s in enumerate(numbers)]
    vs = [Value(v[part][0].data, label=f"value {t}") for t, v in enumerate(values)]
    weights = gpt.softmax_unshifted(scores)  # the model's softmax: exp(s_t) / sum of the exps
    for t, w in enumerate(weights):
        w.label = f"weight {t}"
        exp, total = w.inputs
        exp.label = f"exp score {t}"
    label_sum(total, "sum of exps to", "sum of exps")
    terms = [w * v for w, v in zip(weights, vs)]  # block's sum(w * v_t[part][j] ...), for j = 0
    out: Value = sum(terms)  # type: ignore[assignment]
    for t, term in enumerate(terms):
        term.label = f"weight {t} x value {t}"
    label_sum(out, "sum to", f"head {head} out [{pos}]")
    return out


def label_sum(total: Value, partial: str, whole: str) -> None:
    """Label the partial sums of the chain Python's ``sum`` builds, (((0 + a) + b) + c); its start,
    the number 0, stays an unlabelled constant."""
    chain = [total]
    while chain[-1].op == "add" and chain[-1].inputs[0].op == "add":
        chain.append(chain[-1].inputs[0])
    for t, node in enumerate(reversed(chain)):
        node.label = f"{partial} {t}"
    chain[0].label = whole


def main() -> None:
    out = output_dir()
    params = gpt.gpt_parameters(Value, seed=SEED)
    print(f"tiny GPT: {len(gpt.flat(params))} parameters, {len(NAMES)} names, {STEPS} steps")
    start = time.perf_counter()
    run = gpt.train(params, NAMES, STEPS, lr=0.02, seed=SEED, fast=True)
    seconds = time.perf_counter() - start
    losses = run.losses
    for i in range(0, STEPS - 1, 20):
        print(f"  step {i:2d}  loss {losses[i]:.3f}")
    print(f"  step {STEPS - 1:2d}  loss {losses[-1]:.3f}   (uniform guess: log 27 = {math.log(27):.3f})")
    first, last = sum(losses[:10]) / 10, sum(losses[-10:]) / 10
    print(f"mean loss of the first 10 steps {first:.3f}, of the last 10 {last:.3f}")
    traces = f"{run.traces} traces (one per name length), {run.retraces} retraces"
    print(f"{STEPS} steps in {seconds:.1f} s: {traces}")
    rng = random.Random(SEED)
    print("samples:", ", ".join(gpt.sample(params, rng) for _ in range(8)))
    head = head_picture(params, gpt.name_tokens("ada"), pos=2)
    head.backward()  # d out / d value t = weight t; d out / d score t = weight t (value t - out)
    path = autograd.render(head, out / "tiny_gpt_head.svg")
    print(f"one attention head at one position: {path}")


if __name__ == "__main__":
    main()
